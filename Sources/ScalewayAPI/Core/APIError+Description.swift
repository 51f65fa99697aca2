// APIError+Description: the wording a person reads. One line that names the request, says
// what was wrong in the API's own terms, and for auth and permission problems what to check.

extension APIError {
    /// `POST /vpc/v2/regions/fr-par/private-networks: invalid argument subnets: format (must be a CIDR)`.
    public var description: String {
        "\(method) \(path): \(explanation)"
    }

    /// The description without the request prefix.
    public var explanation: String {
        switch kind {
        case .invalidArguments(let details):
            guard !details.isEmpty else { return "invalid arguments: \(message)" }
            let parts = details.map { d in
                "\(d.argumentName): \(d.reason)" + (d.helpMessage.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
            }
            return (details.count == 1 ? "invalid argument " : "invalid arguments ") + parts.joined(separator: "; ")
        case .invalidRequest(let fields, let resource):
            var text = message
            if isQuotaExceeded {
                text = "quota exceeded" + (resource.map { " for \($0)" } ?? "") + ": \(message) (ask for a quota increase in the Scaleway console, or delete unused resources)"
            } else if let resource, !resource.isEmpty {
                text += " (resource: \(resource))"
            }
            if !fields.isEmpty {
                let list = fields.keys.sorted().map { "\($0): \(fields[$0]!.joined(separator: ", "))" }
                text += " — " + list.joined(separator: "; ")
            }
            return "invalid request: " + text
        case .deniedAuthentication(let method, let reason):
            var text = "authentication denied"
            let tags = [method, reason].compactMap { $0 }
            if !tags.isEmpty { text += " (\(tags.joined(separator: ", ")))" }
            switch reason {
            case "expired"?:
                text += ": the API key has expired; create a new one (console: IAM > API keys) and update secret_key or SCW_SECRET_KEY"
            case "invalid_argument"?:
                text += ": the secret key is not well formed; check secret_key in the scw config or SCW_SECRET_KEY"
            default:
                text += ": the API key was not recognised; check secret_key in the scw config (or SCW_SECRET_KEY) and that the key was not deleted"
            }
            return text
        case .permissionsDenied(let details):
            guard !details.isEmpty else {
                return "permission denied: \(message) (check the IAM policy of this API key and the project it is scoped to)"
            }
            let list = details.map { "\($0.action) \($0.resource)" }.joined(separator: ", ")
            return "permission denied: this API key may not \(list) (check the IAM policy of its user or application and the project it is scoped to)"
        case .quotasExceeded(let details):
            guard !details.isEmpty else { return "quota exceeded: \(message)" }
            let list = details.map { d -> String in
                switch (d.current, d.quota) {
                case let (c?, q?): return "\(d.resource) (\(c) of \(q) used)"
                case let (nil, q?): return "\(d.resource) (quota \(q))"
                default: return d.resource
                }
            }.joined(separator: ", ")
            return "quota exceeded: \(list) (ask for a quota increase in the Scaleway console, or delete unused resources)"
        case .notFound(let resource, let id):
            if resource == nil && id == nil { return "not found: \(message)" }
            return "\(resource ?? "resource") \(id ?? "") not found".replacingDoubleSpaces
        case .unknownResource:
            return "not found: \(message)"
        case .transientState(let resource, let id, let state):
            return "\(resource ?? "resource") \(id ?? "") is busy (state \(state ?? "unknown")); try again once it settles".replacingDoubleSpaces
        case .alreadyExists(let resource, let id, let help):
            return "\(resource ?? "resource") \(id ?? "") already exists".replacingDoubleSpaces + (help.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
        case .conflict:
            return "conflict: \(message)"
        case .resourceExpired(let resource, let id, let since):
            return "\(resource ?? "resource") \(id ?? "") has expired".replacingDoubleSpaces + (since.map { " (since \($0))" } ?? "")
        case .preconditionFailed(let precondition, let help):
            var text = "precondition failed"
            switch precondition {
            case "resource_still_in_use"?: text += ": the resource is still in use (detach or delete what uses it first)"
            case "protected_resource"?: text += ": the resource is protected (turn protection off first)"
            case "attribute_must_be_set"?: text += ": an attribute must be set first"
            case let p?: text += ": \(p)"
            case nil: text += ": \(message)"
            }
            if let help, !help.isEmpty { text += " (\(help))" }
            return text
        case .locked(let resource, let id):
            return "\(resource ?? "resource") \(id ?? "") is locked by Scaleway (contact support to unlock it)".replacingDoubleSpaces
        case .rateLimited:
            return "rate limited (HTTP 429): too many requests; retries gave up" + (retryAfter.map { ", the API asked to wait \(Int($0))s" } ?? "")
        case .server:
            return "server error (HTTP \(status)): \(message)"
        case .unknown(let type):
            return "HTTP \(status)" + (type.map { " \($0)" } ?? "") + ": \(message)"
        }
    }
}

extension String {
    fileprivate var replacingDoubleSpaces: String {
        split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}

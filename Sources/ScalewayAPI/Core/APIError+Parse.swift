// APIError+Parse: builds an APIError from a status and raw body bytes. Never fails: JSON of
// any shape, HTML from a proxy, S3 XML, plain text and empty bodies all give a typed error.

import ScwCore

extension APIError {
    /// Parses an error answer. `path` should be the request path without host or query.
    public init(status: Int, body: [UInt8], method: String, path: String, headers: [String: String] = [:]) {
        let json = APIError.decodeJSON(body)
        let retryAfter = headers.first { $0.key.lowercased() == "retry-after" }.flatMap { Double($0.value.trimmingSpaces) }
        let fields = json?.mapValue ?? [:]
        let type = fields["type"]?.stringValue
        let message = fields["message"]?.stringValue ?? APIError.summary(ofNonJSON: body, status: status)
        self.init(status: status, kind: APIError.kind(type: type, fields: fields, status: status),
                  message: message, method: method, path: path, body: json, retryAfter: retryAfter)
    }

    private static func decodeJSON(_ body: [UInt8]) -> Value? {
        guard body.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        return try? JSON.decode(bytes: body)
    }

    private static func kind(type: String?, fields f: [String: Value], status: Int) -> Kind {
        let resource = f["resource"]?.stringValue
        let resourceID = f["resource_id"]?.stringValue
        let help = f["help_message"]?.stringValue
        switch type {
        case "invalid_arguments":
            let details = (f["details"]?.listValue ?? []).compactMap { d -> InvalidArgument? in
                guard let name = d["argument_name"]?.stringValue else { return nil }
                return InvalidArgument(argumentName: name, reason: d["reason"]?.stringValue ?? "unknown", helpMessage: d["help_message"]?.stringValue)
            }
            return .invalidArguments(details)
        case "invalid_request_error":
            var byField: [String: [String]] = [:]
            for (name, v) in f["fields"]?.mapValue ?? [:] {
                byField[name] = v.listValue.map { $0.compactMap(\.stringValue) } ?? v.stringValue.map { [$0] } ?? []
            }
            return .invalidRequest(fields: byField, resource: resource)
        case "denied_authentication":
            return .deniedAuthentication(method: f["method"]?.stringValue, reason: f["reason"]?.stringValue)
        case "permissions_denied":
            return .permissionsDenied((f["details"]?.listValue ?? []).map {
                PermissionDenied(resource: $0["resource"]?.stringValue ?? "?", action: $0["action"]?.stringValue ?? "?")
            })
        case "quotas_exceeded":
            return .quotasExceeded((f["details"]?.listValue ?? []).map {
                QuotaExceeded(resource: $0["resource"]?.stringValue ?? "?", quota: $0["quota"]?.intValue, current: $0["current"]?.intValue)
            })
        case "not_found":
            return .notFound(resource: resource, resourceID: resourceID)
        case "unknown_resource":
            return .unknownResource
        case "transient_state":
            return .transientState(resource: resource, resourceID: resourceID, currentState: f["current_state"]?.stringValue)
        case "already_exists":
            return .alreadyExists(resource: resource, resourceID: resourceID, helpMessage: help)
        case "conflict":
            return .conflict
        case "resource_expired":
            return .resourceExpired(resource: resource, resourceID: resourceID, expiredSince: f["expired_since"]?.stringValue)
        case "precondition_failed":
            return .preconditionFailed(precondition: f["precondition"]?.stringValue, helpMessage: help)
        case "locked":
            return .locked(resource: resource, resourceID: resourceID)
        case nil:
            return byStatus(status)
        case let other?:
            let fallback = byStatus(status)
            if case .unknown = fallback { return .unknown(type: other) }
            if status == 429 || status >= 500 { return fallback }
            return .unknown(type: other)
        }
    }

    /// The kind of an answer whose body names no type (the SDK classifies these by status).
    private static func byStatus(_ status: Int) -> Kind {
        switch status {
        case 400: return .invalidRequest(fields: [:], resource: nil)
        case 401: return .deniedAuthentication(method: nil, reason: nil)
        case 403: return .permissionsDenied([])
        case 404: return .notFound(resource: nil, resourceID: nil)
        case 409: return .conflict
        case 410: return .resourceExpired(resource: nil, resourceID: nil, expiredSince: nil)
        case 412: return .preconditionFailed(precondition: nil, helpMessage: nil)
        case 423: return .locked(resource: nil, resourceID: nil)
        case 429: return .rateLimited
        case 500...599: return .server
        default: return .unknown(type: nil)
        }
    }

    /// A one-line message for a body that is not a JSON object: S3 XML, HTML, text or nothing.
    static func summary(ofNonJSON body: [UInt8], status: Int) -> String {
        let text = String(decoding: body.prefix(4096), as: UTF8.self).trimmingSpaces
        if text.isEmpty { return reasonPhrase(status) }
        if let code = text.between("<Code>", "</Code>") {
            let message = text.between("<Message>", "</Message>")
            return message.map { "\(code): \($0)" } ?? code
        }
        if text.hasPrefix("<") {
            if let title = text.between("<title>", "</title>") ?? text.between("<TITLE>", "</TITLE>") {
                return "\(reasonPhrase(status)) (HTML page: \(title.trimmingSpaces.prefix(120)))"
            }
            return "\(reasonPhrase(status)) (HTML page)"
        }
        let firstLine = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? text
        return firstLine.count > 200 ? String(firstLine.prefix(200)) + "…" : firstLine
    }

    /// The standard wording of an HTTP status.
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 412: return "Precondition Failed"
        case 413: return "Payload Too Large"
        case 422: return "Unprocessable Entity"
        case 423: return "Locked"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP \(status)"
        }
    }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    /// The text between the first `open` and the next `close`, if both are there.
    func between(_ open: String, _ close: String) -> String? {
        guard let a = firstRange(of: open), let b = self[a.upperBound...].firstRange(of: close) else { return nil }
        return String(self[a.upperBound..<b.lowerBound])
    }
}

// API errors as the real Scaleway API shapes them (ENDPOINTS.md 0.4): a status code and a JSON
// body with `type` and `message` plus type-specific fields. Handlers throw them; the pipeline answers.

struct APIError: Error {
    let status: Int
    /// nil = empty body (429).
    let body: JSONValue?

    init(status: Int, body: JSONValue?) {
        self.status = status
        self.body = body
    }

    var response: HTTPResponse {
        guard let body else { return .empty(status) }
        return .json(status, body)
    }

    /// One entry of `invalid_arguments.details`.
    struct ArgumentDetail {
        let name: String
        let reason: String   // required | format | constraint | unknown
        let help: String
    }

    // MARK: 4xx

    static func notFound(resource: String, id: String) -> APIError {
        APIError(status: 404, body: .object([
            "message": .string("resource is not found"), "resource": .string(resource),
            "resource_id": .string(id), "type": .string("not_found"),
        ]))
    }

    static func invalidArguments(_ details: [ArgumentDetail]) -> APIError {
        APIError(status: 400, body: .object([
            "message": .string("invalid argument(s)"), "type": .string("invalid_arguments"),
            "details": .array(details.map {
                .object(["argument_name": .string($0.name), "reason": .string($0.reason), "help_message": .string($0.help)])
            }),
        ]))
    }

    static func invalidArgument(_ name: String, reason: String, help: String) -> APIError {
        invalidArguments([ArgumentDetail(name: name, reason: reason, help: help)])
    }

    static let deniedAuthentication = APIError(status: 401, body: .object([
        "message": .string("authentication is denied"), "method": .string("api_key"),
        "reason": .string("not_found"), "type": .string("denied_authentication"),
    ]))

    static func preconditionFailed(_ precondition: String, help: String) -> APIError {
        APIError(status: 412, body: .object([
            "message": .string("precondition is not respected"), "precondition": .string(precondition),
            "help_message": .string(help), "type": .string("precondition_failed"),
        ]))
    }

    static func transientState(resource: String, id: String, state: String) -> APIError {
        APIError(status: 409, body: .object([
            "message": .string("resource is in a transient state"), "resource": .string(resource),
            "resource_id": .string(id), "current_state": .string(state), "type": .string("transient_state"),
        ]))
    }

    static func alreadyExists(resource: String, id: String, help: String) -> APIError {
        APIError(status: 409, body: .object([
            "message": .string("resource already exists"), "resource": .string(resource),
            "resource_id": .string(id), "help_message": .string(help), "type": .string("already_exists"),
        ]))
    }

    static func routeNotFound(method: String, path: String) -> APIError {
        APIError(status: 404, body: .object([
            "message": .string("no route for \(method) \(path)"), "type": .string("not_found"),
        ]))
    }

    static func methodNotAllowed(method: String, path: String, allowed: [String]) -> APIError {
        APIError(status: 405, body: .object([
            "message": .string("method \(method) not allowed on \(path) (allowed: \(allowed.joined(separator: ", ")))"),
            "type": .string("method_not_allowed"),
        ]))
    }

    // MARK: 429 and 5xx

    static let tooManyRequests = APIError(status: 429, body: nil)

    static func unavailable(status: Int) -> APIError {
        let message = status == 502 ? "bad gateway" : "service unavailable"
        let type = status == 502 ? "bad_gateway" : "service_unavailable"
        return APIError(status: status, body: .object(["message": .string(message), "type": .string(type)]))
    }

    static func internalError(_ message: String) -> APIError {
        APIError(status: 500, body: .object(["message": .string(message), "type": .string("internal_error")]))
    }
}

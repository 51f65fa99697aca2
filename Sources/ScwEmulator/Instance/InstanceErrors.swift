// The Instance API's legacy error bodies (ENDPOINTS.md 0.4): `invalid_request_error` (with `fields`,
// or a plain message for refused actions, or a quota `resource`), `unknown_resource`, `conflict`.

extension APIError {
    /// 400 `{"type":"invalid_request_error","message":"Validation Error","fields":{"name":["..."]}}`.
    static func instanceValidation(_ field: String, _ message: String) -> APIError {
        APIError(status: 400, body: .object([
            "message": .string("Validation Error"), "type": .string("invalid_request_error"),
            "fields": .object([field: .array([.string(message)])]),
        ]))
    }

    /// 400 `{"type":"invalid_request_error","message":"server should be running"}`: a refused
    /// action or a precondition of the legacy API.
    static func instanceRequest(_ message: String) -> APIError {
        APIError(status: 400, body: .object(["message": .string(message), "type": .string("invalid_request_error")]))
    }

    /// 404 `{"type":"unknown_resource","message":"Security group \"<uuid>\" not found"}`: a resource
    /// named in a request body that does not exist (the path's own resource answers `not_found`).
    static func unknownResource(_ what: String?, _ id: String) -> APIError {
        let message = (what.map { "\($0) " } ?? "") + "\"\(id)\" not found"
        return APIError(status: 404, body: .object(["message": .string(message), "type": .string("unknown_resource")]))
    }

    /// 409 `{"type":"conflict","message":"Group is in use. You cannot delete it."}`.
    static func instanceConflict(_ message: String) -> APIError {
        APIError(status: 409, body: .object(["message": .string(message), "type": .string("conflict")]))
    }

    /// 403 `{"type":"invalid_request_error","message":"Quota exceeded for this resource.","resource":"<quota>"}`,
    /// which the SDKs turn into a quotas-exceeded error naming `resource`.
    static func instanceQuotaExceeded(_ resource: String) -> APIError {
        APIError(status: 403, body: .object([
            "message": .string("Quota exceeded for this resource."), "type": .string("invalid_request_error"),
            "resource": .string(resource),
        ]))
    }

    /// 403 `{"type":"quotas_exceeded","details":[{"resource","quota","current"}]}` (non-legacy APIs: Block).
    static func quotasExceeded(_ resource: String, quota: Int, current: Int) -> APIError {
        APIError(status: 403, body: .object([
            "message": .string("quota(s) exceeded for this resource"), "type": .string("quotas_exceeded"),
            "details": .array([.object(["resource": .string(resource), "quota": .int(quota), "current": .int(current)])]),
        ]))
    }
}

// APIError: an error answer from a Scaleway JSON API, typed by its `type` field (every shape of
// ENDPOINTS.md section 0.4), with the request that caused it. Parsing is in
// APIError+Parse.swift, the human wording in APIError+Description.swift.

import ScwCore

/// An HTTP error answer (status 400 and above) from a Scaleway API.
public struct APIError: Error, CustomStringConvertible, Sendable {
    /// One `details` entry of `invalid_arguments`.
    public struct InvalidArgument: Sendable, Equatable {
        /// The request field at fault (`subnets`, `reverse`, `tags.0`).
        public var argumentName: String
        /// `required`, `format`, `constraint`, `unknown` (or what the API sent).
        public var reason: String
        public var helpMessage: String?

        /// A detail as the API sends it.
        public init(argumentName: String, reason: String, helpMessage: String? = nil) {
            self.argumentName = argumentName
            self.reason = reason
            self.helpMessage = helpMessage
        }
    }

    /// One `details` entry of `permissions_denied`.
    public struct PermissionDenied: Sendable, Equatable {
        public var resource: String
        public var action: String

        /// A denied `action` (`read`, `write`) on a `resource` (`flexible-ip`).
        public init(resource: String, action: String) {
            self.resource = resource
            self.action = action
        }
    }

    /// One `details` entry of `quotas_exceeded`.
    public struct QuotaExceeded: Sendable, Equatable {
        public var resource: String
        /// The limit, and what is used now, when the API says.
        public var quota: Int64?
        public var current: Int64?

        /// A quota detail as the API sends it.
        public init(resource: String, quota: Int64? = nil, current: Int64? = nil) {
            self.resource = resource
            self.quota = quota
            self.current = current
        }
    }

    /// What went wrong, by the body's `type` (or by status when the body has none).
    public enum Kind: Sendable, Equatable {
        /// 400 `invalid_arguments`.
        case invalidArguments([InvalidArgument])
        /// 400/403 `invalid_request_error` (legacy Instance): per-field messages or a resource.
        /// A 403 with "Quota exceeded for this resource." is a quota problem (`isQuotaExceeded`).
        case invalidRequest(fields: [String: [String]], resource: String?)
        /// 401 `denied_authentication`: `method` is `api_key` or `jwt`, `reason` is
        /// `not_found`, `expired` or `invalid_argument`.
        case deniedAuthentication(method: String?, reason: String?)
        /// 403 `permissions_denied`.
        case permissionsDenied([PermissionDenied])
        /// 403 `quotas_exceeded`.
        case quotasExceeded([QuotaExceeded])
        /// 404 `not_found`, or a 404 without a type (resource and id are then nil).
        case notFound(resource: String?, resourceID: String?)
        /// 404 `unknown_resource` (legacy Instance: `"<uuid>" not found`).
        case unknownResource
        /// 409 `transient_state`: the resource is busy (`current_state`).
        case transientState(resource: String?, resourceID: String?, currentState: String?)
        /// 409 `already_exists`.
        case alreadyExists(resource: String?, resourceID: String?, helpMessage: String?)
        /// 409 `conflict` (legacy), or a 409 without a type.
        case conflict
        /// 410 `resource_expired`.
        case resourceExpired(resource: String?, resourceID: String?, expiredSince: String?)
        /// 412 `precondition_failed`: `resource_still_in_use`, `attribute_must_be_set`,
        /// `protected_resource` or `unknown_precondition`.
        case preconditionFailed(precondition: String?, helpMessage: String?)
        /// `locked`.
        case locked(resource: String?, resourceID: String?)
        /// 429: too many requests (the body is empty).
        case rateLimited
        /// 5xx without a more specific type.
        case server
        /// Any other answer: an unknown `type` (kept), or an untyped status not named above.
        case unknown(type: String?)
    }

    /// The HTTP status.
    public var status: Int
    /// The error's shape, with its type-specific fields.
    public var kind: Kind
    /// The API's own `message`, or a short summary of a body that was not JSON.
    public var message: String
    /// Method and path (no host, no query) of the request that failed.
    public var method: String
    public var path: String
    /// The decoded body when it was JSON (for fields not modelled above).
    public var body: Value?
    /// `Retry-After` in seconds, when the answer carried one.
    public var retryAfter: Double?

    /// An error built by hand (tests, fakes); answers are parsed by `init(status:body:method:path:headers:)`.
    public init(status: Int, kind: Kind, message: String, method: String, path: String, body: Value? = nil, retryAfter: Double? = nil) {
        self.status = status
        self.kind = kind
        self.message = message
        self.method = method
        self.path = path
        self.body = body
        self.retryAfter = retryAfter
    }

    /// True when the resource does not exist (any 404): after a delete, that means "gone".
    public var isNotFound: Bool {
        switch kind {
        case .notFound, .unknownResource: return true
        default: return status == 404
        }
    }

    /// True for quota problems, typed or legacy ("Quota exceeded for this resource.").
    public var isQuotaExceeded: Bool {
        switch kind {
        case .quotasExceeded: return true
        case .invalidRequest: return message.lowercased().contains("quota exceeded")
        default: return false
        }
    }

    /// True when the resource is busy and the same request may succeed later (409
    /// `transient_state`).
    public var isTransientState: Bool {
        if case .transientState = kind { return true }
        return false
    }

    /// True for 412 `precondition_failed` (a private network still in use, say).
    public var isPreconditionFailed: Bool {
        if case .preconditionFailed = kind { return true }
        return false
    }
}

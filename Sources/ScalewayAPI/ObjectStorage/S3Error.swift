// S3Error: an error answer from Object Storage (the XML `<Error>` body, or the status alone for
// HEAD), with wording a person can act on: a wrong secret, a skewed clock, a taken name.

/// An HTTP error answer from S3.
///
/// `code` is S3's (`NoSuchBucket`, `BucketNotEmpty`, `SignatureDoesNotMatch`, …); for bodiless
/// answers (HEAD) it is derived from the status (`NoSuchBucket`/`NoSuchKey` for 404,
/// `AccessDenied` for 403, `PermanentRedirect` for 301).
public struct S3Error: Error, CustomStringConvertible, Sendable {
    /// S3's error code (`<Code>`), or one derived from the status for bodiless answers.
    public var code: String
    /// S3's own message (may be empty).
    public var message: String
    /// The HTTP status.
    public var status: Int
    /// The `<Resource>` S3 named (`/bucket` or `/bucket/key`), when given.
    public var resource: String?
    /// `<RequestId>` or `x-amz-request-id`, for support.
    public var requestID: String?
    /// The request: `PUT`, and the bucket and key path (`/my-bucket/?acl`), never the host.
    public var method: String
    /// `/bucket/key?subresource`, without host.
    public var path: String
    /// Every other element of the error body (`ServerTime`, `BucketName`, `Key`, …).
    public var fields: [String: String]
    /// For `RequestTimeTooSkewed`: local time minus server time, in seconds, when known.
    public var clockSkew: Double?
    /// The access key that signed the request (never the secret), for signature errors.
    public var accessKey: String?
    /// True when an earlier attempt of this same request may have been carried out (it got a
    /// 5xx, no answer or a timeout and was sent again): `BucketAlreadyOwnedByYou` or
    /// `PreconditionFailed` may then be the echo of our own first attempt.
    public var afterAmbiguousAttempt: Bool

    /// An error as parsed from an answer.
    public init(code: String, message: String, status: Int, resource: String? = nil, requestID: String? = nil, method: String = "",
                path: String = "", fields: [String: String] = [:], clockSkew: Double? = nil, accessKey: String? = nil,
                afterAmbiguousAttempt: Bool = false) {
        self.code = code
        self.message = message
        self.status = status
        self.resource = resource
        self.requestID = requestID
        self.method = method
        self.path = path
        self.fields = fields
        self.clockSkew = clockSkew
        self.accessKey = accessKey
        self.afterAmbiguousAttempt = afterAmbiguousAttempt
    }

    /// The bucket or the object does not exist.
    public var isNotFound: Bool { ["NoSuchBucket", "NoSuchKey", "NotFound", "NoSuchVersion"].contains(code) }

    /// Worth sending again: throttling and server-side trouble.
    public var isRetryable: Bool {
        ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException"].contains(code)
    }

    /// The message alone, without the request (`bucket my-bucket is not empty: …`).
    public var explanation: String {
        let bucket = fields["BucketName"] ?? resource.map { $0.split(separator: "/").first.map(String.init) ?? $0 } ?? "the bucket"
        switch code {
        case "SignatureDoesNotMatch":
            return "Object Storage rejected the request signature (SignatureDoesNotMatch): the secret key does not belong to access key "
                + "\(accessKey.map { $0.split(separator: "@").first.map(String.init) ?? $0 } ?? "(unknown)"); check secret_key (SCW_SECRET_KEY)"
        case "InvalidAccessKeyId":
            return "Object Storage does not know access key \(accessKey ?? "(unknown)") (InvalidAccessKeyId); check access_key (SCW_ACCESS_KEY)"
        case "RequestTimeTooSkewed":
            guard let skew = clockSkew else {
                return "this machine's clock is too far from Object Storage's (RequestTimeTooSkewed); set the system clock (NTP) and try again"
            }
            let seconds = Int(abs(skew).rounded())
            return "your clock is off by \(seconds) s (\(skew > 0 ? "ahead of" : "behind") Object Storage's; at most 15 min is accepted) "
                + "(RequestTimeTooSkewed); set the system clock (NTP) and try again"
        case "NoSuchBucket":
            return "bucket \(bucket) does not exist (NoSuchBucket)"
        case "NoSuchKey":
            return "object \(fields["Key"] ?? resource ?? path) does not exist (NoSuchKey)"
        case "BucketNotEmpty":
            return "bucket \(bucket) is not empty (BucketNotEmpty): nothing was deleted; empty it first, or set force_destroy = true"
        case "BucketAlreadyExists":
            return "bucket name \(bucket) is already taken (BucketAlreadyExists): names are shared by all Object Storage users; choose another name"
        case "BucketAlreadyOwnedByYou":
            return "a bucket named \(bucket) already exists in your account (BucketAlreadyOwnedByYou)"
        case "PreconditionFailed":
            return "the condition of the request was not met (PreconditionFailed): the object already exists or has changed"
        case "AccessDenied":
            return "access denied (AccessDenied)\(message.isEmpty || message == "Access Denied" ? "" : ": \(message)"); check the API key's "
                + "Object Storage permissions and the project (access_key@project_id)"
        case "PermanentRedirect":
            let region = fields["x-amz-bucket-region"].map { " (it is in \($0))" } ?? ""
            return "bucket \(bucket) is in another region\(region) (PermanentRedirect); set the bucket's region"
        default:
            return "\(code)\(message.isEmpty ? "" : ": \(message)")"
        }
    }

    public var description: String {
        var s = "\(method) \(path): \(status) \(explanation)"
        if let requestID, !requestID.isEmpty { s += " (request id \(requestID))" }
        if afterAmbiguousAttempt { s += " (after an attempt whose outcome is unknown)" }
        return s
    }
}

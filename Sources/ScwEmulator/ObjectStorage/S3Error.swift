// S3 errors as S3 shapes them (ENDPOINTS.md 0.4): a status and an XML body
// `<Error><Code/><Message/><RequestId/><HostId/><Resource/>[extra fields]</Error>`, application/xml.

import Foundation

struct S3Error: Error {
    let status: Int
    let code: String
    let message: String
    /// Fields after `Resource` (`BucketName`, `StringToSign`...), in order.
    var extra: [(String, String)] = []
    var headers: [(name: String, value: String)] = []

    init(_ status: Int, _ code: String, _ message: String, extra: [(String, String)] = [], headers: [(name: String, value: String)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
        self.headers = headers
    }

    /// The answer; HEAD answers carry no body (as S3 sends them), the server drops it anyway.
    func response(resource: String, requestID: String) -> HTTPResponse {
        var body = "<Error>" + XMLText.element("Code", code) + XMLText.element("Message", message)
            + XMLText.element("RequestId", requestID) + XMLText.element("HostId", requestID) + XMLText.element("Resource", resource)
        for (name, value) in extra { body += XMLText.element(name, value) }
        body += "</Error>"
        return HTTPResponse(status: status, headers: [("Content-Type", "application/xml")] + headers, body: Array(body.utf8))
    }

    // MARK: buckets and objects

    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error(404, "NoSuchBucket", "The specified bucket does not exist", extra: [("BucketName", bucket)])
    }

    static func noSuchKey(_ key: String, deleteMarker: String? = nil) -> S3Error {
        var e = S3Error(404, "NoSuchKey", "The specified key does not exist.", extra: [("Key", key)])
        if let deleteMarker { e.headers = [("x-amz-delete-marker", "true"), ("x-amz-version-id", deleteMarker)] }
        return e
    }

    static func noSuchVersion(_ key: String, _ version: String) -> S3Error {
        S3Error(404, "NoSuchVersion", "The specified version does not exist.", extra: [("Key", key), ("VersionId", version)])
    }

    static func invalidArgument(_ message: String, name: String, value: String) -> S3Error {
        S3Error(400, "InvalidArgument", message, extra: [("ArgumentName", name), ("ArgumentValue", value)])
    }

    static func malformedXML(_ detail: String) -> S3Error {
        S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema (\(detail)).")
    }

    static func notImplemented(_ what: String) -> S3Error {
        S3Error(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented (\(what)).")
    }

    static let accessDenied = S3Error(403, "AccessDenied", "Access Denied")
    static let preconditionFailed = S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                                            extra: [("Condition", "If-Match")])

    static func badDigest(_ what: String) -> S3Error {
        S3Error(400, "BadDigest", "The \(what) you specified did not match the calculated checksum.")
    }

    // MARK: injected faults (the pipeline's 429/5xx knob, S3 flavour)

    /// S3 throttles with 503 SlowDown, not 429: an injected 429 answers that on S3 requests.
    static func injected(status: Int) -> S3Error {
        switch status {
        case 429: return S3Error(503, "SlowDown", "Please reduce your request rate.")
        case 502: return S3Error(502, "BadGateway", "Bad gateway.")
        default: return S3Error(status, "ServiceUnavailable", "Please reduce your request rate.")
        }
    }

    /// `txg` + 20 hex, dash, 10 hex (the shape of Scaleway's request ids).
    static func newRequestID() -> String {
        let hex = Array("0123456789abcdef")
        let a = String((0..<20).map { _ in hex[Int.random(in: 0..<16)] })
        let b = String(format: "%010x", Int(Date().timeIntervalSince1970))
        return "txg\(a)-\(b)"
    }
}

// S3Error+Parse: builds an S3Error from an HTTP answer: the XML `<Error>` body when there is
// one, else the status; clock skew from `ServerTime` or the `Date` header.

extension S3Error {
    /// The error an answer of status 300 or more stands for.
    ///
    /// - Parameters:
    ///   - hasKey: the request named an object (a bodiless 404 is then `NoSuchKey`).
    ///   - now: local time in seconds since 1970 (for the clock skew).
    public init(response: HTTPResponse, method: String, path: String, hasKey: Bool, accessKey: String?, now: Double) {
        var code = ""
        var message = ""
        var fields: [String: String] = [:]
        if let root = try? S3XML.parse(response.body, what: "S3 error"), root.name == "Error" {
            for child in root.children { fields[child.name] = child.text }
            code = fields.removeValue(forKey: "Code") ?? ""
            message = fields.removeValue(forKey: "Message") ?? ""
        }
        if let region = response.header("x-amz-bucket-region") { fields["x-amz-bucket-region"] = region }
        if code.isEmpty {
            switch response.status {
            case 301, 307: code = "PermanentRedirect"
            case 304: code = "NotModified"
            case 403: code = "AccessDenied"
            case 404: code = hasKey ? "NoSuchKey" : "NoSuchBucket"
            case 409: code = "Conflict"
            case 412: code = "PreconditionFailed"
            case 429: code = "SlowDown"
            case 503: code = "ServiceUnavailable"
            case 501: code = "NotImplemented"
            default: code = response.status >= 500 ? "InternalError" : "HTTP\(response.status)"
            }
            if message.isEmpty, !response.body.isEmpty {
                message = APIError.summary(ofNonJSON: response.body, status: response.status)
            }
        }
        let resource = fields.removeValue(forKey: "Resource")
        let requestID = fields.removeValue(forKey: "RequestId") ?? response.header("x-amz-request-id")
        var skew: Double?
        if code == "RequestTimeTooSkewed" {
            if let server = fields["ServerTime"].flatMap(S3Time.parse) {
                skew = (fields["RequestTime"].flatMap(S3Time.parse) ?? now) - server
            } else if let server = response.header("date").flatMap(S3Time.parse) {
                skew = now - server
            }
        }
        self.init(code: code, message: message, status: response.status, resource: resource, requestID: requestID, method: method,
                  path: path, fields: fields, clockSkew: skew, accessKey: accessKey)
    }
}

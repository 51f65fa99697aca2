// S3Auth: AWS Signature Version 4 verification of S3 requests (Authorization header or presigned
// query): canonical request rebuilt from what was received, known keys, clock skew, payload hash.

import Foundation

/// Who sent a verified request, and what the streaming-payload check needs.
struct S3Identity: Sendable {
    /// The access key as signed (may carry `@<project_id>`); empty for an anonymous request.
    let accessKey: String
    let projectID: String
    /// The credential scope's region (the host's region for anonymous requests).
    let region: String
    let signingKey: [UInt8]
    let amzDate: String
    let scope: String
    let signature: String
    /// The x-amz-content-sha256 value (UNSIGNED-PAYLOAD for presigned requests).
    let payloadHash: String

    var isAnonymous: Bool { accessKey.isEmpty }
}

struct S3Auth: Sendable {
    /// access key (without `@<project_id>`) → its secret key, nil for a key unknown, deleted or expired.
    let secret: @Sendable (String) -> String?
    let defaultProjectID: String
    let maxSkewSeconds = 900

    static let algorithm = "AWS4-HMAC-SHA256"

    /// Verifies the request's signature; `hostRegion` is the region named by the Host, if any.
    func verify(_ request: HTTPRequest, hostRegion: String?, now: Int = Int(Date().timeIntervalSince1970)) throws -> S3Identity {
        let presigned = request.queryValue("X-Amz-Signature") != nil || request.queryValue("X-Amz-Algorithm") != nil
        guard let authorization = request.header("Authorization") else {
            if presigned { return try verifyPresigned(request, hostRegion: hostRegion, now: now) }
            return S3Identity(accessKey: "", projectID: "", region: hostRegion ?? "fr-par", signingKey: [], amzDate: "",
                              scope: "", signature: "", payloadHash: "UNSIGNED-PAYLOAD")
        }
        guard authorization.hasPrefix(S3Auth.algorithm + " ") else {
            throw S3Error(400, "InvalidRequest", "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst(S3Auth.algorithm.count + 1).split(separator: ",") {
            let kv = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else {
            throw malformed("the authorization header is missing Credential, SignedHeaders or Signature")
        }
        guard let amzDate = request.header("x-amz-date") else {
            throw S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
        }
        // AWS requires x-amz-content-sha256; Scaleway accepts requests signed without it (curl's
        // --aws-sigv4 before 8.x sends none): the canonical request then ends with the body's hash.
        let payloadHash = request.header("x-amz-content-sha256") ?? S3Crypto.hex(S3Crypto.sha256(request.body))
        let identity = try check(request, credential: credential, signedHeaders: signed, signature: signature,
                                 amzDate: amzDate, payloadHash: payloadHash, hostRegion: hostRegion, now: now, presigned: false)
        if payloadHash.count == 64, payloadHash.allSatisfy(\.isHexDigit) {
            let computed = S3Crypto.hex(S3Crypto.sha256(request.body))
            guard computed == payloadHash.lowercased() else {
                throw S3Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.",
                              extra: [("ClientComputedContentSHA256", payloadHash), ("S3ComputedContentSHA256", computed)])
            }
        } else if !S3Auth.knownPayloadHashes.contains(payloadHash) {
            throw S3Error(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a valid sha256 value.",
                          extra: [("ArgumentName", "x-amz-content-sha256"), ("ArgumentValue", payloadHash)])
        }
        return identity
    }

    static let knownPayloadHashes: Set<String> = [
        "UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    ]

    private func verifyPresigned(_ request: HTTPRequest, hostRegion: String?, now: Int) throws -> S3Identity {
        guard request.queryValue("X-Amz-Algorithm") == S3Auth.algorithm else {
            throw S3Error(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        guard let credential = request.queryValue("X-Amz-Credential"), let signed = request.queryValue("X-Amz-SignedHeaders"),
              let signature = request.queryValue("X-Amz-Signature"), let amzDate = request.queryValue("X-Amz-Date"),
              let expires = request.queryValue("X-Amz-Expires").flatMap({ Int($0) }), (1...604_800).contains(expires) else {
            throw S3Error(400, "AuthorizationQueryParametersError",
                          "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters (X-Amz-Expires 1 to 604800).")
        }
        let payloadHash = request.queryValue("X-Amz-Content-Sha256") ?? "UNSIGNED-PAYLOAD"
        let identity = try check(request, credential: credential, signedHeaders: signed, signature: signature,
                                 amzDate: amzDate, payloadHash: payloadHash, hostRegion: hostRegion, now: now, presigned: true)
        let signedAt = S3Time.parseAmzDate(amzDate) ?? 0
        if now > signedAt + expires {
            throw S3Error(403, "AccessDenied", "Request has expired",
                          extra: [("X-Amz-Expires", String(expires)), ("Expires", S3Time.amzDate(signedAt + expires)), ("ServerTime", S3Time.amzDate(now))])
        }
        return identity
    }

    private func malformed(_ message: String, region: String? = nil) -> S3Error {
        S3Error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; \(message)",
                extra: region.map { [("Region", $0)] } ?? [])
    }

    /// Scope, key, clock and signature checks shared by both forms.
    private func check(_ request: HTTPRequest, credential: String, signedHeaders: String, signature: String, amzDate: String,
                       payloadHash: String, hostRegion: String?, now: Int, presigned: Bool) throws -> S3Identity {
        let scopeParts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scopeParts.count == 5, scopeParts[4] == "aws4_request" else {
            throw malformed("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        let (accessKey, date, region, service) = (scopeParts[0], scopeParts[1], scopeParts[2], scopeParts[3])
        let keyID = accessKey.split(separator: "@", maxSplits: 1).first.map(String.init) ?? accessKey
        guard let secret = secret(keyID) else {
            throw S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
                          extra: [("AWSAccessKeyId", accessKey)])
        }
        var projectID = defaultProjectID
        if let at = accessKey.firstIndex(of: "@") {
            projectID = String(accessKey[accessKey.index(after: at)...])
            guard Clock.isUUID(projectID) else {
                throw S3Error(403, "InvalidAccessKeyId", "The project after @ in the access key must be a project ID (a UUID).",
                              extra: [("AWSAccessKeyId", accessKey)])
            }
        }
        guard Locality.regions.contains(region) else {
            throw malformed("the region '\(region)' is wrong; expecting one of '\(Locality.regions.joined(separator: "', '"))'", region: hostRegion ?? "fr-par")
        }
        if let hostRegion, hostRegion != region {
            throw malformed("the region '\(region)' is wrong; expecting '\(hostRegion)'", region: hostRegion)
        }
        guard service == "s3" else { throw malformed("incorrect service \"\(service)\". This endpoint belongs to \"s3\".") }
        guard let signedAt = S3Time.parseAmzDate(amzDate) else {
            throw S3Error(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header")
        }
        guard amzDate.hasPrefix(date) else { throw malformed("Invalid credential date. Date is not the same as X-Amz-Date.") }
        if abs(now - signedAt) > maxSkewSeconds && !(presigned && signedAt < now) {
            throw S3Error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
                          extra: [("RequestTime", amzDate), ("ServerTime", S3Time.amzDate(now)), ("MaxAllowedSkewMilliseconds", "900000")])
        }
        let headerNames = signedHeaders.split(separator: ";").map { String($0) }
        guard headerNames.contains("host") else { throw malformed("SignedHeaders must include host") }

        let canonical = S3Auth.canonicalRequest(request, signedHeaders: headerNames, payloadHash: payloadHash)
        let scope = "\(date)/\(region)/s3/aws4_request"
        let stringToSign = "\(S3Auth.algorithm)\n\(amzDate)\n\(scope)\n\(S3Crypto.hex(S3Crypto.sha256(Array(canonical.utf8))))"
        let key = S3Auth.signingKey(secret: secret, date: date, region: region)
        let expected = S3Crypto.hex(S3Crypto.hmacSHA256(key: key, Array(stringToSign.utf8)))
        guard expected == signature else {
            throw S3Error(403, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                          extra: [("AWSAccessKeyId", accessKey), ("StringToSign", stringToSign), ("SignatureProvided", signature),
                                  ("CanonicalRequest", canonical)])
        }
        return S3Identity(accessKey: accessKey, projectID: projectID, region: region, signingKey: key, amzDate: amzDate,
                          scope: scope, signature: signature, payloadHash: payloadHash)
    }

    static func signingKey(secret: String, date: String, region: String) -> [UInt8] {
        var key = S3Crypto.hmacSHA256(key: Array("AWS4\(secret)".utf8), Array(date.utf8))
        key = S3Crypto.hmacSHA256(key: key, Array(region.utf8))
        key = S3Crypto.hmacSHA256(key: key, Array("s3".utf8))
        return S3Crypto.hmacSHA256(key: key, Array("aws4_request".utf8))
    }

    /// METHOD, URI, query, headers, signed header list, payload hash (presigned: without X-Amz-Signature).
    static func canonicalRequest(_ request: HTTPRequest, signedHeaders: [String], payloadHash: String) -> String {
        let rawPath = String(request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        let path = HTTPRequest.percentDecode(rawPath, plusIsSpace: false)
        let uri = path.isEmpty ? "/" : uriEncode(path, keepSlash: true)
        var pairs: [(name: String, value: String)] = []
        for item in request.query where item.name != "X-Amz-Signature" {
            pairs.append((uriEncode(item.name, keepSlash: false), uriEncode(item.value, keepSlash: false)))
        }
        pairs.sort { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
            a.name != b.name ? a.name < b.name : a.value < b.value
        }
        let query = pairs.map { (p: (name: String, value: String)) -> String in p.name + "=" + p.value }.joined(separator: "&")
        var headers = ""
        for name in signedHeaders {
            let values = request.headers.filter { $0.name.lowercased() == name }.map { collapse($0.value) }
            headers += "\(name):\(values.joined(separator: ","))\n"
        }
        return "\(request.method)\n\(uri)\n\(query)\n\(headers)\n\(signedHeaders.joined(separator: ";"))\n\(payloadHash)"
    }

    private static func collapse(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// RFC 3986 encoding: unreserved bytes kept, every other byte as %XX (uppercase).
    static func uriEncode(_ s: String, keepSlash: Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in s.utf8 {
            let isLetter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            if isLetter || byte == 45 || byte == 95 || byte == 46 || byte == 126 || (keepSlash && byte == 47) {   // - _ . ~ /
                out.append(byte)
            } else {
                out += [37, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]   // %XX
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

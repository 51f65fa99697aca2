// S3Signer: AWS Signature Version 4 for S3, written from the spec: canonical request, string to
// sign, signing key, Authorization header. Checked against botocore's signer (S3SignerTests).

/// Signs S3 requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`).
///
/// Scaleway's signing region is the Scaleway region (`fr-par`); the service is `s3`. An access
/// key suffixed `@<project_id>` acts in that project: the suffix is part of the signed
/// credential. Never prints the secret key.
public struct S3Signer: Sendable, CustomStringConvertible {
    /// How the payload is hashed into the signature.
    public enum Payload: Sendable, Equatable {
        /// The SHA-256 of the body (of nothing when there is no body).
        case signed
        /// `UNSIGNED-PAYLOAD`: the body is not covered (TLS protects it).
        case unsigned
    }

    /// The result of signing: the headers to send and the intermediate strings (for tests and
    /// for debugging a `SignatureDoesNotMatch`; none of them holds the secret).
    public struct Signature: Sendable {
        /// The request's headers plus `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
        public var headers: [(String, String)]
        /// The `Authorization` header value.
        public var authorization: String
        /// The canonical request that was hashed (SigV4 step 1).
        public var canonicalRequest: String
        /// `AWS4-HMAC-SHA256`, date, scope and the canonical request's hash (step 2).
        public var stringToSign: String
        /// `x-amz-content-sha256`: the payload's hex SHA-256 or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String
    }

    /// Header names never signed (hop-by-hop, or changed by proxies), as botocore's list.
    public static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]
    /// The payload hash of an unsigned body.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of nothing.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The access key as signed (`SCW…` or `SCW…@<project_id>`).
    public var accessKey: String
    /// Never printed (``description`` leaves it out) and never part of a signed string.
    public var secretKey: String
    /// The signing region (a Scaleway region).
    public var region: String
    /// `s3`.
    public var service: String

    /// A signer for one access key and region.
    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    public var description: String { "S3Signer(\(accessKey), \(region)/\(service))" }

    /// Signs a request at `epochSeconds` (whole seconds since 1970, UTC).
    ///
    /// Every header given is signed except ``unsignedHeaderNames``; `host` is derived from the
    /// target. Headers named `x-amz-date`, `x-amz-content-sha256` or `authorization` in
    /// `headers` are replaced.
    public func sign(method: String, target: S3Target, headers: [(String, String)], body: [UInt8]?, payload: Payload = .signed,
                     epochSeconds: Int64) -> Signature {
        let amzDate = S3Time.amzDate(epochSeconds: epochSeconds)
        let payloadHash: String
        switch payload {
        case .unsigned: payloadHash = Self.unsignedPayload
        case .signed: payloadHash = (body?.isEmpty ?? true) ? Self.emptyPayloadHash : S3Hashing.sha256Hex(body ?? [])
        }
        let replaced: Set<String> = ["x-amz-date", "x-amz-content-sha256", "authorization"]
        var sent = headers.filter { !replaced.contains($0.0.lowercased()) }
        sent.append(("x-amz-date", amzDate))
        sent.append(("x-amz-content-sha256", payloadHash))

        // Canonical headers: lowercase names, sorted; values trimmed, inner runs of spaces
        // collapsed; repeated names joined by commas. Host from the target unless given.
        var byName: [String: [String]] = [:]
        for (name, value) in sent {
            let lower = name.lowercased().trimmingSpaces
            if Self.unsignedHeaderNames.contains(lower) { continue }
            byName[lower, default: []].append(Self.trimAll(value))
        }
        if byName["host"] == nil { byName["host"] = [target.hostHeader] }
        let names = byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [method.uppercased(), target.encodedPath, target.canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
            .joined(separator: "\n")
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, S3Hashing.sha256Hex(canonicalRequest)].joined(separator: "\n")
        let signature = S3Hashing.hex(S3Hashing.hmacSHA256(key: signingKey(day: day), Array(stringToSign.utf8)))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        sent.append(("Authorization", authorization))
        return Signature(headers: sent, authorization: authorization, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
                         payloadHash: payloadHash)
    }

    /// The signing key of a day (`YYYYMMDD`): HMAC chain over date, region, service, `aws4_request`.
    public func signingKey(day: String) -> [UInt8] {
        let kDate = S3Hashing.hmacSHA256(key: Array("AWS4\(secretKey)".utf8), Array(day.utf8))
        let kRegion = S3Hashing.hmacSHA256(key: kDate, Array(region.utf8))
        let kService = S3Hashing.hmacSHA256(key: kRegion, Array(service.utf8))
        return S3Hashing.hmacSHA256(key: kService, Array("aws4_request".utf8))
    }

    /// Trims the value and turns each run of spaces inside it into one space (SigV4 "Trimall").
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}

// S3Client: one authenticated entry point to Object Storage. Addresses a bucket (virtual-host
// or path style), signs every attempt with SigV4, retries what is safe to retry, and turns
// error answers into S3Error. The calls themselves are in S3Client+Buckets/+Objects.

import Foundation

/// Sends signed requests to Scaleway Object Storage (or another S3 server).
///
/// Addressing: virtual-host style by default (`https://BUCKET.s3.REGION.scw.cloud/KEY`); path
/// style (`ENDPOINT/BUCKET/KEY`) when asked, or by default when the config names an S3 endpoint
/// (`SCW_S3_ENDPOINT`); a bucket name with dots is always addressed path style over HTTPS (a
/// dotted host would not match the TLS certificate). The signing region is the bucket's region.
///
/// Retries: 429, 5xx other than 501, `SlowDown`/`RequestTimeout`/`InternalError`, and
/// connection failures, through the shared ``RetryLoop``; every S3 call made here is
/// idempotent. Each attempt is signed afresh. Safe to share between tasks. Errors thrown: ``S3Error``,
/// ``TransportError`` (retries exhausted), ``DecodeError`` (an answer that is not the expected
/// XML), `CancellationError`.
public final class S3Client: Sendable {
    /// Credentials (access and secret key), default project, and the S3 endpoint override.
    public let config: ScalewayConfig
    /// Where requests go.
    public let transport: any HTTPTransport
    /// When failed attempts are repeated.
    public let retry: RetryPolicy
    /// The `User-Agent` header (not signed).
    public let userAgent: String
    /// Per-attempt timeout in seconds.
    public let timeout: Double
    /// Path style (`ENDPOINT/BUCKET/KEY`) rather than virtual-host style.
    public let usePathStyle: Bool
    /// How payloads are signed (bodies here are small: signed by default).
    public let payloadSigning: S3Signer.Payload
    /// Debug hook: one line per attempt (method, bucket path, status, duration, attempt). Never
    /// headers or bodies.
    public let log: (@Sendable (String) -> Void)?
    /// The local time in seconds since 1970 (the signature's date).
    public let now: @Sendable () -> Double

    /// A client.
    ///
    /// - Parameters:
    ///   - usePathStyle: nil means path style exactly when `config.s3Endpoint` is set
    ///     (`s3_use_path_style` overrides it either way).
    ///   - now: the clock the signatures use (tests skew it).
    public init(config: ScalewayConfig, transport: any HTTPTransport, retry: RetryPolicy = .default,
                userAgent: String = ScalewayClient.defaultUserAgent, timeout: Double = 60, usePathStyle: Bool? = nil,
                payloadSigning: S3Signer.Payload = .signed, log: (@Sendable (String) -> Void)? = nil,
                now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.config = config
        self.transport = transport
        self.retry = retry
        self.userAgent = userAgent
        self.timeout = timeout
        self.usePathStyle = usePathStyle ?? (config.s3Endpoint.map { !$0.isEmpty } ?? false)
        self.payloadSigning = payloadSigning
        self.log = log
        self.now = now
    }

    // MARK: addressing

    /// The regional endpoint: `https://s3.REGION.scw.cloud`.
    public static func regionalEndpoint(_ region: String) -> String { "https://s3.\(region).scw.cloud" }

    /// Where a request on `bucket` (and `key`, if any) goes. The bucket's own requests use the
    /// path `/` (virtual host) or `/BUCKET/` (path style).
    public func target(_ bucket: S3Bucket, key: String? = nil, query: [(String, String)] = []) -> S3Target {
        let base = Endpoint(parsing: config.s3Endpoint.flatMap { $0.isEmpty ? nil : $0 } ?? Self.regionalEndpoint(bucket.region))
        let objectPath = "/" + (key ?? "")
        let dotted = bucket.name.contains(".") && base.scheme == "https"
        if usePathStyle || dotted {
            return S3Target(scheme: base.scheme, host: base.host, path: base.path + "/" + bucket.name + objectPath, query: query)
        }
        return S3Target(scheme: base.scheme, host: bucket.name + "." + base.host, path: base.path + objectPath, query: query)
    }

    /// The access key requests on `bucket` are signed with: `access_key@project_id` when the
    /// bucket names a project (and the key carries none yet).
    public func accessKey(for bucket: S3Bucket) -> String {
        guard let project = bucket.projectID, !project.isEmpty, !config.accessKey.contains("@") else { return config.accessKey }
        return config.accessKey + "@" + project
    }

    /// Whether CreateBucket must say the region in its body: when the host does not (a
    /// configured endpoint, or path style).
    func needsLocationConstraint(_ bucket: S3Bucket) -> Bool {
        usePathStyle || (config.s3Endpoint.map { !$0.isEmpty } ?? false) || bucket.name.contains(".")
    }

    // MARK: sending

    /// Sends a signed request and returns the answer when its status is below 300.
    ///
    /// - Parameters:
    ///   - key: the object key (raw, unencoded), nil for the bucket itself.
    ///   - query: raw query items (`("acl", "")`); encoded and signed here.
    ///   - headers: extra headers (all signed, except `User-Agent` and hop-by-hop ones).
    ///   - idempotent: whether 5xx answers and lost answers may be retried (every S3 call here is).
    public func send(_ method: String, _ bucket: S3Bucket, key: String? = nil, query: [(String, String)] = [],
                     headers: [(String, String)] = [], body: [UInt8]? = nil, idempotent: Bool = true) async throws -> HTTPResponse {
        let method = method.uppercased()
        let target = target(bucket, key: key, query: query)
        let signer = S3Signer(accessKey: accessKey(for: bucket), secretKey: config.secretKey, region: bucket.region)
        let display = "/\(bucket.name)/\(key ?? "")" + (query.isEmpty ? "" : "?" + query.map { $0.0 }.joined(separator: "&"))
        let hasKey = key.map { !$0.isEmpty } ?? false
        return try await RetryLoop(policy: retry, log: log).run(
            method: method, path: display, idempotent: idempotent, transport: transport,
            request: { _ in
                let signed = signer.sign(method: method, target: target, headers: [("User-Agent", userAgent)] + headers, body: body,
                                         payload: payloadSigning, epochSeconds: Int64(now().rounded(.down)))
                return HTTPRequest(method: method, url: target.url, headers: signed.headers, body: body, timeout: timeout)
            },
            readError: { response, afterAmbiguous in
                var error = S3Error(response: response, method: method, path: display, hasKey: hasKey, accessKey: signer.accessKey, now: now())
                error.afterAmbiguousAttempt = afterAmbiguous
                return .init(error: error, transient: error.isRetryable, mayHaveActed: error.code == "RequestTimeout")
            })
    }

    /// Sends an XML body (with `Content-Type` and `Content-MD5`, which S3 requires for some
    /// configuration calls) and parses the XML answer, nil when the answer has no body.
    func sendXML(_ method: String, _ bucket: S3Bucket, key: String? = nil, query: [(String, String)], body: S3XMLNode? = nil,
                 headers: [(String, String)] = [], idempotent: Bool = true) async throws -> S3XMLNode? {
        var all = headers
        var bytes: [UInt8]?
        if let body {
            bytes = Array(body.xml.utf8)
            all += [("Content-Type", "application/xml"), ("Content-MD5", S3Hashing.contentMD5(bytes ?? []))]
        }
        let response = try await send(method, bucket, key: key, query: query, headers: all, body: bytes, idempotent: idempotent)
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        return try S3XML.parse(response.body, what: "\(method) /\(bucket.name)/?\(query.first?.0 ?? "") answer")
    }

    /// A configured endpoint split into scheme, host (with port) and base path.
    struct Endpoint {
        var scheme: String
        var host: String
        var path: String

        init(parsing text: String) {
            var rest = Substring(text.trimmingSpaces)
            if let r = rest.range(of: "://") {
                scheme = rest[..<r.lowerBound].lowercased()
                rest = rest[r.upperBound...]
            } else {
                scheme = "https"
            }
            if let slash = rest.firstIndex(of: "/") {
                host = String(rest[..<slash])
                var p = String(rest[slash...])
                while p.hasSuffix("/") { p.removeLast() }
                path = p
            } else {
                host = String(rest)
                path = ""
            }
        }
    }
}

// ScalewayClient: one authenticated entry point to Scaleway's JSON APIs. Builds the request
// (URL, X-Auth-Token, User-Agent, JSON body), sends it through the RetryLoop, and turns answers into
// Values or typed errors. Service files (VPCAPI.swift, ...) are thin layers over `call`.

import ScwCore

/// Sends requests to the Scaleway API named by a ``ScalewayConfig``.
///
/// Safe to share between tasks. Errors thrown: ``APIError`` (an HTTP error answer),
/// ``TransportError`` (retries exhausted), ``AmbiguousWriteError`` (a POST whose outcome is
/// unknown: never re-sent), ``DecodeError`` (a success answer that is not JSON),
/// `CancellationError`.
public final class ScalewayClient: Sendable {
    /// The version in the default User-Agent.
    public static let version = "0.1.0"
    /// `scwlua/<version>`.
    public static let defaultUserAgent = "scwlua/\(version)"

    /// Credentials, defaults and the API URL.
    public let config: ScalewayConfig
    /// Where requests go (``CurlTransport`` in production).
    public let transport: any HTTPTransport
    /// When failed attempts are repeated.
    public let retry: RetryPolicy
    /// The `User-Agent` header.
    public let userAgent: String
    /// Per-attempt timeout in seconds.
    public let timeout: Double
    /// Debug hook: one line per attempt (method, path, status or failure, duration, attempt).
    /// Never headers, never bodies.
    public let log: (@Sendable (String) -> Void)?

    /// A client; `timeout` is per attempt, in seconds.
    public init(config: ScalewayConfig, transport: any HTTPTransport, retry: RetryPolicy = .default,
                userAgent: String = ScalewayClient.defaultUserAgent, timeout: Double = 60,
                log: (@Sendable (String) -> Void)? = nil) {
        self.config = config
        self.transport = transport
        self.retry = retry
        self.userAgent = userAgent
        self.timeout = timeout
        self.log = log
    }

    /// Calls a JSON API and decodes the answer (an empty body gives `.null`).
    ///
    /// - Parameters:
    ///   - path: the path after the API URL, e.g. `/vpc/v2/regions/fr-par/vpcs`.
    ///   - query: query items, in order; repeat a name for a list (`tags=a&tags=b`).
    ///   - body: sent as JSON with secrets revealed; nil sends no body.
    ///   - idempotent: overrides the method's default for retries (a POST action that is safe
    ///     to repeat, say).
    public func call(_ method: String, _ path: String, query: [(String, String)] = [], body: Value? = nil,
                     idempotent: Bool? = nil) async throws -> Value {
        var bytes: [UInt8]?
        if let body {
            let plain = body.revealed
            guard plain.isPlain else {
                throw Diagnostic("the request body still holds a value that is not known yet", at: .apiField("\(method) \(path)"))
            }
            bytes = Array(JSON.encode(plain).utf8)
        }
        let response = try await callRaw(method, path, query: query, body: bytes, contentType: body == nil ? nil : "application/json",
                                         headers: [("Accept", "application/json")], idempotent: idempotent)
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .null }
        do {
            return try JSON.decode(bytes: response.body)
        } catch {
            throw DecodeError(what: "\(method) \(path) answer", field: nil, problem: "the body is not JSON (\(error)): \(APIError.summary(ofNonJSON: response.body, status: response.status))")
        }
    }

    /// Calls an API and returns the raw answer (for text bodies, or headers such as
    /// `X-Total-Count`). Statuses of 300 and above throw ``APIError``.
    public func callRaw(_ method: String, _ path: String, query: [(String, String)] = [], body: [UInt8]? = nil,
                        contentType: String? = nil, headers: [(String, String)] = [],
                        idempotent: Bool? = nil) async throws -> HTTPResponse {
        let method = method.uppercased()
        var allHeaders: [(String, String)] = [
            ("X-Auth-Token", config.secretKey),
            ("User-Agent", userAgent),
        ]
        if let contentType { allHeaders.append(("Content-Type", contentType)) }
        allHeaders += headers
        let request = HTTPRequest(method: method, url: url(path, query: query), headers: allHeaders, body: body, timeout: timeout)
        return try await send(request, path: pathOnly(path), idempotent: idempotent ?? RetryPolicy.isIdempotent(method))
    }

    /// The full URL for a path and query.
    public func url(_ path: String, query: [(String, String)] = []) -> String {
        var base = config.apiURL
        while base.hasSuffix("/") { base.removeLast() }
        var url = base + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty {
            url += (url.contains("?") ? "&" : "?") + query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    private func send(_ request: HTTPRequest, path: String, idempotent: Bool) async throws -> HTTPResponse {
        try await RetryLoop(policy: retry, log: log).run(
            method: request.method, path: path, idempotent: idempotent, transport: transport,
            request: { _ in request },
            readError: { response, _ in
                .init(error: APIError(status: response.status, body: response.body, method: request.method, path: path, headers: response.headers))
            })
    }

    private func pathOnly(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : "/" + path
        return p.firstIndex(of: "?").map { String(p[..<$0]) } ?? p
    }
}

/// RFC 3986 percent-encoding of everything but unreserved characters.
func percentEncode(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF")
            out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
        }
    }
    return out
}

// HTTPTransport: the seam between the API client and the wire. A request, a response, the
// protocol that sends one, and the transport failures (classified by whether a retry is safe).

/// One HTTP request, fully formed (absolute URL, headers, body).
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`.
    public var method: String
    /// Absolute URL, query string included.
    public var url: String
    /// Header lines in order; names as given.
    public var headers: [(String, String)]
    /// The body bytes, or nil for none.
    public var body: [UInt8]?
    /// Whole-request timeout in seconds (connect, send and receive).
    public var timeout: Double

    /// A request; `timeout` in seconds.
    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Double = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.0.lowercased() == lower }?.1
    }
}

/// A complete HTTP answer, whatever its status.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Header values by lowercased name; repeated headers are joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    /// A response; header names are lowercased.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, b in a + ", " + b })
        self.body = body
    }

    /// The header with this name (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Sends HTTP requests. Implementations must allow many concurrent `send` calls.
///
/// An HTTP error status is not a thrown error: it comes back as a response. Only failures to
/// get a complete answer throw, as ``TransportError`` (or `CancellationError`).
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// Why no complete HTTP answer was received. The case tells whether the request may have
/// reached the server, which decides whether a non-idempotent request can be retried.
public enum TransportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The request never left: name resolution, connection or TLS handshake failed. Safe to
    /// retry whatever the method.
    case notSent(String)
    /// The request was (or may have been) sent but no complete answer came back (connection
    /// reset, closed early, malformed answer). A write may or may not have happened.
    case noAnswer(String)
    /// The request timed out after it was sent; a write may or may not have happened.
    case timeout(String)

    /// What happened, without advice: `no answer: <libcurl's words>`.
    public var reason: String {
        switch self {
        case .notSent(let m): return "not sent: \(m)"
        case .noAnswer(let m): return "no answer: \(m)"
        case .timeout(let m): return "timed out: \(m)"
        }
    }

    public var description: String {
        switch self {
        case .notSent(let m): return "request not sent: \(m)"
        case .noAnswer(let m): return "no answer: \(m) (the request may have been processed)"
        case .timeout(let m): return "timed out: \(m) (the request may have been processed)"
        }
    }
}

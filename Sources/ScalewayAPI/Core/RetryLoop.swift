// RetryLoop: the one attempt loop both clients (ScalewayClient, S3Client) send through. It
// rebuilds the request for each attempt (S3 signs each one afresh), logs one line per attempt,
// waits by the RetryPolicy (full jitter, Retry-After honoured and capped), stops on
// cancellation, and never re-sends a non-idempotent request whose outcome is unknown.

/// Sends one logical request, attempt after attempt, by a ``RetryPolicy``.
///
/// Rules (the same for every client):
/// - 429 is retried for every method; 5xx other than 501 only for idempotent requests, as is
///   an error answer the client calls transient (``ErrorAnswer/transient``, e.g. S3's
///   `SlowDown` sent as a 400).
/// - ``TransportError/notSent(_:)`` is retried for every method; no answer and timeouts only
///   for idempotent requests.
/// - A non-idempotent request that got a 5xx (not 501), no answer or a timeout is not re-sent:
///   ``AmbiguousWriteError`` is thrown.
/// - After an attempt that the server may have acted on (a 5xx, no answer, a timeout, or an
///   answer the client marks ``ErrorAnswer/mayHaveActed``), later error answers are built with
///   `afterAmbiguousAttempt: true` (a 409/412 may then be our own earlier write).
/// - Cancellation of the calling task stops the loop before the next attempt and during a wait.
public struct RetryLoop: Sendable {
    /// An error answer (status 300 or above) as the client reads it.
    public struct ErrorAnswer: Sendable {
        /// Thrown when the answer is final.
        public var error: any Error & Sendable
        /// Worth another try although the status alone would not say so (idempotent requests only).
        public var transient: Bool
        /// The server may have acted on the request despite the error answer.
        public var mayHaveActed: Bool

        public init(error: any Error & Sendable, transient: Bool = false, mayHaveActed: Bool = false) {
            self.error = error
            self.transient = transient
            self.mayHaveActed = mayHaveActed
        }
    }

    /// When to try again and how long to wait.
    public var policy: RetryPolicy
    /// One line per attempt (method, path, status or failure, duration, attempt number).
    public var log: (@Sendable (String) -> Void)?
    /// Waits between attempts, in seconds; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Double) async throws -> Void

    public init(policy: RetryPolicy, log: (@Sendable (String) -> Void)? = nil,
                sleep: @escaping @Sendable (Double) async throws -> Void = RetryLoop.taskSleep) {
        self.policy = policy
        self.log = log
        self.sleep = sleep
    }

    /// `Task.sleep` for a number of seconds (nothing for zero, negative or NaN).
    public static let taskSleep: @Sendable (Double) async throws -> Void = { seconds in
        guard seconds > 0 else { return }  // NaN fails `> 0`
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1_000_000_000))
    }

    /// Sends the request until it gets an answer below 300, or a final error.
    ///
    /// - Parameters:
    ///   - method: the HTTP method, for the log and ``AmbiguousWriteError``.
    ///   - path: what the log and errors name (no host, no secrets).
    ///   - idempotent: whether sending twice has the effect of sending once.
    ///   - transport: where attempts go.
    ///   - request: builds attempt `n` (from 1); called once per attempt, just before it is sent.
    ///   - readError: reads an answer of 300 or above; its Bool says whether an earlier attempt
    ///     may have been acted on.
    public func run(method: String, path: String, idempotent: Bool, transport: any HTTPTransport,
                    request: (_ attempt: Int) throws -> HTTPRequest,
                    readError: (_ response: HTTPResponse, _ afterAmbiguousAttempt: Bool) -> ErrorAnswer) async throws -> HTTPResponse {
        let clock = ContinuousClock()
        var attempt = 0
        var ambiguous = false
        while true {
            try Task.checkCancellation()
            attempt += 1
            let built = try request(attempt)
            let started = clock.now
            let outcome: Result<HTTPResponse, TransportError>
            do {
                outcome = .success(try await transport.send(built))
            } catch let error as TransportError {
                outcome = .failure(error)
            }
            let ms = (clock.now - started).milliseconds
            let canRetry = attempt < policy.maxAttempts
            let shown = Self.host(of: built.url) + path   // the host of every call: where it went is half of debugging it
            switch outcome {
            case .success(let response):
                log?("\(method) \(shown) → \(response.status) (\(ms) ms, attempt \(attempt))")
                if response.status < 300 { return response }
                let answer = readError(response, ambiguous)
                let retryable = RetryPolicy.isRetryable(status: response.status, idempotent: idempotent) || (idempotent && answer.transient)
                if canRetry, retryable {
                    if response.status >= 500 || answer.mayHaveActed { ambiguous = true }
                    try await sleep(policy.delay(afterAttempt: attempt, retryAfter: Self.retryAfter(response)))
                    continue
                }
                if !idempotent, response.status >= 500, response.status != 501 {
                    throw AmbiguousWriteError(method: method, path: path, underlying: answer.error)
                }
                throw answer.error
            case .failure(let error):
                log?("\(method) \(shown) → \(error.shortName) (\(ms) ms, attempt \(attempt))")
                switch error {
                case .notSent(let why):
                    if canRetry { try await sleep(policy.delay(afterAttempt: attempt)); continue }
                    // `notSent` promises that no attempt reached the server; after one that may have, it cannot.
                    if ambiguous { throw TransportError.noAnswer("\(why) (an earlier attempt got no answer and may have been processed)") }
                case .noAnswer, .timeout:
                    if !idempotent { throw AmbiguousWriteError(method: method, path: path, underlying: error) }
                    ambiguous = true
                    if canRetry { try await sleep(policy.delay(afterAttempt: attempt)); continue }
                }
                throw error
            }
        }
    }

    /// `host[:port]` of an absolute URL (no scheme, path or credentials), for log lines.
    static func host(of url: String) -> String {
        guard let rest = url.range(of: "://").map({ url[$0.upperBound...] }) else { return "" }
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        return String(authority.split(separator: "@").last ?? "")
    }

    /// `Retry-After` in seconds (the delta-seconds form; an HTTP date is ignored).
    static func retryAfter(_ response: HTTPResponse) -> Double? {
        response.header("retry-after").flatMap { Double($0.trimmingSpaces) }
    }
}

extension TransportError {
    /// `not sent`, `no answer`, `timeout`: for log lines.
    var shortName: String {
        switch self {
        case .notSent: return "not sent"
        case .noAnswer: return "no answer"
        case .timeout: return "timeout"
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}

// RetryPolicy: when and how long to wait before sending a request again. Full-jitter
// exponential backoff, Retry-After honoured, and the rule that an ambiguous write (a POST that
// got a 5xx, no answer or a timeout) is never re-sent blindly.

/// How ``ScalewayClient`` retries.
///
/// Retried for every method: 429, and transport errors where the request was not sent
/// (``TransportError/notSent(_:)``). Retried only for idempotent methods (GET, HEAD, PUT,
/// PATCH, DELETE): 5xx other than 501, no answer, timeouts. A POST that meets one of those
/// throws ``AmbiguousWriteError`` instead: the caller must look for what it created first.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Backoff base in seconds: attempt n waits a random time in [0, min(cap, base·2ⁿ⁻¹)].
    public var baseDelay: Double
    /// Longest backoff in seconds.
    public var maxDelay: Double
    /// Longest `Retry-After` honoured, in seconds (longer asks are cut to this).
    public var maxRetryAfter: Double

    /// Delays in seconds; `maxAttempts` below 1 counts as 1.
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// 5 attempts, 0.5 s base, 30 s cap.
    public static let `default` = RetryPolicy()
    /// Millisecond delays for tests: 8 attempts, 2 ms base, 20 ms cap, Retry-After cut to 20 ms.
    public static let testing = RetryPolicy(maxAttempts: 8, baseDelay: 0.002, maxDelay: 0.02, maxRetryAfter: 0.02)
    /// One attempt only.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Methods that may be sent twice with the same effect.
    public static func isIdempotent(_ method: String) -> Bool {
        ["GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"].contains(method.uppercased())
    }

    /// Statuses worth another try; `idempotent` allows the 5xx ones.
    public static func isRetryable(status: Int, idempotent: Bool) -> Bool {
        if status == 429 { return true }
        return idempotent && status >= 500 && status <= 599 && status != 501
    }

    /// Seconds to wait before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double? = nil) -> Double {
        if let retryAfter, retryAfter > 0 { return min(retryAfter, maxRetryAfter) }
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let ceiling = min(maxDelay, baseDelay * pow2(exponent), 86_400)
        return ceiling > 0 ? Double.random(in: 0...ceiling) : 0  // NaN fails `> 0`
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        for _ in 0..<Int(e) { r *= 2 }
        return r
    }
}

/// A write whose outcome is unknown: a non-idempotent request (POST) was sent, and the answer
/// was a 5xx, nothing, or a timeout. It was not re-sent. The resource may or may not exist:
/// look it up (by its ownership tags) before creating it again.
public struct AmbiguousWriteError: Error, CustomStringConvertible, Sendable {
    /// The request whose outcome is unknown.
    public var method: String
    public var path: String
    /// The ``APIError`` (5xx) or ``TransportError`` that made it ambiguous.
    public var underlying: any Error & Sendable

    /// `path` is the request path without host or query.
    public init(method: String, path: String, underlying: any Error & Sendable) {
        self.method = method
        self.path = path
        self.underlying = underlying
    }

    public var description: String {
        let cause = (underlying as? APIError)?.explanation ?? (underlying as? TransportError)?.reason ?? String(describing: underlying)
        return "\(method) \(path): outcome unknown, not re-sent (\(cause)); the resource may have been created"
    }
}

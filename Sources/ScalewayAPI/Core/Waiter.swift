// Waiter: polling until a resource settles. Backoff with jitter between polls, a deadline,
// and errors that say what was awaited and the last status seen.

/// One poll's verdict.
public enum WaitStep<T> {
    /// Finished; the value is returned by ``Waiter/poll(timeout:initialInterval:maxInterval:what:isolation:_:)``.
    case done(T)
    /// Not yet; the status is remembered for the timeout message.
    case pending(String)
    /// A failure state (`error`, `locked`): the wait ends with ``WaitError/failed``.
    case failed(String)
}

/// Why a wait ended without a result.
public enum WaitError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The deadline passed: seconds waited, what, last status.
    case timedOut(after: Double, what: String, lastStatus: String?)
    /// The resource reached a failure state.
    case failed(what: String, status: String)

    public var description: String {
        switch self {
        case .timedOut(let after, let what, let last):
            return "timed out after \(Waiter.format(seconds: after)) waiting for \(what) (last status: \(last ?? "none"))"
        case .failed(let what, let status):
            return "\(what) failed: it reached status \(status)"
        }
    }
}

/// Polls with backoff until done, failed or out of time.
public enum Waiter {
    /// Calls `step` until it returns `.done` (returned) or `.failed` (throws
    /// ``WaitError/failed``); errors thrown by `step` end the wait as they are.
    ///
    /// Between polls it sleeps `initialInterval`, growing by half each time up to
    /// `maxInterval`, each sleep jittered by ±20% and cut to the time left. After `timeout`
    /// seconds it throws ``WaitError/timedOut``. Runs on the caller's actor.
    public static func poll<T>(timeout: Double, initialInterval: Double, maxInterval: Double, what: String,
                               isolation: isolated (any Actor)? = #isolation,
                               _ step: () async throws -> WaitStep<T>) async throws -> T {
        let clock = ContinuousClock()
        let bounded = timeout.isNaN ? 0 : min(max(0, timeout), 365 * 86_400)  // infinity: a year
        let deadline = clock.now + .nanoseconds(Int64(bounded * 1e9))
        var interval = initialInterval.isFinite ? max(0.001, initialInterval) : 1
        var last: String?
        while true {
            switch try await step() {
            case .done(let value): return value
            case .failed(let status): throw WaitError.failed(what: what, status: status)
            case .pending(let status): last = status
            }
            let left = clock.now.duration(to: deadline)
            if left <= .zero { throw WaitError.timedOut(after: timeout, what: what, lastStatus: last) }
            let leftSeconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            let sleep = min(leftSeconds, 3_600, interval * Double.random(in: 0.8...1.2))
            try await Task.sleep(nanoseconds: UInt64(max(0, sleep) * 1e9))
            interval = min(max(maxInterval, initialInterval), interval * 1.5)
        }
    }

    /// `5m`, `1m30s`, `45s`, `1.5s`, `250ms`.
    public static func format(seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 10, seconds != seconds.rounded() {
            return "\((seconds * 10).rounded() / 10)s"
        }
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }
}

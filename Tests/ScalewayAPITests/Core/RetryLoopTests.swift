// RetryLoopTests: the shared attempt loop, tested once and directly (both clients send through
// it): attempts per status and method, lost answers on writes, Retry-After and its cap, the
// per-attempt rebuild hook, the "after an ambiguous attempt" flag, cancellation and the log.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class RetryLoopTests: XCTestCase {
    /// Waits recorded instead of slept.
    final class Sleeps: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Double] = []
        func add(_ s: Double) { lock.withLock { values.append(s) } }
        var all: [Double] { lock.withLock { values } }
    }

    struct Marker: Error, Equatable { var status: Int }

    private let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.25, maxDelay: 1, maxRetryAfter: 2)

    private func loop(_ sleeps: Sleeps = Sleeps(), log: (@Sendable (String) -> Void)? = nil, policy: RetryPolicy? = nil) -> RetryLoop {
        RetryLoop(policy: policy ?? self.policy, log: log, sleep: { sleeps.add($0) })
    }

    /// Runs the loop over a script; returns the attempts made and what was thrown, if anything.
    private func run(_ script: [ScriptedTransport.Outcome], method: String, idempotent: Bool? = nil, transient: Bool = false,
                     sleeps: Sleeps = Sleeps()) async -> (attempts: Int, error: (any Error)?) {
        let t = ScriptedTransport(script)
        do {
            _ = try await loop(sleeps).run(
                method: method, path: "/p", idempotent: idempotent ?? RetryPolicy.isIdempotent(method), transport: t,
                request: { _ in HTTPRequest(method: method, url: "http://127.0.0.1:1/p") },
                readError: { r, _ in .init(error: Marker(status: r.status), transient: transient) })
            return (t.count, nil)
        } catch {
            return (t.count, error)
        }
    }

    func testAttemptsPerStatusAndMethod() async {
        // (status, method, attempts) with the status answered every time and 4 attempts allowed.
        let table: [(Int, String, Int)] = [
            (429, "GET", 4), (429, "POST", 4), (429, "DELETE", 4),
            (500, "GET", 4), (502, "PUT", 4), (503, "PATCH", 4), (504, "DELETE", 4), (503, "HEAD", 4),
            (500, "POST", 1), (503, "POST", 1),
            (501, "GET", 1), (501, "POST", 1),
            (400, "GET", 1), (404, "DELETE", 1), (409, "POST", 1), (412, "PUT", 1),
        ]
        for (status, method, expected) in table {
            let (attempts, error) = await run([.answer(status, "", [:])], method: method)
            XCTAssertEqual(attempts, expected, "\(status) \(method)")
            XCTAssertNotNil(error, "\(status) \(method)")
        }
    }

    func testFinalErrorIsTheClientsErrorOrAmbiguousForWrites() async {
        let get = await run([.answer(503, "", [:])], method: "GET")
        XCTAssertEqual(get.error as? Marker, Marker(status: 503))
        let post = await run([.answer(503, "", [:]), .answer(200, "", [:])], method: "POST")
        let ambiguous = post.error as? AmbiguousWriteError
        XCTAssertEqual(post.attempts, 1, "an ambiguous POST is never re-sent")
        XCTAssertEqual(ambiguous?.method, "POST")
        XCTAssertEqual(ambiguous?.path, "/p")
        XCTAssertEqual(ambiguous?.underlying as? Marker, Marker(status: 503))
        let notImplemented = await run([.answer(501, "", [:])], method: "POST")
        XCTAssertEqual(notImplemented.error as? Marker, Marker(status: 501), "501 is a plain error, not an ambiguous write")
    }

    func testIdempotentOverrideAllowsRetryingAPOST() async {
        let (attempts, error) = await run([.answer(503, "", [:]), .answer(200, "", [:])], method: "POST", idempotent: true)
        XCTAssertEqual(attempts, 2)
        XCTAssertNil(error)
    }

    func testTransientErrorAnswersRetriedOnlyWhenIdempotent() async {
        let get = await run([.answer(400, "", [:]), .answer(200, "", [:])], method: "GET", transient: true)
        XCTAssertEqual(get.attempts, 2)
        XCTAssertNil(get.error)
        let post = await run([.answer(400, "", [:]), .answer(200, "", [:])], method: "POST", transient: true)
        XCTAssertEqual(post.attempts, 1)
        XCTAssertEqual(post.error as? Marker, Marker(status: 400))
    }

    func testTransportFailures() async {
        let notSent = await run([.fail(.notSent("refused"))], method: "POST")
        XCTAssertEqual(notSent.attempts, 4, "a request that never left may be sent again, whatever the method")
        XCTAssertEqual(notSent.error as? TransportError, .notSent("refused"))
        for failure in [TransportError.noAnswer("reset"), .timeout("slow")] {
            let get = await run([.fail(failure)], method: "GET")
            XCTAssertEqual(get.attempts, 4, "\(failure)")
            XCTAssertEqual(get.error as? TransportError, failure)
            let post = await run([.fail(failure), .answer(200, "", [:])], method: "POST")
            XCTAssertEqual(post.attempts, 1, "\(failure): a POST without answer is never re-sent")
            XCTAssertEqual((post.error as? AmbiguousWriteError)?.underlying as? TransportError, failure)
        }
    }

    func testRetryAfterHonouredAndCapped() async {
        let sleeps = Sleeps()
        let script: [ScriptedTransport.Outcome] = [
            .answer(429, "", ["Retry-After": "1.5"]), .answer(429, "", ["Retry-After": "600"]), .answer(503, "", ["retry-after": " 0.5 "]),
            .answer(200, "", [:]),
        ]
        let (attempts, error) = await run(script, method: "GET", sleeps: sleeps)
        XCTAssertNil(error)
        XCTAssertEqual(attempts, 4)
        XCTAssertEqual(sleeps.all, [1.5, 2, 0.5], "Retry-After waited as asked, cut to maxRetryAfter (2 s)")
    }

    func testBackoffWithoutRetryAfterIsFullJitterBounded() async {
        for _ in 0..<20 {
            let sleeps = Sleeps()
            _ = await run([.answer(503, "", [:])], method: "GET", sleeps: sleeps)
            XCTAssertEqual(sleeps.all.count, 3, "no wait after the last attempt")
            for (i, s) in sleeps.all.enumerated() {
                XCTAssertGreaterThanOrEqual(s, 0)
                XCTAssertLessThanOrEqual(s, min(1, 0.25 * pow(2, Double(i))))
            }
        }
    }

    func testRequestRebuiltOncePerAttemptAndThatRequestIsSent() async throws {
        let t = ScriptedTransport([.answer(503, "", [:]), .fail(.notSent("x")), .answer(429, "", [:]), .answer(200, "done", [:])])
        let built = LogLines()
        let response = try await loop().run(
            method: "PUT", path: "/p", idempotent: true, transport: t,
            request: { attempt in
                built.add("\(attempt)")
                return HTTPRequest(method: "PUT", url: "http://127.0.0.1:1/p", headers: [("X-Signed-For", "attempt \(attempt)")])
            },
            readError: { r, _ in .init(error: Marker(status: r.status)) })
        XCTAssertEqual(response.bodyText, "done")
        XCTAssertEqual(built.all, ["1", "2", "3", "4"])
        XCTAssertEqual(t.requests.map { $0.header("X-Signed-For") }, ["attempt 1", "attempt 2", "attempt 3", "attempt 4"])
    }

    func testAfterAmbiguousAttemptFlag() async {
        // (script before the final 412, whether the 412 comes after an attempt the server may have acted on)
        let cases: [([ScriptedTransport.Outcome], Bool, String)] = [
            ([], false, "first attempt"),
            ([.answer(429, "", [:])], false, "a 429 was not acted on"),
            ([.fail(.notSent("x"))], false, "not sent"),
            ([.answer(503, "", [:])], true, "a 5xx may have been acted on"),
            ([.fail(.noAnswer("x"))], true, "no answer"),
            ([.fail(.timeout("x"))], true, "timeout"),
            ([.answer(400, "timeout", [:])], true, "the client says the server may have acted"),
        ]
        for (before, expected, why) in cases {
            let t = ScriptedTransport(before + [.answer(412, "", [:])])
            let seen = LogLines()
            _ = try? await loop().run(
                method: "PUT", path: "/p", idempotent: true, transport: t,
                request: { _ in HTTPRequest(method: "PUT", url: "http://127.0.0.1:1/p") },
                readError: { r, after in
                    if r.status == 412 { seen.add("\(after)") }
                    let isTimeout = r.bodyText == "timeout"
                    return .init(error: Marker(status: r.status), transient: isTimeout, mayHaveActed: isTimeout)
                })
            XCTAssertEqual(seen.all, ["\(expected)"], why)
        }
    }

    func testCancelledBeforeSendingSendsNothing() async {
        let t = ScriptedTransport([.answer(200, "", [:])])
        let loop = loop()
        let task = Task { () async throws -> HTTPResponse in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await loop.run(method: "GET", path: "/p", idempotent: true, transport: t,
                                      request: { _ in HTTPRequest(method: "GET", url: "http://127.0.0.1:1/p") },
                                      readError: { r, _ in .init(error: Marker(status: r.status)) })
        }
        await XCTAssertThrowsAsync(try await task.value) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        XCTAssertEqual(t.count, 0)
    }

    func testCancelledDuringABackoffStopsWithoutAnotherAttempt() async {
        let t = ScriptedTransport([.answer(503, "", [:])])
        let slow = RetryLoop(policy: RetryPolicy(maxAttempts: 5, baseDelay: 30, maxDelay: 30, maxRetryAfter: 30))
        let task = Task { () async throws -> HTTPResponse in
            try await slow.run(method: "GET", path: "/p", idempotent: true, transport: t,
                               request: { _ in HTTPRequest(method: "GET", url: "http://127.0.0.1:1/p") },
                               readError: { r, _ in .init(error: Marker(status: r.status)) })
        }
        let deadline = Date().addingTimeInterval(5)
        while t.count == 0, Date() < deadline { try? await Task.sleep(nanoseconds: 1_000_000) }
        let started = Date()
        task.cancel()
        await XCTAssertThrowsAsync(try await task.value) { XCTAssertTrue($0 is CancellationError, "\($0)") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the wait (up to 30 s) ends at once")
        XCTAssertEqual(t.count, 1)
    }

    func testOneLogLinePerAttempt() async throws {
        let lines = LogLines()
        let t = ScriptedTransport([.answer(429, "", [:]), .fail(.notSent("refused")), .fail(.timeout("slow")), .answer(204, "", [:])])
        _ = try await loop(log: { lines.add($0) }).run(
            method: "DELETE", path: "/x/y", idempotent: true, transport: t,
            request: { _ in HTTPRequest(method: "DELETE", url: "http://127.0.0.1:1/x/y?secret=no", headers: [("X-Auth-Token", "hunter2")]) },
            readError: { r, _ in .init(error: Marker(status: r.status)) })
        XCTAssertEqual(lines.all.count, 4)
        let expected = ["→ 429 (", "→ not sent (", "→ timeout (", "→ 204 ("]
        for (i, line) in lines.all.enumerated() {
            XCTAssertTrue(line.hasPrefix("DELETE 127.0.0.1:1/x/y \(expected[i])"), "the host of every call: \(line)")
            XCTAssertTrue(line.hasSuffix("ms, attempt \(i + 1))"), line)
            XCTAssertFalse(line.contains("hunter2") || line.contains("secret"), line)
        }
    }
}

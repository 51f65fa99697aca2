// ClientRetryTests: the client's request building and retry rules over a scripted transport:
// what is retried for which method, Retry-After, AmbiguousWriteError for POSTs, the log hook
// (no headers, no bodies), and JSON decoding of answers.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class ClientRetryTests: XCTestCase {
    private let ok = ScriptedTransport.Outcome.answer(200, #"{"ok":true}"#, [:])

    func testRequestShape() async throws {
        let t = ScriptedTransport([ok])
        let client = ScalewayClient.testing(t, baseURL: "http://127.0.0.1:1/")
        let v = try await client.call("post", "/vpc/v2/regions/fr-par/vpcs", query: [("tags", "a b"), ("tags", "é&=")], body: .map(["name": .secret(.string("n"))]))
        XCTAssertEqual(v, .map(["ok": .bool(true)]))
        let r = try XCTUnwrap(t.requests.first)
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.url, "http://127.0.0.1:1/vpc/v2/regions/fr-par/vpcs?tags=a%20b&tags=%C3%A9%26%3D")
        XCTAssertEqual(r.header("x-auth-token"), ScalewayConfig.localSecretKey)
        XCTAssertEqual(r.header("Content-Type"), "application/json")
        XCTAssertEqual(r.body.map { String(decoding: $0, as: UTF8.self) }, #"{"name":"n"}"#)  // secrets revealed on the wire
    }

    func testEmptyBodyIsNull() async throws {
        let client = ScalewayClient.testing(ScriptedTransport([.answer(204, "", [:])]))
        let v = try await client.call("DELETE", "/x")
        XCTAssertEqual(v, .null)
    }

    func testNonJSONSuccessIsADecodeError() async {
        let client = ScalewayClient.testing(ScriptedTransport([.answer(200, "<html>", [:])]))
        do {
            _ = try await client.call("GET", "/x")
            XCTFail("expected an error")
        } catch let e as DecodeError {
            XCTAssertTrue(e.description.contains("not JSON"), e.description)
        } catch { XCTFail("\(error)") }
    }

    func testRetries429ForEveryMethod() async throws {
        for method in ["GET", "POST", "DELETE"] {
            let t = ScriptedTransport([.answer(429, "", ["Retry-After": "1"]), .answer(429, "", [:]), ok])
            _ = try await ScalewayClient.testing(t).call(method, "/x", body: method == "POST" ? .map([:]) : nil)
            XCTAssertEqual(t.count, 3, method)
        }
    }

    func testRetries5xxForIdempotentMethods() async throws {
        for method in ["GET", "PUT", "PATCH", "DELETE"] {
            let t = ScriptedTransport([.answer(503, "", [:]), .answer(502, "<html>", [:]), .answer(504, "", [:]), .answer(500, "{}", [:]), ok])
            _ = try await ScalewayClient.testing(t).call(method, "/x")
            XCTAssertEqual(t.count, 5, method)
        }
        // 501 is not transient.
        let t = ScriptedTransport([.answer(501, "", [:]), ok])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).call("GET", "/x")) { XCTAssertEqual(($0 as? APIError)?.status, 501) }
        XCTAssertEqual(t.count, 1)
    }

    func testPOSTAnswered503IsNotResent() async {
        let t = ScriptedTransport([.answer(503, "", [:]), ok])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).call("POST", "/vpc/v2/regions/fr-par/vpcs", body: .map([:]))) { error in
            let a = error as? AmbiguousWriteError
            XCTAssertNotNil(a, "\(error)")
            XCTAssertEqual(a?.method, "POST")
            XCTAssertEqual(a?.path, "/vpc/v2/regions/fr-par/vpcs")
            XCTAssertEqual((a?.underlying as? APIError)?.status, 503)
            XCTAssertTrue(a?.description.contains("not re-sent") ?? false)
        }
        XCTAssertEqual(t.count, 1)
    }

    func testPOSTWithoutAnswerOrTimedOutIsAmbiguous() async {
        for failure in [TransportError.noAnswer("reset"), .timeout("slow")] {
            let t = ScriptedTransport([.fail(failure), ok])
            await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).call("POST", "/x", body: .map([:]))) {
                XCTAssertEqual(($0 as? AmbiguousWriteError)?.underlying as? TransportError, failure)
            }
            XCTAssertEqual(t.count, 1)
        }
    }

    func testNotSentIsRetriedEvenForPOST() async throws {
        let t = ScriptedTransport([.fail(.notSent("refused")), .fail(.notSent("refused")), ok])
        _ = try await ScalewayClient.testing(t).call("POST", "/x", body: .map([:]))
        XCTAssertEqual(t.count, 3)
    }

    func testIdempotentOverrideForSafePOSTActions() async throws {
        let t = ScriptedTransport([.answer(503, "", [:]), ok])
        _ = try await ScalewayClient.testing(t).call("POST", "/x/enable-routing", body: .map([:]), idempotent: true)
        XCTAssertEqual(t.count, 2)
    }

    func testNoAnswerRetriedForGETThenGivesUp() async {
        let t = ScriptedTransport([.fail(.noAnswer("reset"))])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002)).call("GET", "/x")) {
            XCTAssertEqual($0 as? TransportError, .noAnswer("reset"))
        }
        XCTAssertEqual(t.count, 3)
    }

    func testExhausted429IsRateLimited() async {
        let t = ScriptedTransport([.answer(429, "", [:])])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t, retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.001)).call("GET", "/x")) {
            XCTAssertEqual(($0 as? APIError)?.kind, .rateLimited)
        }
        XCTAssertEqual(t.count, 2)
    }

    func testClientErrorsAreNotRetried() async {
        let t = ScriptedTransport([.answer(404, #"{"message":"resource is not found","resource":"vpc","resource_id":"i","type":"not_found"}"#, [:])])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).call("GET", "/vpc/v2/regions/fr-par/vpcs/i")) {
            XCTAssertTrue(($0 as? APIError)?.isNotFound ?? false)
            XCTAssertEqual("\($0)", "GET /vpc/v2/regions/fr-par/vpcs/i: vpc i not found")
        }
        XCTAssertEqual(t.count, 1)
    }

    func testBackoffIsFullJitterBoundedAndHonoursRetryAfter() {
        let p = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 8, maxRetryAfter: 30)
        for attempt in 1...8 {
            for _ in 0..<50 {
                let d = p.delay(afterAttempt: attempt)
                XCTAssertGreaterThanOrEqual(d, 0)
                XCTAssertLessThanOrEqual(d, min(8, pow(2, Double(attempt - 1))))
            }
        }
        XCTAssertEqual(p.delay(afterAttempt: 1, retryAfter: 5), 5)
        XCTAssertEqual(p.delay(afterAttempt: 1, retryAfter: 500), 30)
    }

    func testLogHookHasNoHeadersNorBodies() async throws {
        let lines = LogLines()
        let t = ScriptedTransport([.answer(503, "", [:]), .answer(200, #"{"secret":"hunter2"}"#, [:])])
        let client = ScalewayClient.testing(t, log: { lines.add($0) })
        _ = try await client.call("PATCH", "/x/y", query: [("q", "v")], body: .map(["password": .string("hunter2")]))
        XCTAssertEqual(lines.all.count, 2)
        XCTAssertTrue(lines.all[0].hasPrefix("PATCH api.scaleway.com/x/y → 503 ("), lines.all[0])
        XCTAssertTrue(lines.all[0].hasSuffix("attempt 1)"), lines.all[0])
        XCTAssertTrue(lines.all[1].contains("→ 200"))
        for line in lines.all {
            XCTAssertFalse(line.contains("hunter2"))
            XCTAssertFalse(line.contains(ScalewayConfig.localSecretKey))
        }
    }

    func testUnresolvedValuesAreNotSent() async {
        let t = ScriptedTransport([ok])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).call("POST", "/x", body: .map(["a": .unknown]))) { XCTAssertTrue($0 is Diagnostic) }
        XCTAssertEqual(t.count, 0)
    }
}

/// XCTAssertThrowsError for async expressions.
func XCTAssertThrowsAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                             _ check: (any Error) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {
        check(error)
    }
}

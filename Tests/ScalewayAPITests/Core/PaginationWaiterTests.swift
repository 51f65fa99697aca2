// PaginationWaiterTests: listAll in both styles over scripted pages (SDK page arithmetic,
// early stop on an empty page, X-Total-Count), and the Waiter's done/failed/timeout paths.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class PaginationWaiterTests: XCTestCase {
    private func page(_ range: Range<Int>, total: Int?, key: String = "items") -> String {
        let items = range.map { "{\"id\":\"\($0)\"}" }.joined(separator: ",")
        return "{\"\(key)\":[\(items)]" + (total.map { ",\"total_count\":\($0)" } ?? "") + "}"
    }

    func testPageSizeStyleUsesTotalCountAndPageOneSize() async throws {
        // The server caps pages at 3 whatever page_size says: pages = ceil(7 / 3) = 3.
        let t = ScriptedTransport([.answer(200, page(0..<3, total: 7), [:]), .answer(200, page(3..<6, total: 7), [:]), .answer(200, page(6..<7, total: 7), [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", query: [("name", "x"), ("page", "9")], style: .pageSize)
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, (0..<7).map(String.init))
        XCTAssertEqual(t.count, 3)
        XCTAssertEqual(t.requests[0].url, "https://api.scaleway.com/l?name=x&page=1&page_size=100")
        XCTAssertEqual(t.requests[2].url, "https://api.scaleway.com/l?name=x&page=3&page_size=100")
    }

    func testStopsOnEmptyPage() async throws {
        let t = ScriptedTransport([.answer(200, page(0..<2, total: 10), [:]), .answer(200, page(0..<0, total: 10), [:]), .answer(200, page(5..<7, total: 10), [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(t.count, 2)
    }

    func testEmptyFirstPage() async throws {
        let t = ScriptedTransport([.answer(200, #"{"items":[],"total_count":0}"#, [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)
        XCTAssertTrue(items.isEmpty)
    }

    func testPerPageStyleUsesXTotalCount() async throws {
        let t = ScriptedTransport([.answer(200, page(0..<2, total: nil, key: "servers"), ["X-Total-Count": "5"]),
                                   .answer(200, page(2..<4, total: nil, key: "servers"), ["X-Total-Count": "5"]),
                                   .answer(200, page(4..<5, total: nil, key: "servers"), ["X-Total-Count": "5"])])
        let items = try await ScalewayClient.testing(t).listAll("/instance/v1/zones/fr-par-1/servers", itemsKey: "servers", style: .perPage, pageSize: 2)
        XCTAssertEqual(items.count, 5)
        XCTAssertTrue(t.requests[1].url.hasSuffix("?page=2&per_page=2"), t.requests[1].url)
    }

    func testPerPageWithoutTotalStopsOnShortPage() async throws {
        let t = ScriptedTransport([.answer(200, page(0..<2, total: nil), [:]), .answer(200, page(2..<3, total: nil), [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .perPage, pageSize: 2)
        XCTAssertEqual(items.count, 3)
        XCTAssertEqual(t.count, 2)
    }

    func testWrongItemsKeyIsADecodeError() async {
        let t = ScriptedTransport([.answer(200, #"{"items":{"a":1},"total_count":1}"#, [:])])
        await XCTAssertThrowsAsync(try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)) {
            XCTAssertEqual(($0 as? DecodeError)?.field, "items")
        }
    }

    // MARK: Waiter

    func testWaiterReturnsWhenDone() async throws {
        var polls = 0
        let value = try await Waiter.poll(timeout: 5, initialInterval: 0.001, maxInterval: 0.005, what: "server s1 to be running") { () -> WaitStep<String> in
            polls += 1
            return polls < 4 ? .pending("starting") : .done("running")
        }
        XCTAssertEqual(value, "running")
        XCTAssertEqual(polls, 4)
    }

    func testWaiterFailureState() async {
        await XCTAssertThrowsAsync(try await Waiter.poll(timeout: 5, initialInterval: 0.001, maxInterval: 0.001, what: "database d1") { () -> WaitStep<Int> in .failed("error") }) {
            XCTAssertEqual($0 as? WaitError, .failed(what: "database d1", status: "error"))
            XCTAssertEqual("\($0)", "database d1 failed: it reached status error")
        }
    }

    func testWaiterTimesOutWithLastStatus() async {
        await XCTAssertThrowsAsync(try await Waiter.poll(timeout: 0.05, initialInterval: 0.01, maxInterval: 0.02, what: "load balancer lb1 to be ready") { () -> WaitStep<Int> in .pending("pending") }) {
            XCTAssertEqual("\($0)", "timed out after 50ms waiting for load balancer lb1 to be ready (last status: pending)")
        }
    }

    func testWaiterPassesStepErrorsThrough() async {
        struct Boom: Error {}
        await XCTAssertThrowsAsync(try await Waiter.poll(timeout: 1, initialInterval: 0.001, maxInterval: 0.001, what: "x") { () -> WaitStep<Int> in throw Boom() }) {
            XCTAssertTrue($0 is Boom)
        }
    }

    func testDurationWording() {
        XCTAssertEqual(WaitError.timedOut(after: 300, what: "server s1", lastStatus: "starting").description,
                       "timed out after 5m waiting for server s1 (last status: starting)")
        XCTAssertEqual(Waiter.format(seconds: 90), "1m30s")
        XCTAssertEqual(Waiter.format(seconds: 3600), "1h")
        XCTAssertEqual(Waiter.format(seconds: 1.5), "1.5s")
        XCTAssertEqual(Waiter.format(seconds: 0.25), "250ms")
    }
}

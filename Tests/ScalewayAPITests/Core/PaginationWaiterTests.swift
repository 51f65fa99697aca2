// PaginationWaiterTests: listAll in both styles over scripted pages (SDK page arithmetic,
// early stop on an empty page, X-Total-Count, pages after the first asked for together), and
// the Waiter's done/failed/timeout paths.

import Foundation
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
        let t = PagedTransport([1: .answer(200, page(0..<3, total: 7), [:]), 2: .answer(200, page(3..<6, total: 7), [:]), 3: .answer(200, page(6..<7, total: 7), [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", query: [("name", "x"), ("page", "9")], style: .pageSize)
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, (0..<7).map(String.init))
        XCTAssertEqual(t.urls.count, 3)
        XCTAssertEqual(t.urls[0], "https://api.scaleway.com/l?name=x&page=1&page_size=100")
        XCTAssertTrue(t.urls.contains("https://api.scaleway.com/l?name=x&page=3&page_size=100"), "\(t.urls)")
    }

    func testStopsOnEmptyPage() async throws {
        // Pages after the first are asked for at once; what follows an empty page is dropped,
        // and no page past the total is asked for.
        let t = PagedTransport([1: .answer(200, page(0..<2, total: 10), [:]), 2: .answer(200, page(0..<0, total: 10), [:]),
                                3: .answer(200, page(5..<7, total: 10), [:])], otherwise: .answer(200, page(0..<0, total: 10), [:]))
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, ["0", "1"])
        XCTAssertLessThanOrEqual(t.urls.count, 5)
    }

    func testManyPagesCostFewRoundTrips() async throws {
        // 1,000 items, 100 a page: page 1, then the other 9 in flight together (8 at most at once).
        let t = PagedTransport(Dictionary(uniqueKeysWithValues: (1...10).map { n in
            (n, ScriptedTransport.Outcome.answer(200, page((n - 1) * 100..<n * 100, total: 1000), [:]))
        }), delay: .milliseconds(20))
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, (0..<1000).map(String.init), "in page order")
        XCTAssertEqual(t.urls.count, 10)
        XCTAssertGreaterThan(t.maxInFlight, 1, "pages after the first are asked for together")
        XCTAssertLessThanOrEqual(t.maxInFlight, 8)
    }

    func testEmptyFirstPage() async throws {
        let t = ScriptedTransport([.answer(200, #"{"items":[],"total_count":0}"#, [:])])
        let items = try await ScalewayClient.testing(t).listAll("/l", itemsKey: "items", style: .pageSize)
        XCTAssertTrue(items.isEmpty)
    }

    func testPerPageStyleUsesXTotalCount() async throws {
        let t = PagedTransport([1: .answer(200, page(0..<2, total: nil, key: "servers"), ["X-Total-Count": "5"]),
                                2: .answer(200, page(2..<4, total: nil, key: "servers"), ["X-Total-Count": "5"]),
                                3: .answer(200, page(4..<5, total: nil, key: "servers"), ["X-Total-Count": "5"])])
        let items = try await ScalewayClient.testing(t).listAll("/instance/v1/zones/fr-par-1/servers", itemsKey: "servers", style: .perPage, pageSize: 2)
        XCTAssertEqual(items.compactMap { $0["id"]?.stringValue }, (0..<5).map(String.init))
        XCTAssertTrue(t.urls.contains { $0.hasSuffix("?page=2&per_page=2") }, "\(t.urls)")
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

/// Answers list pages by the `page` number in the URL (pages may be asked for in any order),
/// counting how many were in flight at once.
private final class PagedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private let pages: [Int: ScriptedTransport.Outcome]
    private let otherwise: ScriptedTransport.Outcome?
    private let delay: Duration?
    private var seen: [String] = []
    private var inFlight = 0, peak = 0

    init(_ pages: [Int: ScriptedTransport.Outcome], otherwise: ScriptedTransport.Outcome? = nil, delay: Duration? = nil) {
        self.pages = pages
        self.otherwise = otherwise
        self.delay = delay
    }

    var urls: [String] { lock.withLock { seen } }
    var maxInFlight: Int { lock.withLock { peak } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock {
            seen.append(request.url)
            inFlight += 1
            peak = max(peak, inFlight)
        }
        defer { lock.withLock { inFlight -= 1 } }
        if let delay { try await Task.sleep(for: delay) }
        let number = URLComponents(string: request.url)?.queryItems?.first { $0.name == "page" }?.value.flatMap { Int($0) } ?? 0
        guard let outcome = pages[number] ?? otherwise else { throw TransportError.notSent("no page \(number) scripted") }
        switch outcome {
        case .answer(let status, let body, let headers): return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        case .fail(let error): throw error
        }
    }
}

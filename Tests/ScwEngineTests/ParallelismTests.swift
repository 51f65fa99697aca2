// Apply runs independent operations at once, never more than the bound. Counts, not time.

import XCTest
import ScwCore
import ScwEngine

final class ParallelismTests: XCTestCase {
    func testFiftyIndependentCreatesStayWithinTheBound() async throws {
        let h = Harness(parallelism: 10)
        h.cloud.holdWritesUntilInFlight(5)
        h.cloud.delayWrites(.milliseconds(1))
        let result = try await h.deploy((0..<50).map { decl(.net("n\($0)")) })
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(h.cloud.all.count, 50)
        XCTAssertLessThanOrEqual(h.cloud.maxInFlight, 10)
        XCTAssertGreaterThanOrEqual(h.cloud.maxInFlight, 5)
    }

    func testParallelismOneIsSequential() async throws {
        let h = Harness(parallelism: 1)
        h.cloud.delayWrites(.milliseconds(1))
        try await h.deploy((0..<10).map { decl(.net("n\($0)")) })
        XCTAssertEqual(h.cloud.maxInFlight, 1)
    }

    func testAChainRunsOneAtATimeWhateverTheBound() async throws {
        let h = Harness(parallelism: 10)
        h.cloud.delayWrites(.milliseconds(1))
        var decls = [decl(.net("n0"))]
        for i in 1..<8 { decls.append(decl(.net("n\(i)"), ["name": .concat([ref(.net("n\(i - 1)"), "id"), .string("+")])])) }
        try await h.deploy(decls)
        XCTAssertEqual(h.cloud.maxInFlight, 1)
        XCTAssertEqual(h.cloud.createCount, 8)
    }

    func testAResourceStartsAsSoonAsItsOwnDependenciesAreDone() async throws {
        // `fast-child` must not wait for the unrelated slow resource.
        let h = Harness(parallelism: 10)
        try await h.deploy([
            decl(.net("fast")),
            decl(.sub("fast-child"), ["parent": ref(.net("fast"), "id")]),
            decl(.net("slow"), dependsOn: [.sub("gate")]),
            decl(.sub("gate"), ["parent": ref(.net("fast"), "id")], dependsOn: [.sub("fast-child")]),
        ])
        XCTAssertTrue(h.journal.ordered("created Sub/fast-child", before: "create Net/slow"))
    }
}

// One failure stops what depends on it and nothing else; the result says which failed and
// which were skipped, and the next run picks up where this one stopped.

import XCTest
import ScwCore
import ScwEngine

final class FailureIsolationTests: XCTestCase {
    static let program = Program(declarations: [
        decl(.net("bad")),
        decl(.sub("child"), ["parent": ref(.net("bad"), "id")]),
        decl(.vm("grandchild"), ["parent": ref(.sub("child"), "id")]),
        decl(.vm("waits"), dependsOn: [.net("bad")]),
        decl(.net("good")),
        decl(.sub("good-child"), ["parent": ref(.net("good"), "id")]),
    ], outputs: ["bad": ref(.net("bad"), "id"), "good": ref(.net("good"), "id")])

    func testFailedCreateStopsItsDependantsOnly() async throws {
        let h = Harness()
        h.cloud.failCreate(of: .net("bad"))
        let plan = try await h.plan(Self.program)
        let result = await h.engine.apply(plan, program: Self.program, events: h.events.handler)

        XCTAssertFalse(result.succeeded)
        XCTAssertEqual(result.failed, [.net("bad")])
        XCTAssertEqual(result.skipped, [.sub("child"), .vm("grandchild"), .vm("waits")])
        XCTAssertEqual(result.count(of: .create), 2)
        guard case .failed(.create, let message)? = result.outcomes[.net("bad")] else { return XCTFail("\(result.outcomes)") }
        XCTAssertTrue(message.contains("quota exceeded"), message)
        guard case .skipped(.create, let cause)? = result.outcomes[.vm("grandchild")] else { return XCTFail() }
        XCTAssertEqual(cause, .net("bad"), "the root cause, not the direct dependency")

        XCTAssertNotNil(h.cloud.resource(.sub("good-child")))
        XCTAssertEqual(h.cloud.all.count, 2)
        XCTAssertEqual(h.cloud.createCount, 3, "skipped ones never reach the cloud")
        XCTAssertTrue(h.events.all.contains { if case .failed(.net("bad"), .create, _) = $0 { return true }; return false })
        XCTAssertTrue(h.events.all.contains { if case .skipped(.sub("child"), .create, .net("bad")) = $0 { return true }; return false })
        XCTAssertEqual(result.outputs["bad"], .unknown)
        XCTAssertEqual(try h.store.outputs(stack: testStack), [:], "incomplete outputs are not saved")

        // The next run finishes the job.
        h.cloud.stopFailing()
        let second = try await h.deploy(Self.program)
        XCTAssertTrue(second.succeeded, "\(second.outcomes)")
        XCTAssertEqual(h.cloud.all.count, 6)
        XCTAssertEqual(second.count(of: .create), 4)
        XCTAssertEqual(second.count(of: .noop), 2)
        XCTAssertEqual(try h.store.outputs(stack: testStack)["bad"], .string(h.id(.net("bad"))!))
    }

    func testFailedDeleteOfAReplaceIsReportedAsFailed() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a"), ["cidr": .string("10.0.0.0/16")])])
        h.cloud.failDelete(of: .net("a"))
        let program = Program(declarations: [decl(.net("a"), ["cidr": .string("10.1.0.0/16")])])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.action(.net("a")), .replace)
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertEqual(result.failed, [.net("a")])
        XCTAssertEqual(result.skipped, [])
        XCTAssertEqual(h.cloud.createCount, 1, "no create after the delete failed")
        XCTAssertEqual(h.row(.net("a"))?.status, .deleting)

        h.cloud.stopFailing()
        let second = try await h.deploy(program)
        XCTAssertTrue(second.succeeded, "\(second.outcomes)")
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertEqual(h.cloud.all.first?.props["cidr"], .string("10.1.0.0/16"))
    }

    func testFailedDeleteOfAChildKeepsItsParent() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("p")), decl(.sub("c"), ["parent": ref(.net("p"), "id")]), decl(.net("other"))])
        h.cloud.failDelete(of: .sub("c"))
        let result = try await h.deploy([])
        XCTAssertEqual(result.failed, [.sub("c")])
        XCTAssertEqual(result.skipped, [.net("p")])
        XCTAssertEqual(result.count(of: .delete), 1)
        XCTAssertNotNil(h.row(.net("p")))
        XCTAssertNil(h.row(.net("other")))
    }

    func testFailedUpdateLeavesStateAsItWas() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a"), ["name": .string("one")]), decl(.net("b"), ["name": .string("one")])])
        h.cloud.failUpdate(of: .net("a"))
        let result = try await h.deploy([decl(.net("a"), ["name": .string("two")]), decl(.net("b"), ["name": .string("two")])])
        XCTAssertEqual(result.failed, [.net("a")])
        XCTAssertEqual(result.count(of: .update), 1)
        XCTAssertEqual(h.row(.net("a"))?.inputs["name"], .string("one"))
        XCTAssertEqual(h.row(.net("b"))?.inputs["name"], .string("two"))
    }
}

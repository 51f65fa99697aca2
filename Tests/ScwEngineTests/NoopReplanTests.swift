// Re-planning right after a deploy finds nothing to do, and applying that plan writes nothing.

import XCTest
import ScwCore
import ScwEngine

final class NoopReplanTests: XCTestCase {
    static let program = Program(declarations: [
        decl(.net("main"), ["cidr": .string("10.0.0.0/16"), "tags": .list([.string("a"), .string("b")])]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id"), "name": .secret(.string("hidden-name"))]),
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"),
                          "name": .concat([ref(.net("main"), "address"), .string("-web-"), .int(1)])],
             dependsOn: [.net("main")]),
    ], outputs: ["ip": ref(.vm("web"), "endpoint", "ip")])

    func testReplanIsAllNoopAndApplyWritesNothing() async throws {
        let h = Harness()
        try await h.deploy(Self.program)
        XCTAssertEqual(h.cloud.writeCount, 3)

        let plan = try await h.plan(Self.program)
        XCTAssertEqual(plan.errors, [])
        XCTAssertEqual(plan.changes.map(\.action), [.noop, .noop, .noop])
        XCTAssertFalse(plan.hasAnyChange)
        XCTAssertFalse(plan.hasCloudChanges)
        XCTAssertEqual(plan.outputs["ip"], .string("192.168.0.3"))

        h.store.clearWrites()
        h.events.clear()
        let result = await h.engine.apply(plan, program: Self.program, events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.count(of: .noop), 3)
        XCTAssertEqual(h.cloud.writeCount, 3, "no create, update or delete")
        XCTAssertEqual(h.store.writes, [], "no state row rewritten")
        XCTAssertEqual(result.outputs["ip"], .string("192.168.0.3"))
        XCTAssertFalse(h.events.all.contains { if case .started = $0 { return true }; return false })
    }

    func testSecondDeployOfSameProgramIsIdempotent() async throws {
        let h = Harness()
        try await h.deploy(Self.program)
        let ids = h.rows.map(\.id)
        try await h.deploy(Self.program)
        try await h.deploy(Self.program)
        XCTAssertEqual(h.rows.map(\.id), ids)
        XCTAssertEqual(h.cloud.all.count, 3)
        XCTAssertEqual(h.cloud.writeCount, 3)
    }
}

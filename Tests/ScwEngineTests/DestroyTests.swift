// Destroy deletes everything state holds, dependants first, independent ones in parallel.

import XCTest
import ScwCore
import ScwEngine

final class DestroyTests: XCTestCase {
    func testDestroyDeletesInReverseDependencyOrder() async throws {
        let h = Harness()
        try await h.deploy([
            decl(.net("main")),
            decl(.sub("a"), ["parent": ref(.net("main"), "id")]),
            decl(.sub("b"), ["parent": ref(.net("main"), "id")]),
            decl(.vm("web"), ["parent": ref(.sub("a"), "id")], dependsOn: [.sub("b")]),
            decl(.vm("lonely")),
        ])
        let plan = try await h.plan(Program(declarations: []), mode: .destroy)
        XCTAssertEqual(Set(plan.changes.map(\.action)), [.delete])
        XCTAssertEqual(plan.changes.count, 5)
        // The plan lists dependants first.
        let order = plan.changes.map(\.address)
        XCTAssertLessThan(order.firstIndex(of: .vm("web"))!, order.firstIndex(of: .sub("a"))!)
        XCTAssertLessThan(order.firstIndex(of: .vm("web"))!, order.firstIndex(of: .sub("b"))!)
        XCTAssertLessThan(order.firstIndex(of: .sub("a"))!, order.firstIndex(of: .net("main"))!)

        let result = await h.engine.apply(plan, program: Program(declarations: []), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(result.count(of: .delete), 5)
        XCTAssertEqual(h.cloud.all, [])
        XCTAssertEqual(h.rows, [])
        let j = h.journal
        XCTAssertTrue(j.ordered("deleted Vm/web", before: "delete Sub/a"))
        XCTAssertTrue(j.ordered("deleted Vm/web", before: "delete Sub/b"))
        XCTAssertTrue(j.ordered("deleted Sub/a", before: "delete Net/main"))
        XCTAssertTrue(j.ordered("deleted Sub/b", before: "delete Net/main"))
        XCTAssertTrue(j.ordered("put Net/main deleting", before: "delete Net/main"), "intent before delete")
    }

    func testDestroyRunsIndependentDeletesInParallel() async throws {
        let h = Harness(parallelism: 4)
        try await h.deploy((0..<8).map { decl(.net("n\($0)")) })
        h.cloud.holdWritesUntilInFlight(4)
        try await h.destroy()
        XCTAssertEqual(h.cloud.all, [])
        XCTAssertEqual(h.cloud.maxInFlight, 4)
    }

    func testDestroyOfAnEmptyStackIsEmpty() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: []), mode: .destroy)
        XCTAssertEqual(plan.changes.count, 0)
        let result = try await h.destroy()
        XCTAssertTrue(result.succeeded)
    }

    func testDestroyIgnoresTheScriptsDeclarations() async throws {
        let h = Harness()
        let program = Program(declarations: [decl(.net("a")), decl(.net("b"), ["parent": ref(.net("a"), "id")])])
        try await h.deploy(program)
        let plan = try await h.plan(program, mode: .destroy)
        XCTAssertEqual(plan.changes.map(\.action), [.delete, .delete])
        XCTAssertEqual(plan.changes.map(\.address), [.net("b"), .net("a")])
        _ = await h.engine.apply(plan, program: Program(declarations: []), events: h.events.handler)
        XCTAssertEqual(h.cloud.all, [])
        XCTAssertEqual(try h.store.outputs(stack: testStack), [:])
    }
}

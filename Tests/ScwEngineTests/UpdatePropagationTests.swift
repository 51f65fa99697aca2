// An update whose outputs feed other resources: the dependants that read them are planned
// against the new values (or `(known after apply)`) and updated after it, in the same run.

import XCTest
import ScwCore
import ScwEngine

final class UpdatePropagationTests: XCTestCase {
    /// net "main" (name, size) and a sub whose tags read the net's outputs.
    func stack(name: String, size: Int64 = 10, tagFrom output: String = "name") -> Program {
        Program(declarations: [
            decl(.net("main"), ["name": .string(name), "size": .int(size)]),
            decl(.sub("app"), ["tags": .list([.concat([.string("net:"), ref(.net("main"), output)])])]),
        ])
    }

    func testRenameFlowsIntoADependantInTheSameDeploy() async throws {
        let h = Harness()
        try await h.deploy(stack(name: "one"))
        let plan = try await h.plan(stack(name: "two"))
        XCTAssertEqual(plan.action(.net("main")), .update)
        XCTAssertEqual(plan.action(.sub("app")), .update, "the dependant reads the renamed output")
        XCTAssertEqual(plan.change(for: .sub("app"))?.changes.first?.new, .list([.string("net:two")]),
                       "an output that echoes a prop is known at plan time")

        let result = await h.engine.apply(plan, program: stack(name: "two"), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        let sub = try XCTUnwrap(h.cloud.resource(.sub("app")))
        XCTAssertEqual(sub.props["tags"], .list([.string("net:two")]))
        let order = h.journal.all.filter { $0.hasPrefix("update") }
        XCTAssertEqual(order, ["update Net/main", "update Sub/app"], "the dependant is updated after what it reads")

        let again = try await h.plan(stack(name: "two"))
        XCTAssertTrue(again.changes.allSatisfy { $0.action == .noop }, "a second plan shows no changes: \(again.changes.map { "\($0.address) \($0.action)" })")
    }

    func testOutputThatChangesWithAPropIsKnownAfterApply() async throws {
        let h = Harness()
        try await h.deploy(stack(name: "n", size: 10, tagFrom: "capacity"))
        XCTAssertEqual(h.cloud.resource(.sub("app"))?.props["tags"], .list([.string("net:10 GB")]))

        let plan = try await h.plan(stack(name: "n", size: 20, tagFrom: "capacity"))
        XCTAssertEqual(plan.action(.net("main")), .update)
        XCTAssertEqual(plan.action(.sub("app")), .update)
        XCTAssertTrue(plan.change(for: .sub("app"))?.changes.first?.new?.containsUnknown == true, "(known after apply)")
        let result = await h.engine.apply(plan, program: stack(name: "n", size: 20, tagFrom: "capacity"), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.resource(.sub("app"))?.props["tags"], .list([.string("net:20 GB")]))
        let again = try await h.plan(stack(name: "n", size: 20, tagFrom: "capacity"))
        XCTAssertTrue(again.changes.allSatisfy { $0.action == .noop })
    }

    func testUnknownThatResolvesToTheSameValueSendsNothing() async throws {
        let h = Harness()
        // The sub reads `address`, which does not change with a rename; `name` is read by nobody.
        try await h.deploy(stack(name: "a", tagFrom: "address"))
        let updatesBefore = h.cloud.updateCount
        let plan = try await h.plan(stack(name: "b", tagFrom: "address"))
        XCTAssertEqual(plan.action(.sub("app")), .noop, "address does not change with name")
        _ = await h.engine.apply(plan, program: stack(name: "b", tagFrom: "address"), events: h.events.handler)
        XCTAssertEqual(h.cloud.updateCount, updatesBefore + 1, "only the net is updated")
    }

    func testMayChangeOutputThatStaysTheSameSendsNoUpdate() async throws {
        let h = Harness()
        // `capacity` may change with `name` (the schema says so) but in fact does not.
        try await h.deploy(stack(name: "a", tagFrom: "capacity"))
        let updatesBefore = h.cloud.updateCount
        let plan = try await h.plan(stack(name: "b", tagFrom: "capacity"))
        XCTAssertEqual(plan.action(.sub("app")), .update, "planned with (known after apply)")
        let result = await h.engine.apply(plan, program: stack(name: "b", tagFrom: "capacity"), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.updateCount, updatesBefore + 1, "the sub's inputs resolved to what it has: nothing sent")
        let again = try await h.plan(stack(name: "b", tagFrom: "capacity"))
        XCTAssertTrue(again.changes.allSatisfy { $0.action == .noop })
    }

    /// Outputs that only echo inputs are known at plan time for a resource being created too;
    /// the others stay `(known after apply)`.
    func testEchoedOutputsOfANewResourceAreKnownAtPlanTime() async throws {
        let h = Harness()
        let program = Program(declarations: [
            decl(.net("main"), ["name": .string("blue")]),
            decl(.sub("app"), ["tags": .list([.concat([.string("net:"), ref(.net("main"), "name")])]), "parent": ref(.net("main"), "id")]),
        ], outputs: ["net_name": ref(.net("main"), "name"), "net_id": ref(.net("main"), "id"), "ip": ref(.net("main"), "endpoint", "ip")])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.change(for: .sub("app"))?.inputs["tags"], .list([.string("net:blue")]), "the name is known")
        XCTAssertEqual(plan.change(for: .sub("app"))?.inputs["parent"], .unknown, "the id is not")
        XCTAssertEqual(plan.outputs["net_name"], .string("blue"))
        XCTAssertEqual(plan.outputs["net_id"], .unknown)
        XCTAssertEqual(plan.outputs["ip"], .unknown, "a path inside an unknown output is unknown, never null")
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(result.outputs["net_id"], .string(try XCTUnwrap(h.id(.net("main")))))
    }
}

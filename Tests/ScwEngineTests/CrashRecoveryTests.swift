// Invariant 1: whatever instant a run dies at, the next run converges with no duplicate and
// no untracked cloud resource. Intent rows (`creating`, `deleting`) and ownership tags are how.

import XCTest
import ScwCore
import ScwEngine

final class CrashRecoveryTests: XCTestCase {
    static let net = decl(.net("main"), ["cidr": .string("10.0.0.0/16")])

    func testCreatingRowWithATaggedResourceIsAdoptedNotDuplicated() async throws {
        let h = Harness()
        let inputs: [String: Value] = ["name": .string("main"), "region": .string("fr-par"), "cidr": .string("10.0.0.0/16")]
        let made = h.cloud.seed(.net("main"), props: inputs)
        h.cloud.seed(.net("main"), props: inputs, owned: false)   // same name, not ours: never adopted
        h.store.seed(ResourceState(address: .net("main"), status: .creating, inputs: inputs))

        let plan = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertEqual(plan.action(.net("main")), .stateOnly)
        XCTAssertTrue(plan.change(for: .net("main"))?.reason?.contains("adopt") == true)
        XCTAssertFalse(plan.hasCloudChanges)

        let result = try await h.deploy([Self.net])
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(h.cloud.createCount, 0)
        XCTAssertEqual(h.cloud.resources(of: .net("main")).count, 1)
        let row = try XCTUnwrap(h.row(.net("main")))
        XCTAssertEqual(row.id, made.id)
        XCTAssertEqual(row.status, .created)
        XCTAssertEqual(row.outputs["id"], .string(made.id))
        let again = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertFalse(again.hasAnyChange)
    }

    func testAdoptedResourceIsUpdatedToWhatTheScriptNowSays() async throws {
        let h = Harness()
        let inputs: [String: Value] = ["name": .string("main"), "region": .string("fr-par"), "cidr": .string("10.0.0.0/16")]
        let made = h.cloud.seed(.net("main"), props: inputs)
        h.store.seed(ResourceState(address: .net("main"), status: .creating, inputs: inputs))
        let renamed = decl(.net("main"), ["cidr": .string("10.0.0.0/16"), "name": .string("renamed")])
        let plan = try await h.plan(Program(declarations: [renamed]))
        XCTAssertEqual(plan.action(.net("main")), .update)
        try await h.deploy([renamed])
        XCTAssertEqual(h.cloud.all.map(\.id), [made.id])
        XCTAssertEqual(h.cloud.all.first?.props["name"], .string("renamed"))
        XCTAssertEqual(h.row(.net("main"))?.id, made.id)
    }

    func testCreatingRowWithNothingInTheCloudIsCreatedAgain() async throws {
        let h = Harness()
        h.store.seed(ResourceState(address: .net("main"), status: .creating, inputs: ["cidr": .string("10.0.0.0/16")]))
        let plan = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertEqual(plan.action(.net("main")), .create)
        XCTAssertNotNil(plan.change(for: .net("main"))?.reason)
        try await h.deploy([Self.net])
        XCTAssertEqual(h.cloud.createCount, 1)
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertEqual(h.row(.net("main"))?.status, .created)
        XCTAssertEqual(h.row(.net("main"))?.id, h.cloud.all.first?.id)
    }

    func testLostCreateAnswerIsAdoptedViaFind() async throws {
        let h = Harness()
        h.cloud.loseCreateAnswer(of: .net("main"))
        let result = try await h.deploy([Self.net, decl(.sub("child"), ["parent": ref(.net("main"), "id")])])
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.createCount, 2, "the create is not sent again")
        XCTAssertEqual(h.cloud.resources(of: .net("main")).count, 1)
        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        XCTAssertEqual(h.id(.net("main")), net.id)
        XCTAssertEqual(h.row(.net("main"))?.outputs["id"], .string(net.id))
        XCTAssertEqual(h.cloud.resource(.sub("child"))?.props["parent"], .string(net.id))
        XCTAssertTrue(h.events.all.contains { if case .phase(.net("main"), let text) = $0 { return text.contains("answer lost") }; return false })
    }

    func testDeletingRowOfAResourceTheScriptStillDeclaresIsKept() async throws {
        let h = Harness()
        try await h.deploy([Self.net])
        var row = try XCTUnwrap(h.row(.net("main")))
        row.status = .deleting   // killed just before the delete call of a run since reverted
        h.store.seed(row)
        let plan = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertEqual(plan.action(.net("main")), .stateOnly)
        try await h.deploy([Self.net])
        XCTAssertEqual(h.row(.net("main"))?.status, .created)
        XCTAssertEqual(h.row(.net("main"))?.id, row.id)
        XCTAssertEqual(h.cloud.writeCount, 1)
    }

    func testCreatingRowOfARemovedResourceIsDeletedNotOrphaned() async throws {
        let h = Harness()
        h.cloud.seed(.net("old"), props: ["name": .string("old")])
        h.store.seed(ResourceState(address: .net("old"), status: .creating, inputs: ["name": .string("old")]))
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.action(.net("old")), .delete)
        try await h.deploy([])
        XCTAssertEqual(h.cloud.all, [])
        XCTAssertEqual(h.rows, [])
    }

    func testCreatingRowOfARemovedResourceWithNothingMadeIsDropped() async throws {
        let h = Harness()
        h.store.seed(ResourceState(address: .net("old"), status: .creating))
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.action(.net("old")), .stateOnly)
        try await h.deploy([])
        XCTAssertEqual(h.rows, [])
        XCTAssertEqual(h.cloud.writeCount, 0)
    }

    /// The delete is issued again (the provider treats "already gone" as done) so it can sweep
    /// what the interrupted run left behind, then the row goes.
    func testDeletingRowWhoseResourceIsGoneIsDeletedAgainThenDropped() async throws {
        let h = Harness()
        h.store.seed(ResourceState(address: .net("old"), id: "net-999", status: .deleting))
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.action(.net("old")), .delete)
        XCTAssertEqual(plan.change(for: .net("old"))?.reason, "finishing an interrupted delete")
        try await h.deploy([])
        XCTAssertEqual(h.rows, [])
        XCTAssertEqual(h.cloud.deleteCount, 1)
        XCTAssertEqual(h.cloud.all.count, 0)
    }

    func testDeletingRowWhoseResourceRemainsIsDeleted() async throws {
        let h = Harness()
        let r = h.cloud.seed(.net("old"), props: [:])
        h.store.seed(ResourceState(address: .net("old"), id: r.id, status: .deleting))
        try await h.deploy([])
        XCTAssertEqual(h.cloud.all, [])
        XCTAssertEqual(h.rows, [])
    }

    func testDeposedRowLeftByACrashIsDeleted() async throws {
        let h = Harness()
        let old = h.cloud.seed(.net("main"), props: ["cidr": .string("10.0.0.0/16")])
        let new = h.cloud.seed(.net("main"), props: ["name": .string("main"), "region": .string("fr-par"), "cidr": .string("10.1.0.0/16")])
        h.store.seed(ResourceState(address: ResourceAddress(type: "Net", name: "main~deposed"), id: old.id, inputs: ["cidr": .string("10.0.0.0/16")]))
        h.store.seed(ResourceState(address: .net("main"), id: new.id, inputs: new.props))
        let program = [decl(.net("main"), ["cidr": .string("10.1.0.0/16")], lifecycle: Lifecycle(createBeforeDestroy: true))]
        let plan = try await h.plan(Program(declarations: program))
        XCTAssertEqual(plan.action(.net("main")), .noop)
        XCTAssertEqual(plan.action(ResourceAddress(type: "Net", name: "main~deposed")), .delete)
        try await h.deploy(program)
        XCTAssertEqual(h.cloud.all.map(\.id), [new.id])
        XCTAssertEqual(h.rows.map(\.address), [.net("main")])
    }
}

// create_before_destroy: the new resource is made before the old one goes, and a `~deposed`
// row tracks the old one meanwhile, so a crash in between leaves nothing untracked.

import XCTest
import ScwCore
import ScwEngine

final class CreateBeforeDestroyTests: XCTestCase {
    static let deposed = ResourceAddress(type: "Net", name: "main~deposed")

    func net(_ cidr: String) -> Declaration {
        decl(.net("main"), ["cidr": .string(cidr)], lifecycle: Lifecycle(createBeforeDestroy: true))
    }

    func testNewIsCreatedBeforeOldIsDeletedWithADeposedRowMeanwhile() async throws {
        let h = Harness()
        try await h.deploy([net("10.0.0.0/16")])
        let oldID = try XCTUnwrap(h.id(.net("main")))

        let store = h.store
        let atCreate = Locked<[ResourceState]>([])
        h.cloud.onCreate { _ in atCreate.withLock { $0 = (try? store.resources(stack: testStack)) ?? [] } }
        h.journal.clear()

        let plan = try await h.plan(Program(declarations: [net("10.1.0.0/16")]))
        XCTAssertEqual(plan.action(.net("main")), .createThenDelete)
        XCTAssertEqual(Action.createThenDelete.symbol, "+/-")
        let result = await h.engine.apply(plan, program: Program(declarations: [net("10.1.0.0/16")]), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(result.count(of: .createThenDelete), 1)

        XCTAssertTrue(h.journal.ordered("created Net/main", before: "delete Net/main"))
        let seen = atCreate.get
        XCTAssertEqual(seen.first { $0.address == Self.deposed }?.id, oldID, "old one tracked as deposed during the create")
        XCTAssertEqual(seen.first { $0.address == .net("main") }?.status, .creating)
        XCTAssertTrue(h.journal.ordered("put Net/main~deposed created", before: "create Net/main"))

        XCTAssertNil(h.row(Self.deposed), "deposed row gone once the old one is deleted")
        XCTAssertNil(h.cloud.resource(id: oldID))
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertEqual(h.id(.net("main")), h.cloud.all.first?.id)
        let again = try await h.plan(Program(declarations: [net("10.1.0.0/16")]))
        XCTAssertFalse(again.hasAnyChange)
    }

    func testTheOldHalfOfARetainedResourceIsStillDeleted() async throws {
        // retain is about removal from the script; a crash must not turn the old half into an orphan.
        let h = Harness()
        let lifecycle = Lifecycle(retain: true, createBeforeDestroy: true)
        try await h.deploy([decl(.net("main"), ["cidr": .string("10.0.0.0/16")], lifecycle: lifecycle)])
        let oldID = try XCTUnwrap(h.id(.net("main")))
        let store = h.store
        let deposedAtCreate = Locked<ResourceState?>(nil)
        h.cloud.onCreate { _ in deposedAtCreate.withLock { $0 = store.row(Self.deposed) } }
        try await h.deploy([decl(.net("main"), ["cidr": .string("10.1.0.0/16")], lifecycle: lifecycle)])
        XCTAssertEqual(deposedAtCreate.get?.retain, false)
        XCTAssertNil(h.cloud.resource(id: oldID))
        XCTAssertEqual(h.row(.net("main"))?.retain, true)
    }

    func testDependantsMoveToTheNewOneBeforeTheOldGoes() async throws {
        let h = Harness()
        let program = { (cidr: String) in [
            self.net(cidr),
            decl(.sub("replaced"), ["parent": ref(.net("main"), "id")]),
            decl(.vm("updated"), ["name": .concat([.string("on-"), ref(.net("main"), "id")])]),
        ] }
        try await h.deploy(program("10.0.0.0/16"))
        h.journal.clear()
        let plan = try await h.plan(Program(declarations: program("10.1.0.0/16")))
        XCTAssertEqual(plan.action(.sub("replaced")), .replace)
        XCTAssertEqual(plan.action(.vm("updated")), .update)
        let result = try await h.deploy(program("10.1.0.0/16"))
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        let j = h.journal
        XCTAssertTrue(j.ordered("deleted Sub/replaced", before: "delete Net/main"), "the old one is in use until then")
        XCTAssertTrue(j.ordered("update Vm/updated", before: "delete Net/main"))
        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        XCTAssertEqual(h.cloud.resource(.sub("replaced"))?.props["parent"], .string(net.id))
        XCTAssertEqual(h.cloud.resource(.vm("updated"))?.props["name"], .string("on-\(net.id)"))
        XCTAssertEqual(h.cloud.all.count, 3)
    }

    func testBothParentAndChildCreateBeforeDestroy() async throws {
        // Order: new parent, new child (on the new parent), old child, old parent.
        let h = Harness()
        let cbd = Lifecycle(createBeforeDestroy: true)
        let program = { (cidr: String) in [
            self.net(cidr),
            decl(.sub("child"), ["parent": ref(.net("main"), "id")], lifecycle: cbd),
        ] }
        try await h.deploy(program("10.0.0.0/16"))
        h.journal.clear()
        let plan = try await h.plan(Program(declarations: program("10.1.0.0/16")))
        XCTAssertEqual(plan.action(.sub("child")), .createThenDelete)
        let result = try await h.deploy(program("10.1.0.0/16"))
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        let j = h.journal
        XCTAssertTrue(j.ordered("created Net/main", before: "create Sub/child"))
        XCTAssertTrue(j.ordered("created Sub/child", before: "delete Sub/child"))
        XCTAssertTrue(j.ordered("deleted Sub/child", before: "delete Net/main"), "the old parent is in use by the old child")
        XCTAssertEqual(h.cloud.all.count, 2)
        XCTAssertEqual(h.rows.map(\.address), [.net("main"), .sub("child")])
    }

    func testWhatACreateBeforeDestroyResourceDependsOnIsReplacedTheSameWay() async throws {
        // As in Terraform: the parent's old half must outlive the child's old half, so the
        // parent cannot be deleted first even though it does not ask for create_before_destroy.
        let h = Harness()
        let program = { (cidr: String) in [
            decl(.net("main"), ["cidr": .string(cidr)]),
            decl(.sub("child"), ["parent": ref(.net("main"), "id")], lifecycle: Lifecycle(createBeforeDestroy: true)),
        ] }
        try await h.deploy(program("10.0.0.0/16"))
        h.journal.clear()
        let plan = try await h.plan(Program(declarations: program("10.1.0.0/16")))
        XCTAssertEqual(plan.action(.net("main")), .createThenDelete)
        XCTAssertEqual(plan.action(.sub("child")), .createThenDelete)
        let result = try await h.deploy(program("10.1.0.0/16"))
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertTrue(h.journal.ordered("deleted Sub/child", before: "delete Net/main"))
        XCTAssertEqual(h.cloud.all.count, 2)
        XCTAssertEqual(h.rows.map(\.address), [.net("main"), .sub("child")])
    }

    func testThatCarriesDownAWholeChain() async throws {
        let h = Harness()
        let program = { (cidr: String) in [
            decl(.net("g"), ["cidr": .string(cidr)]),
            decl(.sub("p"), ["parent": ref(.net("g"), "id")]),
            decl(.vm("c"), ["parent": ref(.sub("p"), "id")], lifecycle: Lifecycle(createBeforeDestroy: true)),
            decl(.vm("plain"), ["parent": ref(.net("g"), "id")]),
        ] }
        try await h.deploy(program("10.0.0.0/16"))
        let plan = try await h.plan(Program(declarations: program("10.1.0.0/16")))
        XCTAssertEqual(plan.changes.map(\.action), [.createThenDelete, .createThenDelete, .createThenDelete, .replace])
        let result = try await h.deploy(program("10.1.0.0/16"))
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.all.count, 4)
        XCTAssertEqual(h.rows.count, 4)
    }

    func testFailedCreateKeepsTheOldOneAndTheNextRunConverges() async throws {
        let h = Harness()
        try await h.deploy([net("10.0.0.0/16")])
        let oldID = try XCTUnwrap(h.id(.net("main")))
        h.cloud.failCreate(of: .net("main"))
        let plan = try await h.plan(Program(declarations: [net("10.1.0.0/16")]))
        let result = await h.engine.apply(plan, program: Program(declarations: [net("10.1.0.0/16")]), events: h.events.handler)
        XCTAssertEqual(result.failed, [.net("main")])
        XCTAssertEqual(result.skipped, [])
        XCTAssertNotNil(h.cloud.resource(id: oldID), "the old one is not deleted")
        XCTAssertEqual(h.row(Self.deposed)?.id, oldID, "and stays tracked")

        h.cloud.stopFailing()
        try await h.deploy([net("10.1.0.0/16")])
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertEqual(h.cloud.all.first?.props["cidr"], .string("10.1.0.0/16"))
        XCTAssertEqual(h.rows.map(\.address), [.net("main")])
    }
}

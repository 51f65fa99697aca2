// Removing a resource from the script deletes it, unless `retain` (forgotten, left in the
// cloud) or `protect` (the plan refuses). The flags reach state as soon as they change, even
// when nothing else does, so they still hold once the resource has left the script.

import XCTest
import ScwCore
import ScwEngine

final class ProtectRetainTests: XCTestCase {
    func testRemovedResourceIsDeleted() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("keep")), decl(.net("gone"))])
        let goneID = try XCTUnwrap(h.id(.net("gone")))

        let plan = try await h.plan(Program(declarations: [decl(.net("keep"))]))
        XCTAssertEqual(plan.action(.net("gone")), .delete)
        XCTAssertEqual(plan.action(.net("keep")), .noop)
        let result = try await h.deploy([decl(.net("keep"))])
        XCTAssertEqual(result.count(of: .delete), 1)
        XCTAssertNil(h.cloud.resource(id: goneID))
        XCTAssertNil(h.row(.net("gone")))
        XCTAssertNotNil(h.row(.net("keep")))
    }

    func testRemovedChildIsDeletedBeforeTheParentItReferenced() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("p")), decl(.sub("c"), ["parent": ref(.net("p"), "id")])])
        h.journal.clear()
        try await h.deploy([])
        XCTAssertTrue(h.journal.ordered("deleted Sub/c", before: "delete Net/p"))
        XCTAssertEqual(h.cloud.all, [])
    }

    func testRetainedResourceIsForgottenNotDeleted() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("bucket"), lifecycle: Lifecycle(retain: true))])
        let id = try XCTUnwrap(h.id(.net("bucket")))
        XCTAssertEqual(h.row(.net("bucket"))?.retain, true)

        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.action(.net("bucket")), .forget)
        XCTAssertFalse(plan.hasCloudChanges)
        let result = try await h.deploy([])
        XCTAssertEqual(result.count(of: .forget), 1)
        XCTAssertEqual(h.cloud.deleteCount, 0)
        XCTAssertNotNil(h.cloud.resource(id: id), "the cloud keeps it")
        XCTAssertNil(h.row(.net("bucket")), "state drops it")
    }

    func testProtectedRemovalIsAPlanError() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("db"), lifecycle: Lifecycle(protect: true))])
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.errors.count, 1)
        let message = try XCTUnwrap(plan.errors.first).description
        XCTAssertTrue(message.contains("Net/db"), message)
        XCTAssertTrue(message.contains("protect"), message)
        XCTAssertEqual(h.cloud.deleteCount, 0)
        XCTAssertNotNil(h.row(.net("db")))
    }

    func testApplyingAPlanWithAProtectErrorStillDeletesNothing() async throws {
        // A caller that ignores plan errors must not lose a protected resource.
        let h = Harness()
        try await h.deploy([decl(.net("db"), lifecycle: Lifecycle(protect: true)), decl(.net("tmp"))])
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertFalse(plan.errors.isEmpty)
        let result = await h.engine.apply(plan, program: Program(declarations: []), events: h.events.handler)
        XCTAssertEqual(result.failed, [.net("db")])
        XCTAssertNotNil(h.cloud.resource(.net("db")))
        XCTAssertNotNil(h.row(.net("db")))
        XCTAssertEqual(h.row(.net("db"))?.status, .created)
    }

    func testProtectRefusesAReplace() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("db"), ["cidr": .string("10.0.0.0/16")], lifecycle: Lifecycle(protect: true))])
        let plan = try await h.plan(Program(declarations: [
            decl(.net("db"), ["cidr": .string("10.1.0.0/16")], lifecycle: Lifecycle(protect: true), line: 7),
        ]))
        XCTAssertEqual(plan.errors.count, 1)
        XCTAssertEqual(plan.errors.first?.place, .script(SourceLocation(file: "infra.lua", line: 7)))
        XCTAssertTrue(plan.errors.first?.message.contains("cidr") == true)
        // An in-place update of a protected resource is fine.
        let update = try await h.plan(Program(declarations: [
            decl(.net("db"), ["cidr": .string("10.0.0.0/16"), "name": .string("x")], lifecycle: Lifecycle(protect: true)),
        ]))
        XCTAssertEqual(update.errors, [])
        XCTAssertEqual(update.action(.net("db")), .update)
    }

    func testProtectFromStateRefusesAReplaceEvenWhenTheScriptDropsIt() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("db"), ["cidr": .string("10.0.0.0/16")], lifecycle: Lifecycle(protect: true))])
        let plan = try await h.plan(Program(declarations: [decl(.net("db"), ["cidr": .string("10.1.0.0/16")])]))
        XCTAssertEqual(plan.errors.count, 1, "unprotect first, then replace")
    }

    func testDestroyRefusesProtectedAndForgetsRetained() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("db"), lifecycle: Lifecycle(protect: true)), decl(.net("logs"), lifecycle: Lifecycle(retain: true))])
        let plan = try await h.plan(Program(declarations: []), mode: .destroy)
        XCTAssertEqual(plan.errors.count, 1)
        XCTAssertTrue(plan.errors[0].message.contains("destroy"), plan.errors[0].message)
        XCTAssertEqual(plan.action(.net("logs")), .forget)
    }

    // MARK: flags alone

    func testAddingRetainAloneIsAStateOnlyChangeThatIsWritten() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("bucket"))])
        let writes = h.cloud.writeCount

        let retained = [decl(.net("bucket"), lifecycle: Lifecycle(retain: true))]
        let plan = try await h.plan(Program(declarations: retained))
        XCTAssertEqual(plan.action(.net("bucket")), .stateOnly)
        XCTAssertTrue(plan.hasAnyChange)
        XCTAssertFalse(plan.hasCloudChanges)
        let result = try await h.deploy(retained)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(h.cloud.writeCount, writes, "no cloud call for a flag")
        XCTAssertEqual(h.row(.net("bucket"))?.retain, true)
        XCTAssertEqual(h.row(.net("bucket"))?.outputs["id"], .string(h.id(.net("bucket"))!), "outputs kept")

        // Now it leaves the script: the flag saved in state still holds.
        try await h.deploy([])
        XCTAssertEqual(h.cloud.deleteCount, 0)
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertNil(h.row(.net("bucket")))
    }

    func testAddingProtectAloneIsWrittenAndHoldsAfterRemoval() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("db"))])
        try await h.deploy([decl(.net("db"), lifecycle: Lifecycle(protect: true))])
        XCTAssertEqual(h.row(.net("db"))?.protect, true)
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.errors.count, 1)

        // Removing protect alone is also written; then removal deletes.
        try await h.deploy([decl(.net("db"))])
        XCTAssertEqual(h.row(.net("db"))?.protect, false)
        try await h.deploy([])
        XCTAssertEqual(h.cloud.all, [])
    }

    func testFlagsAreSavedEvenWhenTheUpdateBesideThemFails() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("bucket"))])
        h.cloud.failUpdate(of: .net("bucket"))
        let plan = try await h.plan(Program(declarations: [decl(.net("bucket"), ["name": .string("new")], lifecycle: Lifecycle(retain: true))]))
        XCTAssertEqual(plan.action(.net("bucket")), .update)
        let result = await h.engine.apply(plan, program: Program(declarations: []), events: h.events.handler)
        XCTAssertEqual(result.failed, [.net("bucket")])
        XCTAssertEqual(h.row(.net("bucket"))?.retain, true, "the retain the user asked for is not lost")
        XCTAssertEqual(h.row(.net("bucket"))?.inputs["name"], .string("bucket"), "the failed update is not recorded")

        h.cloud.stopFailing()
        try await h.deploy([])
        XCTAssertEqual(h.cloud.deleteCount, 0)
        XCTAssertEqual(h.cloud.all.count, 1)
    }

    func testFlagsAreSavedEvenWhenADependencyFails() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("p")), decl(.sub("c"), ["parent": ref(.net("p"), "id")])])
        h.cloud.failUpdate(of: .net("p"))
        let program = Program(declarations: [
            decl(.net("p"), ["name": .string("renamed")]),
            decl(.sub("c"), ["parent": ref(.net("p"), "id")], lifecycle: Lifecycle(retain: true)),
        ])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.action(.sub("c")), .stateOnly)
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertEqual(result.failed, [.net("p")])
        XCTAssertEqual(result.skipped, [.sub("c")])
        XCTAssertEqual(h.row(.sub("c"))?.retain, true)
    }
}

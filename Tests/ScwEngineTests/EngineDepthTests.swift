// Import, renames and targets in the engine: adopting what exists without creating it,
// moving a state row without touching the cloud, and partial plans.

import XCTest
import ScwCore
import ScwEngine

final class ImportTests: XCTestCase {
    func testImportIDAdoptsTheResourceAndTagsItInTheOpen() async throws {
        let h = Harness()
        let existing = h.cloud.seed(.net("old"), props: ["name": .string("handmade"), "region": .string("fr-par")], owned: false)
        var lifecycle = Lifecycle()
        lifecycle.importID = existing.id
        let program = Program(declarations: [decl(.net("main"), ["name": .string("handmade")], lifecycle: lifecycle)])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.errors, [])
        XCTAssertEqual(plan.action(.net("main")), .importing)
        XCTAssertEqual(plan.action(.net("main"))?.symbol, "<=")
        XCTAssertEqual(plan.change(for: .net("main"))?.changes, [], "the script matches what exists: no prop changes")
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.createCount, 0, "nothing created")
        XCTAssertEqual(h.row(.net("main"))?.id, existing.id)
        XCTAssertEqual(h.row(.net("main"))?.status, .created)
        XCTAssertEqual(h.cloud.resource(id: existing.id)?.ownerTags, ProviderContext(stack: testStack, address: .net("main")).ownershipTags,
                       "the update added this stack's ownership tags")
        let again = try await h.plan(program)
        XCTAssertFalse(again.hasAnyChange, "import_id is ignored once the row exists")
    }

    func testImportOfAnotherStacksResourceIsRefusedWithItsName() async throws {
        let h = Harness()
        let theirs = h.cloud.seed(.net("main"), props: ["name": .string("x")], owned: true, stack: "prod")
        var lifecycle = Lifecycle()
        lifecycle.importID = theirs.id
        let plan = try await h.plan(Program(declarations: [decl(.net("main"), [:], lifecycle: lifecycle, line: 4)]))
        XCTAssertEqual(plan.errors.count, 1)
        XCTAssertTrue(plan.errors[0].description.contains("stack 'prod'"), "\(plan.errors)")
        XCTAssertTrue(plan.errors[0].description.contains("infra.lua:4"), "\(plan.errors)")
    }

    func testImportOfAMissingResourceIsALocatedError() async throws {
        let h = Harness()
        var lifecycle = Lifecycle()
        lifecycle.importID = "net-404"
        let plan = try await h.plan(Program(declarations: [decl(.net("main"), [:], lifecycle: lifecycle, line: 2)]))
        XCTAssertTrue(plan.errors.first?.description.contains("no Net with id net-404") == true, "\(plan.errors)")
    }

    func testImportCommandRecordsThenTheNextDeployTags() async throws {
        let h = Harness()
        let existing = h.cloud.seed(.net("x"), props: ["name": .string("handmade"), "region": .string("fr-par")], owned: false)
        let program = Program(declarations: [decl(.net("main"), ["name": .string("renamed")])])
        let row = try await h.engine.importResource(address: .net("main"), id: existing.id, program: program)
        XCTAssertEqual(row.status, .imported)
        XCTAssertEqual(h.cloud.writeCount, 0, "import writes state only")
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.action(.net("main")), .update)
        XCTAssertEqual(plan.change(for: .net("main"))?.changes.map(\.name), ["name"], "only the real difference")
        _ = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertEqual(h.cloud.resource(id: existing.id)?.props["name"], .string("renamed"))
        XCTAssertEqual(h.row(.net("main"))?.status, .created)
        do {
            _ = try await h.engine.importResource(address: .net("nope"), id: existing.id, program: program)
            XCTFail("an address the script does not declare is refused")
        } catch { XCTAssertTrue("\(error)".contains("declares no Net/nope"), "\(error)") }
    }
}

final class MoveTests: XCTestCase {
    func testMovedFromRenamesWithoutAnyCloudWrite() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("old"), ["name": .string("n")]), decl(.sub("s"), ["parent": ref(.net("old"), "id")])])
        let id = try XCTUnwrap(h.id(.net("old")))
        let writes = h.cloud.writeCount
        var lifecycle = Lifecycle()
        lifecycle.movedFrom = .net("old")
        let program = Program(declarations: [decl(.net("new"), ["name": .string("n")], lifecycle: lifecycle),
                                             decl(.sub("s"), ["parent": ref(.net("new"), "id")])])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.errors, [])
        XCTAssertEqual(plan.action(.net("new")), .stateOnly)
        XCTAssertEqual(plan.change(for: .net("new"))?.movedFrom, .net("old"))
        XCTAssertNil(plan.change(for: .net("old")), "the old address is not deleted")
        XCTAssertEqual(plan.action(.sub("s")), .noop, "the id is the same")
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.writeCount, writes, "zero cloud writes")
        XCTAssertEqual(h.id(.net("new")), id)
        XCTAssertNil(h.row(.net("old")))
        let again = try await h.plan(program)
        XCTAssertFalse(again.hasAnyChange)
    }

    func testMoveOntoAnAddressStateHoldsIsRefused() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a")), decl(.net("b"))])
        var lifecycle = Lifecycle()
        lifecycle.movedFrom = .net("a")
        let plan = try await h.plan(Program(declarations: [decl(.net("b"), [:], lifecycle: lifecycle, line: 9)]))
        XCTAssertTrue(plan.errors.first?.description.contains("cannot move Net/a onto Net/b") == true, "\(plan.errors)")
    }
}

final class TargetTests: XCTestCase {
    /// net ← sub ← vm, and an unrelated net.
    func program() -> Program {
        Program(declarations: [
            decl(.net("base")), decl(.sub("mid"), ["parent": ref(.net("base"), "id")]),
            decl(.vm("top"), ["parent": ref(.sub("mid"), "id")]), decl(.net("other")),
        ])
    }

    func testTargetAppliesItAndWhatItNeedsOnly() async throws {
        let h = Harness()
        let plan = try await h.engine.plan(program(), targets: [.sub("mid")])
        XCTAssertEqual(Set(plan.changes.map(\.address)), [.net("base"), .sub("mid")])
        XCTAssertEqual(plan.targets, [.sub("mid")])
        let result = await h.engine.apply(plan, program: program(), events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(Set(h.rows.map(\.address)), [.net("base"), .sub("mid")])
    }

    func testDestroyTargetTakesItAndItsDependantsOnly() async throws {
        let h = Harness()
        try await h.deploy(program())
        let plan = try await h.engine.plan(program(), mode: .destroy, targets: [.sub("mid")])
        XCTAssertEqual(Set(plan.changes.map(\.address)), [.sub("mid"), .vm("top")])
        let result = await h.engine.apply(plan, program: program(), events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(Set(h.rows.map(\.address)), [.net("base"), .net("other")])
    }

    func testAnUnknownTargetIsAnError() async throws {
        let h = Harness()
        let plan = try await h.engine.plan(program(), targets: [.vm("nope")])
        XCTAssertTrue(plan.errors.first?.description.contains("--target Vm/nope") == true, "\(plan.errors)")
    }
}

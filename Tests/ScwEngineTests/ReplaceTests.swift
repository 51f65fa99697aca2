// Update in place or replace, as the schema says; a replaced parent cascades to children that
// hold its id in a replace-only prop; deletes go children first, creates parents first.

import XCTest
import ScwCore
import ScwEngine

final class ReplaceTests: XCTestCase {
    func family(region: String = "fr-par", netName: String = "main", subTags: [String] = []) -> [Declaration] {
        [
            decl(.net("main"), ["region": .string(region), "name": .string(netName)]),
            decl(.sub("app"), ["parent": ref(.net("main"), "id"), "tags": .list(subTags.map(Value.string))]),
            decl(.vm("web"), ["parent": ref(.sub("app"), "id")]),
            decl(.vm("other"), ["name": .concat([.string("beside-"), ref(.net("main"), "address")])]),
        ]
    }

    func testInPlaceChangeIsAnUpdateKeepingTheID() async throws {
        let h = Harness()
        try await h.deploy(family())
        let id = try XCTUnwrap(h.id(.net("main")))

        let plan = try await h.plan(Program(declarations: family(netName: "renamed")))
        XCTAssertEqual(plan.action(.net("main")), .update)
        let change = try XCTUnwrap(plan.change(for: .net("main")))
        XCTAssertEqual(change.changes, [PropChange(name: "name", old: .string("main"), new: .string("renamed"), forcesReplacement: false)])
        XCTAssertEqual(plan.action(.sub("app")), .noop, "the id does not change on update")

        let result = await h.engine.apply(plan, program: Program(declarations: family(netName: "renamed")), events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.count(of: .update), 1)
        XCTAssertEqual(h.cloud.updateCount, 1)
        XCTAssertEqual(h.cloud.createCount, 4)
        XCTAssertEqual(h.id(.net("main")), id)
        XCTAssertEqual(h.cloud.resource(id: id)?.props["name"], .string("renamed"))
        XCTAssertEqual(h.row(.net("main"))?.inputs["name"], .string("renamed"))
    }

    func testReplaceOnlyPropReplacesAndCascades() async throws {
        let h = Harness()
        try await h.deploy(family())
        let old = (net: h.id(.net("main"))!, sub: h.id(.sub("app"))!, web: h.id(.vm("web"))!, other: h.id(.vm("other"))!)

        let program = Program(declarations: family(region: "nl-ams"))
        h.journal.clear()
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.action(.net("main")), .replace)
        XCTAssertEqual(plan.change(for: .net("main"))?.changes.filter(\.forcesReplacement).map(\.name), ["region"])
        // sub.parent = net.id becomes unknown, and parent forces replacement; so on down the chain.
        XCTAssertEqual(plan.action(.sub("app")), .replace)
        XCTAssertEqual(plan.change(for: .sub("app"))?.inputs["parent"], .unknown)
        XCTAssertEqual(plan.action(.vm("web")), .replace)
        // A reference held in an in-place prop only updates.
        XCTAssertEqual(plan.action(.vm("other")), .update)

        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(result.count(of: .replace), 3)

        let j = h.journal
        // Deletes: children before parents.
        XCTAssertTrue(j.ordered("deleted Vm/web", before: "delete Sub/app"))
        XCTAssertTrue(j.ordered("deleted Sub/app", before: "delete Net/main"))
        // Creates: parents before children, each with the new id.
        XCTAssertTrue(j.ordered("put Net/main created", before: "create Sub/app"))
        XCTAssertTrue(j.ordered("put Sub/app created", before: "create Vm/web"))

        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        let sub = try XCTUnwrap(h.cloud.resource(.sub("app")))
        let web = try XCTUnwrap(h.cloud.resource(.vm("web")))
        XCTAssertNotEqual(net.id, old.net)
        XCTAssertEqual(net.props["region"], .string("nl-ams"))
        XCTAssertEqual(sub.props["parent"], .string(net.id))
        XCTAssertEqual(web.props["parent"], .string(sub.id))
        XCTAssertNil(h.cloud.resource(id: old.net))
        XCTAssertNil(h.cloud.resource(id: old.sub))
        XCTAssertNil(h.cloud.resource(id: old.web))
        XCTAssertEqual(h.id(.vm("other")), old.other)
        XCTAssertEqual(h.cloud.resource(id: old.other)?.props["name"], .string("beside-\(FakeCloud.outputs(of: net)["address"]!.stringValue!)"))
        XCTAssertEqual(h.cloud.all.count, 4)

        let again = try await h.plan(program)
        XCTAssertFalse(again.hasAnyChange, "\(again.changes.map { ($0.address, $0.action) })")
    }

    func testReplaceOfALeafTouchesNothingElse() async throws {
        let h = Harness()
        try await h.deploy(family())
        var decls = family()
        decls[2].props["cidr"] = .string("10.9.0.0/16")
        h.journal.clear()
        let plan = try await h.plan(Program(declarations: decls))
        XCTAssertEqual(plan.changes.filter { $0.action != .noop }.map(\.address), [.vm("web")])
        XCTAssertEqual(plan.action(.vm("web")), .replace)
        let result = await h.engine.apply(plan, program: Program(declarations: decls), events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertTrue(h.journal.ordered("deleted Vm/web", before: "create Vm/web"), "delete before create by default")
    }

    func testUnsetPropIsNotAChangeAndSecretsCompareByValue() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a"), ["name": .secret(.string("s3cret")), "tags": .list([.string("x")])])])
        // Dropping `tags` from the script leaves the cloud's value alone; the same secret is no change.
        let plan = try await h.plan(Program(declarations: [decl(.net("a"), ["name": .secret(.string("s3cret"))])]))
        XCTAssertEqual(plan.action(.net("a")), .noop)
        // A changed secret is an update; the change keeps it wrapped.
        let changed = try await h.plan(Program(declarations: [decl(.net("a"), ["name": .secret(.string("other"))])]))
        XCTAssertEqual(changed.action(.net("a")), .update)
        XCTAssertEqual(changed.change(for: .net("a"))?.changes.first?.new, .secret(.string("other")))
    }

    /// The provider decides from the values: a size grows in place, a shrink replaces and the
    /// change carries the provider's reason.
    func testReplacementHookDecidesFromOldAndNewValues() async throws {
        let h = Harness()
        func disk(_ size: Int) -> Program { Program(declarations: [decl(.net("disk"), ["size": .int(Int64(size))])]) }
        try await h.deploy(disk(10))
        let id = try XCTUnwrap(h.id(.net("disk")))

        let grow = try await h.plan(disk(20))
        XCTAssertEqual(grow.action(.net("disk")), .update)
        XCTAssertEqual(grow.change(for: .net("disk"))?.changes,
                       [PropChange(name: "size", old: .int(10), new: .int(20), forcesReplacement: false)])
        let grown = await h.engine.apply(grow, program: disk(20), events: h.events.handler)
        XCTAssertTrue(grown.succeeded)
        XCTAssertEqual(h.id(.net("disk")), id, "grown in place")

        let shrink = try await h.plan(disk(5))
        XCTAssertEqual(shrink.action(.net("disk")), .replace)
        XCTAssertEqual(shrink.change(for: .net("disk"))?.changes,
                       [PropChange(name: "size", old: .int(20), new: .int(5), forcesReplacement: true, replacementReason: "size cannot shrink")])
        let shrunk = await h.engine.apply(shrink, program: disk(5), events: h.events.handler)
        XCTAssertTrue(shrunk.succeeded)
        XCTAssertNotEqual(h.id(.net("disk")), id, "replaced")
        XCTAssertNil(h.cloud.resource(id: id))
    }
}

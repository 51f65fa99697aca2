// Drift: what changed in the cloud behind scwlua's back shows in the plan and is undone.

import XCTest
import ScwCore
import ScwEngine

final class DriftTests: XCTestCase {
    func testResourceDeletedOutsideIsCreatedAgain() async throws {
        let h = Harness()
        let program = [decl(.net("main"), ["tags": .list([.string("a")])]), decl(.sub("child"), ["parent": ref(.net("main"), "id")])]
        try await h.deploy(program)
        let oldID = try XCTUnwrap(h.id(.net("main")))
        h.cloud.deleteOutside(id: oldID)

        let plan = try await h.plan(Program(declarations: program))
        XCTAssertEqual(plan.action(.net("main")), .create)
        XCTAssertEqual(plan.change(for: .net("main"))?.reason, "deleted outside scwlua")
        XCTAssertEqual(plan.action(.sub("child")), .replace, "its parent id will change")

        let result = try await h.deploy(program)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        XCTAssertNotEqual(net.id, oldID)
        XCTAssertEqual(h.id(.net("main")), net.id)
        XCTAssertEqual(h.cloud.resource(.sub("child"))?.props["parent"], .string(net.id))
        XCTAssertEqual(h.cloud.all.count, 2)
    }

    func testTagsChangedOutsideShowAnUpdate() async throws {
        let h = Harness()
        let program = [decl(.net("main"), ["tags": .list([.string("env:prod")])])]
        try await h.deploy(program)
        let id = try XCTUnwrap(h.id(.net("main")))
        h.cloud.mutateOutside(id: id) { $0.props["tags"] = .list([.string("env:prod"), .string("hand-made")]) }

        let plan = try await h.plan(Program(declarations: program))
        XCTAssertEqual(plan.action(.net("main")), .update)
        XCTAssertEqual(plan.change(for: .net("main"))?.changes, [
            PropChange(name: "tags", old: .list([.string("env:prod"), .string("hand-made")]), new: .list([.string("env:prod")]), forcesReplacement: false),
        ])
        try await h.deploy(program)
        XCTAssertEqual(h.cloud.resource(id: id)?.props["tags"], .list([.string("env:prod")]))
        let again = try await h.plan(Program(declarations: program))
        XCTAssertFalse(again.hasAnyChange)
    }

    func testReplaceOnlyPropChangedOutsideShowsAReplace() async throws {
        let h = Harness()
        let program = [decl(.net("main"), ["cidr": .string("10.0.0.0/16")])]
        try await h.deploy(program)
        h.cloud.mutateOutside(id: h.id(.net("main"))!) { $0.props["cidr"] = .string("10.9.0.0/16") }
        let plan = try await h.plan(Program(declarations: program))
        XCTAssertEqual(plan.action(.net("main")), .replace)
    }

    func testIgnoredPropDriftIsNoChange() async throws {
        let h = Harness()
        let program = [decl(.net("main"), ["tags": .list([.string("a")])], lifecycle: Lifecycle(ignoreChanges: ["tags"]))]
        try await h.deploy(program)
        h.cloud.mutateOutside(id: h.id(.net("main"))!) { $0.props["tags"] = .list([.string("managed-elsewhere")]) }
        let plan = try await h.plan(Program(declarations: program))
        XCTAssertEqual(plan.action(.net("main")), .noop)
    }

    func testAnUpdateLeavesIgnoredPropsAsTheCloudHasThem() async throws {
        let h = Harness()
        let program = { (name: String) in
            [decl(.net("main"), ["name": .string(name), "tags": .list([.string("a")])], lifecycle: Lifecycle(ignoreChanges: ["tags"]))]
        }
        try await h.deploy(program("one"))
        let id = try XCTUnwrap(h.id(.net("main")))
        h.cloud.mutateOutside(id: id) { $0.props["tags"] = .list([.string("managed-elsewhere")]) }
        let plan = try await h.plan(Program(declarations: program("two")))
        XCTAssertEqual(plan.action(.net("main")), .update)
        XCTAssertEqual(plan.change(for: .net("main"))?.changes.map(\.name), ["name"])
        try await h.deploy(program("two"))
        XCTAssertEqual(h.cloud.resource(id: id)?.props["name"], .string("two"))
        XCTAssertEqual(h.cloud.resource(id: id)?.props["tags"], .list([.string("managed-elsewhere")]),
                       "ignore_changes: the update does not put back the script's value")
    }

    func testRefreshStateReportsDriftAndDropsWhatIsGone() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a"), ["name": .string("a")]), decl(.net("b"))])
        h.cloud.mutateOutside(id: h.id(.net("a"))!) { $0.props["name"] = .string("hand") }
        h.cloud.deleteOutside(id: h.id(.net("b"))!)
        let report = try await h.engine.refreshState()
        XCTAssertEqual(report, ["Net/a: name changed outside scwlua: \"a\" -> \"hand\"", "Net/b: no longer exists; removed from state"])
        XCTAssertNil(h.row(.net("b")))
        XCTAssertNotNil(h.row(.net("a")))
    }
}

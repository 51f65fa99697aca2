// Diff: prop by prop, the schema says what updates in place and what replaces.

import XCTest
import ScwCore
import ScwEngine

final class DiffTests: XCTestCase {
    let schema = FakeProvider(type: "Net", cloud: FakeCloud()).schema

    func testSchemaDecidesUpdateOrReplace() {
        let changes = Diff.changes(schema: schema,
                                   old: ["name": .string("a"), "cidr": .string("10.0.0.0/16"), "region": .string("fr-par")],
                                   new: ["name": .string("b"), "cidr": .string("10.1.0.0/16"), "region": .string("fr-par")])
        XCTAssertEqual(changes, [
            PropChange(name: "name", old: .string("a"), new: .string("b"), forcesReplacement: false),
            PropChange(name: "cidr", old: .string("10.0.0.0/16"), new: .string("10.1.0.0/16"), forcesReplacement: true),
        ])
    }

    func testUnsetPropsAndNullsAreNotChanges() {
        XCTAssertEqual(Diff.changes(schema: schema, old: ["name": .string("a"), "tags": .list([])], new: ["name": .string("a")]), [])
        XCTAssertEqual(Diff.changes(schema: schema, old: [:], new: ["cidr": .null]), [])
        XCTAssertEqual(Diff.changes(schema: schema, old: ["cidr": .string("10.0.0.0/16")], new: ["cidr": .null]).map(\.name), ["cidr"],
                       "clearing a set prop is a change")
        XCTAssertEqual(Diff.changes(schema: schema, old: [:], new: ["tags": .list([.string("x")])]).map(\.name), ["tags"])
    }

    func testPropsOutsideTheSchemaAndIgnoredOnesAreSkipped() {
        XCTAssertEqual(Diff.changes(schema: schema, old: ["extra": .int(1)], new: ["extra": .int(2)]), [])
        XCTAssertEqual(Diff.changes(schema: schema, old: ["tags": .list([])], new: ["tags": .list([.string("x")])], ignoring: ["tags"]), [])
    }

    func testSecretsCompareByValueAndUnknownAlwaysDiffers() {
        XCTAssertTrue(Diff.same(.secret(.string("x")), .string("x")))
        XCTAssertFalse(Diff.same(.secret(.string("x")), .secret(.string("y"))))
        XCTAssertFalse(Diff.same(.unknown, .unknown))
        XCTAssertFalse(Diff.same(.string("a"), .list([.unknown])))
        XCTAssertTrue(Diff.same(.map(["a": .list([.int(1)])]), .map(["a": .list([.int(1)])])))
        let changes = Diff.changes(schema: schema, old: ["parent": .string("net-1")], new: ["parent": .unknown])
        XCTAssertEqual(changes, [PropChange(name: "parent", old: .string("net-1"), new: .unknown, forcesReplacement: true)])
    }

    func testCreationListsEverySetProp() {
        XCTAssertEqual(Diff.creation(schema: schema, inputs: ["name": .string("a"), "cidr": .null, "extra": .int(1)]),
                       [PropChange(name: "name", old: nil, new: .string("a"), forcesReplacement: false)])
    }

    func testPlanShowsEveryPropOfACreate() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [decl(.net("a"), ["tags": .list([.string("t")])])]))
        XCTAssertEqual(plan.change(for: .net("a"))?.changes.map(\.name), ["name", "region", "tags"])
        XCTAssertEqual(plan.count(of: .create), 1)
    }
}

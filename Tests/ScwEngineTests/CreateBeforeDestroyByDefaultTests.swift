// A resource type whose schema sets `createBeforeDestroyByDefault` (a Kubernetes pool) is
// replaced new-first without `lifecycle.create_before_destroy`; other types keep delete-first.

import XCTest
import ScwCore
import ScwEngine

final class CreateBeforeDestroyByDefaultTests: XCTestCase {
    func testTheSchemaFlagMakesReplacementsCreateFirst() async throws {
        let h = Harness(createBeforeDestroyByDefault: ["Net"])
        try await h.deploy([decl(.net("main"), ["cidr": .string("10.0.0.0/16")]), decl(.vm("web"), ["cidr": .string("10.0.0.0/24")])])
        let oldNet = try XCTUnwrap(h.id(.net("main")))
        h.journal.clear()
        let changed = [decl(.net("main"), ["cidr": .string("10.1.0.0/16")]), decl(.vm("web"), ["cidr": .string("10.1.0.0/24")])]
        let plan = try await h.plan(Program(declarations: changed))
        XCTAssertEqual(plan.action(.net("main")), .createThenDelete, "the schema asks for it")
        XCTAssertEqual(plan.action(.vm("web")), .replace, "types without the flag keep delete-first")
        let result = try await h.deploy(changed)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertTrue(h.journal.ordered("created Net/main", before: "delete Net/main"), "the new one exists before the old one goes")
        XCTAssertTrue(h.journal.ordered("delete Vm/web", before: "created Vm/web"))
        XCTAssertNil(h.cloud.resource(id: oldNet))
        XCTAssertEqual(h.cloud.all.count, 2)
        let again = try await h.plan(Program(declarations: changed))
        XCTAssertFalse(again.hasAnyChange)
    }
}

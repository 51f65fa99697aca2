// Nothing left behind: a row whose create may have happened is resolved by looking the
// resource up by its ownership tags, half-made or not, before anything is dropped; every
// further tagged match is deleted as a duplicate.

import XCTest
import ScwCore
import ScwEngine

final class HalfMadeTests: XCTestCase {
    static let inputs: [String: Value] = ["name": .string("main"), "region": .string("fr-par"), "cidr": .string("10.0.0.0/16")]
    static let net = decl(.net("main"), ["cidr": .string("10.0.0.0/16")])

    /// A crash after the create was sent: a half-made resource tagged ours, and an intent row.
    func crashed() -> (Harness, CloudResource) {
        let h = Harness()
        var props = Self.inputs
        props["pending"] = .bool(true)
        let half = h.cloud.seed(.net("main"), props: props)
        h.store.seed(ResourceState(address: .net("main"), status: .creating, inputs: Self.inputs))
        return (h, half)
    }

    func testDestroyDeletesWhatAnInterruptedCreateLeftHalfMade() async throws {
        let (h, half) = crashed()
        let plan = try await h.plan(Program(declarations: []), mode: .destroy)
        XCTAssertEqual(plan.action(.net("main")), .delete, "not a state-only drop")
        XCTAssertEqual(plan.change(for: .net("main"))?.prior?.id, half.id)
        try await h.destroy()
        XCTAssertEqual(h.cloud.all, [], "nothing left in the cloud")
        XCTAssertEqual(h.rows, [])
    }

    func testAScriptWithoutItDeletesIt() async throws {
        let (h, _) = crashed()
        let other = decl(.net("other"))
        let plan = try await h.plan(Program(declarations: [other]))
        XCTAssertEqual(plan.action(.net("main")), .delete)
        try await h.deploy([other])
        XCTAssertEqual(h.cloud.all.map(\.type), ["Net"])
        XCTAssertEqual(h.cloud.resource(.net("main")), nil)
        XCTAssertNotNil(h.cloud.resource(.net("other")))
    }

    func testDeployFinishesItWithoutADuplicate() async throws {
        let (h, half) = crashed()
        let plan = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertEqual(plan.action(.net("main")), .create)
        XCTAssertEqual(plan.change(for: .net("main"))?.reason, "finishing what an interrupted create left half-made")
        try await h.deploy([Self.net])
        XCTAssertEqual(h.cloud.all.map(\.id), [half.id], "finished in place")
        XCTAssertEqual(h.row(.net("main"))?.id, half.id)
    }

    func testRefreshKeepsTheRowAndSaysSo() async throws {
        let (h, half) = crashed()
        let report = try await h.engine.refreshState()
        XCTAssertEqual(h.row(.net("main"))?.status, .creating, "refresh drops nothing it may need to finish or delete")
        XCTAssertTrue(report.contains { $0.contains(half.id) && $0.contains("half-made") }, "\(report)")
        try await h.destroy()
        XCTAssertEqual(h.cloud.all, [])
    }

    func testEveryFurtherTaggedMatchIsDeletedAsADuplicate() async throws {
        let h = Harness()
        let first = h.cloud.seed(.net("main"), props: Self.inputs)
        let second = h.cloud.seed(.net("main"), props: Self.inputs)
        var halfProps = Self.inputs
        halfProps["pending"] = .bool(true)
        let third = h.cloud.seed(.net("main"), props: halfProps)
        h.store.seed(ResourceState(address: .net("main"), status: .creating, inputs: Self.inputs))

        let plan = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertEqual(plan.action(.net("main")), .stateOnly, "one complete match is adopted")
        let duplicates = plan.changes.filter { $0.address.name.hasPrefix("main~duplicate-") }
        XCTAssertEqual(duplicates.count, 2, "the plan shows the others: \(plan.changes.map(\.address))")
        XCTAssertTrue(duplicates.allSatisfy { $0.action == .delete && $0.reason?.contains("duplicate of Net/main") == true })
        XCTAssertEqual(Set(duplicates.compactMap(\.prior?.id)), [second.id, third.id])

        let result = await h.engine.apply(plan, program: Program(declarations: [Self.net]), events: h.events.handler)
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
        XCTAssertEqual(h.cloud.all.map(\.id), [first.id])
        XCTAssertEqual(h.rows.map(\.address), [.net("main")])
        XCTAssertEqual(h.row(.net("main"))?.id, first.id)
        let again = try await h.plan(Program(declarations: [Self.net]))
        XCTAssertFalse(again.hasAnyChange)
    }
}

final class DeclaredTimeoutTests: XCTestCase {
    func testDestroyHonoursTheDeclaredDeleteTimeout() async throws {
        let h = Harness()
        let net = Declaration(address: .net("slow"), props: [:], timeouts: Timeouts(delete: 15))
        let program = Program(declarations: [net])
        try await h.deploy(program)
        let plan = try await h.plan(program, mode: .destroy)
        XCTAssertEqual(plan.action(.net("slow")), .delete)
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(h.cloud.deleteTimeouts[.net("slow")]?.delete, 15, "the script's delete timeout reaches the provider")
    }
}

final class NumericRangeTests: XCTestCase {
    func testOutOfRangeNumberStopsThePlanAtItsLine() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [decl(.net("big"), ["size": .int(10_000_000_000)], line: 7)]))
        XCTAssertEqual(plan.errors.count, 1)
        XCTAssertTrue(plan.errors.first?.description.contains("'size' is 10000000000, out of range") == true, "\(plan.errors)")
        XCTAssertTrue(plan.errors.first?.description.contains("infra.lua:7") == true, "\(plan.errors)")
        XCTAssertEqual(h.cloud.writeCount, 0)
    }

    func testASecretNumberOutOfRangeIsNotShown() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [decl(.net("big"), ["size": .secret(.int(-5_000_000_000))], line: 3)]))
        let text = plan.errors.map(\.description).joined()
        XCTAssertTrue(text.contains("(sensitive value)"), text)
        XCTAssertFalse(text.contains("5000000000"), text)
    }
}

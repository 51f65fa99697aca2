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

    func testDeletingRowWhoseResourceIsGoneIsCleanedUp() async throws {
        let h = Harness()
        h.store.seed(ResourceState(address: .net("old"), id: "net-999", status: .deleting))
        let plan = try await h.plan(Program(declarations: []))
        XCTAssertEqual(plan.action(.net("old")), .stateOnly)
        XCTAssertFalse(plan.hasCloudChanges)
        try await h.deploy([])
        XCTAssertEqual(h.rows, [])
        XCTAssertEqual(h.cloud.deleteCount, 0)
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

    // MARK: kill at every instant

    /// v1 → v2 exercises create, update, replace with cascade, create-before-destroy (with a
    /// create-before-destroy child) and delete.
    static let v1 = [
        decl(.net("main"), ["cidr": .string("10.0.0.0/16")]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id")]),
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"), "name": .string("web")]),
        decl(.net("cbd"), ["cidr": .string("10.5.0.0/16")], lifecycle: Lifecycle(createBeforeDestroy: true)),
        decl(.vm("uses-cbd"), ["name": .concat([.string("on-"), ref(.net("cbd"), "id")])]),
        decl(.net("doomed")),
        decl(.sub("cbd-child"), ["parent": ref(.net("cbd"), "id")], lifecycle: Lifecycle(createBeforeDestroy: true)),
    ]
    static let v2 = [
        decl(.net("main"), ["cidr": .string("10.1.0.0/16")]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id")]),
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"), "name": .string("web2")]),
        decl(.net("cbd"), ["cidr": .string("10.6.0.0/16")], lifecycle: Lifecycle(createBeforeDestroy: true)),
        decl(.vm("uses-cbd"), ["name": .concat([.string("on-"), ref(.net("cbd"), "id")])]),
        decl(.vm("fresh"), ["parent": ref(.net("main"), "id")]),
        decl(.sub("cbd-child"), ["parent": ref(.net("cbd"), "id")], lifecycle: Lifecycle(createBeforeDestroy: true)),
    ]

    func testKilledAtAnyInstantOfAFirstDeployConverges() async throws {
        try await killEverywhere(from: [], to: Self.v1, parallelism: 1)
        try await killEverywhere(from: [], to: Self.v1, parallelism: 10)
    }

    func testKilledAtAnyInstantOfAChangeConverges() async throws {
        try await killEverywhere(from: Self.v1, to: Self.v2, parallelism: 1)
        try await killEverywhere(from: Self.v1, to: Self.v2, parallelism: 10)
    }

    func testKilledAtAnyInstantOfADestroyConverges() async throws {
        let instants = try await cleanRunInstants(from: Self.v1, to: nil, parallelism: 1)
        for n in 0...instants {
            let h = Harness(parallelism: 1)
            try await h.deploy(Self.v1)
            h.crash.arm(after: n)
            _ = try? await h.destroy()
            h.crash.disarm()
            let result = try await h.destroy()
            XCTAssertTrue(result.succeeded, "killed after \(n): \(result.outcomes)")
            XCTAssertEqual(h.cloud.all, [], "killed after \(n)")
            XCTAssertEqual(h.rows, [], "killed after \(n)")
        }
    }

    /// Writes a clean run from `from` to `to` (nil: destroy) makes.
    private func cleanRunInstants(from: [Declaration], to: [Declaration]?, parallelism: Int) async throws -> Int {
        let h = Harness(parallelism: parallelism)
        if !from.isEmpty { try await h.deploy(from) }
        h.crash.disarm()
        if let to { try await h.deploy(to) } else { try await h.destroy() }
        return h.crash.used
    }

    private func killEverywhere(from: [Declaration], to: [Declaration], parallelism: Int,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        let instants = try await cleanRunInstants(from: from, to: to, parallelism: parallelism)
        XCTAssertGreaterThan(instants, 5, file: file, line: line)
        for n in 0...instants {
            let h = Harness(parallelism: parallelism)
            if !from.isEmpty { try await h.deploy(from, file: file, line: line) }
            h.crash.arm(after: n)
            if let plan = try? await h.plan(Program(declarations: to)) {
                _ = await h.engine.apply(plan, program: Program(declarations: to), events: h.events.handler)
            }
            h.crash.disarm()

            let result = try await h.deploy(to, file: file, line: line)
            let context = "p=\(parallelism), killed after \(n) of \(instants) writes"
            XCTAssertTrue(result.succeeded, "\(context): \(result.outcomes)", file: file, line: line)
            assertConverged(h, to, context: context, file: file, line: line)
            let again = try await h.plan(Program(declarations: to))
            XCTAssertFalse(again.hasAnyChange, "\(context): \(again.changes.filter { $0.action != .noop }.map { "\($0.address) \($0.action)" })",
                           file: file, line: line)
        }
    }

    private func assertConverged(_ h: Harness, _ program: [Declaration], context: String,
                                 file: StaticString, line: UInt) {
        for d in program {
            XCTAssertEqual(h.cloud.resources(of: d.address).count, 1, "\(context): \(d.address) duplicated or missing", file: file, line: line)
            XCTAssertEqual(h.row(d.address)?.status, .created, "\(context): \(d.address)", file: file, line: line)
        }
        XCTAssertEqual(h.cloud.all.count, program.count, "\(context): leftovers \(h.cloud.all.map(\.ownerTags))", file: file, line: line)
        XCTAssertEqual(Set(h.cloud.all.map(\.id)), Set(h.rows.map(\.id)), "\(context): untracked or stale", file: file, line: line)
        XCTAssertEqual(h.rows.count, program.count, "\(context): \(h.rows.map(\.address))", file: file, line: line)
    }
}

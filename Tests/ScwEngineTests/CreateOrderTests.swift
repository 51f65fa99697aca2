// Deploy creates in dependency order; a child gets its parent's real id; state records the
// intent before each create and the id before moving on; stack outputs are resolved and saved.

import XCTest
import ScwCore
@testable import ScwEngine

final class CreateOrderTests: XCTestCase {
    /// net <- sub (parent = net.id) <- vm (parent = sub.id)
    static let chain = [
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"), "tags": .list([.string("env:prod")])]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id"), "cidr": .string("10.0.1.0/24")]),
        decl(.net("main"), ["cidr": .string("10.0.0.0/16")]),
    ]

    func testCreatesParentsBeforeChildrenWithRealIDs() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: Self.chain))
        XCTAssertEqual(plan.changes.map(\.address), [.net("main"), .sub("app"), .vm("web")])
        XCTAssertEqual(plan.changes.map(\.action), [.create, .create, .create])
        XCTAssertEqual(plan.change(for: .sub("app"))?.inputs["parent"], .unknown, "known after apply")

        let result = await h.engine.apply(plan, program: Program(declarations: Self.chain), events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(result.count(of: .create), 3)
        XCTAssertEqual(h.cloud.createCount, 3)

        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        let sub = try XCTUnwrap(h.cloud.resource(.sub("app")))
        let vm = try XCTUnwrap(h.cloud.resource(.vm("web")))
        XCTAssertEqual(sub.props["parent"], .string(net.id))
        XCTAssertEqual(vm.props["parent"], .string(sub.id))
        XCTAssertEqual(vm.props["tags"], .list([.string("env:prod")]))
        XCTAssertEqual(vm.ownerTags, ["scwlua:stack=test", "scwlua:urn=Vm/web"])

        XCTAssertTrue(h.journal.ordered("created Net/main", before: "create Sub/app"))
        XCTAssertTrue(h.journal.ordered("created Sub/app", before: "create Vm/web"))

        // State: ids, resolved inputs, outputs, dependencies.
        let subRow = try XCTUnwrap(h.row(.sub("app")))
        XCTAssertEqual(subRow.id, sub.id)
        XCTAssertEqual(subRow.status, .created)
        XCTAssertEqual(subRow.inputs["parent"], .string(net.id))
        XCTAssertEqual(subRow.inputs["name"], .string("app"), "normalized inputs are saved")
        XCTAssertEqual(subRow.outputs["id"], .string(sub.id))
        XCTAssertEqual(subRow.dependencies, [.net("main")])
        XCTAssertEqual(result.resourceOutputs[.vm("web")]?["id"], .string(vm.id))
    }

    func testPlanWritesNothing() async throws {
        let h = Harness()
        try await h.deploy(Self.chain)
        h.store.clearWrites()
        var changed = Self.chain
        changed[2].props["cidr"] = .string("10.9.0.0/16")
        changed.append(decl(.net("new")))
        let plan = try await h.plan(Program(declarations: Array(changed.dropFirst())))
        XCTAssertTrue(plan.hasCloudChanges)
        XCTAssertEqual(h.store.writes, [])
        XCTAssertEqual(h.cloud.writeCount, 3)
    }

    func testIntentIsRecordedBeforeCreateAndIDBeforeDependants() async throws {
        let h = Harness()
        let store = h.store
        let seen = Locked<[ResourceAddress: ResourceState.Status?]>([:])
        h.cloud.onCreate { address in
            let status = store.row(address)?.status
            seen.withLock { $0[address] = status }
        }
        try await h.deploy(Self.chain)

        XCTAssertEqual(seen.get, [.net("main"): .creating, .sub("app"): .creating, .vm("web"): .creating])
        for a in ["Net/main", "Sub/app", "Vm/web"] {
            XCTAssertTrue(h.journal.ordered("put \(a) creating", before: "create \(a)"), a)
            XCTAssertTrue(h.journal.ordered("created \(a)", before: "put \(a) created"), a)
        }
        // The parent's id is durable before the child's create starts.
        XCTAssertTrue(h.journal.ordered("put Net/main created", before: "create Sub/app"))
        XCTAssertTrue(h.journal.ordered("put Sub/app created", before: "create Vm/web"))
        // One row written at a time: two puts per create, nothing else.
        XCTAssertEqual(h.store.writes.count, 6)
    }

    func testDependsOnOrdersWithoutReferences() async throws {
        let h = Harness()
        try await h.deploy([
            decl(.net("b"), dependsOn: [.net("a")]),
            decl(.net("a")),
            decl(.net("c"), dependsOn: [.net("b")]),
        ])
        XCTAssertTrue(h.journal.ordered("created Net/a", before: "create Net/b"))
        XCTAssertTrue(h.journal.ordered("created Net/b", before: "create Net/c"))
        XCTAssertEqual(h.row(.net("c"))?.dependencies, [.net("b")])
    }

    func testStackOutputsAreResolvedAndSaved() async throws {
        let h = Harness()
        let program = Program(declarations: Self.chain, outputs: [
            "vm_id": ref(.vm("web"), "id"),
            "endpoint_ip": ref(.vm("web"), "endpoint", "ip"),
            "dsn": .concat([.string("postgres://app@"), ref(.vm("web"), "endpoint", "ip"), .string(":"),
                            ref(.vm("web"), "endpoint", "port"), .string("/app")]),
            "token": ref(.vm("web"), "token"),
            "literal": .int(42),
        ])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.outputs["vm_id"], .unknown)
        XCTAssertEqual(plan.outputs["dsn"], .unknown)
        XCTAssertEqual(plan.outputs["literal"], .int(42))

        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        let vm = try XCTUnwrap(h.cloud.resource(.vm("web")))
        let ip = try XCTUnwrap(CloudResourceOutputs.ip(of: vm))
        let expected: [String: Value] = [
            "vm_id": .string(vm.id),
            "endpoint_ip": .string(ip),
            "dsn": .string("postgres://app@\(ip):5432/app"),
            "token": .secret(.string("token-\(vm.id)")),
            "literal": .int(42),
        ]
        XCTAssertEqual(result.outputs, expected)
        XCTAssertEqual(try h.store.outputs(stack: testStack), expected)

        // A re-plan knows them all.
        let again = try await h.plan(program)
        XCTAssertEqual(again.outputs, expected)
    }

    func testTimeoutsReachTheProvider() async throws {
        let h = Harness()
        let timeouts = Timeouts(create: 1200, update: 60, delete: 300)
        try await h.deploy([Declaration(address: .net("slow"), props: [:], timeouts: timeouts), decl(.net("plain"))])
        XCTAssertEqual(h.cloud.createTimeouts[.net("slow")], timeouts)
        XCTAssertEqual(h.cloud.createTimeouts[.net("plain")], Timeouts())
    }

    func testEventsReportEachCreate() async throws {
        let h = Harness()
        try await h.deploy(Self.chain)
        let started = h.events.all.compactMap { e -> ResourceAddress? in
            if case .started(let a, .create) = e { return a }
            return nil
        }
        let finished = h.events.all.compactMap { e -> ResourceAddress? in
            if case .finished(let a, .create, _) = e { return a }
            return nil
        }
        XCTAssertEqual(Set(started), [.net("main"), .sub("app"), .vm("web")])
        XCTAssertEqual(Set(finished), Set(started))
    }
}

enum CloudResourceOutputs {
    static func ip(of r: CloudResource) -> String? { FakeCloud.outputs(of: r)["endpoint"]?["ip"]?.stringValue }
}

// Props a type declares unique together (a load balancer frontend's LB and port): two
// declarations sharing them are refused at plan time, located at the second one, whether the
// shared value is a literal or a reference to a resource not created yet.

import XCTest
import ScwCore
import ScwEngine

/// A FakeProvider whose `parent` and `cidr` must not be shared by two declarations.
private struct UniqueFake: ResourceProvider {
    let inner: FakeProvider
    var schema: ResourceSchema {
        var s = inner.schema
        s.uniqueTogether = [["parent", "cidr"]]
        return s
    }
    func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] { try inner.normalize(inputs, context: context) }
    func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult { try await inner.create(inputs, context: context) }
    func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        try await inner.read(id: id, inputs: inputs, context: context)
    }
    func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await inner.update(id: id, from: old, to: new, context: context)
    }
    func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws { try await inner.delete(id: id, inputs: inputs, context: context) }
    func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] { try await inner.find(inputs: inputs, context: context) }
}

final class UniqueTogetherTests: XCTestCase {
    private func planner() -> Planner {
        let cloud = FakeCloud(journal: Journal(), crash: CrashSwitch())
        return Planner(registry: ProviderRegistry([FakeProvider(type: "Net", cloud: cloud), UniqueFake(inner: FakeProvider(type: "Sub", cloud: cloud))]),
                       stack: testStack, transformer: nil)
    }

    func testTwoDeclarationsSharingTheGroupAreRefused() async throws {
        let program = Program(declarations: [
            decl(.net("main"), ["cidr": .string("10.0.0.0/16")], line: 2),
            decl(.sub("a"), ["parent": ref(.net("main"), "id"), "cidr": .string("10.0.1.0/24")], line: 3),
            decl(.sub("b"), ["parent": ref(.net("main"), "id"), "cidr": .string("10.0.1.0/24")], line: 4),
            decl(.sub("c"), ["parent": ref(.net("main"), "id"), "cidr": .string("10.0.2.0/24")], line: 5),
        ])
        let plan = try await planner().plan(program: program, state: [], refreshed: [:], mode: .deploy)
        XCTAssertEqual(plan.errors.count, 1, "\(plan.errors)")
        let message = plan.errors.first.map { "\($0)" } ?? ""
        XCTAssertTrue(message.contains("infra.lua:4"), message)
        XCTAssertTrue(message.contains("parent and cidr already used by Sub/a"), message)
    }

    func testAMissingValueClaimsNothing() async throws {
        let program = Program(declarations: [
            decl(.sub("a"), ["cidr": .string("10.0.1.0/24")]),
            decl(.sub("b"), ["cidr": .string("10.0.1.0/24")]),
        ])
        let plan = try await planner().plan(program: program, state: [], refreshed: [:], mode: .deploy)
        XCTAssertEqual(plan.errors, [])
    }
}

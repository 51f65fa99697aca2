// Dependency graph: order, dependants, cycles; and the plan errors that come from edges.

import XCTest
import ScwCore
@testable import ScwEngine

final class GraphTests: XCTestCase {
    let a = ResourceAddress.net("a"), b = ResourceAddress.net("b"), c = ResourceAddress.net("c"), d = ResourceAddress.net("d")

    func testTopologicalOrderPutsDependenciesFirstAndIsStable() throws {
        let g = DependencyGraph(edges: [c: [b, a], b: [a], a: [], d: []])
        XCTAssertEqual(try g.topologicalOrder(), [a, b, c, d])
        XCTAssertEqual(g.dependents(of: a), [b, c])
        XCTAssertEqual(g.transitiveDependents(of: a), [b, c])
        XCTAssertEqual(g.transitiveDependents(of: d), [])
    }

    func testEdgesToUnknownNodesAreIgnored() throws {
        let g = DependencyGraph(edges: [a: [ResourceAddress.net("elsewhere")]])
        XCTAssertEqual(try g.topologicalOrder(), [a])
    }

    func testCycleIsADiagnosticNamingIt() {
        let g = DependencyGraph(edges: [a: [b], b: [c], c: [a], d: [a]])
        XCTAssertThrowsError(try g.topologicalOrder()) { error in
            let diag = error as? Diagnostic
            XCTAssertEqual(diag?.message, "dependency cycle: Net/a -> Net/b -> Net/c -> Net/a")
            XCTAssertNotNil(diag?.hint)
        }
    }

    func testSelfReferenceIsACycle() {
        XCTAssertThrowsError(try DependencyGraph(edges: [a: [a]]).topologicalOrder()) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "dependency cycle: Net/a -> Net/a")
        }
    }

    func testPlanOfACycleFailsWithTheCycleNamed() async throws {
        let h = Harness()
        let program = Program(declarations: [
            decl(.net("a"), ["name": ref(.net("b"), "id")]),
            decl(.net("b"), dependsOn: [.net("a")]),
        ])
        do {
            _ = try await h.plan(program)
            XCTFail("expected a cycle")
        } catch let diag as Diagnostic {
            XCTAssertTrue(diag.message.contains("Net/a -> Net/b -> Net/a"), diag.message)
        }
        XCTAssertEqual(h.cloud.writeCount, 0)
    }

    func testReferenceToAnUndeclaredResourceIsAPlanError() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [
            decl(.net("a"), ["parent": ref(.net("ghost"), "id")], line: 12),
            decl(.net("b"), dependsOn: [.vm("ghost2")]),
        ]))
        XCTAssertEqual(plan.errors.count, 2)
        XCTAssertEqual(plan.errors[0].description, "infra.lua:12: references Net/ghost, which the script does not declare")
        XCTAssertEqual(plan.errors[1].place, .resource(.net("b")))
        XCTAssertTrue(plan.errors[1].message.contains("Vm/ghost2"))
    }

    func testTwoDeclarationsWithOneAddressAreAPlanError() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [
            decl(.net("a"), ["name": .string("first")], line: 1),
            decl(.net("a"), ["name": .string("second")], line: 2),
        ]))
        XCTAssertEqual(plan.errors.map(\.description), ["infra.lua:2: Net/a is declared twice (first at infra.lua:1)"])
    }

    func testUnknownTypeAndBadInputAreLocatedPlanErrors() async throws {
        let h = Harness()
        let plan = try await h.plan(Program(declarations: [
            decl(ResourceAddress(type: "Bucket", name: "x"), line: 3),
            decl(.net("a"), ["cidr": .string("not-a-cidr")], line: 9),
            decl(.net("fine")),
        ]))
        XCTAssertEqual(plan.errors.map(\.description), [
            "infra.lua:3: unknown resource type Bucket",
            "infra.lua:9: cidr: 'not-a-cidr' is not a CIDR block",
        ])
        XCTAssertEqual(plan.action(.net("fine")), .create)
    }

    func testOperationGraphOfAReplaceCascade() throws {
        // Parent replaced (delete first), child replaced: child down < parent down < parent up < child up.
        let parentRow = ResourceState(address: a, id: "1")
        let childRow = ResourceState(address: b, id: "2", dependencies: [a])
        let plan = Plan(stack: testStack, changes: [
            PlannedChange(address: a, action: .replace, prior: parentRow, declaration: decl(a)),
            PlannedChange(address: b, action: .replace, prior: childRow, declaration: decl(b, ["parent": ref(a, "id")])),
        ], outputs: [:])
        let g = OperationGraph(plan: plan)
        typealias N = OperationGraph.Node
        XCTAssertEqual(g.dependencies[N(address: a, phase: .down)], [N(address: b, phase: .down)])
        XCTAssertEqual(g.dependencies[N(address: a, phase: .up)], [N(address: a, phase: .down)])
        XCTAssertEqual(Set(g.dependencies[N(address: b, phase: .up)]!), [N(address: a, phase: .up), N(address: b, phase: .down)])
        XCTAssertTrue(g.isLast(N(address: a, phase: .up)))
        XCTAssertFalse(g.isLast(N(address: a, phase: .down)))
    }
}

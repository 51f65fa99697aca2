// Invariant 1, exhaustively: kill the process after each possible number of writes (state
// rows and cloud calls) of a run, then run again; the result must be exactly the declared
// resources, each once, all tracked, and a re-plan with nothing to do.

import XCTest
import ScwCore
import ScwEngine

final class KillAnywhereTests: XCTestCase {
    static let cbd = Lifecycle(createBeforeDestroy: true)

    /// v1 → v2: create, update, replace with cascade, create-before-destroy (of a retained
    /// resource: retain is about removal, its old half still goes) with a create-before-destroy
    /// child, a flag change, delete.
    static let v1 = [
        decl(.net("main"), ["cidr": .string("10.0.0.0/16")]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id")]),
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"), "name": .string("web")]),
        decl(.net("cbd"), ["cidr": .string("10.5.0.0/16")], lifecycle: Lifecycle(retain: true, createBeforeDestroy: true)),
        decl(.vm("uses-cbd"), ["name": .concat([.string("on-"), ref(.net("cbd"), "id")])]),
        decl(.net("doomed")),
        decl(.sub("cbd-child"), ["parent": ref(.net("cbd"), "id")], lifecycle: cbd),
    ]
    static let v2 = [
        decl(.net("main"), ["cidr": .string("10.1.0.0/16")]),
        decl(.sub("app"), ["parent": ref(.net("main"), "id")]),
        decl(.vm("web"), ["parent": ref(.sub("app"), "id"), "name": .string("web2")]),
        decl(.net("cbd"), ["cidr": .string("10.6.0.0/16")], lifecycle: Lifecycle(retain: true, createBeforeDestroy: true)),
        decl(.vm("uses-cbd"), ["name": .concat([.string("on-"), ref(.net("cbd"), "id")])], lifecycle: Lifecycle(retain: true)),
        decl(.vm("fresh"), ["parent": ref(.net("main"), "id")]),
        decl(.sub("cbd-child"), ["parent": ref(.net("cbd"), "id")], lifecycle: cbd),
    ]
    /// v2 → v3: a whole chain removed while a child moves off it, a retained removal,
    /// updates, a flag change, a new resource ordered by depends_on.
    static let v3 = [
        decl(.net("cbd"), ["cidr": .string("10.6.0.0/16")], lifecycle: Lifecycle(protect: true, createBeforeDestroy: true)),
        decl(.vm("fresh"), ["parent": ref(.net("cbd"), "id")]),
        decl(.sub("cbd-child"), ["parent": ref(.net("cbd"), "id"), "tags": .list([.string("v3")])], lifecycle: cbd),
        decl(.net("late"), dependsOn: [.sub("cbd-child")]),
    ]

    func testFirstDeploy() async throws {
        try await killEverywhere(history: [], to: Self.v1, parallelism: 1)
        try await killEverywhere(history: [], to: Self.v1, parallelism: 10)
    }

    func testChange() async throws {
        try await killEverywhere(history: [Self.v1], to: Self.v2, parallelism: 1)
        try await killEverywhere(history: [Self.v1], to: Self.v2, parallelism: 10)
    }

    func testRemovalsRetainAndMoves() async throws {
        try await killEverywhere(history: [Self.v1, Self.v2], to: Self.v3, leftovers: 1, parallelism: 1)
        try await killEverywhere(history: [Self.v1, Self.v2], to: Self.v3, leftovers: 1, parallelism: 10)
    }

    func testKilledTwice() async throws {
        // Killed during the change, then again during the recovery, then left to finish.
        let first = try await instants(history: [Self.v1], to: Self.v2, parallelism: 1)
        for n in stride(from: 0, through: first, by: 2) {
            for m in stride(from: 0, through: 24, by: 3) {
                let h = Harness(parallelism: 1)
                try await h.deploy(Self.v1)
                await killedRun(h, Self.v2, after: n)
                await killedRun(h, Self.v2, after: m)
                try await finish(h, Self.v2, leftovers: 0, context: "killed after \(n), then after \(m)")
            }
        }
    }

    func testDestroy() async throws {
        let count = try await instants(history: [Self.v1], to: nil, parallelism: 1)
        for n in 0...count {
            let h = Harness(parallelism: 1)
            try await h.deploy(Self.v1)
            h.crash.arm(after: n)
            _ = try? await h.destroy()
            h.crash.disarm()
            let result = try await h.destroy()
            XCTAssertTrue(result.succeeded, "killed after \(n): \(result.outcomes)")
            XCTAssertEqual(h.cloud.all.map(\.ownerTags), [["scwlua:stack=test", "scwlua:urn=Net/cbd"]], "killed after \(n): only the retained one stays")
            XCTAssertEqual(h.rows, [], "killed after \(n)")
        }
    }

    // MARK: helpers

    /// Writes a clean run to `to` (nil: destroy) makes after `history` was deployed.
    private func instants(history: [[Declaration]], to: [Declaration]?, parallelism: Int) async throws -> Int {
        let h = Harness(parallelism: parallelism)
        for v in history { try await h.deploy(v) }
        h.crash.disarm()
        if let to { try await h.deploy(to) } else { try await h.destroy() }
        return h.crash.used
    }

    private func killedRun(_ h: Harness, _ to: [Declaration], after n: Int) async {
        h.crash.arm(after: n)
        if let plan = try? await h.plan(Program(declarations: to)) {
            _ = await h.engine.apply(plan, program: Program(declarations: to), events: h.events.handler)
        }
        h.crash.disarm()
    }

    private func killEverywhere(history: [[Declaration]], to: [Declaration], leftovers: Int = 0, parallelism: Int,
                                file: StaticString = #filePath, line: UInt = #line) async throws {
        let count = try await instants(history: history, to: to, parallelism: parallelism)
        XCTAssertGreaterThan(count, 5, file: file, line: line)
        for n in 0...count {
            let h = Harness(parallelism: parallelism)
            for v in history { try await h.deploy(v, file: file, line: line) }
            await killedRun(h, to, after: n)
            try await finish(h, to, leftovers: leftovers, context: "p=\(parallelism), killed after \(n) of \(count) writes",
                             file: file, line: line)
        }
    }

    /// Runs to the end and checks convergence; `leftovers` resources may stay in the cloud
    /// untracked (retained ones).
    private func finish(_ h: Harness, _ program: [Declaration], leftovers: Int, context: String,
                        file: StaticString = #filePath, line: UInt = #line) async throws {
        let result = try await h.deploy(program, file: file, line: line)
        XCTAssertTrue(result.succeeded, "\(context): \(result.outcomes)", file: file, line: line)
        for d in program {
            XCTAssertEqual(h.cloud.resources(of: d.address).count, 1, "\(context): \(d.address) duplicated or missing", file: file, line: line)
            XCTAssertEqual(h.row(d.address)?.status, .created, "\(context): \(d.address)", file: file, line: line)
            XCTAssertEqual(h.row(d.address)?.protect, d.lifecycle.protect, "\(context): \(d.address)", file: file, line: line)
        }
        XCTAssertEqual(h.rows.count, program.count, "\(context): \(h.rows.map(\.address))", file: file, line: line)
        XCTAssertEqual(h.cloud.all.count, program.count + leftovers, "\(context): \(h.cloud.all.map(\.ownerTags))", file: file, line: line)
        XCTAssertTrue(Set(h.rows.map(\.id)).isSubset(of: Set(h.cloud.all.map(\.id))), "\(context): stale rows", file: file, line: line)
        let again = try await h.plan(Program(declarations: program))
        XCTAssertFalse(again.hasAnyChange, "\(context): \(again.changes.filter { $0.action != .noop }.map { "\($0.address) \($0.action)" })",
                       file: file, line: line)
    }
}

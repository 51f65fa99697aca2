// RandomizedCrashTests: a stack of ten resources of four types; the deploy (then the destroy)
// is killed with SIGKILL right after the emulator processed its request N, before the answer
// went back, for every N. Then a randomly chosen next command runs (deploy, destroy, refresh,
// plan, or a deploy of the script with one resource removed), then a deploy and a destroy.
// At every step the emulator's control API shows no duplicate and nothing untracked.
// The seed is printed; SCWLUA_CRASH_SEED replays a run.

import Foundation
import ScwTestSupport
import XCTest

/// The client to kill when the emulator has processed a given number of API requests.
final class KillSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32 = 0
    private var target = 0
    private var seen = 0
    private(set) var fired = false

    func arm(pid: Int32, afterRequest n: Int) { lock.withLock { self.pid = pid; target = n; seen = 0; fired = false } }
    func disarm() { lock.withLock { pid = 0 } }
    var requestsSeen: Int { lock.withLock { seen } }

    /// Called by the emulator once per request, before it answers.
    func observe(_ line: String) {
        guard !line.contains("/__emulator/") else { return }
        lock.withLock {
            seen += 1
            if pid > 0, seen == target, !fired {
                kill(pid, SIGKILL)
                fired = true
            }
        }
    }
}

/// A small deterministic generator (xorshift64*), so that a printed seed replays a run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

final class RandomizedCrashTests: IntegrationCase {
    static let all: Set<String> = [
        "Vpc/a", "Vpc/b", "VpcPrivateNetwork/a1", "VpcPrivateNetwork/a2", "VpcPrivateNetwork/a3",
        "VpcPrivateNetwork/b1", "VpcPrivateNetwork/b2", "InstanceIp/ip1", "InstanceIp/ip2", "SecurityGroup/fw",
    ]

    static func script(without removed: String? = nil) -> String {
        var lines = ["local scw = require \"scaleway\""]
        lines.append("local a = scw.Vpc \"a\" { tags = { \"crash\" } }")
        lines.append("local b = scw.Vpc \"b\" { tags = { \"crash\" } }")
        for (vpc, names) in [("a", ["a1", "a2", "a3"]), ("b", ["b1", "b2"])] {
            for name in names where name != removed {
                lines.append("scw.VpcPrivateNetwork \"\(name)\" { vpc = \(vpc), tags = { \"n:\(name)\" } }")
            }
        }
        for ip in ["ip1", "ip2"] where ip != removed { lines.append("scw.InstanceIp \"\(ip)\" { tags = { \"crash\" } }") }
        lines.append("scw.SecurityGroup \"fw\" { rules = { { port = 22 } } }")
        return lines.joined(separator: "\n") + "\n"
    }

    let killer = KillSwitch()

    /// No urn has two cloud resources; every tagged resource of the stack is in state by its
    /// id, or is what a row left `creating` is about (found by its tags on the next run).
    func assertAccounted(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let tagged = try cloud.stackResources(stack)
        let rows = try stateList(file: file, line: line)
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.urn ?? "(no urn)", default: []].append(r) }
        for (urn, list) in byURN where list.count > 1 {
            XCTFail("\(context): duplicate cloud resources for \(urn): \(list)", file: file, line: line)
        }
        let ids = Set(rows.map(\.uuid))
        let intents = Set(rows.filter { $0.status == "creating" }.map(\.address))
        for r in tagged where !ids.contains(r.id) && !intents.contains(r.urn ?? "") {
            XCTFail("\(context): untracked cloud resource \(r); state: \(rows)", file: file, line: line)
        }
        XCTAssertEqual(try cloud.untaggedExtras(), [], "\(context): untagged resources", file: file, line: line)
    }

    /// Runs `arguments` and kills it after the emulator processed its request `n`.
    func runKilled(_ arguments: [String], afterRequest n: Int) throws -> Bool {
        let running = try CLI.start(arguments, in: dir, environment: environment)
        killer.arm(pid: running.pid, afterRequest: n)
        let r = running.wait(timeout: 60)
        killer.disarm()
        XCTAssertFalse(r.timedOut, "\(arguments) hung: \(r)")
        return killer.fired
    }

    /// How many API requests a command makes, run to completion.
    func requestCount(_ body: () throws -> RunResult) throws -> Int {
        killer.arm(pid: 0, afterRequest: Int.max)
        expectSuccess(try body(), "counting run")
        let n = killer.requestsSeen
        killer.disarm()
        return n
    }

    func testKillAfterEveryRequestThenARandomCommandConverges() throws {
        let seed = ProcessInfo.processInfo.environment["SCWLUA_CRASH_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
        print("RandomizedCrashTests seed: \(seed) (SCWLUA_CRASH_SEED=\(seed) replays it)")
        var rng = SeededGenerator(seed: seed)
        let killer = self.killer
        try startCloud(log: { killer.observe($0) })
        try writeScript(Self.script())

        stack = "count"
        let deployRequests = try requestCount { try deploy() }
        let destroyRequests = try requestCount { try destroy() }
        XCTAssertGreaterThanOrEqual(deployRequests, 10)
        print("RandomizedCrashTests: a deploy makes \(deployRequests) requests, a destroy \(destroyRequests)")

        var killed = 0
        for phase in ["deploy", "destroy"] {
            let total = phase == "deploy" ? deployRequests : destroyRequests
            for n in stride(from: 1, through: total, by: 1) {
                stack = "\(phase)-\(n)"
                try writeScript(Self.script())
                if phase == "destroy" { expectSuccess(try deploy(), "setting up the destroy") }
                if try runKilled([phase, "infra.lua"] + target + ["--yes"], afterRequest: n) { killed += 1 }
                let context = "\(phase) killed after request \(n) (seed \(seed))"
                try assertAccounted(context)

                let next = ["deploy", "destroy", "refresh", "plan", "remove-one"].randomElement(using: &rng)!
                switch next {
                case "deploy": expectSuccess(try deploy(), "\(context), then deploy")
                case "destroy": expectSuccess(try destroy(), "\(context), then destroy")
                case "refresh": expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "\(context), then refresh")
                case "plan": expectSuccess(try plan(), "\(context), then plan")
                default:
                    let removed = ["a2", "b1", "ip2"].randomElement(using: &rng)!
                    try writeScript(Self.script(without: removed))
                    expectSuccess(try deploy(), "\(context), then a deploy without \(removed)")
                    try writeScript(Self.script())
                }
                try assertAccounted("\(context), then \(next)")

                expectSuccess(try deploy(), "\(context), \(next), then deploy")
                try assertConverged(expected: Self.all, "\(context), \(next), then deploy")
                expectSuccess(try destroy(), "\(context), \(next), deploy, then destroy")
                XCTAssertEqual(try cloud.stackResources(stack), [], "\(context): destroy left resources")
                XCTAssertEqual(try stateList(), [], "\(context): destroy left state")
            }
        }
        XCTAssertGreaterThan(killed, (deployRequests + destroyRequests) / 2, "most kills should land while the command runs")
    }
}

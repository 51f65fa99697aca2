// ComputeResilienceTests: compute stacks through kill -9 while a server powers on, and through
// 429/503 storms while servers are created and terminated. Afterwards the stack and the cloud
// agree (ComputeCase.assertComputeConverged): one server per urn, every tagged server, IP,
// volume and group in state, root volumes accounted for, and a no-op plan.

import Foundation
import ScwTestSupport
import ScwEmulator
import XCTest

final class ComputeResilienceTests: ComputeCase {
    static let fleet: Set<String> = [
        "SecurityGroup/fw", "InstanceIp/ip-1", "InstanceIp/ip-2", "Instance/app-1", "Instance/app-2",
        "InstanceVolume/data", "Instance/app-3",
    ]

    /// Runs `body` (a deploy or destroy) until it succeeds, at most `maxRuns` times.
    @discardableResult
    private func untilSuccess(_ what: String, maxRuns: Int, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () throws -> RunResult) throws -> [RunResult] {
        var runs: [RunResult] = []
        for _ in 0..<maxRuns {
            let r = try body()
            runs.append(r)
            XCTAssertFalse(r.signaled || r.timedOut, "\(what) crashed or hung: \(r)", file: file, line: line)
            if r.succeeded { return runs }
        }
        XCTFail("\(what) did not succeed in \(maxRuns) runs; last: \(runs.last!)", file: file, line: line)
        return runs
    }

    // MARK: 1b. kill -9 just after the create, then another command than deploy

    /// Kills a deploy of examples/web-server.lua as soon as its server exists (still tagged
    /// pending), then runs `refresh` (which must keep the row) or goes straight to `destroy`:
    /// the destroy deletes the half-made server and everything else, and waits on nothing.
    func testKillAfterServerCreateThenDestroyLeavesNothing() throws {
        try startCloud(speed: 2)
        try writeScript(Self.webServerScript())
        for (n, refreshFirst) in [false, true].enumerated() {
            stack = "halfmade\(n)"
            let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
            var serverID: String?
            let deadline = Date().addingTimeInterval(30)
            while running.isRunning, Date() < deadline, serverID == nil {
                serverID = try cloud.stackResources(stack).first { $0.kind == "server" }?.id
                if serverID == nil { usleep(1_000) }
            }
            _ = running.kill()
            let id = try XCTUnwrap(serverID, "the deploy made no server before it ended")
            XCTAssertTrue(try cloud.stackResources(stack).contains { $0.id == id && $0.tags.contains("scwlua:pending") },
                          "the kill left a half-made (pending) server")
            if refreshFirst {
                let r = expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh after the kill")
                XCTAssertTrue(r.combined.contains("half-made"), "refresh says what it found: \(r)")
                XCTAssertTrue(try stateList().contains { $0.address == "Instance/web" }, "refresh keeps the row")
            }
            expectSuccess(try destroy(), "destroy after the kill (bounded by the run's time limit: it must not wait on a server still in use)")
            XCTAssertEqual(try cloud.stackResources(stack), [], "nothing of the stack is left in the cloud")
            XCTAssertEqual(try stateList(), [])
        }

        // `state rm` of such a row does what it is told, but warns with the tags to look for.
        stack = "halfmade-rm"
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while running.isRunning, Date() < deadline, try !cloud.stackResources(stack).contains(where: { $0.kind == "server" }) { usleep(1_000) }
        _ = running.kill()
        let row = try XCTUnwrap(try stateList().first { $0.address == "Instance/web" })
        XCTAssertEqual(row.status, "creating")
        let rm = expectSuccess(try scwlua(["state", "rm", "Instance/web"] + location))
        XCTAssertTrue(rm.stderr.contains("warning:") && rm.stderr.contains("scwlua:urn=Instance/web") && rm.stderr.contains("scwlua:stack=halfmade-rm"), "\(rm)")
    }

    // MARK: 2. kill -9 during power-on

    /// Kills the deploy of examples/web-server.lua at several instants around the server's
    /// power-on: just after the server exists (before it is powered on), as soon as it is
    /// `starting`, and at 40%, 80% and 100% of its `starting` window. The instants are found
    /// by watching the emulator, not by timing the run. Each starts from an empty stack; each
    /// re-run converges (one server, nothing untracked, no half-made server left) and a plan
    /// afterwards is a no-op.
    func testKillDuringPowerOnThenRerunConverges() throws {
        let speed = 2.0                      // a power-on lasts 2 s / speed
        let window = 2.0 / speed
        try startCloud(speed: speed)
        try writeScript(Self.webServerScript())

        let points: [(label: String, startingFraction: Double?)] = [
            ("server created", nil), ("starting +0%", 0), ("starting +40%", 0.4), ("starting +80%", 0.8), ("starting +100%", 1.0),
        ]
        var killedWhileStarting = 0
        for (n, point) in points.enumerated() {
            stack = "poweron\(n)"
            let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
            var serverID: String?
            var sawStarting = false
            let deadline = Date().addingTimeInterval(30)
            while running.isRunning, Date() < deadline {
                if serverID == nil { serverID = try cloud.stackResources(stack).first { $0.kind == "server" }?.id }
                if let id = serverID {
                    if point.startingFraction == nil { break }
                    if try server(id)?["state"] as? String == "starting" { sawStarting = true; break }
                }
                usleep(2_000)
            }
            if let fraction = point.startingFraction, sawStarting { usleep(useconds_t(window * fraction * 1_000_000)) }
            let stateAtKill = try serverID.flatMap { try server($0)?["state"] as? String } ?? "(no server yet)"
            let wasRunning = running.isRunning
            let killed = running.kill()
            XCTAssertFalse(killed.timedOut)
            XCTAssertNotNil(serverID, "\(point.label): the deploy made no server before it ended: \(killed)")
            if point.startingFraction != nil, sawStarting, wasRunning, stateAtKill == "starting" { killedWhileStarting += 1 }
            print("kill -9 at '\(point.label)': deploy \(wasRunning ? "killed" : "had finished"), server \(stateAtKill)")

            let rerun = try deploy(timeout: 120)
            expectSuccess(rerun, "re-run after the kill at '\(point.label)' (server was \(stateAtKill))")
            try assertComputeConverged(expected: Self.webServer, "after the kill at '\(point.label)' and a re-run")
            let servers = try cloud.stackResources(stack).filter { $0.kind == "server" }
            XCTAssertEqual(servers.count, 1, "\(point.label): servers of the stack: \(servers)")
            let row = try XCTUnwrap(try rowsByAddress()["Instance/web"])
            XCTAssertEqual(try outputsJSON()["server_id"] as? String, row.id, "\(point.label)")
            if let first = serverID {
                XCTAssertEqual(row.uuid, first, "\(point.label): the re-run should finish the server the killed run made, not make another")
            }
            try assertNoChange("after the kill at '\(point.label)' and a re-run")
        }
        XCTAssertGreaterThanOrEqual(killedWhileStarting, 3, "most kills should land while the server is starting")
    }

    /// Kills a destroy while its servers are being terminated or stopped (as soon as one is
    /// `stopping`, then half-way and at the end of that window); a re-run finishes it with
    /// nothing left: no server, IP, volume, group, nor an orphaned root volume.
    func testKillDuringTerminateThenDestroyRerunLeavesNothing() throws {
        let speed = 2.0
        let window = 2.0 / speed
        try startCloud(speed: speed)
        try writeScript(Fixture.text("compute_fleet.lua"))
        var killedWhileStopping = 0
        for (n, fraction) in [0.0, 0.5, 1.0].enumerated() {
            stack = "terminate\(n)"
            expectSuccess(try deploy(timeout: 120), "deploy of stack \(stack)")
            let servers = Set(try cloud.stackResources(stack).filter { $0.kind == "server" }.map(\.id))
            XCTAssertEqual(servers.count, 3)
            let running = try CLI.start(["destroy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
            var sawStopping = false
            let deadline = Date().addingTimeInterval(30)
            while running.isRunning, !sawStopping, Date() < deadline {
                for id in servers {
                    if try server(id)?["state"] as? String == "stopping" { sawStopping = true }
                }
                if !sawStopping { usleep(2_000) }
            }
            if sawStopping { usleep(useconds_t(window * fraction * 1_000_000)) }
            let wasRunning = running.isRunning
            _ = running.kill()
            let left = try cloud.stackResources(stack).map { "\($0.kind):\($0.urn ?? "?")" }.sorted()
            if sawStopping, wasRunning { killedWhileStopping += 1 }
            print("kill -9 of a destroy at stopping +\(Int(fraction * 100))%: \(wasRunning ? "killed" : "had finished"), left \(left)")

            expectSuccess(try destroy(), "destroy re-run after the kill at stopping +\(Int(fraction * 100))% (left then: \(left))")
            XCTAssertEqual(try cloud.stackResources(stack), [], "left behind after the kill at stopping +\(Int(fraction * 100))%")
            XCTAssertEqual(try untaggedLeftovers(), [], "untagged leftovers (root volumes?) after the kill at stopping +\(Int(fraction * 100))%")
            XCTAssertEqual(try stateList(), [], "state after the kill at stopping +\(Int(fraction * 100))%")
        }
        XCTAssertGreaterThanOrEqual(killedWhileStopping, 2, "the kills should land while servers are stopping")
    }

    // MARK: 3. 429 storms

    /// 40% 429 and 10% 503 on every API request while three servers (two with flexible IPs,
    /// one with a dynamic IP and a local volume), two IPs, a volume and a group are created,
    /// then while they are deleted (terminate for the two running servers without extra
    /// volumes). Throttling is retried: no orphan, no duplicate, nothing left.
    func testComputeDeployAndTerminateConvergeThrough429Storms() throws {
        let storm = FaultRates(rate429: 0.4, rate503: 0.1)
        try startCloud(faults: storm, speed: 50)
        try writeScript(Fixture.text("compute_fleet.lua"))

        let runs = try untilSuccess("deploy through a 429 storm", maxRuns: 3) { try deploy(timeout: 120) }
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")
        cloud.setFaults(.none)
        try assertComputeConverged(expected: Self.fleet, "after deploy through a 429 storm (\(runs.count) run(s))")
        let rows = try rowsByAddress()
        for i in 1...2 {
            let ip = try XCTUnwrap(rows["InstanceIp/ip-\(i)"])
            let server = try XCTUnwrap(rows["Instance/app-\(i)"])
            XCTAssertEqual((try flexibleIP(ip.uuid)?["server"] as? [String: Any])?["id"] as? String, server.uuid, "ip-\(i) on app-\(i)")
        }
        try assertNoChange("after deploy through a 429 storm")

        cloud.setFaults(storm)
        try cloud.resetStats()
        let destroys = try untilSuccess("destroy through a 429 storm", maxRuns: 3) { try destroy() }
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected during destroy")
        cloud.setFaults(.none)
        XCTAssertTrue(destroys.contains { $0.stdout.contains("Instance/app-1: terminating") }, "app-1 should go by terminate: \(destroys.last!)")
        XCTAssertEqual(try cloud.stackResources(), [], "destroy left tagged resources")
        XCTAssertEqual(try untaggedLeftovers(), [], "destroy left untagged resources (root volumes, dynamic IPs...)")
        XCTAssertEqual(try stateList(), [])
    }
}

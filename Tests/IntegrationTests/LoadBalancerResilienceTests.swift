// LoadBalancerResilienceTests: the load balancer example through kill -9 (during the LB's
// creation, during the backend's creation, during destroy) and through 30% 429 + 10% 503 on
// every API request: each re-run converges with no duplicate LB, IP, backend or frontend, and a
// destroy leaves nothing.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest

final class LoadBalancerResilienceTests: LoadBalancerCase {
    /// A fresh emulator cloud and state for one kill point.
    private func fresh(_ name: String) throws {
        try cloud.reset()
        try? FileManager.default.removeItem(atPath: stateDir)
        stack = name
    }

    /// Starts a deploy (or destroy), waits until `ready` says so (bounded), waits `delay`, kills it.
    private func killDuring(_ command: String, delay: Double, label: String, until ready: () throws -> Bool) throws -> Bool {
        let running = try CLI.start([command, "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        let deadline = Date().addingTimeInterval(60)
        var reached = false
        while running.isRunning, Date() < deadline {
            if try ready() { reached = true; break }
            usleep(2_000)
        }
        if reached { usleep(useconds_t(delay * 1_000_000)) }
        let wasRunning = running.isRunning
        let killed = running.kill()
        XCTAssertFalse(killed.timedOut, label)
        XCTAssertTrue(reached, "\(label): the point to kill at was never reached: \(killed)")
        print("kill -9 of \(command) at '\(label)': \(wasRunning ? "killed" : "had finished")")
        return wasRunning
    }

    /// kill -9 as soon as the LB exists, while it is being created, and as soon as the backend
    /// exists; each re-run converges on the same LB (resumed, not duplicated), then plans nothing.
    func testKillDuringCreationThenRerunConverges() throws {
        try startCloud(speed: 2)   // an LB takes ~1.2 s to become ready, a server 1 s to power on
        try writeScript(try Self.example())
        let points: [(label: String, kind: String, delay: Double)] = [
            ("LB just created", "lb", 0), ("LB creating +0.6s", "lb", 0.6), ("backend just created", "lb_backend", 0),
        ]
        var killedMidway = 0
        for (n, point) in points.enumerated() {
            try fresh("create\(n)")
            var firstLB: String?
            let wasRunning = try killDuring("deploy", delay: point.delay, label: point.label) {
                let found = try cloud.resources().first { $0.kind == point.kind }
                if let found, point.kind == "lb" { firstLB = found.id }
                return found != nil
            }
            if wasRunning { killedMidway += 1 }
            if firstLB == nil { firstLB = try cloud.resources().first { $0.kind == "lb" }?.id }

            expectSuccess(try deploy(timeout: 120), "re-run after the kill at '\(point.label)'")
            try assertLBConverged(servers: 2, acls: 1, "after the kill at '\(point.label)' and a re-run")
            XCTAssertEqual(try rowsByAddress()["LoadBalancer/web"]?.uuid, firstLB, "\(point.label): the re-run finishes the LB the killed run made")
            try assertNoChange("after the kill at '\(point.label)' and a re-run")
        }
        XCTAssertGreaterThanOrEqual(killedMidway, 2, "the kills should land while the deploy runs")
    }

    /// kill -9 of a destroy once the frontends are gone, and once the backend is; the
    /// destroy re-run leaves nothing.
    func testKillDuringDestroyThenRerunLeavesNothing() throws {
        try startCloud(speed: 2)
        try writeScript(try Self.example())
        let points: [(label: String, delay: Double, ready: (Cloud) throws -> Bool)] = [
            ("frontends deleted", 0, { try $0.resources().filter { $0.kind == "lb_frontend" }.isEmpty }),
            ("backend deleted", 0, { try $0.resources().filter { $0.kind == "lb_backend" }.isEmpty }),
        ]
        for (n, point) in points.enumerated() {
            try fresh("destroy\(n)")
            expectSuccess(try deploy(timeout: 120), "deploy before the kill at '\(point.label)'")
            _ = try killDuring("destroy", delay: point.delay, label: point.label) { try point.ready(cloud) }
            expectSuccess(try destroy(), "destroy re-run after the kill at '\(point.label)'")
            XCTAssertEqual(try stateList(), [], point.label)
            let left = try cloud.resources().filter { !$0.isDefaultVPC && !Self.isDefaultSecurityGroup($0) }
            XCTAssertEqual(left, [], "\(point.label): left behind")
        }
    }

    /// Runs `body` until it succeeds, at most 3 times (a run may give up on retries; the next resumes).
    @discardableResult
    private func untilSuccess(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> RunResult) throws -> Int {
        for run in 1...3 {
            let r = try body()
            XCTAssertFalse(r.signaled || r.timedOut, "\(what) crashed or hung: \(r)", file: file, line: line)
            if r.succeeded { return run }
            print("\(what): run \(run) failed: \(r.stderr.suffix(400))")
        }
        XCTFail("\(what) did not succeed in 3 runs", file: file, line: line)
        return 3
    }

    /// 30% 429 and 10% 503 on every API request through the whole example: deploy, a no-op
    /// plan (without faults), destroy. Retried or resumed: no duplicate, nothing left.
    func testExampleConvergesThrough429And503() throws {
        let storm = FaultRates(rate429: 0.3, rate503: 0.1)
        try startCloud(faults: storm, speed: 50)
        try writeScript(try Self.example())
        let runs = try untilSuccess("deploy through 429/503") { try deploy(timeout: 180) }
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")
        cloud.setFaults(.none)
        try assertLBConverged(servers: 2, acls: 1, "after deploying through 429/503 (\(runs) run(s))")
        try assertNoChange("after deploying through 429/503")

        cloud.setFaults(storm)
        try cloud.resetStats()
        try untilSuccess("destroy through 429/503") { try destroy() }
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected during destroy")
        cloud.setFaults(.none)
        XCTAssertEqual(try stateList(), [])
        XCTAssertEqual(try cloud.resources().filter { !$0.isDefaultVPC && !Self.isDefaultSecurityGroup($0) }, [], "left after destroy")
    }
}

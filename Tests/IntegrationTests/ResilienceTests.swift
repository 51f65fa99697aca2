// ResilienceTests: a ten-resource stack deployed through injected faults (429, 503, dropped
// connections) and through kill -9 at many instants. Afterwards the cloud and state must agree:
// one cloud resource per urn, nothing untracked, every state row real, and a no-op plan.

import Foundation
import ScwTestSupport
import ScwEmulator
import XCTest

final class ResilienceTests: IntegrationCase {
    static let fleet: Set<String> = {
        var all: Set<String> = []
        for region in ["fr-par", "nl-ams"] {
            all.insert("Vpc/vpc-\(region)")
            for i in 1...4 { all.insert("VpcPrivateNetwork/pn-\(region)-\(i)") }
        }
        return all
    }()

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

    // MARK: 10. Faults

    func testDeployConvergesThrough429And503() throws {
        try startCloud(faults: FaultRates(rate429: 0.3, rate503: 0.1))
        try writeScript(Fixture.text("fleet.lua"))
        // Throttling and 503s are retried: the first run is expected to succeed. (A 503 is
        // answered without processing, so a create is never ambiguous here.)
        let runs = try untilSuccess("deploy with 429/503", maxRuns: 3) { try deploy(timeout: 120) }
        XCTAssertEqual(runs.count, 1, "429/503 should be retried within one run; runs: \(runs)")
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")

        cloud.setFaults(.none)
        try assertConverged(expected: Self.fleet, "after deploy with 429/503")
        try assertNoopPlan("after deploy with 429/503")

        cloud.setFaults(FaultRates(rate429: 0.3, rate503: 0.1))
        try untilSuccess("destroy with 429/503", maxRuns: 3) { try destroy() }
        cloud.setFaults(.none)
        XCTAssertEqual(try cloud.stackResources(), [], "destroy left resources")
        XCTAssertEqual(try stateList(), [])
    }

    func testDeployConvergesThroughDroppedConnections() throws {
        try startCloud(faults: FaultRates(rateDrop: 0.1))
        try writeScript(Fixture.text("fleet.lua"))
        // A dropped POST is ambiguous (processed, no answer): the run may fail that resource,
        // and the next run must adopt the tagged resource instead of creating it again. Three
        // stacks, so that some drops surely happen (about 3 x 20 requests at 10%).
        for n in 0..<3 {
            stack = "drops\(n)"
            cloud.setFaults(FaultRates(rateDrop: 0.1))
            let runs = try untilSuccess("deploy with drops (stack \(stack))", maxRuns: 4) { try deploy(timeout: 120) }
            for r in runs.dropLast() {
                XCTAssertFalse(r.stderr.isEmpty, "a failed run said nothing on stderr: \(r)")
            }
            cloud.setFaults(.none)
            try assertConverged(expected: Self.fleet, "stack \(stack) after deploy with drops (\(runs.count) runs)")
            try assertNoopPlan("stack \(stack) after deploy with drops")

            cloud.setFaults(FaultRates(rateDrop: 0.1))
            try untilSuccess("destroy with drops (stack \(stack))", maxRuns: 4) { try destroy() }
            cloud.setFaults(.none)
            XCTAssertEqual(try cloud.stackResources(stack), [], "destroy left resources in stack \(stack)")
            XCTAssertEqual(try stateList(), [], "state of stack \(stack) after destroy")
        }
        XCTAssertEqual(try cloud.untaggedExtras(), [])
    }

    /// DESIGN section 4: "a create is never blindly re-sent after an ambiguous failure". Every
    /// POST the emulator receives must be one the client sent on purpose (and logged with
    /// --debug): with half the requests dropped, a transport that silently re-sends a POST on a
    /// fresh connection makes the emulator count more POSTs than the client logged.
    func testDroppedCreateIsNeverResentBlindly() throws {
        try startCloud(faults: FaultRates(rateDrop: 0.5))
        try writeScript(Fixture.text("fleet.lua"))
        var loggedPosts = 0
        var runs: [RunResult] = []
        for _ in 0..<6 {
            let r = try deploy(["--debug"], timeout: 120)
            runs.append(r)
            loggedPosts += r.stderr.split(separator: "\n").filter { $0.hasPrefix("api: POST ") }.count
            if r.succeeded { break }
        }
        let received = try cloud.stats().byMethod["POST"] ?? 0
        print("50% drops: \(runs.count) run(s), exits \(runs.map(\.status)), \(loggedPosts) POSTs logged, \(received) received, \(try cloud.stats().faultsInjected) faults")
        XCTAssertEqual(received, loggedPosts, "the emulator received \(received) POSTs, the client logged \(loggedPosts): some were re-sent behind the client's back")
        cloud.setFaults(.none)
        var tries = 0
        while tries < 3, !(try deploy().succeeded) { tries += 1 }
        try assertConverged(expected: Self.fleet, "after deploys with 50% drops (\(runs.count) runs)")
    }

    // MARK: 11. kill -9

    /// Kills a deploy at eight instants spread over its run; each time a re-run converges with
    /// no duplicate and no orphan, and a plan afterwards is a no-op. Each instant starts from an
    /// empty stack. The instants are fractions of an uninterrupted deploy's duration, measured
    /// first, so they land inside the run however fast this machine is.
    func testKillDuringDeployAtManyPointsThenRerunConverges() throws {
        try startCloud(latencyMs: 150)
        try writeScript(Fixture.text("fleet.lua"))
        let slow = ["--parallelism", "3"]   // more steps, so more distinct states to be killed in

        stack = "baseline"
        let started = Date()
        expectSuccess(try deploy(slow, timeout: 120), "uninterrupted deploy")
        let duration = Date().timeIntervalSince(started)
        try assertConverged(expected: Self.fleet, "baseline")

        let fractions = [0.05, 0.15, 0.3, 0.4, 0.5, 0.65, 0.8, 0.95]
        var killedWhileRunning = 0
        for (n, fraction) in fractions.enumerated() {
            stack = "crash\(n)"
            let t = duration * fraction
            let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"] + slow, in: dir, environment: environment)
            usleep(useconds_t(t * 1_000_000))
            let wasRunning = running.isRunning
            let killed = running.kill()
            if wasRunning { killedWhileRunning += 1 }
            XCTAssertFalse(killed.timedOut)
            let createdBeforeRerun = try cloud.stackResources(stack).count

            let rerun = try deploy(timeout: 120)
            expectSuccess(rerun, "re-run after kill at \(t)s (stack \(stack), \(createdBeforeRerun) in the cloud at the kill)")
            if wasRunning, createdBeforeRerun > 0, createdBeforeRerun < 10 {
                // Killed mid-apply, so it held the lock: the re-run breaks it and says so.
                XCTAssertTrue(rerun.stdout.contains("stale lock"), "the re-run should report the broken lock of pid \(running.pid): \(rerun)")
            }
            try assertConverged(expected: Self.fleet, "after kill at \(String(format: "%.2f", t))s (\(createdBeforeRerun) created before) and a re-run")
            let p = try plan()
            XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "plan after kill at \(t)s: \(p)")
            print("kill -9 at \(String(format: "%.2f", t))s of \(String(format: "%.2f", duration))s: \(wasRunning ? "killed" : "already done"), \(createdBeforeRerun)/10 in the cloud")
        }
        XCTAssertGreaterThanOrEqual(killedWhileRunning, 3, "most kills should land while the deploy runs")
    }

    /// Kills a replace (region change: delete the networks and the VPC, create them again) at
    /// instants spread over it; each re-run converges on the new region with nothing left over.
    func testKillDuringReplaceThenRerunConverges() throws {
        try startCloud(latencyMs: 100)
        let before = try Fixture.network(region: "fr-par")
        let after = try Fixture.network(region: "nl-ams")

        stack = "baseline"
        try writeScript(before)
        expectSuccess(try deploy(), "baseline deploy")
        try writeScript(after)
        let started = Date()
        expectSuccess(try deploy(), "baseline replace")
        let duration = Date().timeIntervalSince(started)

        for (n, fraction) in [0.1, 0.3, 0.5, 0.7, 0.9].enumerated() {
            stack = "replace\(n)"
            try writeScript(before)
            expectSuccess(try deploy(), "deploy in fr-par (stack \(stack))")
            try writeScript(after)
            let t = duration * fraction
            let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
            usleep(useconds_t(t * 1_000_000))
            _ = running.kill()
            let inCloud = try cloud.stackResources(stack).map { "\($0.urn ?? "?")@\($0.region)" }.sorted()

            expectSuccess(try deploy(), "re-run after kill at \(t)s of the replace (cloud then: \(inCloud))")
            try assertConverged(expected: LifecycleTests.all, "after kill at \(String(format: "%.2f", t))s of the replace, cloud then \(inCloud)")
            XCTAssertEqual(Set(try cloud.stackResources(stack).map(\.region)), ["nl-ams"])
            let p = try plan()
            XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "plan after kill at \(t)s of the replace: \(p)")
            print("kill -9 at \(String(format: "%.2f", t))s of a \(String(format: "%.2f", duration))s replace: cloud held \(inCloud)")
        }
    }

    /// Kills a destroy at a few instants; a re-run finishes it with nothing left behind.
    func testKillDuringDestroyThenRerunFinishesIt() throws {
        try startCloud(latencyMs: 150)
        try writeScript(Fixture.text("fleet.lua"))
        for (n, t) in [0.2, 0.5, 0.9].enumerated() {
            stack = "destroy\(n)"
            expectSuccess(try deploy(timeout: 120), "deploy of stack \(stack)")
            let running = try CLI.start(["destroy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
            usleep(useconds_t(t * 1_000_000))
            _ = running.kill()
            expectSuccess(try destroy(), "destroy re-run after kill at \(t)s")
            XCTAssertEqual(try cloud.stackResources(stack), [], "left behind after kill at \(t)s")
            XCTAssertEqual(try stateList(), [], "state after kill at \(t)s")
        }
        XCTAssertEqual(try cloud.untaggedExtras(), [])
    }
}

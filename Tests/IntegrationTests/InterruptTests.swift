// Ctrl-C and SIGTERM, as a user sends them: deploy stops starting work, finishes and records
// what is in flight, releases the lock and exits 130 with its summary; a second signal exits
// at once; the standalone emulator stops on either signal with its data file written.

import Foundation
import ScwTestSupport
import XCTest

final class InterruptTests: IntegrationCase {
    let script = """
    local scw = require "scaleway"
    local vpc = scw.Vpc "main" {}
    for i = 1, 12 do scw.VpcPrivateNetwork("pn" .. i, { vpc = vpc }) end
    """

    /// Starts a slow deploy and waits until the cloud holds `count` private networks of it.
    private func startDeploy(untilNetworks count: Int) throws -> CLI.Running {
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes", "--parallelism", "2"], in: dir, environment: environment)
        let deadline = Date().addingTimeInterval(60)
        while running.isRunning, Date() < deadline,
              try cloud.stackResources(stack).filter({ $0.kind == "private_network" }).count < count {
            usleep(20_000)
        }
        XCTAssertTrue(running.isRunning, "the deploy ended before the signal")
        return running
    }

    func testFirstSignalFinishesWhatIsInFlightAndReleasesTheLock() throws {
        for sig in [SIGINT, SIGTERM] {
            try startCloud(latencyMs: 400)
            stack = "sig\(sig)"
            try writeScript(script)
            let running = try startDeploy(untilNetworks: 1)
            kill(running.pid, sig)
            let r = running.wait(timeout: 60)
            XCTAssertFalse(r.timedOut || r.signaled, "\(r)")
            XCTAssertEqual(r.status, 130, "\(r)")
            XCTAssertTrue(r.stderr.contains("Interrupt received"), "\(r)")
            XCTAssertTrue(r.stdout.contains("not started: cancelled"), "the summary says what did not run: \(r)")
            // Everything made is recorded; nothing half-way: the same checks as after any run.
            try assertConverged("after signal \(sig)")
            XCTAssertLessThan(try stateList().count, 13, "it stopped early")
            // The lock was released (not broken as stale), and the next deploy finishes the job.
            let next = expectSuccess(try deploy(timeout: 120), "the deploy after the interrupt")
            XCTAssertFalse(next.combined.contains("stale lock"), "\(next)")
            try assertConverged("after the re-run")
            XCTAssertEqual(try stateList().count, 13)
        }
    }

    func testSecondSignalExitsAtOnceAndTheRerunConverges() throws {
        // Slow answers (1.5 s each), so the first signal's drain is still waiting on the
        // operations in flight when the second one arrives, however loaded the machine is.
        try startCloud(latencyMs: 1500)
        try writeScript(script)
        let running = try startDeploy(untilNetworks: 1)
        // The first answers just came back together; let the next operations start (they then
        // wait 1.5 s in the emulator) before interrupting, so there is something to drain.
        usleep(400_000)
        kill(running.pid, SIGINT)
        usleep(200_000)
        XCTAssertTrue(running.isRunning, "still draining when the second signal is sent")
        kill(running.pid, SIGINT)
        let r = running.wait(timeout: 30)
        XCTAssertEqual(r.status, 130, "\(r)")
        XCTAssertTrue(r.stderr.contains("Second interrupt"), "\(r)")
        expectSuccess(try deploy(timeout: 120), "re-run")
        try assertConverged("after two signals and a re-run")
        XCTAssertEqual(try stateList().count, 13)
    }

    func testStandaloneEmulatorStopsOnSignalsWithItsDataWritten() throws {
        for sig in [SIGTERM, SIGINT] {
            let data = dir + "/cloud-\(sig).json"
            let running = try CLI.start(["emulator", "--port", "0", "--data", data], in: dir, environment: environment)
            let deadline = Date().addingTimeInterval(20)
            var url: String?
            while url == nil, running.isRunning, Date() < deadline {
                usleep(20_000)
                url = running.peekStdout().split(separator: " ").first { $0.hasPrefix("http://") }.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            let base = try XCTUnwrap(url, "the emulator printed no URL")
            let post = Process()
            post.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            post.arguments = ["-s", "-o", "/dev/null", "-X", "POST", "-H", "X-Auth-Token: x", "-H", "Content-Type: application/json",
                              "-d", "{\"name\":\"kept\"}", base + "/vpc/v2/regions/fr-par/vpcs"]
            try post.run()
            post.waitUntilExit()
            kill(running.pid, sig)
            let r = running.wait(timeout: 20)
            XCTAssertFalse(r.timedOut, "the emulator ignored signal \(sig): \(r)")
            XCTAssertEqual(r.status, 0, "\(r)")
            let text = try String(contentsOfFile: data, encoding: .utf8)
            XCTAssertTrue(text.contains("\"kept\""), "the data file holds the cloud: \(text.prefix(300))")
        }
    }
}

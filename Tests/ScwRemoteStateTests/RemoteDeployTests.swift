// RemoteDeployTests: the built binary deploying with state in a bucket on the emulator: two
// concurrent deploys of one stack (one is refused, naming the holder), kill -9 at instants of a
// deploy (a re-run converges: no duplicate per urn, nothing untracked), and the backend chosen
// by scwlua.json or SCWLUA_BACKEND.

import Foundation
import ScwTestSupport
import ScalewayAPI
import XCTest

final class RemoteDeployTests: RemoteCLICase {
    func testSecondConcurrentDeployIsRefusedNamingTheHolder() async throws {
        try startEmulator(latencyMs: 80)
        let bucket = try await newBucket()
        let backend = "s3://\(bucket)/team"
        stack = "prod"

        let first = try CLI.start(["deploy", "infra.lua"] + target(backend) + ["--yes", "--parallelism", "2"], in: dir, environment: environment)
        // Wait until the first run holds the lock object.
        let deadline = Date().addingTimeInterval(30)
        var lock: String?
        while lock == nil, Date() < deadline, first.isRunning {
            lock = await object(bucket, "team/prod/lock.json")
            if lock == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let held = try XCTUnwrap(lock, "the first deploy never took the lock: \(first.isRunning ? "still running" : "\(first.wait(timeout: 1))")")
        XCTAssertTrue(held.contains("\"pid\":\(first.pid)") && held.contains("\"holder\":\"tester@"), held)

        let second = try deploy(backend)
        expectFailure(second, "a second deploy while the first holds the stack")
        XCTAssertTrue(second.stderr.contains("stack 'prod' is locked by tester@") && second.stderr.contains("pid \(first.pid)")
                      && second.stderr.contains("`deploy`") && second.stderr.contains("scwlua state unlock"), "\(second)")

        expectSuccess(first.wait(timeout: 120), "the first deploy")
        let released = await object(bucket, "team/prod/lock.json")
        XCTAssertNil(released, "the lock is released at the end")
        try await assertConverged(backend, expected: Self.fleetAddresses, "after the first deploy")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stateDir + "/state.db"), "no local state was written")
        let p = try plan(backend)
        XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "\(p)")
        let history = try scwlua(["state", "history", "--stack", stack, "--endpoint", baseURL, "--backend", backend])
        XCTAssertTrue(history.succeeded && history.stdout.hasPrefix("#1\t") && history.stdout.contains("succeeded"), "\(history)")
        XCTAssertEqual(history.stdout.split(separator: "\n").count, 1, "the refused run recorded nothing: \(history)")
    }

    /// Kills a deploy at instants spread over its run; each re-run breaks the dead run's lock,
    /// converges with no duplicate and no orphan, and a plan afterwards is a no-op.
    func testKillDuringDeployWithRemoteStateThenRerunConverges() async throws {
        try startEmulator(latencyMs: 120)
        let bucket = try await newBucket()
        let backend = "s3://\(bucket)/crash"
        let slow = ["--parallelism", "2"]

        stack = "baseline"
        let started = Date()
        expectSuccess(try deploy(backend, slow), "uninterrupted deploy")
        let duration = Date().timeIntervalSince(started)
        try await assertConverged(backend, expected: Self.fleetAddresses, "baseline")

        var killedWhileRunning = 0
        for (n, fraction) in [0.2, 0.45, 0.7, 0.9].enumerated() {
            stack = "crash\(n)"
            let t = duration * fraction
            let running = try CLI.start(["deploy", "infra.lua"] + target(backend) + ["--yes"] + slow, in: dir, environment: environment)
            try await Task.sleep(nanoseconds: UInt64(t * 1_000_000_000))
            let wasRunning = running.isRunning
            _ = running.kill()
            if wasRunning { killedWhileRunning += 1 }
            let lockLeft = await object(bucket, "crash/\(stack)/lock.json")
            let inCloud = try await cloudResources().filter { $0.tag("scwlua:stack") == stack }.count

            let rerun = try deploy(backend)
            expectSuccess(rerun, "re-run after kill at \(t)s (stack \(stack), \(inCloud) in the cloud at the kill)")
            if lockLeft != nil {
                XCTAssertTrue(rerun.stdout.contains("stale lock") && rerun.stdout.contains("pid \(running.pid)"),
                              "the re-run should report the broken lock of pid \(running.pid): \(rerun)")
            }
            try await assertConverged(backend, expected: Self.fleetAddresses, "after kill at \(String(format: "%.2f", t))s and a re-run")
            let p = try plan(backend)
            XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "plan after kill at \(t)s: \(p)")
            print("kill -9 at \(String(format: "%.2f", t))s of \(String(format: "%.2f", duration))s: "
                  + "\(wasRunning ? "killed" : "already done"), \(inCloud)/10 in the cloud, lock \(lockLeft == nil ? "absent" : "left")")
        }
        XCTAssertGreaterThanOrEqual(killedWhileRunning, 3, "most kills should land while the deploy runs")
    }

    /// `scwlua.json` beside the script names the backend; SCWLUA_BACKEND overrides it; the
    /// state commands find it beside the state folder.
    func testProjectFileAndEnvironmentChooseTheBackend() async throws {
        try startEmulator()
        let bucket = try await newBucket()
        try #"{"backend": "s3://\#(bucket)/project"}"#.write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        stack = "web"

        expectSuccess(try deploy(nil), "deploy with the backend from scwlua.json")
        let outputs = await object(bucket, "project/web/outputs.json")
        XCTAssertNotNil(outputs, "outputs went to the bucket")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stateDir + "/state.db"), "nothing in local state")
        try await assertConverged(nil, expected: Self.fleetAddresses, "state list finds scwlua.json beside the state folder")

        var env = environment
        env["SCWLUA_BACKEND"] = "local"
        let local = try scwlua(["plan", "infra.lua"] + target(nil), env: env)
        XCTAssertTrue(local.succeeded && local.stdout.contains("10 to create"), "SCWLUA_BACKEND=local wins over the file: \(local)")

        let bad = try scwlua(["plan", "infra.lua"] + target("gs://nope"))
        expectFailure(bad, "an unknown backend")
        XCTAssertTrue(bad.stderr.contains("unknown state backend 'gs://nope'"), "\(bad)")
    }

    /// A stack with secrets and remote state: without SCWLUA_PASSPHRASE the deploy stops before
    /// any cloud call; with it, the secrets are sealed in the bucket and read back by another run.
    func testSecretsNeedThePassphraseBeforeAnyCloudCallAndStaySealed() async throws {
        try startEmulator()
        let bucket = try await newBucket()
        let backend = "s3://\(bucket)/secret"
        stack = "db"
        try """
            local scw = require "scaleway"
            local vpc = scw.Vpc "main" { region = "fr-par" }
            return { id = vpc.id, dsn = scw.secret("postgres://app:hunter2-PLAINTEXT@db") }
            """.write(toFile: dir + "/infra.lua", atomically: true, encoding: .utf8)

        let refused = try deploy(backend)
        expectFailure(refused, "deploy of secrets to remote state without a passphrase")
        XCTAssertTrue(refused.stderr.contains("without SCWLUA_PASSPHRASE"), "\(refused)")
        let touched = try await cloudResources().filter { $0.tag("scwlua:stack") == stack }
        XCTAssertEqual(touched.count, 0, "no cloud call was made: \(touched)")

        var env = environment
        env["SCWLUA_PASSPHRASE"] = "team passphrase"
        expectSuccess(try scwlua(["deploy", "infra.lua"] + target(backend) + ["--yes"], env: env), "deploy with the passphrase")
        let raw = try await s3.listAllObjects(S3Bucket(name: bucket, region: "fr-par"))
        XCTAssertTrue(raw.contains { $0.key == "secret/key.salt" }, "\(raw.map(\.key))")
        for o in raw {
            let body = await object(bucket, o.key) ?? ""
            XCTAssertFalse(body.contains("PLAINTEXT"), "plaintext secret in \(o.key): \(body)")
        }
        let shown = try scwlua(["output", "--stack", stack, "--backend", backend, "--endpoint", baseURL])
        XCTAssertTrue(shown.succeeded && shown.stdout.contains("dsn = (sensitive)"), "outputs read without the passphrase, redacted: \(shown)")
        let p = try scwlua(["plan", "infra.lua"] + target(backend), env: env)
        XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "\(p)")
    }
}

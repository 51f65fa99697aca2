// SafetyTests: what protects a user from themselves and from each other: confirmation without a
// terminal, the one-writer lock, bad input caught before any API call without touching state,
// and secrets kept out of every output and out of the state files' bytes.

import Foundation
import ScwTestSupport
import XCTest

final class SafetyTests: IntegrationCase {
    // MARK: 8. No terminal, no --yes

    func testDeployAndDestroyWithoutTerminalOrYesAreRefused() throws {
        try startCloud()
        try writeScript(Fixture.network())

        let d = expectFailure(try scwlua(["deploy", "infra.lua"] + target), "deploy without --yes")
        XCTAssertTrue(d.stderr.contains("--yes"), "the message should mention --yes: \(d)")
        XCTAssertEqual(try cloud.stats().writes, 0, "a refused deploy wrote")
        XCTAssertEqual(try cloud.stackResources(), [])
        XCTAssertEqual(try stateList(), [])

        // plan never asks: it works without a terminal and writes nothing.
        let p = expectSuccess(try plan(), "plan")
        XCTAssertTrue(p.stdout.contains("3 to create"), p.description)
        XCTAssertEqual(try cloud.stats().writes, 0)

        expectSuccess(try deploy(), "deploy --yes")
        let rows = try stateList()
        try cloud.resetStats()
        let x = expectFailure(try scwlua(["destroy", "infra.lua"] + target), "destroy without --yes")
        XCTAssertTrue(x.stderr.contains("--yes"), "the message should mention --yes: \(x)")
        XCTAssertEqual(try cloud.stats().writes, 0, "a refused destroy wrote")
        XCTAssertEqual(try stateList(), rows)
        XCTAssertEqual(try cloud.stackResources().count, 3)
    }

    // MARK: 9. One writer per stack

    func testSecondDeployIsRefusedWhileTheStackIsLockedAndUnlockClearsIt() throws {
        try startCloud(latencyMs: 2000)
        try writeScript(Fixture.network())
        let first = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        defer { _ = first.kill() }

        // The first run holds the lock once it talks to the API (the lock is taken before planning).
        let deadline = Date().addingTimeInterval(30)
        while try cloud.stats().requests == 0 {
            guard first.isRunning, Date() < deadline else {
                return XCTFail("the first deploy never reached the API: \(first.kill())")
            }
            usleep(20_000)
        }

        let second = expectFailure(try deploy(), "a concurrent deploy")
        XCTAssertTrue(second.stderr.contains("locked"), second.description)
        XCTAssertTrue(second.stderr.contains("tester@"), "the message names the holder: \(second)")
        XCTAssertTrue(second.stderr.contains("\(first.pid)"), "the message names the holder's pid \(first.pid): \(second)")
        XCTAssertTrue(second.stderr.contains("scwlua state unlock"), "the message suggests state unlock: \(second)")

        let unlock = expectSuccess(try scwlua(["state", "unlock"] + location), "state unlock")
        XCTAssertTrue(unlock.stdout.contains("Cleared the lock"), unlock.description)
        XCTAssertTrue(unlock.stdout.contains("tester@"), unlock.description)
        let again = expectSuccess(try scwlua(["state", "unlock"] + location), "second state unlock")
        XCTAssertTrue(again.stdout.contains("not locked"), again.description)

        // Stop the first run and finish the job: the stack converges.
        _ = first.kill()
        expectSuccess(try deploy(timeout: 120), "deploy after unlock (same slow emulator)")
        try assertConverged(expected: LifecycleTests.all, "after unlock")
    }

    /// A lock row with a live pid (this test process's) blocks; `state unlock` clears it.
    func testLockHeldByAnotherLiveProcessBlocksUntilUnlocked() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "first deploy")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "no sqlite3 CLI" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let pid = ProcessInfo.processInfo.processIdentifier
        let sql = "INSERT INTO locks (stack, holder, pid, host, command, acquired_at) VALUES "
            + "('\(stack)', 'someone@\(hostName)', \(pid), '\(hostName)', 'deploy', '2024-01-01T00:00:00Z');"
        let insert = Process()
        insert.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        insert.arguments = [stateDir + "/state.db", sql]
        try insert.run()
        insert.waitUntilExit()
        XCTAssertEqual(insert.terminationStatus, 0, "sqlite3 could not insert a lock row")

        try writeScript(Fixture.network(env: "prod"))
        try cloud.resetStats()
        let refused = expectFailure(try deploy(), "deploy while locked")
        XCTAssertTrue(refused.stderr.contains("someone@\(hostName)"), refused.description)
        XCTAssertTrue(refused.stderr.contains("scwlua state unlock"), refused.description)
        XCTAssertEqual(try cloud.stats().writes, 0)

        let unlock = expectSuccess(try scwlua(["state", "unlock"] + location))
        XCTAssertTrue(unlock.stdout.contains("someone@\(hostName)"), unlock.description)
        let d = expectSuccess(try deploy(), "deploy after unlock")
        XCTAssertTrue(d.stdout.contains("1 updated"), d.description)
    }

    // MARK: 12. Bad input

    private struct BadCase {
        let fixture: String
        let location: String?
        let mentions: [String]
    }

    func testBadInputFailsClearlyWithoutApiCallOrStateChange() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "good deploy")
        let rows = try stateList()
        let export = expectSuccess(try scwlua(["state", "export"] + location)).stdout

        let cases = [
            BadCase(fixture: "bad_syntax.lua", location: "infra.lua:4:", mentions: ["near"]),
            BadCase(fixture: "bad_type.lua", location: "infra.lua:3:", mentions: ["tags"]),
            BadCase(fixture: "bad_unknown_prop.lua", location: "infra.lua:3:", mentions: ["subnet", "did you mean 'subnets'"]),
            BadCase(fixture: "bad_cidr.lua", location: "infra.lua:3:", mentions: ["10.0.300.0/24"]),
            BadCase(fixture: "bad_unknown_type.lua", location: "infra.lua:3:", mentions: ["Vcp"]),
        ]
        for c in cases {
            try writeScript(Fixture.text(c.fixture))
            for command in ["deploy", "plan"] {
                try cloud.resetStats()
                let args = [command, "infra.lua"] + target + (command == "deploy" ? ["--yes"] : [])
                let r = expectFailure(try scwlua(args), "\(command) \(c.fixture)")
                XCTAssertTrue(r.stderr.hasPrefix("error: "), "\(c.fixture): a one-line error first: \(r)")
                if let loc = c.location {
                    XCTAssertTrue(r.stderr.contains(loc), "\(c.fixture): the message should carry \(loc): \(r)")
                }
                for m in c.mentions {
                    XCTAssertTrue(r.stderr.contains(m), "\(c.fixture): the message should mention \(m): \(r)")
                }
                XCTAssertFalse(r.combined.contains("Fatal error"), "\(c.fixture): crashed: \(r)")
                let stats = try cloud.stats()
                XCTAssertEqual(stats.requests, 0, "\(c.fixture): \(command) called the API (\(stats.byMethod))")
            }
            XCTAssertEqual(try stateList(), rows, "\(c.fixture): state changed")
        }
        XCTAssertEqual(expectSuccess(try scwlua(["state", "export"] + location)).stdout, export, "state export changed")

        // Missing credentials: the real cloud, no config file, no SCW_* variables.
        try writeScript(Fixture.network())
        for extra in [[], ["--profile", "nope"]] {
            let r = expectFailure(try scwlua(["deploy", "infra.lua", "--yes"] + location + extra), "deploy without credentials \(extra)")
            XCTAssertTrue(r.stderr.hasPrefix("error: "), r.description)
            if extra.isEmpty {
                XCTAssertTrue(r.stderr.contains("credentials") || r.stderr.contains("access key"), r.description)
                XCTAssertTrue(r.stderr.contains("SCW_ACCESS_KEY") || r.stderr.contains("scw init"), "says how to fix it: \(r)")
            } else {
                XCTAssertTrue(r.stderr.contains("nope"), "names the profile: \(r)")
            }
        }
        XCTAssertEqual(try stateList(), rows, "state changed after the credential errors")
        XCTAssertEqual(expectSuccess(try scwlua(["state", "export"] + location)).stdout, export, "state export changed")
        // And the stack is still deployable as it was.
        try assertNoopPlan("after bad input")
    }

    // MARK: 13. Secrets

    func testSecretsNeverAppearInOutputOrStateFiles() throws {
        try startCloud()
        try writeScript(Fixture.text("secrets.lua"))
        let plaintexts = ["hunter2-plaintext", "hunter2-tag-plaintext", "hunter2"]
        var transcripts: [RunResult] = []
        transcripts.append(expectSuccess(try plan(), "plan"))
        transcripts.append(expectSuccess(try scwlua(["plan", "infra.lua", "--json"] + target), "plan --json"))
        transcripts.append(expectSuccess(try deploy(["--debug"]), "deploy --debug"))
        transcripts.append(expectSuccess(try plan(), "plan after deploy"))
        transcripts.append(expectSuccess(try deploy(), "no-op deploy"))
        transcripts.append(expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh"))
        transcripts.append(expectSuccess(try scwlua(["output"] + location), "output"))
        let token = expectSuccess(try scwlua(["output", "token"] + location), "output token")
        XCTAssertEqual(token.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "(sensitive)")
        transcripts.append(token)
        transcripts.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        transcripts.append(expectSuccess(try scwlua(["output", "token", "--json"] + location), "output token --json"))
        transcripts.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        transcripts.append(expectSuccess(try scwlua(["state", "show", "VpcPrivateNetwork/app"] + location), "state show"))
        transcripts.append(expectSuccess(try scwlua(["state", "list"] + location), "state list"))
        transcripts.append(expectSuccess(try scwlua(["state", "history"] + location), "state history"))
        transcripts.append(expectSuccess(try scwlua(["deploy", "infra.lua", "--json", "--yes"] + target), "deploy --json"))
        try assertStateFilesFree(of: plaintexts, "after deploy")
        transcripts.append(expectSuccess(try destroy(), "destroy"))
        for t in transcripts {
            for secret in plaintexts {
                XCTAssertFalse(t.combined.contains(secret), "\(secret) leaked by `scwlua \(t.arguments.joined(separator: " "))`: \(t)")
            }
        }
        // `output` shows the marker, not the value.
        XCTAssertTrue(transcripts[6].stdout.contains("token = (sensitive)"), transcripts[6].description)
        try assertStateFilesFree(of: plaintexts, "after destroy")
    }

    /// The cloud echoes a secret tag back; when the tags drift, the plan shows the cloud's
    /// value next to the script's: the secret must stay hidden there too.
    func testSecretTagIsNotPrintedWhenTheCloudsTagsDrift() throws {
        try startCloud()
        try writeScript(Fixture.text("secrets.lua"))
        expectSuccess(try deploy(), "deploy")
        let app = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "VpcPrivateNetwork/app" })
        XCTAssertTrue(app.tags.contains("hunter2-tag-plaintext"), "the cloud holds the tag (that is the point of a tag): \(app)")
        let tags = app.tags + ["added-in-console"]
        let body = "{\"tags\":[" + tags.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
        let patch = try cloud.api("PATCH", "/vpc/v2/regions/fr-par/private-networks/\(app.id)", body: body)
        XCTAssertEqual(patch.status, 200, patch.text)

        var runs: [RunResult] = []
        runs.append(expectSuccess(try plan(), "plan"))
        XCTAssertEqual(runs[0].stdout.planSymbol(for: "VpcPrivateNetwork/app"), "~", runs[0].description)
        runs.append(expectSuccess(try scwlua(["plan", "infra.lua", "--json"] + target), "plan --json"))
        runs.append(expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh"))
        runs.append(expectSuccess(try deploy(), "deploy"))
        for r in runs {
            XCTAssertFalse(r.combined.contains("hunter2"), "a secret tag leaked by `scwlua \(r.arguments.joined(separator: " "))`: \(r)")
        }
        try assertStateFilesFree(of: ["hunter2-plaintext", "hunter2-tag-plaintext"], "after drift")
    }

    /// A secret passed where the API echoes it back (a name): the echoed output is the same
    /// secret, so it must not reach `state show`, `state export` or the state file in plain text.
    func testSecretEchoedBackByTheApiStaysSecret() throws {
        try startCloud()
        try writeScript(Fixture.text("secret_name.lua"))
        var runs: [RunResult] = []
        runs.append(expectSuccess(try deploy(), "deploy"))
        runs.append(expectSuccess(try plan(), "plan"))
        runs.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        runs.append(expectSuccess(try scwlua(["state", "show", "Vpc/main"] + location), "state show"))
        runs.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        for r in runs {
            XCTAssertFalse(r.combined.contains("hunter2"), "a secret name leaked by `scwlua \(r.arguments.joined(separator: " "))`: \(r)")
        }
        try assertStateFilesFree(of: ["hunter2-name-plaintext"], "after deploy")
    }

    /// A deploy killed mid-apply leaves SQLite's journal files behind: no plaintext there either.
    func testSecretsAreNotInStateFilesLeftByAKilledDeploy() throws {
        try startCloud(latencyMs: 300)
        try writeScript(Fixture.text("secrets.lua"))
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while try cloud.stackResources().isEmpty, running.isRunning, Date() < deadline { usleep(10_000) }
        usleep(50_000)
        let killed = running.kill()
        XCTAssertFalse(killed.combined.contains("hunter2"), killed.description)
        try assertStateFilesFree(of: ["hunter2-plaintext", "hunter2-tag-plaintext"], "after kill -9")
        let rerun = expectSuccess(try deploy(), "re-run")
        XCTAssertFalse(rerun.combined.contains("hunter2"), rerun.description)
        try assertStateFilesFree(of: ["hunter2-plaintext", "hunter2-tag-plaintext"], "after the re-run")
    }

    private func assertStateFilesFree(of plaintexts: [String], _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDir).filter { $0.hasPrefix("state.db") }
        XCTAssertTrue(files.contains("state.db"), "state files: \(files)", file: file, line: line)
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stateDir + "/" + name))
            for secret in plaintexts {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(context): \(secret) is in the raw bytes of \(name)", file: file, line: line)
            }
        }
    }
}

// IntegrationCase: the base of every end-to-end test. Each test gets a temp folder (the script
// `infra.lua`, its state in `state/`, a HOME of its own), an emulator on loopback when it asks
// for one, and helpers that run the binary and read what a user would read back.

import Foundation
import ScwTestSupport
import ScwEmulator
import XCTest

/// One line of `scwlua state list`: address, id, status, flags.
struct StateRow: Equatable, CustomStringConvertible {
    let address: String
    let id: String
    let status: String
    let flags: [String]
    var description: String { ([address, id, status] + flags).joined(separator: "\t") }
    /// The id's UUID part (state ids are `<region>/<uuid>`).
    var uuid: String { String(id.split(separator: "/").last ?? "") }
    var region: String { id.contains("/") ? String(id.split(separator: "/").first ?? "") : "" }
}

enum Fixture {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// A fixture's text with `{{KEY}}` replaced and the `-- BEGIN x` ... `-- END x` blocks of
    /// `drop` removed (the lines are blanked, so line numbers stay the same).
    static func text(_ name: String, _ values: [String: String] = [:], drop: Set<String> = []) throws -> String {
        var text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        for (k, v) in values { text = text.replacingOccurrences(of: "{{\(k)}}", with: v) }
        var out: [String] = []
        var dropping: String?
        for line in text.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let d = dropping {
                if trimmed == "-- END \(d)" { dropping = nil }
                out.append("")
                continue
            }
            if trimmed.hasPrefix("-- BEGIN "), drop.contains(String(trimmed.dropFirst("-- BEGIN ".count))) {
                dropping = String(trimmed.dropFirst("-- BEGIN ".count))
                out.append("")
                continue
            }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }

    /// network.lua with the usual values.
    static func network(region: String = "fr-par", env: String = "dev", dataLifecycle: String = "", withData: Bool = true) throws -> String {
        try text("network.lua", ["REGION": region, "ENV": env, "DATA_LIFECYCLE": dataLifecycle], drop: withData ? [] : ["data"])
    }
}

class IntegrationCase: XCTestCase {
    /// The test's own folder: infra.lua, state/, home/.
    private(set) var dir = ""
    private(set) var cloud: Cloud!
    var stack = "default"

    var scriptPath: String { dir + "/infra.lua" }
    var stateDir: String { dir + "/state" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try CLI.binary()   // fail at once, and clearly, when the binary is missing
        dir = NSTemporaryDirectory() + "scwlua-it-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        cloud?.stop()
        cloud = nil
        if let run = testRun, run.failureCount == 0, run.unexpectedExceptionCount == 0 {
            try? FileManager.default.removeItem(atPath: dir)
        } else if !dir.isEmpty {
            print("IntegrationTests: kept \(dir) for inspection")
        }
        try super.tearDownWithError()
    }

    /// Starts this test's emulator (`speed` scales its transient states: 2 s / speed each).
    @discardableResult
    func startCloud(latencyMs: Int = 0, faults: FaultRates = .none, speed: Double = 1,
                    log: (@Sendable (String) -> Void)? = nil) throws -> Cloud {
        cloud?.stop()
        cloud = try Cloud(latencyMs: latencyMs, faults: faults, speed: speed, log: log)
        return cloud
    }

    /// What the binary sees: no SCW_* variables, no config file, a HOME of its own, no colour.
    var environment: [String: String] {
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": dir + "/home",
            "XDG_CONFIG_HOME": dir + "/home/.config",
            "SCW_CONFIG_PATH": dir + "/home/no-such-config.yaml",
            "USER": "tester",
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        ]
        if let tmp = ProcessInfo.processInfo.environment["TMPDIR"] { env["TMPDIR"] = tmp }
        return env
    }

    func writeScript(_ text: String) throws {
        try text.write(toFile: scriptPath, atomically: true, encoding: .utf8)
    }

    /// `scwlua ARGS` run in the test's folder.
    @discardableResult
    func scwlua(_ arguments: [String], timeout: TimeInterval = 60, env: [String: String]? = nil) throws -> RunResult {
        try CLI.run(arguments, in: dir, environment: env ?? environment, timeout: timeout)
    }

    /// The flags that point a stack command at this test's emulator and state.
    var target: [String] { ["--endpoint", cloud.baseURL, "--state-dir", stateDir, "--stack", stack] }
    var location: [String] { ["--state-dir", stateDir, "--stack", stack] }

    func deploy(_ extra: [String] = [], timeout: TimeInterval = 60) throws -> RunResult {
        try scwlua(["deploy", "infra.lua"] + target + ["--yes"] + extra, timeout: timeout)
    }

    func plan(_ extra: [String] = []) throws -> RunResult {
        try scwlua(["plan", "infra.lua"] + target + extra)
    }

    func destroy(_ extra: [String] = []) throws -> RunResult {
        try scwlua(["destroy", "infra.lua"] + target + ["--yes"] + extra)
    }

    /// `scwlua state list`, parsed (fails the test when the command fails).
    func stateList(file: StaticString = #filePath, line: UInt = #line) throws -> [StateRow] {
        let r = try scwlua(["state", "list"] + location)
        // No state folder yet (nothing was ever written: `plan` creates none) is an empty stack.
        if !r.succeeded, r.stderr.contains("error: no state at") { return [] }
        XCTAssertTrue(r.succeeded, "state list failed: \(r)", file: file, line: line)
        return r.stdout.split(separator: "\n").map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return StateRow(address: f[0], id: f.count > 1 ? f[1] : "", status: f.count > 2 ? f[2] : "", flags: Array(f.dropFirst(3)))
        }
    }

    /// `scwlua output --json`, parsed.
    func outputsJSON(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let r = try scwlua(["output", "--json"] + location)
        XCTAssertTrue(r.succeeded, "output --json failed: \(r)", file: file, line: line)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8), options: [.fragmentsAllowed])
        guard let object = json as? [String: Any] else {
            XCTFail("output --json is not an object: \(r.stdout)", file: file, line: line)
            return [:]
        }
        return object
    }

    /// Requires a run to succeed, with its output in the failure message.
    @discardableResult
    func expectSuccess(_ r: RunResult, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) -> RunResult {
        XCTAssertTrue(r.succeeded, "\(what) expected success: \(r)", file: file, line: line)
        return r
    }

    @discardableResult
    func expectFailure(_ r: RunResult, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) -> RunResult {
        XCTAssertFalse(r.signaled || r.timedOut, "\(what) crashed or hung: \(r)", file: file, line: line)
        XCTAssertNotEqual(r.status, 0, "\(what) expected a non-zero exit: \(r)", file: file, line: line)
        return r
    }

    /// The cloud and state agree: one cloud resource per urn of this stack, every tagged cloud
    /// resource is in state (nothing untracked), every state row exists in the cloud, no
    /// untagged extras besides default VPCs. `expected` (addresses) when given must be exactly
    /// what both hold.
    func assertConverged(expected: Set<String>? = nil, _ context: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let tagged = try cloud.stackResources(stack)
        let rows = try stateList(file: file, line: line)
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.urn ?? "(no urn)", default: []].append(r) }
        for (urn, list) in byURN where list.count != 1 {
            XCTFail("\(context): \(list.count) cloud resources for urn \(urn) (duplicates): \(list)", file: file, line: line)
        }
        let stateUUIDs = Set(rows.map(\.uuid))
        for r in tagged where !stateUUIDs.contains(r.id) {
            XCTFail("\(context): untracked (orphan) cloud resource \(r); state: \(rows)", file: file, line: line)
        }
        let cloudIDs = Set(tagged.map(\.id))
        for row in rows where !cloudIDs.contains(row.uuid) {
            XCTFail("\(context): state row \(row) has no cloud resource", file: file, line: line)
        }
        for row in rows where row.status != "created" {
            XCTFail("\(context): state row left as \(row.status) after a completed run: \(row)", file: file, line: line)
        }
        let extras = try cloud.untaggedExtras()
        XCTAssertEqual(extras, [], "\(context): untagged cloud resources besides default VPCs", file: file, line: line)
        if let expected {
            XCTAssertEqual(Set(rows.map(\.address)), expected, "\(context): state addresses", file: file, line: line)
            XCTAssertEqual(Set(tagged.compactMap(\.urn)), expected, "\(context): cloud urns", file: file, line: line)
        }
    }

    /// `plan` shows no change and makes no write.
    func assertNoopPlan(_ context: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        try cloud.resetStats()
        let p = try plan()
        expectSuccess(p, "\(context) plan", file: file, line: line)
        XCTAssertTrue(p.stdout.contains("No changes"), "\(context): expected a no-op plan: \(p)", file: file, line: line)
        XCTAssertEqual(try cloud.stats().writes, 0, "\(context): plan wrote to the cloud", file: file, line: line)
    }
}

extension String {
    /// Lines of the rendered plan that start with an action symbol for `address`.
    func planLine(for address: String) -> String? {
        split(separator: "\n").map(String.init).first { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.range(of: " " + address + " ") != nil || t.hasSuffix(" " + address)
                || t.range(of: " " + address + " (") != nil
        }
    }

    func planSymbol(for address: String) -> String? {
        guard let line = planLine(for: address) else { return nil }
        let t = line.trimmingCharacters(in: .whitespaces)
        return t.split(separator: " ").first.map(String.init)
    }
}

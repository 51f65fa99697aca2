// TerminalSurfaceTests: what a person at a terminal gets: shell completion scripts (committed
// in completions/, kept equal to what the binary generates, and loadable by bash), and the
// live progress block of a deploy run in a real pseudo-terminal.

import Foundation
import ScwTestSupport
import XCTest

final class TerminalSurfaceTests: IntegrationCase {
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testCommittedCompletionScriptsMatchTheBinary() throws {
        for shell in ["bash", "zsh", "fish"] {
            let generated = expectSuccess(try scwlua(["--generate-completion-script", shell]), "completion \(shell)")
            let committed = try String(contentsOf: Self.repoRoot.appendingPathComponent("completions/scwlua.\(shell)"), encoding: .utf8)
            XCTAssertEqual(committed, generated.stdout,
                           "completions/scwlua.\(shell) is stale: regenerate with `scwlua --generate-completion-script \(shell) > completions/scwlua.\(shell)`")
            XCTAssertTrue(committed.contains("deploy") && committed.contains("destroy") && committed.contains("repl"), shell)
        }
        // bash loads it and registers a completion for scwlua.
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-c", "source '\(Self.repoRoot.path)/completions/scwlua.bash' && complete -p scwlua"]
        let pipe = Pipe()
        bash.standardOutput = pipe
        try bash.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        bash.waitUntilExit()
        XCTAssertEqual(bash.terminationStatus, 0, out)
        XCTAssertTrue(out.contains("scwlua"), out)
    }

    /// In a pseudo-terminal (util-linux `script`), deploy redraws one line per resource in
    /// flight (cursor up, clear line) with its elapsed time, then prints the summary.
    func testDeployShowsALiveBlockOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "util-linux script is not installed" + " (scripts/setup.sh installs it: a missing tool fails the test)"]) }
        try startCloud(latencyMs: 300)
        try writeScript(Fixture.network())
        let binary = try CLI.binary()
        let command = ([binary, "deploy", "infra.lua", "--yes"] + target).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = environment
        env["TERM"] = "xterm"
        process.environment = env
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, out)
        XCTAssertTrue(out.contains("\u{1B}[1A\u{1B}[2K"), "the in-flight block is redrawn in place: \(out.debugDescription)")
        XCTAssertTrue(out.contains("creating") && out.contains("[0s]"), "in-flight lines show phase and elapsed time: \(out)")
        XCTAssertTrue(out.contains("Apply complete: 3 created"), out)

        // Off a terminal the same deploy prints plain lines: no escape sequences.
        try cloud.reset()
        try FileManager.default.removeItem(atPath: stateDir)
        let plain = expectSuccess(try deploy(), "deploy without a terminal")
        XCTAssertFalse(plain.stdout.contains("\u{1B}["), plain.description)
        XCTAssertTrue(plain.stdout.contains("VpcPrivateNetwork/app: created"), plain.description)
    }
}

// ReplTerminalTests: the built `scwlua repl` in a real pseudo-terminal (tmux): TAB completion
// inserts and lists, Up recalls history (also from an earlier session), the >> prompt, Ctrl-C,
// and :apply asking on the terminal.

import Foundation
import ScwEmulator
import XCTest

/// One tmux server (its own socket) running one window; skipped when tmux is missing.
final class TmuxSession {
    let socket: String
    let tmux: String

    init(command: String, width: Int = 100, height: Int = 40) throws {
        guard let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: FileManager.default.isExecutableFile) else {
            throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "tmux is not installed (apt-get install tmux)" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
        }
        self.tmux = tmux
        socket = "scwlua-repl-test-\(getpid())-\(UUID().uuidString.prefix(6))"
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "\(width)", "-y", "\(height)", command], output: false)
    }

    /// Ends the tmux server and what runs in it.
    func close() {
        _ = try? run(["kill-server"])
        let dir = (ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp") + "/tmux-\(getuid())"
        try? FileManager.default.removeItem(atPath: dir + "/" + socket)
    }

    /// Runs one tmux command and returns its stdout. Spawned and reaped directly (posix_spawn,
    /// waitpid): Foundation's Process left tmux clients unreaped from async tests on Linux.
    @discardableResult
    func run(_ arguments: [String], output: Bool = true) throws -> String {
        let outPath = NSTemporaryDirectory() + "tmux-out-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The server forked by new-session inherits these: files, never pipes it could hold open.
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // A clean signal mask: the threads async tests run on block signals, and a tmux server
        // (and the REPL in it) started with that mask inherited would ignore kill-server.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, tmux, &actions, &attributes, argv, environ)
        guard status == 0 else { throw NSError(domain: "tmux", code: Int(status)) }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
        return output ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    }

    /// Types text as it is (no key names).
    func type(_ text: String) throws { try run(["send-keys", "-t", "t", "-l", text]) }
    /// Presses keys by name: Enter, Tab, Up, C-c, C-d, C-u.
    func press(_ keys: String...) throws { try run(["send-keys", "-t", "t"] + keys) }

    /// The visible screen, trailing blank lines dropped (tmux drops trailing spaces: "> " reads ">").
    func screen() throws -> String {
        var text = try run(["capture-pane", "-t", "t", "-p"])
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// Waits until the screen satisfies `condition`; fails with the screen otherwise.
    @discardableResult
    func wait(for what: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line,
              _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(last)", file: file, line: line)
        return last
    }

    /// Waits until `text` appears `count` times on the screen.
    @discardableResult
    func wait(forText text: String, count: Int = 1, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try wait(for: "\"\(text)\" x\(count)", timeout: timeout, file: file, line: line) { $0.components(separatedBy: text).count - 1 >= count }
    }

    /// Waits for an empty prompt (`>` or `>>`) on the last line, so typing does not race the REPL.
    func waitForPrompt(_ prompt: String = ">", file: StaticString = #filePath, line: UInt = #line) throws {
        try wait(for: "the \(prompt) prompt", file: file, line: line) {
            $0.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.trimmingCharacters(in: .whitespaces) } == prompt
        }
    }

    /// At the prompt, types a line and presses Enter.
    func enter(_ text: String, prompt: String = ">", file: StaticString = #filePath, line: UInt = #line) throws {
        try waitForPrompt(prompt, file: file, line: line)
        try type(text)
        try press("Enter")
    }
}

final class ReplTerminalTests: ReplTestCase {
    /// Starts `scwlua repl` in tmux against the test's emulator, with its own HOME and history file.
    func startRepl(_ extra: String = "") throws -> TmuxSession {
        let binary = try Binary.path()
        let command = "cd '\(dir)' && env HOME='\(dir)' SCWLUA_HISTORY='\(dir)/history' TERM=xterm NO_COLOR=1 "
            + "'\(binary)' repl --endpoint \(emulator.baseURL) --state-dir '\(stateDir)' \(extra); echo REPL-EXITED-$?; sleep 10"
        let tmux = try TmuxSession(command: command)
        addTeardownBlock { tmux.close() }
        try tmux.wait(forText: "Type Lua, :help for commands")
        try tmux.waitForPrompt()
        return tmux
    }

    func testTabCompletesConstructorsHandleFieldsAndListsCandidates() throws {
        let tmux = try startRepl()
        // A unique completion is inserted.
        try tmux.type("vpc = scaleway.VpcP")
        try tmux.press("Tab")
        try tmux.wait(forText: "> vpc = scaleway.VpcPrivateNetwork")
        try tmux.press("C-u")
        // An ambiguous one inserts the shared part, then lists the candidates.
        try tmux.type("vpc = scaleway.V")
        try tmux.press("Tab")
        try tmux.wait(forText: "> vpc = scaleway.Vpc")
        try tmux.press("Tab")
        let listed = try tmux.wait(forText: "VpcPrivateNetwork")
        XCTAssertTrue(listed.contains("\nVpc  "), listed)
        try tmux.wait(forText: "> vpc = scaleway.Vpc", count: 2)  // the line is drawn again below the list
        try tmux.type(" \"main\" {}")
        try tmux.press("Enter")
        // A handle's outputs complete after the dot.
        try tmux.waitForPrompt()
        try tmux.type("=vpc.crea")
        try tmux.press("Tab")
        try tmux.wait(forText: "> =vpc.created_at")
        try tmux.press("Enter")
        try tmux.wait(forText: "\n(known after apply)")
        // Commands complete too.
        try tmux.waitForPrompt()
        try tmux.type(":he")
        try tmux.press("Tab")
        try tmux.wait(forText: "> :help")
        try tmux.press("C-u")
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
    }

    func testUpRecallsHistoryAlsoFromAnEarlierSession() throws {
        var tmux = try startRepl()
        try tmux.enter("pw = scaleway.secret('hunter2')")
        try tmux.enter("x = 41")
        try tmux.enter("=x + 1")
        try tmux.wait(forText: "\n42")
        try tmux.waitForPrompt()
        try tmux.press("Up")
        try tmux.wait(for: "the last line recalled") { $0.hasSuffix("> =x + 1") }
        try tmux.press("Up")
        try tmux.wait(for: "the line before recalled") { $0.hasSuffix("> x = 41") }
        try tmux.press("Down")
        try tmux.wait(for: "back down") { $0.hasSuffix("> =x + 1") }
        try tmux.press("Enter")
        try tmux.wait(forText: "\n42", count: 2)
        try tmux.waitForPrompt()
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
        let saved = try String(contentsOfFile: dir + "/history", encoding: .utf8)
        XCTAssertTrue(saved.contains("=x"), "history file written: \(saved)")
        XCTAssertFalse(saved.contains("hunter2"), "a literal secret stays out of the history file: \(saved)")

        // A new session finds the history on disk.
        tmux = try startRepl()
        try tmux.press("Up")
        try tmux.wait(for: "history from the earlier session") { $0.hasSuffix("> =x + 1") }
        try tmux.press("Up")
        try tmux.wait(for: "older history") { $0.hasSuffix("> x = 41") }
        try tmux.press("Enter")
        try tmux.enter("=x")
        try tmux.wait(forText: "\n41")
        try tmux.waitForPrompt()
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
    }

    /// History is filtered on what a chunk did when it ran: a chunk that made a secret stays
    /// out, however the literal was written (split over lines, a long string, a computed name).
    func testChunksThatMadeASecretStayOutOfHistory() throws {
        let tmux = try startRepl()
        try tmux.enter("pw = scaleway.secret(")
        try tmux.enter("\"hunter2-split\")", prompt: ">>")
        try tmux.enter("long = scaleway.secret([=[hunter2-long]=])")
        try tmux.enter("indirect = scaleway[\"sec\" .. \"ret\"](\"hunter2-indirect\")")
        try tmux.enter("joined = \"x\" .. pw")
        try tmux.enter("y = 42")
        try tmux.enter("=y")
        try tmux.wait(forText: "\n42")
        try tmux.waitForPrompt()
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
        // libedit writes a space as \040.
        let saved = try String(contentsOfFile: dir + "/history", encoding: .utf8).replacingOccurrences(of: "\\040", with: " ")
        XCTAssertTrue(saved.contains("y = 42") && saved.contains("=y"), "lines without secrets are kept: \(saved)")
        XCTAssertFalse(saved.contains("hunter2"), "a secret reached the history file: \(saved)")
        XCTAssertFalse(saved.contains("scaleway.secret("), "the first line of a split secret was kept: \(saved)")
        XCTAssertFalse(saved.contains("joined"), "a chunk that computed a secret was kept: \(saved)")
    }

    func testContinuationPromptAndCtrlC() throws {
        let tmux = try startRepl()
        try tmux.enter("for i = 1, 2 do")
        try tmux.enter("print('in loop', i)", prompt: ">>")
        try tmux.enter("end", prompt: ">>")
        try tmux.wait(forText: "in loop")
        try tmux.wait(for: "both iterations") { $0.contains("in loop 2") || $0.contains("in loop\t2") }
        // Ctrl-C drops an unfinished chunk and keeps the REPL.
        try tmux.enter("if true then")
        try tmux.waitForPrompt(">>")
        try tmux.type("half typed")
        try tmux.press("C-c")
        try tmux.waitForPrompt()
        try tmux.enter("=6 * 7")
        try tmux.wait(forText: "\n42")
        try tmux.enter(":quit")
        try tmux.wait(forText: "REPL-EXITED-0")
    }

    func testApplyAsksOnTheTerminal() async throws {
        let tmux = try startRepl()
        try tmux.enter("vpc = scaleway.Vpc \"main\" {}")
        try tmux.enter(":apply")
        try tmux.wait(forText: "Apply these changes? Only 'yes' is accepted:")
        try tmux.type("yes")
        try tmux.press("Enter")
        try tmux.wait(forText: "Apply complete: 1 created")
        try tmux.enter("=vpc.id")
        let screen = try tmux.wait(for: "the real id") { $0.range(of: #"\nfr-par/[0-9a-f-]{36}\n"#, options: .regularExpression) != nil }
        XCTAssertFalse(screen.contains("\u{1B}["), "NO_COLOR is respected")
        try tmux.waitForPrompt()
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
        let cloud = try await cloudResources()
        XCTAssertEqual(cloud.count, 1)
        let history = try String(contentsOfFile: dir + "/history", encoding: .utf8)
        XCTAssertFalse(history.contains("yes"), "answers to questions stay out of history: \(history)")
    }

    func testCtrlCDuringApplyCancelsWhatHasNotStartedAndKeepsTheRepl() throws {
        emulator.stop()
        var slow = EmulatorOptions()
        slow.latencyMs = 250
        emulator = try Emulator(options: slow)
        try emulator.start()
        let tmux = try startRepl("--yes --parallelism 1")
        try tmux.enter("for i = 1, 5 do scaleway.Vpc('v' .. i, {}) end")
        try tmux.enter(":apply")
        try tmux.wait(forText: ": creating...", timeout: 30)
        try tmux.press("C-c")
        try tmux.wait(forText: "interrupted: no new operation starts", timeout: 30)
        let screen = try tmux.wait(forText: "not started: cancelled", timeout: 30)
        XCTAssertTrue(screen.contains("Apply failed: "), screen)
        // The REPL is still there, and state has exactly what was created.
        try tmux.enter(":state")
        let listed = try tmux.wait(for: "the state listing") { $0.contains("> :state\n") && $0.hasSuffix("\n>") }
        let rows = listed.components(separatedBy: "> :state\n").last?.split(separator: "\n").filter { $0.hasPrefix("Vpc/") } ?? []
        XCTAssertGreaterThanOrEqual(rows.count, 1, listed)
        XCTAssertLessThan(rows.count, 5, listed)
        XCTAssertTrue(rows.allSatisfy { $0.hasSuffix("\tcreated") || $0.contains(" created") }, listed)
        try tmux.enter("=1 + 1")
        try tmux.wait(forText: "\n2\n")
        try tmux.press("C-d")
        try tmux.wait(forText: "REPL-EXITED-0")
    }
}

// ReplTestSupport: a REPL over an in-process emulator with a console that records what it
// printed and answers questions from a list, plus helpers to run the built binary.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LuaHost
import ScwEmulator
import ScwLua
import ScwRepl
import XCTest

/// Everything a REPL wrote, kept apart by stream; questions answered from `answers`.
final class Transcript: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""
    private var pending: [String]
    private(set) var questions: [String] = []

    init(answers: [String] = []) { pending = answers }

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }

    /// Forgets what was written so far.
    func clear() { lock.withLock { outText = ""; errText = "" } }

    var console: ReplConsole {
        ReplConsole(out: { text in self.lock.withLock { self.outText += text } },
                    err: { text in self.lock.withLock { self.errText += text } },
                    ask: { question in
                        self.lock.withLock {
                            self.questions.append(question)
                            return self.pending.isEmpty ? nil : self.pending.removeFirst()
                        }
                    })
    }
}

/// A test with its own emulator and state folder.
class ReplTestCase: XCTestCase {
    var emulator: Emulator!
    var dir = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        emulator = try Emulator(options: EmulatorOptions())
        try emulator.start()
        dir = NSTemporaryDirectory() + "scwlua-repl-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        emulator?.stop()
        if let run = testRun, run.failureCount == 0, run.unexpectedExceptionCount == 0 {
            try? FileManager.default.removeItem(atPath: dir)
        } else {
            print("ScwReplTests: kept \(dir)")
        }
        try super.tearDownWithError()
    }

    var stateDir: String { dir + "/state" }

    /// A REPL on a fresh session against the emulator.
    func makeRepl(interactive: Bool = false, yes: Bool = false, answers: [String] = [], width: Int = 80,
                  stack: String = "default") throws -> (Repl, Transcript) {
        let session = try StackSession(options: StackOptions(scriptPath: nil, stack: stack, stateDirectory: stateDir,
                                                             target: .emulator(baseURL: emulator.baseURL), environment: [:]))
        let transcript = Transcript(answers: answers)
        let repl = try Repl(session: session, options: ReplOptions(interactive: interactive, assumeYes: yes, width: width),
                            console: transcript.console)
        return (repl, transcript)
    }

    /// Feeds lines; returns the step after the last one.
    @discardableResult
    func feed(_ repl: Repl, _ lines: [String]) async -> Repl.Step {
        var step = Repl.Step.ready
        for line in lines { step = await repl.feed(line) }
        return step
    }

    /// The resources the emulator holds (its control API), as "kind name" strings, sorted.
    func cloudResources() async throws -> [String] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: emulator.baseURL + "/__emulator/resources")!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let list = object?["resources"] as? [[String: Any]] ?? []
        return list.map { "\($0["kind"] ?? "?") \($0["name"] ?? "?")" }.sorted()
    }
}

/// The built `scwlua` binary, beside the test bundle (or $SCWLUA_BIN).
enum Binary {
    static func path() throws -> String {
        var dirs: [URL] = []
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            dirs.append(b.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        if let arg0 = CommandLine.arguments.first {
            dirs.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for dir in dirs {
            let path = dir.appendingPathComponent("scwlua").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        if let env = ProcessInfo.processInfo.environment["SCWLUA_BIN"], FileManager.default.isExecutableFile(atPath: env) { return env }
        throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "the scwlua binary was not found beside the tests (build it first, or set SCWLUA_BIN)" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `scwlua` with `input` on its stdin (a pipe) and waits (at most `timeout` seconds).
    static func run(_ arguments: [String], input: String, directory: String, environment: [String: String] = [:],
                    timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = directory
        env["SCWLUA_HISTORY"] = directory + "/history"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let stdin = Pipe()
        let outPath = directory + "/.stdout-\(UUID().uuidString)", errPath = directory + "/.stderr-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("scwlua \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        try out.close()
        try err.close()
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

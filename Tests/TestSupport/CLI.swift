// CLI: runs the built `scwlua` binary as a subprocess, as a user would (shared by the test targets): stdin is /dev/null
// (no terminal), a clean environment (no SCW_* variables, a HOME of its own, no config file),
// stdout and stderr captured separately, and a bound on how long any run may take.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one run of the binary left behind.
public struct RunResult: CustomStringConvertible {
    public let arguments: [String]
    public let status: Int32
    /// True when the process ended by a signal (then `status` is the signal number).
    public let signaled: Bool
    public let stdout: String
    public let stderr: String
    public let timedOut: Bool

    public var succeeded: Bool { !signaled && status == 0 && !timedOut }
    public var combined: String { stdout + "\n" + stderr }

    public var description: String {
        "`scwlua \(arguments.joined(separator: " "))` → \(signaled ? "signal" : "exit") \(status)\(timedOut ? " (timed out)" : "")\n"
            + "--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

public enum CLIError: Error, CustomStringConvertible {
    case binaryNotFound([String])
    public var description: String {
        switch self {
        case .binaryNotFound(let looked):
            return "the scwlua binary was not found (looked at: \(looked.joined(separator: ", "))); "
                + "build it first (`swift build --scratch-path .build-int`) or set SCWLUA_BIN to its path"
        }
    }
}

public enum CLI {
    /// The built binary: next to the test bundle (`.build*/debug/`), else $SCWLUA_BIN.
    public static func binary() throws -> String {
        var candidates: [String] = []
        var dirs: [URL] = []
        if let arg0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: arg0).resolvingSymlinksInPath()
            dirs.append(url.deletingLastPathComponent())
            dirs.append(url.deletingLastPathComponent().deletingLastPathComponent())
        }
        let bundle = Bundle.main.bundleURL.resolvingSymlinksInPath()
        dirs.append(bundle)
        dirs.append(bundle.deletingLastPathComponent())
        // A bundle inside the build folder, e.g. .build/debug/scwluaPackageTests.xctest/...
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            dirs.append(b.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for dir in dirs {
            let path = dir.appendingPathComponent("scwlua").path
            candidates.append(path)
            if isExecutableFile(path) { return path }
        }
        if let env = ProcessInfo.processInfo.environment["SCWLUA_BIN"], !env.isEmpty {
            candidates.append(env)
            if isExecutableFile(env) { return env }
        }
        throw CLIError.binaryNotFound(candidates)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }

    /// A started process whose output goes to files; `wait()` or `kill()` it.
    public final class Running {
        public let process: Process
        public let arguments: [String]
        public let outPath: String
        public let errPath: String

        init(process: Process, arguments: [String], outPath: String, errPath: String) {
            self.process = process
            self.arguments = arguments
            self.outPath = outPath
            self.errPath = errPath
        }

        public var pid: Int32 { process.processIdentifier }

        /// What it printed on stdout so far (it keeps running).
        public func peekStdout() -> String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        public var isRunning: Bool { process.isRunning }

        /// Waits at most `timeout` seconds, then SIGKILLs it (and reports a timeout).
        public func wait(timeout: TimeInterval) -> RunResult {
            let deadline = Date().addingTimeInterval(timeout)
            var timedOut = false
            while process.isRunning {
                if Date() > deadline {
                    timedOut = true
                    sigkill(process.processIdentifier)
                    break
                }
                usleep(5_000)
            }
            process.waitUntilExit()
            return result(timedOut: timedOut)
        }

        /// SIGKILL now (like `kill -9`), then collect what it printed.
        public func kill() -> RunResult {
            if process.isRunning { sigkill(process.processIdentifier) }
            process.waitUntilExit()
            return result(timedOut: false)
        }

        private func result(timedOut: Bool) -> RunResult {
            let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
            let signaled = process.terminationReason == .uncaughtSignal
            return RunResult(arguments: arguments, status: process.terminationStatus, signaled: signaled,
                             stdout: out, stderr: err, timedOut: timedOut)
        }
    }

    /// Starts `scwlua ARGS` in `directory` with `environment`; stdin is /dev/null. `binary`: a
    /// copy of scwlua elsewhere (default: the built one).
    public static func start(_ arguments: [String], in directory: String, environment: [String: String],
                             binary given: String? = nil) throws -> Running {
        let binary = try given ?? binary()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let token = UUID().uuidString
        let outPath = NSTemporaryDirectory() + "scwlua-it-\(token).out"
        let errPath = NSTemporaryDirectory() + "scwlua-it-\(token).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        return Running(process: process, arguments: arguments, outPath: outPath, errPath: errPath)
    }

    /// Runs `scwlua ARGS` to completion (at most `timeout` seconds).
    public static func run(_ arguments: [String], in directory: String, environment: [String: String],
                    timeout: TimeInterval = 60, binary: String? = nil) throws -> RunResult {
        try start(arguments, in: directory, environment: environment, binary: binary).wait(timeout: timeout)
    }
}

/// `kill -9 pid`.
public func sigkill(_ pid: Int32) {
    #if canImport(Glibc)
    _ = Glibc.kill(pid, SIGKILL)
    #else
    _ = Darwin.kill(pid, SIGKILL)
    #endif
}

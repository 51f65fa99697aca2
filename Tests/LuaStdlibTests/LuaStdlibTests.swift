// LuaStdlibTests: runs each lua-stdlib test script (lua-stdlib/tests/*_test.lua) with Debian's
// stock /usr/bin/lua5.4 as a subprocess, with LUA_PATH pointing at lua-stdlib/, and fails with
// the script's own output when it exits non-zero. The Lua scripts hold the actual assertions.

import Foundation
import XCTest

final class LuaStdlibTests: XCTestCase {
    /// The repository root: this file is <root>/Tests/LuaStdlibTests/LuaStdlibTests.swift.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var stdlib: URL { root.appendingPathComponent("lua-stdlib") }
    static var testsDir: URL { stdlib.appendingPathComponent("tests") }

    /// The interpreter: $LUA5_4 when set (for other installs), else Debian's.
    static var lua: String {
        if let env = ProcessInfo.processInfo.environment["LUA5_4"], !env.isEmpty { return env }
        return "/usr/bin/lua5.4"
    }

    /// Test scripts run by the methods below; `testEveryScriptHasATest` keeps it complete.
    static let scripts = ["base64_test.lua", "cidr_test.lua", "file_test.lua", "json_test.lua", "sealed_test.lua", "template_test.lua"]

    func testBase64() throws { try runScript("base64_test.lua") }
    func testCidr() throws { try runScript("cidr_test.lua") }
    func testFile() throws { try runScript("file_test.lua") }
    func testJson() throws { try runScript("json_test.lua") }
    func testTemplate() throws { try runScript("template_test.lua") }
    func testSealedValues() throws { try runScript("sealed_test.lua") }

    func testEveryScriptHasATest() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.testsDir.path)
            .filter { $0.hasSuffix("_test.lua") }.sorted()
        XCTAssertFalse(names.isEmpty, "no *_test.lua files found in \(Self.testsDir.path)")
        XCTAssertEqual(names, Self.scripts.sorted(),
                       "lua-stdlib/tests and LuaStdlibTests.scripts differ: add a test method for each new script")
    }

    /// A Lua error message (`file:line: msg`) points at the caller's line from the real
    /// interpreter too, not only under the test helper.
    func testErrorsNameTheCallingLine() throws {
        let code = #"""
        local cidr = require "cidr"
        local ok, err = pcall(function()
          local x = cidr.subnet("10.0.0.0/33", 1, 0)
          return x
        end)
        io.write(err)
        """#
        let result = try Self.run([Self.lua, "-e", code])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.output,
                       #"(command line):3: cidr.subnet: '10.0.0.0/33' is not a valid CIDR (prefix length must be a number from 0 to 32)"#)
    }

    // MARK: - Running a script

    struct Result {
        let status: Int32
        let output: String
        let timedOut: Bool
    }

    /// Runs one test script and asserts it passed; on failure the message holds its output.
    private func runScript(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = Self.testsDir.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            XCTFail("missing test script \(path)", file: file, line: line)
            return
        }
        guard FileManager.default.isExecutableFile(atPath: Self.lua) else {
            throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(Self.lua) is not installed (apt-get install lua5.4)" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
        }
        let result = try Self.run([Self.lua, path])
        let summary = result.output.split(separator: "\n").last.map(String.init) ?? "(no output)"
        if result.timedOut {
            XCTFail("\(name) timed out\n--- output ---\n\(result.output)", file: file, line: line)
        } else if result.status != 0 {
            XCTFail("\(name) exited with status \(result.status): \(summary)\n--- output ---\n\(result.output)",
                    file: file, line: line)
        } else {
            XCTAssertTrue(summary.hasSuffix(" 0 failed"), "\(name): unexpected last line '\(summary)'\n\(result.output)",
                          file: file, line: line)
        }
    }

    /// Runs a command with LUA_PATH set to lua-stdlib/?.lua, from a working directory that is
    /// not the script's (so the relative-path tests mean something), stdout and stderr merged,
    /// and killed after `timeout` seconds.
    static func run(_ argv: [String], timeout: TimeInterval = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["LUA_PATH"] = stdlib.path + "/?.lua;;"
        env.removeValue(forKey: "LUA_PATH_5_4")
        env.removeValue(forKey: "LUA_INIT")
        env.removeValue(forKey: "LUA_INIT_5_4")
        process.environment = env
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice

        let watchdog = Watchdog(process)
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { watchdog.fire() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.disarm()
        return Result(status: process.terminationStatus,
                      output: String(decoding: data, as: UTF8.self),
                      timedOut: watchdog.fired)
    }
}

/// Terminates a process that outlives its deadline; remembers whether it had to.
private final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private let process: Process
    private var armed = true
    private(set) var fired = false

    init(_ process: Process) { self.process = process }

    func fire() {
        lock.lock()
        defer { lock.unlock() }
        guard armed, process.isRunning else { return }
        fired = true
        process.terminate()
    }

    func disarm() {
        lock.lock()
        armed = false
        lock.unlock()
    }
}

// LuaRunner: runs the stock lua5.4 interpreter with the built `scaleway` module on its
// LUA_CPATH, as a user would after scripts/install-lua-module.sh, and reads the emulator.

import Foundation
import XCTest

/// What one lua5.4 run printed and how it ended.
struct LuaRun: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String
    let timedOut: Bool

    var succeeded: Bool { status == 0 && !timedOut }
    /// Lines `key=value` the script printed after "OUT " (its way of reporting results).
    var reported: [String: String] {
        var values: [String: String] = [:]
        for line in stdout.split(separator: "\n") where line.hasPrefix("OUT ") {
            let pair = line.dropFirst(4).split(separator: "=", maxSplits: 1)
            values[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        return values
    }
    var description: String {
        "lua5.4 → exit \(status)\(timedOut ? " (timed out)" : "")\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

enum LuaRunner {
    static let lua = "/usr/bin/lua5.4"

    /// The folder of the build products: libscaleway.so is built next to the test bundle.
    static func productsDirectory() -> URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func library() throws -> URL {
        let lib = productsDirectory().appendingPathComponent("libscaleway.so")
        guard FileManager.default.fileExists(atPath: lib.path) else {
            throw LuaRunnerError("libscaleway.so is not built at \(lib.path): run `swift build` (it builds every product) before the tests")
        }
        return lib
    }

    /// scripts/install-lua-module.sh of the checkout these tests come from.
    static func installScript() -> URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/install-lua-module.sh")
    }

    /// The folder of the Swift runtime this test process runs with (where libswiftCore.so
    /// was loaded from): what LD_LIBRARY_PATH needs when the library's RUNPATH does not resolve.
    static func swiftRuntimeDirectory() -> String? {
        guard let file = FileHandle(forReadingAtPath: "/proc/self/maps") else { return nil }
        defer { try? file.close() }
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for line in maps.split(separator: "\n") where line.hasSuffix("/libswiftCore.so") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            return (String(line[slash...]) as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Runs `lua5.4 arguments...` in `directory` with `LUA_CPATH` set to `cpath`, a clean
    /// environment (no SCW_* variables, its own HOME) and a time limit.
    static func run(_ arguments: [String], cpath: String, in directory: URL, timeout: TimeInterval = 60) throws -> LuaRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lua)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "LUA_CPATH": cpath, "LUA_PATH": ";;"]
        if let runtime = swiftRuntimeDirectory() { environment["LD_LIBRARY_PATH"] = runtime }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let collected = Collected()
        let readers = DispatchGroup()
        for (pipe, isOut) in [(out, true), (err, false)] {
            readers.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, isOut: isOut)
                readers.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        readers.wait()
        return LuaRun(status: process.terminationStatus, stdout: collected.text(isOut: true),
                      stderr: collected.text(isOut: false), timedOut: timedOut)
    }

    /// The emulator's `GET /__emulator/resources`, as (kind, id, name) rows.
    static func cloudResources(_ baseURL: String) throws -> [(kind: String, id: String, name: String)] {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", baseURL + "/__emulator/resources"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let items = json?["resources"] as? [[String: Any]] ?? []
        return items.map { ($0["kind"] as? String ?? "", $0["id"] as? String ?? "", $0["name"] as? String ?? "") }
    }
}

struct LuaRunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Output of the two pipes, gathered on reader threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func set(_ data: Data, isOut: Bool) { lock.withLock { if isOut { out = data } else { err = data } } }
    func text(isOut: Bool) -> String { lock.withLock { String(decoding: isOut ? out : err, as: UTF8.self) } }
}

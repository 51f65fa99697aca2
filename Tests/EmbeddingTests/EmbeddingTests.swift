import Foundation
import XCTest
import ScwEmulator
import ScwLua

/// The library as another Swift tool uses it: no CLI, a script from a string or a file,
/// variables in, events out, outputs as Swift values, cancellation.
final class EmbeddingTests: XCTestCase {
    var emulator: Emulator!
    var dir: URL!

    override func setUpWithError() throws {
        var options = EmulatorOptions()
        options.latencyMs = 0
        emulator = try Emulator(options: options)
        try emulator.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        emulator.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func options() -> StackOptions {
        StackOptions(scriptPath: nil, stack: "embedded", stateDirectory: dir.appendingPathComponent("state").path,
                     target: .emulator(baseURL: emulator.baseURL), environment: [:])
    }

    /// Sessions are sandboxed unless the embedder says otherwise (docs/embedding.md).
    func testScriptsAreSandboxedByDefaultAndUnrestrictedOnRequest() throws {
        let sandboxed = try StackSession(options: options())
        XCTAssertThrowsError(try sandboxed.evaluate("os.execute('true')", chunkName: "=embedded")) { error in
            XCTAssertTrue("\(error)".contains("embedded:1: os.execute is not allowed"), "\(error)")
        }
        XCTAssertThrowsError(try sandboxed.evaluate("return os.getenv('PATH')"))
        XCTAssertEqual(sandboxed.hostDebug["sethook"].typeName, "function", "the host keeps the full debug library")

        var opts = options()
        opts.permissions = .unrestricted
        let trusted = try StackSession(options: opts)
        XCTAssertEqual(try trusted.evaluate("return type(os.execute), type(debug.sethook)"), [.string("function"), .string("function")])
        opts.permissions = Scw.ScriptPermissions(environmentVariables: ["SCWLUA_EMBED_TEST"])
        setenv("SCWLUA_EMBED_TEST", "yes", 1)
        defer { unsetenv("SCWLUA_EMBED_TEST") }
        XCTAssertEqual(try StackSession(options: opts).evaluate("return os.getenv('SCWLUA_EMBED_TEST')"), [.string("yes")])
    }

    func testScriptFromAStringWithVariablesEventsAndOutputs() async throws {
        var opts = options()
        opts.variables = ["env": .string("staging")]
        opts.luaFunctions = ["team_tag": { _, _ in [.string("team:platform")] }]
        let session = try StackSession(options: opts)
        try session.evaluate("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" { tags = { "env:" .. scaleway.vars.env, team_tag() } }
        local pn = scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.9.0.0/24" } }
        return { subnet = pn.ipv4_subnet, vpc = vpc.id }
        """, chunkName: "=embedded")
        let events = EventLog()
        let outcome = try await session.deploy(events: { events.append($0) })
        guard case .applied(let plan, let result) = outcome else { return XCTFail("expected an apply, got \(outcome)") }
        XCTAssertEqual(plan.count(of: .create), 2)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(events.finished.sorted(), ["Vpc/main", "VpcPrivateNetwork/app"])
        let outputs = try session.outputs()
        XCTAssertEqual(outputs["subnet"], .string("10.9.0.0/24"))
        XCTAssertTrue(outputs["vpc"]?.stringValue?.hasPrefix("fr-par/") == true)
        XCTAssertEqual(session.program.declarations.first?.props["tags"], .list([.string("env:staging"), .string("team:platform")]))
        // Handles now hold real values, readable from Lua.
        let seen = try session.evaluate("return tostring(scaleway.vars.env)", chunkName: "=check")
        XCTAssertEqual(seen.first, .string("staging"))
    }

    func testCancellingAnApplyStopsNewWorkAndKeepsStateConsistent() async throws {
        emulator.stop()
        var emu = EmulatorOptions()
        emu.latencyMs = 150
        emulator = try Emulator(options: emu)
        try emulator.start()
        var opts = options()
        opts.parallelism = 2
        let code = """
        local scw = require "scaleway"
        for i = 1, 20 do scw.VpcPrivateNetwork("pn" .. i, { tags = { "bulk" } }) end
        """
        let session = try StackSession(options: opts)
        try session.evaluate(code, chunkName: "=bulk")
        let started = Flag()
        let task = Task {
            try await session.deploy(events: { if case .finished = $0 { started.set() } })
        }
        while !started.isSet { try await Task.sleep(for: .milliseconds(20)) }
        task.cancel()
        // A run that did not complete is thrown, with the partial result.
        let applied: Scw.ApplyResult
        do {
            let outcome = try await task.value
            return XCTFail("a cancelled apply came back as \(outcome)")
        } catch let failure as ApplyFailure {
            applied = failure.result
        }
        XCTAssertFalse(applied.succeeded)
        XCTAssertFalse(applied.cancelled.isEmpty, "some operations should not have started")
        XCTAssertGreaterThan(applied.count(of: .create), 0)

        // State and cloud agree: every row is in the cloud, every tagged network is in state.
        let rows = try session.store.resources(stack: "embedded")
        XCTAssertTrue(rows.allSatisfy { $0.status == .created })
        let cloud = try cloudNetworks()
        XCTAssertEqual(Set(rows.map { String($0.id.split(separator: "/").last!) }), Set(cloud))

        // Running again finishes the job.
        let again = try StackSession(options: opts)
        try again.evaluate(code, chunkName: "=bulk")
        let second = try await again.deploy()
        XCTAssertEqual(second.result?.succeeded, true)
        XCTAssertEqual(try cloudNetworks().count, 20)
    }

    func testExampleProgramDeploysAndWritesOutputs() throws {
        let exe = productsDirectory().appendingPathComponent("scwlua-embed-example")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            return XCTFail("build the example first (swift build builds every product): \(exe.path)")
        }
        let script = dir.appendingPathComponent("infra.lua")
        try """
        local scw = require "scaleway"
        local vpc = scw.Vpc "tool" { tags = { "by:" .. scw.vars.who } }
        return { vpc_id = vpc.id, who = scw.vars.who }
        """.write(to: script, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("outputs.json")
        let process = Process()
        process.executableURL = exe
        process.arguments = [script.path, out.path, "--endpoint", emulator.baseURL, "--var", "who=ci"]
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("Vpc/tool: created"), text)
        let written = try JSONText.decode(String(contentsOf: out, encoding: .utf8))
        XCTAssertEqual(written["who"], .string("ci"))
        XCTAssertTrue(written["vpc_id"]?.stringValue?.hasPrefix("fr-par/") == true)
    }

    // MARK: helpers

    func cloudNetworks() throws -> [String] {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", emulator.baseURL + "/__emulator/resources"]
        let pipe = Pipe()
        curl.standardOutput = pipe
        try curl.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        let all = try JSONText.decode(String(decoding: data, as: UTF8.self))
        return (all["resources"]?.listValue ?? []).filter { $0["kind"] == .string("private_network") }.compactMap { $0["id"]?.stringValue }
    }

    func productsDirectory() -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func append(_ e: Scw.ApplyEvent) {
        if case .finished(let a, _, _) = e { lock.withLock { names.append(a.description) } }
    }
    var finished: [String] { lock.withLock { names } }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

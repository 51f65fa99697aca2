// InstallTests: installed like a real tool. The Lua library is built into the binary, so a copy
// anywhere still finds `require "cidr"` (SCWLUA_LUA_PATH and the script's folder first);
// scripts/install.sh installs the CLI, its completions and the Lua module under a prefix.
// (EmbeddedStdlibTests checks that the built-in sources match lua-stdlib/.)

import Foundation
import ScwTestSupport
import XCTest

final class InstallTests: IntegrationCase {
    static var repoRoot: URL { Fixture.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    func testACopiedBinaryStillHasTheLibrary() throws {
        let bin = dir + "/elsewhere/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try CLI.binary(), toPath: bin + "/scwlua")
        try writeScript("""
            local cidr, json, b64 = require "cidr", require "json", require "base64"
            require "template"; require "file"
            print(cidr.subnet("10.0.0.0/16", 8, 2), json.encode({ a = 1 }), b64.encode("hi"), (require "local_mod").who)
            """)
        try "return { who = \"beside the script\" }\n".write(toFile: dir + "/local_mod.lua", atomically: true, encoding: .utf8)
        let run = { (env: [String: String]) in try CLI.run(["infra.lua"], in: self.dir, environment: env, timeout: 30, binary: bin + "/scwlua") }
        let r = try run(environment)
        XCTAssertTrue(r.succeeded, r.description)
        XCTAssertTrue(r.stdout.contains("10.0.2.0/24\t{\"a\":1}\taGk=\tbeside the script"), r.description)

        // SCWLUA_LUA_PATH comes first.
        try FileManager.default.createDirectory(atPath: dir + "/mine", withIntermediateDirectories: true)
        try "return { subnet = function() return \"mine\" end }\n".write(toFile: dir + "/mine/cidr.lua", atomically: true, encoding: .utf8)
        var env = environment
        env["SCWLUA_LUA_PATH"] = dir + "/mine"
        let mine = try run(env)
        XCTAssertTrue(mine.stdout.hasPrefix("mine\t"), mine.description)
    }

    func testInstallShPutsTheToolUnderAPrefix() throws {
        let prefix = dir + "/prefix"
        let buildDir = (try CLI.binary() as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.repoRoot.appendingPathComponent("scripts/install.sh").path, prefix, "--build-dir", buildDir]
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        for path in ["bin/scwlua", "share/bash-completion/completions/scwlua", "share/zsh/site-functions/_scwlua",
                     "share/fish/vendor_completions.d/scwlua.fish", "lib/lua/5.4/scaleway.so"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/" + path), "\(path) missing: \(text)")
        }
        let version = try CLI.run(["version"], in: dir, environment: environment, timeout: 30, binary: prefix + "/bin/scwlua")
        XCTAssertTrue(version.succeeded, version.description)
    }
}

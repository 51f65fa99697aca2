// SandboxTests: scripts are declarations. By default the built binary runs them without
// process execution, native code, file writes, other folders' files or the environment;
// each refusal is an error at the script line naming the flag that allows it, in every
// command that runs a script; --allow-exec (or scwlua.json), --allow-read and --allow-env
// open what the user trusts.

import Foundation
import ScwTestSupport
import XCTest

final class SandboxTests: IntegrationCase {
    /// `os.execute` at line 2 of infra.lua: refused by every command, nothing run, nothing written.
    func testNoCommandRunsAProgramFromAScript() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            os.execute("touch '\(dir)/PWNED'")
            scw.Vpc "main" { region = "fr-par" }
            """)
        let runs: [(String, [String])] = [
            ("plan", ["plan", "infra.lua"] + target),
            ("deploy", ["deploy", "infra.lua", "--yes"] + target),
            ("destroy", ["destroy", "infra.lua", "--yes"] + target),
            ("refresh", ["refresh", "infra.lua"] + target),
            ("graph", ["graph", "infra.lua"]),
            ("run", ["infra.lua"]),
            ("repl", ["repl", "infra.lua"] + target),
        ]
        for (name, arguments) in runs {
            let r = expectFailure(try scwlua(arguments), name)
            XCTAssertTrue(r.stderr.contains("infra.lua:2: os.execute is not allowed"), "\(name): \(r)")
            XCTAssertTrue(r.stderr.contains("--allow-exec"), "\(name) names the flag: \(r)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/PWNED"), "\(name) ran the program")
        }
        XCTAssertEqual(try cloud.stats().writes, 0, "nothing was created")

        // Trusted, the same script runs the program.
        expectSuccess(try scwlua(["plan", "infra.lua", "--allow-exec"] + target), "plan --allow-exec")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/PWNED"), "--allow-exec gives the full library back")
        try FileManager.default.removeItem(atPath: dir + "/PWNED")
        // So does "allow_exec": true in scwlua.json beside the script.
        try "{\"allow_exec\": true}".write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        expectSuccess(try scwlua(["graph", "infra.lua"]), "graph with allow_exec in scwlua.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/PWNED"), "scwlua.json allow_exec")
        try "{\"allow_exec\": \"yes\"}".write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        let bad = expectFailure(try scwlua(["graph", "infra.lua"]), "a bad allow_exec")
        XCTAssertTrue(bad.stderr.contains("\"allow_exec\" must be true or false"), bad.description)
    }

    /// Every way out of the sandbox, one per script line, each refused where it is written
    /// and naming the flag that allows it.
    func testEachRefusalIsLocatedAndNamesItsFlag() throws {
        let stack = dir + "/stack", outside = dir + "/private"
        try FileManager.default.createDirectory(atPath: stack, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "hunter2-outside".write(toFile: outside + "/key.txt", atomically: true, encoding: .utf8)
        try "inside".write(toFile: stack + "/inside.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: stack + "/link.txt", withDestinationPath: outside + "/key.txt")
        let cases: [(code: String, expected: String, flag: String)] = [
            ("io.popen('id')", "io.popen is not allowed", "--allow-exec"),
            ("io.open('out.txt', 'w')", "io.open in mode 'w' writes a file", "--allow-exec"),
            ("io.open('inside.txt', 'a+')", "io.open in mode 'a+' writes a file", "--allow-exec"),
            ("io.output('out.txt')", "io.output('out.txt') writes a file", "--allow-exec"),
            ("os.remove('inside.txt')", "os.remove is not allowed", "--allow-exec"),
            ("os.rename('inside.txt', 'x')", "os.rename is not allowed", "--allow-exec"),
            ("os.exit(0)", "os.exit is not allowed", "--allow-exec"),
            ("os.tmpname()", "os.tmpname is not allowed", "--allow-exec"),
            ("os.setlocale('C')", "os.setlocale may only read the locale", "--allow-exec"),
            ("package.loadlib('libc.so.6', '*')", "package.loadlib is not allowed", "--allow-exec"),
            ("debug.getupvalue(io.open, 1)", "debug.getupvalue is not allowed", "--allow-exec"),
            ("load(string.dump(function() end), 'x', 'b')", "load of a binary chunk is not allowed", "--allow-exec"),
            ("os.getenv('HOME')", "os.getenv('HOME') is not allowed", "--allow-env HOME"),
            ("require('file').read('../private/key.txt')", "reading '\(outside)/key.txt' is not allowed", "--allow-read \(outside)"),
            ("require('file').read('link.txt')", "reading '\(outside)/key.txt' is not allowed", "--allow-read \(outside)"),
            ("require('file').read('/proc/self/environ')", "/environ' is not allowed", "--allow-read /proc/"),
            ("for l in io.lines('\(outside)/key.txt') do end", "reading '\(outside)/key.txt' is not allowed", "--allow-read \(outside)"),
            ("dofile('\(outside)/key.txt')", "reading '\(outside)/key.txt' is not allowed", "--allow-read \(outside)"),
            ("package.path = '\(outside)/?.txt'; require 'key'", "module file '\(outside)/key.txt' is outside", "--allow-read \(outside)"),
        ]
        for c in cases {
            try "local x = 1\n\(c.code)\n".write(toFile: stack + "/infra.lua", atomically: true, encoding: .utf8)
            let r = expectFailure(try scwlua(["stack/infra.lua"]), c.code)
            XCTAssertTrue(r.stderr.contains("infra.lua:2: "), "\(c.code): not located at its line: \(r)")
            XCTAssertTrue(r.stderr.contains(c.expected), "\(c.code): \(r)")
            XCTAssertTrue(r.stderr.contains(c.flag), "\(c.code) does not name \(c.flag): \(r)")
            XCTAssertFalse(r.combined.contains("hunter2"), "\(c.code) read the file: \(r)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: stack + "/inside.txt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stack + "/out.txt"))

        // What stays allowed: its own files, SCWLUA_VAR_*, the shipped library, printing.
        try """
            local file, json = require "file", require "json"
            print(file.read("inside.txt"), io.open(file.path("inside.txt")):read("a"), os.getenv("SCWLUA_VAR_ENV"), json.encode({ 1 }))
            """.write(toFile: stack + "/infra.lua", atomically: true, encoding: .utf8)
        var env = environment
        env["SCWLUA_VAR_ENV"] = "staging"
        env["SECRET_TOKEN"] = "hunter2-env"
        let ok = expectSuccess(try scwlua(["stack/infra.lua"], env: env), "allowed reads")
        XCTAssertTrue(ok.stdout.contains("inside\tinside\tstaging\t[1]"), ok.description)

        // The flags open exactly what they name.
        try """
            print(require("file").read("../private/key.txt"), os.getenv("SECRET_TOKEN"))
            """.write(toFile: stack + "/infra.lua", atomically: true, encoding: .utf8)
        let noEnv = expectFailure(try scwlua(["stack/infra.lua", "--allow-read", outside], env: env), "--allow-read only")
        XCTAssertTrue(noEnv.stderr.contains("--allow-env SECRET_TOKEN"), noEnv.description)
        let both = expectSuccess(try scwlua(["stack/infra.lua", "--allow-read", outside, "--allow-env", "SECRET_TOKEN"], env: env), "both flags")
        XCTAssertTrue(both.stdout.contains("hunter2-outside\thunter2-env"), both.description)
    }
}

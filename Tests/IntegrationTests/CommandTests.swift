// CommandTests: the small commands: `scwlua version` and `scwlua FILE.lua` (run a script,
// declaring only).

import Foundation
import XCTest

final class CommandTests: IntegrationCase {
    func testVersion() throws {
        let r = expectSuccess(try scwlua(["version"]), "version")
        XCTAssertTrue(r.stdout.hasPrefix("scwlua "), r.description)
        XCTAssertTrue(r.stdout.contains("Lua 5.4"), r.description)
        let version = r.stdout.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        XCTAssertTrue(version.first?.isNumber ?? false, "a version number after the name: \(r)")
    }

    func testRunningAScriptDeclaresOnly() throws {
        try startCloud()
        try writeScript(Fixture.network())
        let r = expectSuccess(try scwlua(["infra.lua"]), "scwlua infra.lua")
        XCTAssertTrue(r.stderr.contains("3 resource(s) declared"), r.description)
        XCTAssertTrue(r.stderr.contains("scwlua plan infra.lua"), r.description)
        XCTAssertEqual(try cloud.stats().requests, 0)

        // The script's own code runs: print goes to stdout.
        try writeScript("local scw = require \"scaleway\"\nprint(\"hello from \" .. _VERSION)\nlocal v = scw.Vpc \"main\" {}\nprint(tostring(v.id))\n")
        let hello = expectSuccess(try scwlua(["infra.lua"]), "scwlua infra.lua (print)")
        XCTAssertTrue(hello.stdout.contains("hello from Lua 5.4"), hello.description)
        XCTAssertTrue(hello.stdout.contains("known after apply"), "an output prints as unknown before apply: \(hello)")

        // A script error is reported with its place.
        try writeScript(Fixture.text("bad_unknown_prop.lua"))
        let bad = expectFailure(try scwlua(["infra.lua"]), "scwlua bad script")
        XCTAssertTrue(bad.stderr.contains("infra.lua:3:"), bad.description)
        XCTAssertTrue(bad.stderr.contains("did you mean 'subnets'"), bad.description)

        let missing = expectFailure(try scwlua(["nope.lua"]), "scwlua missing script")
        XCTAssertTrue(missing.stderr.contains("nope.lua"), missing.description)
    }
}

// SecretValueTests: what the script layer hands the engine for values computed from secrets:
// a secret when everything is known, an expression with secret parts when a reference is
// involved (the resolver then makes the result secret), and secret outputs filled in after
// apply that stay secret in Lua.

import Foundation
import ScwCore
import ScwEngine
import ScwResources
@testable import ScwScript
import XCTest

final class SecretValueTests: XCTestCase {
    func testComputedValuesAreSecrets() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local pw = scw.secret("pw")
        local vpc = scw.Vpc "main" { tags = {
          scw.format("a=%s;n=%d", pw, 7), "b-" .. pw, pw .. 1, pw:map(function(v) return v:upper() end),
          scw.format("plain %s", "x"),
        } }
        return { deferred = scw.format("%s@%s", pw, vpc.id), joined = pw .. "/" .. vpc.id }
        """)
        let tags = program.declarations[0].props["tags"]?.listValue ?? []
        XCTAssertEqual(tags, [.secret(.string("a=pw;n=7")), .secret(.string("b-pw")), .secret(.string("pw1")),
                              .secret(.string("PW")), .string("plain x")])
        let vpcID = Value.ref(OutputRef(address: ResourceAddress(type: "Vpc", name: "main"), path: [.key("id")]))
        XCTAssertEqual(program.outputs["deferred"], .concat([.secret(.string("pw")), .string("@"), vpcID]))
        XCTAssertEqual(program.outputs["joined"], .concat([.secret(.string("pw")), .string("/"), vpcID]))
        XCTAssertTrue(program.outputs["deferred"]?.isSensitive == true)
    }

    func testSecretsPrintAsSensitiveAndRefuseWhatCannotBeJoined() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        shown = tostring(scw.secret("pw"))
        ok, err = pcall(function() return scw.secret({ 1 }) .. "x" end)
        ok2, err2 = pcall(function() return scw.secret("pw").nope end)
        """)
        XCTAssertEqual(session.lua.global("shown").stringValue, "(sensitive)")
        XCTAssertEqual(session.lua.global("ok"), .boolean(false))
        XCTAssertTrue(session.lua.global("err").stringValue?.contains("cannot join a secret table") == true)
        XCTAssertTrue(session.lua.global("err2").stringValue?.contains("a secret has no field 'nope'") == true)
    }

    func testSecretOutputsStaySecretAfterFill() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        vpc = scw.Vpc "main" {}
        """)
        try session.fill(outputs: [ResourceAddress(type: "Vpc", name: "main"): ["id": .string("fr-par/1"), "token": .secret(.string("t0k"))]])
        let before = session.secretsMade
        let program = try session.run(code: "local scw = require 'scaleway'\nreturn { derived = 'x-' .. vpc.token, id = vpc.id }", chunkName: "=check")
        XCTAssertEqual(program.outputs["derived"], .secret(.string("x-t0k")))
        XCTAssertEqual(program.outputs["id"], .string("fr-par/1"))
        XCTAssertGreaterThan(session.secretsMade, before, "computing from a secret makes a secret")
    }
}

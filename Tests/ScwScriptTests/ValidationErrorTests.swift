import XCTest
@testable import ScwScript

/// Bad input names the script line and says how to fix it.
final class ValidationErrorTests: XCTestCase {
    func testUnknownPropSuggestsTheRightOne() {
        let e = scriptError("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" {}
        scw.VpcPrivateNetwork "app" { vpc = vpc, subnet = { "10.0.1.0/24" } }
        """)
        XCTAssertTrue(e.contains("infra.lua:3:"), e)
        XCTAssertTrue(e.contains("unknown prop 'subnet'"), e)
        XCTAssertTrue(e.contains("did you mean 'subnets'"), e)
    }

    func testWrongType() {
        let e = scriptError("""
        local scw = require "scaleway"
        scw.Vpc "main" { tags = "prod" }
        """)
        XCTAssertTrue(e.contains("infra.lua:2:"), e)
        XCTAssertTrue(e.contains("'tags' expects list of string, got string \"prod\""), e)
    }

    func testBadCIDR() {
        let e = scriptError("""
        local scw = require "scaleway"
        scw.VpcPrivateNetwork "app" {
          subnets = { "10.0.300.0/24" },
        }
        """)
        XCTAssertTrue(e.contains("infra.lua:2:"), e)
        XCTAssertTrue(e.contains("'10.0.300.0/24' is not a CIDR"), e)
    }

    func testUnknownRegionAndType() {
        let region = scriptError("""
        local scw = require "scaleway"
        scw.Vpc "main" { region = "fr-pa" }
        """)
        XCTAssertTrue(region.contains("unknown region 'fr-pa'") && region.contains("did you mean 'fr-par'"), region)
        let type = scriptError("""
        local scw = require "scaleway"
        scw.Vcp "main" {}
        """)
        XCTAssertTrue(type.contains("infra.lua:2:") && type.contains("unknown resource type 'Vcp'") && type.contains("did you mean 'Vpc'"), type)
    }

    func testDuplicateNameAndHandleOfWrongType() {
        let dup = scriptError("""
        local scw = require "scaleway"
        scw.Vpc "main" {}
        scw.Vpc "main" {}
        """)
        XCTAssertTrue(dup.contains("infra.lua:3:") && dup.contains("already declared at infra.lua:2"), dup)
        let wrong = scriptError("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "a" {}
        scw.VpcPrivateNetwork "b" { vpc = pn }
        """)
        XCTAssertTrue(wrong.contains("expects Vpc"), wrong)
    }

    func testSyntaxErrorAndBadLifecycle() {
        let syntax = scriptError("local scw = require \"scaleway\"\nscw.Vpc \"main\" {\n")
        XCTAssertTrue(syntax.contains("infra.lua:"), syntax)
        let lifecycle = scriptError("""
        local scw = require "scaleway"
        scw.Vpc "main" { lifecycle = { protec = true } }
        """)
        XCTAssertTrue(lifecycle.contains("unknown lifecycle option 'protec'") && lifecycle.contains("did you mean 'protect'"), lifecycle)
    }

    func testReservedTagPrefixIsCaughtByTheProvider() throws {
        // Validation passes (a string list); the provider refuses at plan time with the address.
        XCTAssertNoThrow(try runScript("""
        local scw = require "scaleway"
        scw.Vpc "main" { tags = { "scwlua:urn=x" } }
        """))
    }

    /// A constructor's error raised from Swift (through the trampoline) can be caught. Bad props
    /// are not raised while a whole script runs: they are all reported when it ends.
    func testErrorsCanBeCaughtByPcall() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        scw.Vpc "main" {}
        ok, err = pcall(function() return scw.Vpc "main" { name = "x" } end)
        """)
        XCTAssertEqual(session.lua.global("ok"), .boolean(false))
        XCTAssertTrue(session.lua.global("err").stringValue?.contains("Vpc \"main\" is already declared at") == true)
    }
}

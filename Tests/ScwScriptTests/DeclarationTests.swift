import XCTest
import ScwCore
import ScwEngine
import ScwResources
@testable import ScwScript

final class DeclarationTests: XCTestCase {
    func testBothConstructorFormsDeclare() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local a = scw.Vpc "a" { tags = { "x" } }
        local b = scaleway.Vpc("b", { region = "nl-ams" })
        """)
        XCTAssertEqual(program.declarations.map(\.address.description), ["Vpc/a", "Vpc/b"])
        XCTAssertEqual(program.declarations[0].props["tags"], .list([.string("x")]))
        XCTAssertEqual(program.declarations[1].props["region"], .string("nl-ams"))
        XCTAssertEqual(program.declarations[1].location, SourceLocation(file: "infra.lua", line: 3))
    }

    func testHandleWhereIdIsExpectedBecomesReference() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" {}
        scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.1.0/24" } }
        """)
        let pn = program.declarations[1]
        XCTAssertEqual(pn.props["vpc_id"], .ref(OutputRef(address: ResourceAddress(type: "Vpc", name: "main"), path: [.key("id")])))
        XCTAssertEqual(pn.dependencies, [ResourceAddress(type: "Vpc", name: "main")])
    }

    func testOutputsConcatFormatMapAndSecret() throws {
        let (session, program) = try runScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" {}
        return {
          joined = "id=" .. vpc.id,
          formatted = scw.format("%s in %s", vpc.id, "fr-par"),
          upper = vpc.name:map(function(v) return string.upper(v) end),
          token = scw.secret("s3cr3t"),
          plain = 42,
        }
        """)
        let ref = Value.ref(OutputRef(address: ResourceAddress(type: "Vpc", name: "main"), path: [.key("id")]))
        XCTAssertEqual(program.outputs["joined"], .concat([.string("id="), ref]))
        XCTAssertEqual(program.outputs["formatted"], .concat([ref, .string(" in "), .string("fr-par")]))
        XCTAssertEqual(program.outputs["token"], .secret(.string("s3cr3t")))
        XCTAssertEqual(program.outputs["plain"], .int(42))
        guard case .transform(_, let id)? = program.outputs["upper"] else { return XCTFail("expected a transform") }
        XCTAssertEqual(try session.transform(id, .string("main")), .string("MAIN"))
    }

    func testReservedKeys() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local a = scw.Vpc "a" {}
        local b = scw.Vpc "b" {
          depends_on = { a },
          lifecycle = { protect = true, retain = true, ignore_changes = { "tags" }, create_before_destroy = true },
          timeouts = { delete = "5m" },
        }
        """)
        let b = program.declarations[1]
        XCTAssertEqual(b.dependsOn, [ResourceAddress(type: "Vpc", name: "a")])
        XCTAssertEqual(b.lifecycle, Lifecycle(protect: true, retain: true, ignoreChanges: ["tags"], createBeforeDestroy: true))
        XCTAssertEqual(b.timeouts.delete, 300)
        XCTAssertNil(b.props["lifecycle"])
    }

    func testDefaults() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        scw.defaults { region = "nl-ams", zone = "nl-ams-1" }
        """)
        XCTAssertEqual(session.defaults, ScriptDefaults(region: "nl-ams", zone: "nl-ams-1"))
    }

    func testPrintingAReferenceBeforeApply() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" {}
        shown = tostring(vpc.id)
        unset_prop = vpc.tags
        ok, typo = pcall(function() return vpc.idd end)
        """)
        XCTAssertTrue(session.lua.global("shown").stringValue?.contains("known after apply") == true)
        XCTAssertEqual(session.lua.global("unset_prop"), .nil)
        XCTAssertTrue(session.lua.global("typo").stringValue?.contains("Vpc has no prop or output 'idd'") == true)
    }

    func testHandlesHoldRealValuesAfterFill() throws {
        let (session, _) = try runScript("""
        local scw = require "scaleway"
        vpc = scw.Vpc "main" {}
        """)
        try session.fill(outputs: [ResourceAddress(type: "Vpc", name: "main"): ["id": .string("fr-par/123")]])
        _ = try session.lua.doString("seen = vpc.id", chunkName: "=check")
        XCTAssertEqual(session.lua.global("seen").stringValue, "fr-par/123")
    }
}

final class VariablesTests: XCTestCase {
    func testVarsAreVisibleAsScalewayVars() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vars-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("infra.lua").path
        try "local scw = require 'scaleway'\nscw.Vpc 'main' { tags = { 'env:' .. scw.vars.env } }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let session = try ScriptSession(schemas: ScwResources.Providers.schemas, libraryPaths: [])
        try session.setVariables(["env": .string("prod")])
        let program = try session.run(file: path)
        XCTAssertEqual(program.declarations[0].props["tags"], .list([.string("env:prod")]))
    }
}

// SmallInputTests: small inputs a hostile or careless user gives the built binary: a
// parallelism of 0 or less, a 5 MB name, a NUL byte in a name, an empty name, a dependency
// on something not declared (the only way to a cycle), and `--endpoint` with the default
// region, zone and project set in the environment.

import Foundation
import ScwTestSupport
import XCTest

final class SmallInputTests: IntegrationCase {
    func testParallelismBelowOneIsRefused() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\n")
        for value in ["0", "-3", "1001"] {
            for command in ["plan", "deploy"] {
                let r = expectFailure(try scwlua([command, "infra.lua", "--parallelism", value, "--yes"].filter { command == "deploy" || $0 != "--yes" } + target),
                                      "\(command) --parallelism \(value)")
                XCTAssertTrue(r.stderr.contains("--parallelism must be a whole number from 1 to 1000, got \(value)"), r.description)
            }
        }
        XCTAssertEqual(try cloud.stats().writes, 0)
        expectSuccess(try deploy(["--parallelism", "1"]), "--parallelism 1")
    }

    func testHugeAndBinaryNamesAreRefusedAtTheirLine() throws {
        try startCloud()
        let cases: [(String, String)] = [
            ("scw.Vpc(string.rep(\"a\", 5 * 1024 * 1024)) {}", "infra.lua:2: resource name is 5242880 bytes long; the limit is 128"),
            ("scw.Vpc(\"a\\0b\") {}", "infra.lua:2: resource name contains a NUL byte"),
            ("scw.Vpc(\"a\\nb\") {}", "infra.lua:2: resource name contains a control character"),
            ("scw.Vpc \"main\" { name = string.rep(\"n\", 5 * 1024 * 1024) }", "infra.lua:2: 'name' is 5242880 bytes long; the limit is 255"),
            ("scw.Vpc \"main\" { name = \"x\\0y\" }", "infra.lua:2: 'name' contains a NUL byte"),
            ("scw.Vpc \"\" {}", "infra.lua:2: Vpc needs a name, got an empty name"),
            ("scw.Vpc(\"\", {})", "infra.lua:2: Vpc needs a name, got an empty name"),
            ("scw.Vpc { region = \"fr-par\" }", "infra.lua:2: Vpc needs a name, got a table"),
        ]
        for (code, expected) in cases {
            try writeScript("local scw = require \"scaleway\"\n\(code)\n")
            let r = expectFailure(try plan(), code)
            XCTAssertTrue(r.stderr.contains(expected), "\(code): \(r.stderr.prefix(2000))")
            XCTAssertLessThan(r.combined.utf8.count, 4096, "\(code): the message repeats the input")
        }
        XCTAssertEqual(try cloud.stats().writes, 0)
    }

    /// Handles can only come from constructors above, so a cycle cannot be declared; a forged
    /// handle that would make one is refused at its line.
    func testADependencyCycleIsRefusedAtTheScriptLine() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            local a = scw.Vpc "a" { depends_on = { { __scw = "handle", __addr = "Vpc/b" } } }
            local b = scw.Vpc "b" { depends_on = { a } }
            """)
        let r = expectFailure(try plan(), "a forged forward dependency")
        XCTAssertTrue(r.stderr.contains("infra.lua:2: depends_on: Vpc/b is not declared in this script"), r.description)
    }

    func testEndpointHonoursTheDefaultsOfTheEnvironment() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\nscw.InstanceIp \"ip\" {}\n")
        let project = "22222222-2222-4222-8222-222222222222"
        var env = environment
        env["SCW_DEFAULT_REGION"] = "nl-ams"
        env["SCW_DEFAULT_ZONE"] = "nl-ams-1"
        env["SCW_DEFAULT_PROJECT_ID"] = project
        expectSuccess(try scwlua(["deploy", "infra.lua", "--yes"] + target, env: env), "deploy with defaults in the environment")
        let vpc = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "Vpc/main" })
        XCTAssertEqual(vpc.region, "nl-ams", vpc.description)
        let body = try cloud.api("GET", "/vpc/v2/regions/nl-ams/vpcs/\(vpc.id)")
        XCTAssertTrue(body.text.contains(project), body.text)
        let ip = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "InstanceIp/ip" })
        XCTAssertEqual(try cloud.api("GET", "/instance/v1/zones/nl-ams-1/ips/\(ip.id)").status, 200, "the IP is in nl-ams-1: \(ip)")

        env["SCW_DEFAULT_REGION"] = "nl-amz"
        let bad = expectFailure(try scwlua(["plan", "infra.lua"] + target, env: env), "a bad SCW_DEFAULT_REGION")
        XCTAssertTrue(bad.stderr.contains("SCW_DEFAULT_REGION"), bad.description)
    }
}

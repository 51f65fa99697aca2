// EveryErrorTests: every problem of a script in one run, each at its line, before any write:
// bad props of several constructors, a bad type and a bad image of one server, and references
// that cross regions or zones.

import Foundation
import ScwTestSupport
import XCTest

final class EveryErrorTests: IntegrationCase {
    func testEveryBadPropIsReportedInOneRun() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            local vpc = scw.Vpc "main" { regoin = "fr-par" }
            scw.SecurityGroup "web" { zone = "fr-par-1", inbound_default_policy = "deny", stateful = "yes" }
            scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.1.0/24" } }
            """)
        let r = expectFailure(try deploy(), "three bad props in two constructors")
        XCTAssertTrue(r.stderr.contains("error: infra.lua:2: unknown prop 'regoin' for Vpc"), r.description)
        XCTAssertTrue(r.stderr.contains("error: infra.lua:3: 'inbound_default_policy' cannot be 'deny'"), r.description)
        XCTAssertTrue(r.stderr.contains("error: infra.lua:3: 'stateful' expects boolean, got string \"yes\""), r.description)
        XCTAssertFalse(r.stderr.contains("not declared"), "a refused resource can still be referred to: \(r.description)")
        XCTAssertEqual(try cloud.stats().writes, 0)
    }

    func testABadTypeAndABadImageAreReportedTogether() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            scw.Instance "web" { type = "DEV1-XXL", image = "ubuntu_jamy", zone = "fr-par-1" }
            """)
        let r = expectFailure(try plan(), "a bad type and a bad image")
        XCTAssertTrue(r.stdout.contains("DEV1-XXL") && r.stdout.contains("unknown image label 'ubuntu_jamy'"), r.description)
        XCTAssertEqual(r.stdout.components(separatedBy: "error: infra.lua:2: Instance/web:").count - 1, 2, r.description)
        XCTAssertEqual(try cloud.stats().writes, 0)
    }

    func testAReferenceAcrossRegionsIsRefusedBeforeAnyWrite() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            local pn = scw.VpcPrivateNetwork "app" { region = "fr-par", subnets = { "10.0.1.0/24" } }
            scw.Instance "web" { type = "DEV1-S", image = "ubuntu_jammy", zone = "nl-ams-1", private_networks = { pn } }
            local sg = scw.SecurityGroup "sg" { zone = "fr-par-2" }
            scw.Instance "db" { type = "DEV1-S", image = "ubuntu_jammy", zone = "fr-par-1", security_group = sg }
            """)
        let r = expectFailure(try deploy(), "an Instance in nl-ams-1 on a private network of fr-par")
        XCTAssertTrue(r.stderr.contains("infra.lua:3: Instance/web: private_networks refers to VpcPrivateNetwork/app in region fr-par, "
                                        + "but Instance/web is in zone nl-ams-1 (region nl-ams)"), r.description)
        XCTAssertLessThan(r.stderr.range(of: "infra.lua:3:")!.lowerBound, r.stderr.range(of: "infra.lua:5:")!.lowerBound, "in script order")
        XCTAssertTrue(r.stderr.contains("infra.lua:5: Instance/db: security_group_id refers to SecurityGroup/sg in zone fr-par-2, "
                                        + "but Instance/db is in zone fr-par-1"), r.description)
        XCTAssertEqual(try cloud.stats().writes, 0, "nothing was created")
        XCTAssertEqual(try cloud.stackResources(), [])
    }
}

// Through the binary: an in-place update's new outputs reach the resources that read them in
// the same deploy, and a replacement decided by a provider from the values says why.

import Foundation
import ScwTestSupport
import XCTest

final class UpdatePropagationTests: IntegrationCase {
    func script(vpcName: String) -> String {
        """
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" { name = "\(vpcName)" }
        scw.VpcPrivateNetwork "app" { vpc = vpc, tags = { "vpc:" .. vpc.name } }
        return { vpc_name = vpc.name }
        """
    }

    func testRenamedVpcReachesItsPrivateNetworkInOneDeploy() throws {
        try startCloud()
        try writeScript(script(vpcName: "blue"))
        expectSuccess(try deploy(), "first deploy")

        try writeScript(script(vpcName: "green"))
        let p = expectSuccess(try plan(), "plan of the rename")
        XCTAssertEqual(p.stdout.planSymbol(for: "Vpc/main"), "~", p.stdout)
        XCTAssertEqual(p.stdout.planSymbol(for: "VpcPrivateNetwork/app"), "~", "the dependant is planned too: \(p.stdout)")
        XCTAssertTrue(p.stdout.contains("vpc:green"), "the new name is known at plan time: \(p.stdout)")

        expectSuccess(try deploy(), "deploy of the rename")
        let networks = try cloud.stackResources(stack).filter { $0.kind == "private_network" }
        XCTAssertEqual(networks.count, 1)
        XCTAssertTrue(networks[0].tags.contains("vpc:green"), "updated in the same deploy: \(networks)")
        XCTAssertEqual(try outputsJSON()["vpc_name"] as? String, "green")
        try assertNoopPlan("after the rename")
    }

    func testVolumeResizeThatCannotHappenInPlaceSaysWhy() throws {
        try startCloud()
        func volume(_ gb: Int) -> String {
            """
            local scw = require "scaleway"
            scw.InstanceVolume "data" { type = "l_ssd", size = \(gb) }
            """
        }
        try writeScript(volume(20))
        expectSuccess(try deploy(), "first deploy")
        try writeScript(volume(30))
        let p = expectSuccess(try plan(), "plan of the resize")
        XCTAssertEqual(p.stdout.planSymbol(for: "InstanceVolume/data"), "-/+", p.stdout)
        XCTAssertTrue(p.stdout.contains("# forces replacement: l_ssd volumes cannot be resized"), p.stdout)
        let json = expectSuccess(try plan(["--json"]), "plan --json")
        XCTAssertTrue(json.stdout.contains("\"replacement_reason\""), json.stdout)
    }
}

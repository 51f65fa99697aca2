// VPC API behaviour beyond the cassettes: pagination, filters, default VPCs, subnet allocation and
// validation, delete preconditions, authentication, and error bodies.

import Foundation
import XCTest
@testable import ScwEmulator

final class VPCAPITests: XCTestCase {
    func testPaginationOf120PrivateNetworks() throws {
        let h = try EmulatorHarness()
        for i in 0..<120 {
            try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"pn-\#(i)","project_id":"\#(project)","subnets":null}"#)
        }
        var seen = Set<String>()
        for (page, size) in [(1, 50), (2, 50), (3, 20), (4, 0)] {
            let body = try h.expect(200, "GET", "\(vpcBase)/private-networks?page=\(page)&page_size=50&order_by=created_at_asc")
            XCTAssertEqual(body["total_count"], .int(120))
            let items = try XCTUnwrap(body["private_networks"]?.arrayValue)
            XCTAssertEqual(items.count, size, "page \(page)")
            items.forEach { seen.insert($0["id"]!.stringValue!) }
        }
        XCTAssertEqual(seen.count, 120)
        // default page size is 50; all 120 share one default VPC with distinct /22s
        let first = try h.expect(200, "GET", "\(vpcBase)/private-networks")
        XCTAssertEqual(first["private_networks"]?.arrayValue?.count, 50)
        let vpcs = try h.expect(200, "GET", "\(vpcBase)/vpcs?is_default=true")
        XCTAssertEqual(vpcs["total_count"], .int(1))
        XCTAssertEqual(vpcs["vpcs"]?.arrayValue?.first?["private_network_count"], .int(120))
        XCTAssertEqual(vpcs["vpcs"]?.arrayValue?.first?["name"], .string("default"))
        let all = try h.expect(200, "GET", "\(vpcBase)/private-networks?page_size=100&page=1")
        let v4 = all["private_networks"]!.arrayValue!.compactMap { $0["subnets"]?.arrayValue?.first?["subnet"]?.stringValue }
        XCTAssertEqual(Set(v4).count, 100)
        XCTAssertTrue(v4.allSatisfy { $0.hasSuffix("/22") && CIDR("172.16.0.0/12")!.overlaps(CIDR($0)!) })
        try h.expect(400, "GET", "\(vpcBase)/private-networks?page_size=101")
        try h.expect(400, "GET", "\(vpcBase)/private-networks?page=0")
        let desc = try h.expect(200, "GET", "\(vpcBase)/private-networks?order_by=created_at_desc&page_size=1")
        XCTAssertEqual(desc["private_networks"]?.arrayValue?.first?["name"], .string("pn-119"))
    }

    func testTagFilterMatchesAnyTag() throws {
        let h = try EmulatorHarness()
        for (name, tags) in [("a", #"["a"]"#), ("b", #"["b"]"#), ("ac", #"["a","c"]"#), ("none", "[]")] {
            try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"name":"\#(name)","project_id":"\#(project)","tags":\#(tags)}"#)
            try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"\#(name)","project_id":"\#(project)","tags":\#(tags)}"#)
        }
        func names(_ kind: String, _ query: String) throws -> [String] {
            let body = try h.expect(200, "GET", "\(vpcBase)/\(kind)?\(query)")
            let key = kind == "vpcs" ? "vpcs" : "private_networks"
            return body[key]!.arrayValue!.map { $0["name"]!.stringValue! }.sorted()
        }
        for kind in ["vpcs", "private-networks"] {
            XCTAssertEqual(try names(kind, "tags=a"), ["a", "ac"], kind)
            XCTAssertEqual(try names(kind, "tags=a&tags=b"), ["a", "ac", "b"], kind)
            XCTAssertEqual(try names(kind, "tags=b,c"), ["ac", "b"], kind)
            XCTAssertEqual(try names(kind, "tags=zzz"), [], kind)
            XCTAssertEqual(try names(kind, "name=c&order_by=name_asc"), ["ac"], kind)
        }
        XCTAssertEqual(try names("vpcs", "is_default=false&project_id=\(project)").count, 4)
        XCTAssertEqual(try names("vpcs", "is_default=true"), ["default"])
        XCTAssertEqual(try names("vpcs", "project_id=00000000-0000-4000-8000-000000000000"), [])
        // other regions are separate
        let ams = try h.expect(200, "GET", "/vpc/v2/regions/nl-ams/vpcs")
        XCTAssertEqual(ams["total_count"], .int(0))
    }

    func testVPCLifecycleAndPreconditions() throws {
        let h = try EmulatorHarness()
        let vpc = try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"name":"main","project_id":"\#(project)","tags":["x"]}"#)
        let vpcID = try XCTUnwrap(vpc["id"]?.stringValue)
        XCTAssertTrue(Clock.isUUID(vpcID) && vpcID == vpcID.lowercased())
        XCTAssertEqual(vpc["routing_enabled"], .bool(true))
        XCTAssertEqual(vpc["private_network_count"], .int(0))
        XCTAssertNil(vpc["transitivity_enabled"])
        let created = try XCTUnwrap(vpc["created_at"]?.stringValue)
        XCTAssertNotNil(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#, options: .regularExpression), created)

        let pn = try h.expect(200, "POST", "\(vpcBase)/private-networks",
                              #"{"name":"pn","project_id":"\#(project)","vpc_id":"\#(vpcID)","default_route_propagation_enabled":true}"#)
        let pnID = try XCTUnwrap(pn["id"]?.stringValue)
        XCTAssertEqual(pn["vpc_id"]?.stringValue, vpcID)
        XCTAssertEqual(pn["dhcp_enabled"], .bool(true))
        XCTAssertEqual(pn["subnets"]?.arrayValue?.count, 2)
        XCTAssertTrue(pn["subnets"]?.arrayValue?[1]["subnet"]?.stringValue?.hasPrefix("fd46:78ab:30b8:") == true)
        XCTAssertEqual(try h.expect(200, "GET", "\(vpcBase)/vpcs/\(vpcID)")["private_network_count"], .int(1))

        let refused = try h.expect(412, "DELETE", "\(vpcBase)/vpcs/\(vpcID)")
        XCTAssertEqual(refused["type"], .string("precondition_failed"))
        XCTAssertEqual(refused["precondition"], .string("resource_still_in_use"))
        XCTAssertEqual(refused["message"], .string("precondition is not respected"))
        XCTAssertNotNil(refused["help_message"]?.stringValue)

        // PATCH: omitted fields unchanged
        let renamed = try h.expect(200, "PATCH", "\(vpcBase)/vpcs/\(vpcID)", #"{"name":"renamed"}"#)
        XCTAssertEqual(renamed["tags"], .array([.string("x")]))
        XCTAssertEqual(renamed["name"], .string("renamed"))
        let retagged = try h.expect(200, "PATCH", "\(vpcBase)/vpcs/\(vpcID)", #"{"tags":[]}"#)
        XCTAssertEqual(retagged["name"], .string("renamed"))
        XCTAssertEqual(retagged["tags"], .array([]))
        let pn2 = try h.expect(200, "PATCH", "\(vpcBase)/private-networks/\(pnID)", #"{"tags":["t"],"default_route_propagation_enabled":false}"#)
        XCTAssertEqual(pn2["name"], .string("pn"))
        XCTAssertEqual(pn2["default_route_propagation_enabled"], .bool(false))
        XCTAssertEqual(pn2["subnets"], pn["subnets"])
        try h.expect(200, "POST", "\(vpcBase)/vpcs/\(vpcID)/enable-routing", "{}")

        try h.expect(204, "DELETE", "\(vpcBase)/private-networks/\(pnID)")
        try h.expect(204, "DELETE", "\(vpcBase)/vpcs/\(vpcID)")
        let gone = try h.expect(404, "GET", "\(vpcBase)/vpcs/\(vpcID)")
        XCTAssertEqual(gone, .object(["message": .string("resource is not found"), "resource": .string("vpc"),
                                      "resource_id": .string(vpcID), "type": .string("not_found")]))
        try h.expect(404, "DELETE", "\(vpcBase)/private-networks/\(pnID)")
        try h.expect(404, "PATCH", "\(vpcBase)/vpcs/\(vpcID)", "{}")
    }

    func testPrivateNetworkInUnknownVPCIs404() throws {
        let h = try EmulatorHarness()
        let missing = "2bf784d0-e46d-42b5-b13c-05be31d88bfc"
        let body = try h.expect(404, "POST", "\(vpcBase)/private-networks", #"{"name":"pn","project_id":"\#(project)","vpc_id":"\#(missing)"}"#)
        XCTAssertEqual(body["resource"], .string("vpc"))
        XCTAssertEqual(body["resource_id"], .string(missing))
        // a VPC of another region is not found either
        let vpc = try h.expect(200, "POST", "/vpc/v2/regions/nl-ams/vpcs", #"{"name":"ams","project_id":"\#(project)"}"#)
        try h.expect(404, "POST", "\(vpcBase)/private-networks", #"{"project_id":"\#(project)","vpc_id":"\#(vpc["id"]!.stringValue!)"}"#)
        try h.expect(404, "GET", "\(vpcBase)/vpcs/\(vpc["id"]!.stringValue!)")
    }

    func testSubnetValidationAndOverlap() throws {
        let h = try EmulatorHarness()
        for bad in ["172.16.0.0/33", "not-a-cidr", "300.1.2.3/24", "172.16.1.0/22", "fd46::zz/64"] {
            let body = try h.expect(400, "POST", "\(vpcBase)/private-networks", #"{"name":"pn","project_id":"\#(project)","subnets":["\#(bad)"]}"#)
            XCTAssertEqual(body["type"], .string("invalid_arguments"), bad)
            XCTAssertEqual(body["details"]?.arrayValue?.first?["argument_name"], .string("subnets"), bad)
            XCTAssertNotNil(body["details"]?.arrayValue?.first?["help_message"]?.stringValue, bad)
        }
        try h.expect(400, "POST", "\(vpcBase)/private-networks", #"{"project_id":"\#(project)","subnets":"172.16.0.0/22"}"#)
        let pn = try h.expect(200, "POST", "\(vpcBase)/private-networks",
                              #"{"project_id":"\#(project)","subnets":["172.16.32.0/22","fd46:78ab:30b8:177c::/64"]}"#)
        XCTAssertEqual(pn["subnets"]?.arrayValue?.map { $0["subnet"]!.stringValue! }, ["172.16.32.0/22", "fd46:78ab:30b8:177c::/64"])
        XCTAssertTrue(pn["name"]?.stringValue?.hasPrefix("pn-") == true, "generated name")
        let clash = try h.expect(400, "POST", "\(vpcBase)/private-networks", #"{"project_id":"\#(project)","subnets":["172.16.34.0/24"]}"#)
        XCTAssertEqual(clash["details"]?.arrayValue?.first?["argument_name"], .string("subnets"))
        // automatic allocation avoids the explicit /22
        let auto = try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"project_id":"\#(project)","subnets":null}"#)
        let v4 = try XCTUnwrap(auto["subnets"]?.arrayValue?.first?["subnet"]?.stringValue)
        XCTAssertFalse(CIDR(v4)!.overlaps(CIDR("172.16.32.0/22")!))
    }

    func testBadBodiesAndFieldTypes() throws {
        let h = try EmulatorHarness()
        let badJSON = try h.expect(400, "POST", "\(vpcBase)/vpcs", #"{"name": "#)
        XCTAssertEqual(badJSON["type"], .string("invalid_arguments"))
        let wrongType = try h.expect(400, "POST", "\(vpcBase)/vpcs", #"{"name": 5, "project_id":"\#(project)"}"#)
        XCTAssertEqual(wrongType["details"]?.arrayValue?.first?["argument_name"], .string("name"))
        let badTags = try h.expect(400, "POST", "\(vpcBase)/vpcs", #"{"tags": "a"}"#)
        XCTAssertEqual(badTags["details"]?.arrayValue?.first?["argument_name"], .string("tags"))
        let badProject = try h.expect(400, "POST", "\(vpcBase)/vpcs", #"{"project_id": "nope"}"#)
        XCTAssertEqual(badProject["details"]?.arrayValue?.first?["argument_name"], .string("project_id"))
        let generated = try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"project_id":"\#(project)","enable_transitivity":false}"#)
        XCTAssertTrue(generated["name"]?.stringValue?.hasPrefix("vpc-") == true)
        XCTAssertEqual(generated["transitivity_enabled"], .bool(false))
    }

    func testAuthenticationRoutesAndRegions() throws {
        let h = try EmulatorHarness()
        for token in [nil, ""] as [String?] {
            let r = try h.call("GET", "\(vpcBase)/vpcs", token: token)
            XCTAssertEqual(r.status, 401)
            XCTAssertEqual(r.header("Content-Type"), "application/json")
            XCTAssertEqual(r.json, .object(["message": .string("authentication is denied"), "method": .string("api_key"),
                                            "reason": .string("not_found"), "type": .string("denied_authentication")]))
        }
        let unknownRoute = try h.call("GET", "/vpc/v2/regions/fr-par/nothing-here")
        XCTAssertEqual(unknownRoute.status, 404)
        XCTAssertEqual(unknownRoute.header("Content-Type"), "application/json")
        XCTAssertNotNil(unknownRoute.json?["message"])
        let wrongMethod = try h.call("PUT", "\(vpcBase)/vpcs")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertNotNil(wrongMethod.json?["message"])
        let badRegion = try h.call("GET", "/vpc/v2/regions/xx-nope/vpcs")
        XCTAssertEqual(badRegion.status, 400)
        XCTAssertEqual(badRegion.json?["details"]?.arrayValue?.first?["argument_name"], .string("region"))
        for region in ["fr-par", "nl-ams", "pl-waw", "it-mil"] {
            try h.expect(200, "GET", "/vpc/v2/regions/\(region)/private-networks")
        }
    }
}

// Instance networking beyond the cassettes: flexible IP attach/detach and reverse, security groups
// in use (409 conflict), rule validation and normalisation, private NICs on VPC private networks.

import Foundation
import XCTest
@testable import ScwEmulator

final class InstanceNetworkTests: XCTestCase {
    func testIPAttachAndDetach() throws {
        let h = try EmulatorHarness()
        let v4 = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)","type":"routed_ipv4","tags":["a"]}"#)["ip"])
        let v6 = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)","type":"routed_ipv6"}"#)["ip"])
        let v4ID = try XCTUnwrap(v4["id"]?.stringValue), v6ID = try XCTUnwrap(v6["id"]?.stringValue)
        XCTAssertEqual(v4["prefix"], .null)
        XCTAssertEqual(v6["address"], .null)
        XCTAssertTrue(v6["prefix"]?.stringValue?.hasSuffix("::/64") == true)
        let server = try h.server()
        let id = try XCTUnwrap(server["id"]?.stringValue)
        XCTAssertEqual(server["public_ips"], .array([]))

        for ip in [v4ID, v6ID] {
            let attached = try h.expect(200, "PATCH", "\(zoneBase)/ips/\(ip)", #"{"server":"\#(id)"}"#)["ip"]
            XCTAssertEqual(attached?["state"], .string("attached"))
            XCTAssertEqual(attached?["server"], .object(["id": .string(id), "name": .string("web")]))
        }
        let withIPs = try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]
        XCTAssertEqual(withIPs?["public_ips"]?.arrayValue?.compactMap { $0["family"]?.stringValue }, ["inet", "inet6"])
        XCTAssertEqual(withIPs?["public_ip"]?["id"], .string(v4ID))
        XCTAssertEqual(withIPs?["public_ip"]?["address"], v4["address"])
        // the IP follows a rename of its server
        try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"name":"renamed"}"#)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/ips/\(v4ID)")["ip"]?["server"]?["name"], .string("renamed"))

        let detached = try h.expect(200, "PATCH", "\(zoneBase)/ips/\(v4ID)", #"{"server":null}"#)["ip"]
        XCTAssertEqual(detached?["server"], .null)
        XCTAssertEqual(detached?["state"], .string("detached"))
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]?["public_ips"]?.arrayValue?.count, 1)
        XCTAssertEqual(try h.expect(404, "PATCH", "\(zoneBase)/ips/\(v4ID)", #"{"server":"\#(Clock.uuid())"}"#)["type"], .string("unknown_resource"))

        // reverse, tags, lookup by address, list filters
        let reversed = try h.expect(200, "PATCH", "\(zoneBase)/ips/\(v4ID)", #"{"reverse":"www.example.com","tags":["b"]}"#)["ip"]
        XCTAssertEqual(reversed?["reverse"], .string("www.example.com"))
        XCTAssertEqual(reversed?["tags"], .array([.string("b")]))
        try h.expect(400, "PATCH", "\(zoneBase)/ips/\(v4ID)", #"{"reverse":"not a host"}"#)
        XCTAssertEqual(try h.expect(200, "PATCH", "\(zoneBase)/ips/\(v4ID)", #"{"reverse":null}"#)["ip"]?["reverse"], .null)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/ips/\(v4["address"]!.stringValue!)")["ip"]?["id"], .string(v4ID))
        XCTAssertEqual(try h.call("GET", "\(zoneBase)/ips?type=routed_ipv6").header("X-Total-Count"), "1")
        XCTAssertEqual(try h.call("GET", "\(zoneBase)/ips?tags=b").header("X-Total-Count"), "1")
        try h.expect(400, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)","type":"nat"}"#)

        // deleting an attached IP detaches it; the other zone does not see it
        try h.expect(404, "GET", "/instance/v1/zones/fr-par-2/ips/\(v6ID)")
        try h.expect(204, "DELETE", "\(zoneBase)/ips/\(v6ID)")
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]?["public_ips"], .array([]))
        try h.expect(404, "GET", "\(zoneBase)/ips/\(v6ID)")
    }

    func testSecurityGroupInUseCannotBeDeleted() throws {
        let h = try EmulatorHarness()
        let sg = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/security_groups",
                                            #"{"name":"web","project":"\#(project)","inbound_default_policy":"drop"}"#)["security_group"])
        let sgID = try XCTUnwrap(sg["id"]?.stringValue)
        XCTAssertEqual(sg["stateful"], .bool(true))
        XCTAssertEqual(sg["description"], .null)
        let server = try h.server(extra: #","security_group":"\#(sgID)""#)
        let id = try XCTUnwrap(server["id"]?.stringValue)
        XCTAssertEqual(server["security_group"], .object(["id": .string(sgID), "name": .string("web")]))
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/security_groups/\(sgID)")["security_group"]?["servers"],
                       .array([.object(["id": .string(id), "name": .string("web")])]))

        let conflict = try h.expect(409, "DELETE", "\(zoneBase)/security_groups/\(sgID)")
        XCTAssertEqual(conflict, .object(["message": .string("Group is in use. You cannot delete it."), "type": .string("conflict")]))

        // moving the server to another group frees the first one
        let other = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/security_groups", #"{"name":"other","project":"\#(project)"}"#)["security_group"]?["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"security_group":{"id":"\#(other)"}}"#)["server"]?["security_group"]?["name"],
                       .string("other"))
        try h.expect(204, "DELETE", "\(zoneBase)/security_groups/\(sgID)")
        try h.expect(404, "GET", "\(zoneBase)/security_groups/\(sgID)")

        // a server created without a group gets the project's default one, made once
        let a = try h.server("a")["security_group"]?["id"]
        let b = try h.server("b")["security_group"]?["id"]
        XCTAssertEqual(a, b)
        let defaults = try h.expect(200, "GET", "\(zoneBase)/security_groups?project_default=true")["security_groups"]?.arrayValue
        XCTAssertEqual(defaults?.count, 1)
        XCTAssertEqual(defaults?.first?["name"], .string("Default security group"))
    }

    func testSecurityGroupUpdateSyncsOnlyOnChange() throws {
        let h = try EmulatorHarness()   // speed 1: syncing lasts a second
        let sgID = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/security_groups", #"{"name":"g","project":"\#(project)"}"#)["security_group"]?["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "PATCH", "\(zoneBase)/security_groups/\(sgID)", #"{"name":"g","stateful":true}"#)["security_group"]?["state"],
                       .string("available"))
        let changed = try h.expect(200, "PATCH", "\(zoneBase)/security_groups/\(sgID)",
                                   #"{"outbound_default_policy":"drop","inbound_default_policy":"unknown_policy","tags":["x"]}"#)["security_group"]
        XCTAssertEqual(changed?["state"], .string("syncing"))
        XCTAssertEqual(changed?["outbound_default_policy"], .string("drop"))
        XCTAssertEqual(changed?["inbound_default_policy"], .string("accept"))
        try h.expect(400, "PATCH", "\(zoneBase)/security_groups/\(sgID)", #"{"inbound_default_policy":"maybe"}"#)
        // turning default security off drops the six SMTP rules
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/security_groups/\(sgID)/rules")["rules"]?.arrayValue?.count, 6)
        try h.expect(200, "PATCH", "\(zoneBase)/security_groups/\(sgID)", #"{"enable_default_security":false}"#)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/security_groups/\(sgID)/rules")["rules"], .array([]))
    }

    func testRulesAreSetAsOneListAndValidated() throws {
        let h = try EmulatorHarness()
        let sgID = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/security_groups", #"{"name":"g","project":"\#(project)"}"#)["security_group"]?["id"]?.stringValue)
        let path = "\(zoneBase)/security_groups/\(sgID)/rules"
        func rule(_ fields: String) -> String {
            #"{"id":null,"action":"accept","protocol":"TCP","direction":"inbound","ip_range":"0.0.0.0/0","position":0,"editable":null,"zone":"fr-par-1"\#(fields)}"#
        }
        let wanted = [rule(#","dest_port_from":22,"dest_port_to":23"#),
                      rule(#","dest_port_from":443,"dest_port_to":443,"ip_range":"2001:db8::1/128""#),
                      rule(#","protocol":"ICMP","direction":"outbound","action":"drop","dest_port_from":null"#)]
        let rules = try XCTUnwrap(try h.expect(200, "PUT", path, #"{"rules":[\#(wanted.joined(separator: ","))]}"#)["rules"]?.arrayValue)
        XCTAssertEqual(rules.count, 9)
        XCTAssertEqual(rules.prefix(6).map { $0["editable"] }, Array(repeating: .bool(false), count: 6))
        let mine = Array(rules.dropFirst(6))
        XCTAssertEqual(mine.map { $0["position"] }, [.int(1), .int(2), .int(3)])
        XCTAssertEqual(mine[0]["dest_port_to"], .int(23))
        XCTAssertEqual(mine[1]["dest_port_to"], .null, "a one-port range is served as a single port")
        XCTAssertEqual(mine[1]["ip_range"], .string("2001:db8::1"))
        XCTAssertEqual(mine[2]["protocol"], .string("ICMP"))

        let listed = try h.call("GET", path + "?page=1&per_page=4")
        XCTAssertEqual(listed.header("X-Total-Count"), "9")
        XCTAssertEqual(listed.json?["rules"]?.arrayValue?.count, 4)

        for bad in [rule(#","dest_port_from":70000"#), rule(#","dest_port_from":30,"dest_port_to":20"#),
                    rule(#","protocol":"ICMP","dest_port_from":80"#), rule(#","ip_range":"10.0.0.1/8""#),
                    rule(#","protocol":"SCTP""#), rule(#","ip_range":"nowhere""#)] {
            let r = try h.call("PUT", path, #"{"rules":[\#(bad)]}"#)
            XCTAssertEqual(r.status, 400, bad)
            XCTAssertEqual(r.json?["type"], .string("invalid_request_error"), r.text)
            XCTAssertNotNil(r.json?["fields"], r.text)
        }
        XCTAssertEqual(try h.expect(200, "GET", path)["rules"]?.arrayValue?.count, 9, "a refused PUT changes nothing")
        // non-editable rules sent back are ignored, an empty list keeps only them
        let kept = try h.expect(200, "PUT", path, #"{"rules":\#(JSONValue.array(Array(rules.prefix(6))).encoded())}"#)
        XCTAssertEqual(kept["rules"]?.arrayValue?.count, 6)
        XCTAssertEqual(try h.expect(200, "PUT", path, #"{"rules":[]}"#)["rules"]?.arrayValue?.count, 6)
    }

    func testPrivateNICsHoldTheirNetwork() throws {
        let h = try EmulatorHarness()
        let pn = try XCTUnwrap(try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"pn","project_id":"\#(project)"}"#)["id"]?.stringValue)
        let id = try XCTUnwrap(try h.server()["id"]?.stringValue)
        let nic = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/servers/\(id)/private_nics", #"{"private_network_id":"\#(pn)"}"#)["private_nic"])
        let nicID = try XCTUnwrap(nic["id"]?.stringValue)
        XCTAssertEqual(nic["state"], .string("available"))
        try h.expect(400, "POST", "\(zoneBase)/servers/\(id)/private_nics", #"{"private_network_id":"\#(pn)"}"#)
        try h.expect(404, "POST", "\(zoneBase)/servers/\(id)/private_nics", #"{"private_network_id":"\#(Clock.uuid())"}"#)
        let listed = try h.call("GET", "\(zoneBase)/servers/\(id)/private_nics")
        XCTAssertEqual(listed.header("X-Total-Count"), "1")
        let v2 = try h.expect(200, "GET", "/instance/v2alpha1/zones/fr-par-1/private-network-interfaces?server_ids=\(id)")
        XCTAssertEqual(v2["total_count"], .int(1))
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers?private_network=\(pn)")["servers"]?.arrayValue?.count, 1)
        try h.expect(412, "DELETE", "\(vpcBase)/private-networks/\(pn)")   // still used by the NIC
        try h.expect(204, "DELETE", "\(zoneBase)/servers/\(id)/private_nics/\(nicID)")
        try h.expect(204, "DELETE", "\(vpcBase)/private-networks/\(pn)")
    }
}

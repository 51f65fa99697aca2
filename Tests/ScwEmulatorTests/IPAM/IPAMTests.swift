// IPAM emulation: private NICs get an IPv4 (next free host, gateway skipped) and an IPv6 of their
// private network, listed and fetched with the recorded shape and filters, freed with the NIC or server.

import Foundation
import XCTest
@testable import ScwEmulator

private let ipamBase = "/ipam/v1/regions/fr-par"

final class IPAMTests: XCTestCase {
    private func network(_ h: EmulatorHarness, _ name: String, subnets: String = "null") throws -> JSONValue {
        try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"\#(name)","project_id":"\#(project)","subnets":\#(subnets)}"#)
    }

    @discardableResult
    private func plug(_ h: EmulatorHarness, server: String, network: String) throws -> JSONValue {
        try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/servers/\(server)/private_nics", #"{"private_network_id":"\#(network)"}"#)["private_nic"])
    }

    func testANICGetsAnIPv4AndAnIPv6OfItsNetworkInTheRecordedShape() throws {
        let h = try EmulatorHarness()
        let pn = try network(h, "pn")
        let pnID = try XCTUnwrap(pn["id"]?.stringValue)
        let subnets = try XCTUnwrap(pn["subnets"]?.arrayValue)
        let v4Subnet = try XCTUnwrap(subnets.first { $0["subnet"]?.stringValue?.contains(".") == true })
        let v6Subnet = try XCTUnwrap(subnets.first { $0["subnet"]?.stringValue?.contains(":") == true })
        let server = try h.server("web")
        let serverID = try XCTUnwrap(server["id"]?.stringValue)
        let nic = try plug(h, server: serverID, network: pnID)
        let nicID = try XCTUnwrap(nic["id"]?.stringValue)
        XCTAssertEqual(nic["ipam_ip_ids"]?.arrayValue?.count, 2)

        let list = try h.expect(200, "GET", "\(ipamBase)/ips?order_by=created_at_desc&project_id=\(project)&resource_id=\(nicID)&resource_type=instance_private_nic")
        XCTAssertEqual(list["total_count"], .int(2))
        let ips = try XCTUnwrap(list["ips"]?.arrayValue)
        let v4 = try XCTUnwrap(ips.first { $0["is_ipv6"] == .bool(false) })
        let v6 = try XCTUnwrap(ips.first { $0["is_ipv6"] == .bool(true) })
        let v4Net = try XCTUnwrap(CIDR(v4Subnet["subnet"]!.stringValue!))
        XCTAssertEqual(v4["address"], .string(CIDR(address: v4Net.block(2, prefix: 32).address, prefix: v4Net.prefix).description),
                       "first host after the network address and the .1 gateway")
        XCTAssertEqual(v4["source"]?["subnet_id"], v4Subnet["id"])
        XCTAssertEqual(v6["source"]?["subnet_id"], v6Subnet["id"])
        XCTAssertTrue(CIDR(v6["address"]!.stringValue!)!.overlaps(CIDR(v6Subnet["subnet"]!.stringValue!)!))
        XCTAssertEqual(v4["resource"]?["type"], .string("instance_private_nic"))
        XCTAssertEqual(v4["resource"]?["id"], .string(nicID))
        XCTAssertEqual(v4["resource"]?["name"], .string("web"))
        XCTAssertEqual(v4["resource"]?["mac_address"], .string(nic["mac_address"]!.stringValue!.uppercased()))
        XCTAssertEqual(v4["region"], .string("fr-par"))
        XCTAssertEqual(v4["zone"], .null)
        XCTAssertEqual(v4["tags"], .array([]))
        XCTAssertEqual(v4["reverses"], .array([]))
        XCTAssertEqual(Set(nic["ipam_ip_ids"]!.arrayValue!.compactMap(\.stringValue)), Set([v4["id"]!.stringValue!, v6["id"]!.stringValue!]))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips/\(v4["id"]!.stringValue!)"), v4)
        try h.expect(404, "GET", "/ipam/v1/regions/nl-ams/ips/\(v4["id"]!.stringValue!)")
        try h.expect(404, "GET", "\(ipamBase)/ips/\(Clock.uuid())")

        // a second server on the same network gets the next host
        let other = try XCTUnwrap(try h.server("db")["id"]?.stringValue)
        let otherNIC = try XCTUnwrap(try plug(h, server: other, network: pnID)["id"]?.stringValue)
        let next = try h.expect(200, "GET", "\(ipamBase)/ips?resource_id=\(otherNIC)&is_ipv6=false")["ips"]?.arrayValue?.first
        XCTAssertEqual(next?["address"], .string(CIDR(address: v4Net.block(3, prefix: 32).address, prefix: v4Net.prefix).description))
    }

    func testFiltersAndPagination() throws {
        let h = try EmulatorHarness()
        let a = try XCTUnwrap(try network(h, "a")["id"]?.stringValue)
        let b = try XCTUnwrap(try network(h, "b", subnets: #"["10.0.0.0/24"]"#)["id"]?.stringValue)
        let web = try XCTUnwrap(try h.server("web")["id"]?.stringValue)
        try plug(h, server: web, network: a)
        let onlyV4 = try XCTUnwrap(try plug(h, server: web, network: b)["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips")["total_count"], .int(3), "no IPv6 on a v4-only network")
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?resource_id=\(onlyV4)")["ips"]?.arrayValue?.first?["address"], .string("10.0.0.2/24"))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?private_network_id=\(a)")["total_count"], .int(2))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?is_ipv6=true")["total_count"], .int(1))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?resource_name=web")["total_count"], .int(3))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?resource_name=nope")["total_count"], .int(0))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?resource_type=instance_server")["total_count"], .int(0))
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?project_id=\(Clock.uuid())")["total_count"], .int(0))
        XCTAssertEqual(try h.expect(200, "GET", "/ipam/v1/regions/nl-ams/ips")["total_count"], .int(0))
        try h.expect(400, "GET", "\(ipamBase)/ips?is_ipv6=maybe")
        var seen = Set<String>()
        for page in 1...3 {
            let body = try h.expect(200, "GET", "\(ipamBase)/ips?page=\(page)&page_size=1")
            XCTAssertEqual(body["total_count"], .int(3))
            XCTAssertEqual(body["ips"]?.arrayValue?.count, 1)
            body["ips"]?.arrayValue?.forEach { seen.insert($0["id"]!.stringValue!) }
        }
        XCTAssertEqual(seen.count, 3)
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips?page=4&page_size=1")["ips"]?.arrayValue?.count, 0)
    }

    func testAddressesGoWithTheNICOrTheServerAndAreReused() throws {
        let h = try EmulatorHarness()
        let pnID = try XCTUnwrap(try network(h, "pn", subnets: #"["10.1.0.0/24"]"#)["id"]?.stringValue)
        let web = try XCTUnwrap(try h.server("web")["id"]?.stringValue)
        let nic = try XCTUnwrap(try plug(h, server: web, network: pnID)["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips")["total_count"], .int(1))
        try h.expect(204, "DELETE", "\(zoneBase)/servers/\(web)/private_nics/\(nic)")
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips")["total_count"], .int(0))
        try plug(h, server: web, network: pnID)
        let ips = try h.expect(200, "GET", "\(ipamBase)/ips")["ips"]?.arrayValue
        XCTAssertEqual(ips?.first?["address"], .string("10.1.0.2/24"), "a freed address is booked again")
        try h.expect(204, "DELETE", "\(zoneBase)/servers/\(web)")
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips")["total_count"], .int(0))
        try h.expect(204, "DELETE", "\(vpcBase)/private-networks/\(pnID)")
    }

    func testAddressesPersistAndReset() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scw-ipam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cloud.json").path
        var listed = JSONValue.null
        do {
            let h = try EmulatorHarness { $0.dataFile = file }
            let pnID = try XCTUnwrap(try network(h, "pn")["id"]?.stringValue)
            let web = try XCTUnwrap(try h.server("web")["id"]?.stringValue)
            try plug(h, server: web, network: pnID)
            listed = try h.expect(200, "GET", "\(ipamBase)/ips")
        }
        let h = try EmulatorHarness { $0.dataFile = file }
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips"), listed)
        try h.expect(200, "POST", "/__emulator/reset")
        XCTAssertEqual(try h.expect(200, "GET", "\(ipamBase)/ips")["total_count"], .int(0))
    }
}

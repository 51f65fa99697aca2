// The emulated LB API beyond the recordings: the status machine and --speed, quota, types,
// private networks, migrate, health-check and port checks, ACLs, certificates (Let's Encrypt
// and custom chains, good and bad), pagination, cascades and the control API.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class LBAPITests: XCTestCase {
    let base = "/lb/v1/zones/fr-par-1"

    /// Polls a GET until `check` holds (bounded: 5 s); fails with the last body otherwise.
    @discardableResult
    private func waitUntil(_ h: EmulatorHarness, _ path: String, file: StaticString = #filePath, line: UInt = #line,
                           _ check: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(5)
        var last = JSONValue.null
        while Date() < deadline {
            last = try h.expect(200, "GET", path)
            if check(last) { return last }
            usleep(10_000)
        }
        XCTFail("\(path): condition never met; last \(last.encoded())", file: file, line: line)
        return last
    }

    private func allReady(_ lb: JSONValue) -> Bool {
        lb["status"]?.stringValue == "ready" && (lb["instances"]?.arrayValue ?? []).allSatisfy { $0["status"]?.stringValue == "ready" }
    }

    private func readyLB(_ h: EmulatorHarness, type: String = "LB-S", name: String = "web") throws -> String {
        let lb = try h.expect(200, "POST", base + "/lbs", #"{"name":"\#(name)","type":"\#(type)","description":""}"#)
        XCTAssertEqual(lb["status"]?.stringValue, "to_create")
        let id = try XCTUnwrap(lb["id"]?.stringValue)
        try waitUntil(h, base + "/lbs/\(id)", allReady)
        return id
    }

    private func backend(_ h: EmulatorHarness, lb: String) throws -> String {
        let b = try h.expect(200, "POST", base + "/lbs/\(lb)/backends",
                             #"{"forward_protocol":"http","forward_port":80,"health_check":{"port":80},"server_ip":["10.0.0.2"]}"#)
        return try XCTUnwrap(b["id"]?.stringValue)
    }

    func testStatusMachineScaledBySpeed() throws {
        let h = try EmulatorHarness { $0.speed = 20 }
        let started = Date()
        let lb = try h.expect(200, "POST", base + "/lbs", #"{"name":"a","type":"lb-s"}"#)
        let id = try XCTUnwrap(lb["id"]?.stringValue)
        XCTAssertEqual(lb["type"]?.stringValue, "lb-s")
        XCTAssertEqual(lb["instances"]?.arrayValue?.count, 0)
        XCTAssertEqual(lb["ip"]?.arrayValue?.count, 1, "a flexible IP is assigned when none is given")
        try waitUntil(h, base + "/lbs/\(id)") { $0["status"]?.stringValue == "creating" && $0["instances"]?.arrayValue?.count == 1 }
        try waitUntil(h, base + "/lbs/\(id)", allReady)
        let took = Date().timeIntervalSince(started)
        XCTAssertLessThan(took, 1.5, "2.3 s of creation at speed 20")
        XCTAssertGreaterThan(took, 0.08)

        // A change puts the instances back to pending for a while; the LB itself stays ready.
        let b = try h.expect(200, "POST", base + "/lbs/\(id)/backends",
                             #"{"forward_protocol":"http","forward_port":80,"health_check":{"port":80},"server_ip":["10.0.0.2"]}"#)
        XCTAssertEqual(b["lb"]?["instances"]?[0]?["status"]?.stringValue, "pending")
        XCTAssertEqual(b["lb"]?["status"]?.stringValue, "ready")
        XCTAssertEqual(b["lb"]?["backend_count"]?.intValue, 1)
        try waitUntil(h, base + "/lbs/\(id)", allReady)

        // Delete: to_delete, then 404 with the recorded body; the flexible IP stays, detached.
        let ipID = try XCTUnwrap(lb["ip"]?[0]?["id"]?.stringValue)
        try h.expect(204, "DELETE", base + "/lbs/\(id)?release_ip=false")
        XCTAssertEqual(try h.expect(200, "GET", base + "/lbs/\(id)")["status"]?.stringValue, "to_delete")
        let deadline = Date().addingTimeInterval(5)
        var gone = try h.call("GET", base + "/lbs/\(id)")
        while gone.status == 200, Date() < deadline { usleep(10_000); gone = try h.call("GET", base + "/lbs/\(id)") }
        XCTAssertEqual(gone.status, 404)
        XCTAssertEqual(gone.json, .object(["message": .string("lbs not Found")]))
        XCTAssertEqual(try h.expect(404, "GET", base + "/backends/\(try XCTUnwrap(b["id"]?.stringValue))"),
                       .object(["message": .string("backend not Found")]), "the backend went with its LB")
        XCTAssertEqual(try h.expect(200, "GET", base + "/ips/\(ipID)")["lb_id"], .null)
        try h.expect(204, "DELETE", base + "/ips/\(ipID)")
        let left = try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue ?? []
        XCTAssertEqual(left.count, 0, "nothing left: \(left)")
    }

    func testTypesQuotaAndIPs() throws {
        let h = try EmulatorHarness { $0.speed = 50; $0.quotas = ["lbs": 1] }
        let types = try h.expect(200, "GET", base + "/lb-types?page_size=2")
        XCTAssertEqual(types["total_count"]?.intValue, 4)
        XCTAssertEqual(types["lb_types"]?.arrayValue?.count, 2, "paged")
        XCTAssertEqual(types["lb_types"]?[0]?["name"]?.stringValue, "LB-S")
        let bad = try h.expect(400, "POST", base + "/lbs", #"{"name":"x","type":"LB-XXL"}"#)
        XCTAssertEqual(bad["type"]?.stringValue, "invalid_arguments")
        XCTAssertEqual(bad["details"]?[0]?["argument_name"]?.stringValue, "type")

        let v4 = try h.expect(200, "POST", base + "/ips", #"{"is_ipv6":false,"tags":["t"]}"#)
        let v6 = try h.expect(200, "POST", base + "/ips", #"{"is_ipv6":true}"#)
        let v4ID = try XCTUnwrap(v4["id"]?.stringValue), v6ID = try XCTUnwrap(v6["id"]?.stringValue)
        let address = try XCTUnwrap(v4["ip_address"]?.stringValue)
        XCTAssertEqual(v4["reverse"]?.stringValue, address.replacingOccurrences(of: ".", with: "-") + ".lb.fr-par.scw.cloud")
        XCTAssertTrue(v6["ip_address"]?.stringValue?.contains(":") == true)
        let lb = try h.expect(200, "POST", base + "/lbs", #"{"name":"x","type":"LB-GP-M","ip_ids":["\#(v4ID)","\#(v6ID)"]}"#)
        XCTAssertEqual(lb["ip"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [v4ID, v6ID], "IPs in the order given")
        XCTAssertEqual(lb["type"]?.stringValue, "lb-gp-m")
        let inUse = try h.expect(412, "DELETE", base + "/ips/\(v4ID)")
        XCTAssertEqual(inUse["precondition"]?.stringValue, "resource_still_in_use")
        let quota = try h.expect(403, "POST", base + "/lbs", #"{"name":"y","type":"LB-S"}"#)
        XCTAssertEqual(quota["type"]?.stringValue, "quotas_exceeded")
        XCTAssertEqual(quota["details"]?[0]?["resource"]?.stringValue, "lbs")
        let filtered = try h.expect(200, "GET", base + "/ips?tags=t")
        XCTAssertEqual(filtered["total_count"]?.intValue, 1)
    }

    func testMigrateAndPrivateNetworks() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let id = try readyLB(h)
        let pn = try h.expect(200, "POST", "/vpc/v2/regions/fr-par/private-networks", #"{"name":"app","subnets":["10.10.0.0/24"]}"#)
        let pnID = try XCTUnwrap(pn["id"]?.stringValue)
        let attached = try h.expect(200, "POST", base + "/lbs/\(id)/attach-private-network", #"{"private_network_id":"\#(pnID)","ipam_config":{}}"#)
        XCTAssertEqual(attached["status"]?.stringValue, "pending")
        XCTAssertEqual(attached["ipam_ids"]?.arrayValue?.count, 1, "an address booked in IPAM (the network has only an IPv4 subnet)")
        try h.expect(409, "POST", base + "/lbs/\(id)/attach-private-network", #"{"private_network_id":"\#(pnID)","ipam_config":{}}"#)
        let list = try waitUntil(h, base + "/lbs/\(id)/private-networks?order_by=created_at_asc") {
            $0["private_network"]?[0]?["status"]?.stringValue == "ready"
        }
        XCTAssertEqual(list["total_count"]?.intValue, 1)
        let ipamID = try XCTUnwrap(attached["ipam_ids"]?[0]?.stringValue)
        let booked = try h.expect(200, "GET", "/ipam/v1/regions/fr-par/ips/\(ipamID)")
        XCTAssertTrue(booked["address"]?.stringValue?.hasPrefix("10.10.0.") == true, "\(booked)")
        try h.expect(412, "DELETE", "/vpc/v2/regions/fr-par/private-networks/\(pnID)")   // still attached
        try h.expect(204, "POST", base + "/lbs/\(id)/detach-private-network", #"{"private_network_id":"\#(pnID)"}"#)
        XCTAssertEqual(try h.expect(200, "GET", base + "/lbs/\(id)/private-networks")["total_count"]?.intValue, 0)
        try h.expect(404, "GET", "/ipam/v1/regions/fr-par/ips/\(ipamID)")
        try waitUntil(h, base + "/lbs/\(id)", allReady)

        let migrating = try h.expect(200, "POST", base + "/lbs/\(id)/migrate", #"{"type":"LB-GP-M"}"#)
        XCTAssertEqual(migrating["status"]?.stringValue, "migrating")
        let busy = try h.expect(409, "POST", base + "/lbs/\(id)/backends",
                                #"{"forward_protocol":"tcp","forward_port":80,"health_check":{"port":80}}"#)
        XCTAssertEqual(busy["type"]?.stringValue, "transient_state")
        let migrated = try waitUntil(h, base + "/lbs/\(id)", allReady)
        XCTAssertEqual(migrated["type"]?.stringValue, "lb-gp-m")
        try h.expect(204, "DELETE", "/vpc/v2/regions/fr-par/private-networks/\(pnID)")
    }

    func testBackendFrontendChecksAndACLs() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let lb = try readyLB(h)
        let two = try h.expect(400, "POST", base + "/lbs/\(lb)/backends",
            #"{"forward_protocol":"http","forward_port":80,"health_check":{"port":80,"tcp_config":{},"http_config":{"uri":"/"}}}"#)
        XCTAssertEqual(two["details"]?[0]?["argument_name"]?.stringValue, "health_check")
        try h.expect(400, "POST", base + "/lbs/\(lb)/backends", #"{"forward_protocol":"http","forward_port":70000,"health_check":{"port":80}}"#)
        let created = try h.expect(200, "POST", base + "/lbs/\(lb)/backends",
            #"{"forward_protocol":"http","forward_port":80,"timeout_queue":"0.500000000s","health_check":{"port":80,"http_config":{"uri":"/healthz"}},"server_ip":["10.0.0.2"]}"#)
        let be = try XCTUnwrap(created["id"]?.stringValue)
        XCTAssertEqual(created["timeout_queue"]?.stringValue, "0.500s")
        XCTAssertEqual(created["health_check"]?["http_config"]?["uri"]?.stringValue, "/healthz")
        XCTAssertNil(created["health_check"]?["tcp_config"])
        let servers = try h.expect(200, "PUT", base + "/backends/\(be)/servers", #"{"server_ip":["10.0.0.2","10.0.0.3"]}"#)
        XCTAssertEqual(servers["pool"]?.arrayValue?.count, 2)
        let check = try h.expect(200, "PUT", base + "/backends/\(be)/healthcheck", #"{"port":81,"tcp_config":{}}"#)
        XCTAssertEqual(check["port"]?.intValue, 81)
        XCTAssertNotNil(check["tcp_config"])

        let fe = try h.expect(200, "POST", base + "/lbs/\(lb)/frontends", #"{"name":"http","inbound_port":80,"backend_id":"\#(be)","connection_rate_limit":0}"#)
        let feID = try XCTUnwrap(fe["id"]?.stringValue)
        XCTAssertEqual(fe["connection_rate_limit"], .null)
        XCTAssertEqual(fe["backend"]?["id"]?.stringValue, be)
        let dup = try h.expect(400, "POST", base + "/lbs/\(lb)/frontends", #"{"name":"again","inbound_port":80,"backend_id":"\#(be)"}"#)
        XCTAssertEqual(dup["details"]?[0]?["argument_name"]?.stringValue, "inbound_port")
        try h.expect(412, "DELETE", base + "/backends/\(be)")   // used by the frontend

        try h.expect(400, "POST", base + "/frontends/\(feID)/acls", #"{"name":"x","index":0,"action":{"type":"deny"}}"#)   // no match
        let acl = try h.expect(200, "POST", base + "/frontends/\(feID)/acls",
            #"{"name":"no-admin","index":0,"action":{"type":"deny"},"match":{"ip_subnet":["0.0.0.0/0"],"http_filter":"path_begin","http_filter_value":["/admin"]}}"#)
        let aclID = try XCTUnwrap(acl["id"]?.stringValue)
        XCTAssertEqual(acl["match"]?["http_filter"]?.stringValue, "path_begin")
        XCTAssertEqual(acl["frontend"]?["id"]?.stringValue, feID)
        let redirect = try h.expect(200, "PUT", base + "/acls/\(aclID)",
            #"{"name":"to-https","index":0,"action":{"type":"redirect","redirect":{"type":"scheme","target":"https","code":301}},"match":{"ip_subnet":["0.0.0.0/0"]}}"#)
        XCTAssertEqual(redirect["action"]?["redirect"]?["code"]?.intValue, 301)
        for i in 1...3 {
            try h.expect(200, "POST", base + "/frontends/\(feID)/acls", #"{"name":"a\#(i)","index":\#(i),"action":{"type":"allow"},"match":{"ip_subnet":["10.0.0.0/8"]}}"#)
        }
        let page = try h.expect(200, "GET", base + "/frontends/\(feID)/acls?page=2&page_size=3")
        XCTAssertEqual(page["total_count"]?.intValue, 4)
        XCTAssertEqual(page["acls"]?.arrayValue?.count, 1)
        try h.expect(204, "DELETE", base + "/frontends/\(feID)")
        try h.expect(404, "GET", base + "/acls/\(aclID)")   // ACLs go with their frontend
        try h.expect(204, "DELETE", base + "/backends/\(be)")
    }

    func testCertificates() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let lb = try readyLB(h)
        let le = try h.expect(200, "POST", base + "/lbs/\(lb)/certificates",
                              #"{"name":"www","letsencrypt":{"common_name":"www.example.com","subject_alternative_name":["example.com"]}}"#)
        XCTAssertEqual(le["status"]?.stringValue, "pending")
        XCTAssertEqual(le["type"]?.stringValue, "letsencryt")
        let leID = try XCTUnwrap(le["id"]?.stringValue)
        let be = try backend(h, lb: lb)
        let notYet = try h.expect(400, "POST", base + "/lbs/\(lb)/frontends", #"{"inbound_port":443,"backend_id":"\#(be)","certificate_ids":["\#(leID)"]}"#)
        XCTAssertEqual(notYet["details"]?[0]?["argument_name"]?.stringValue, "certificate_ids")
        let ready = try waitUntil(h, base + "/certificates/\(leID)") { $0["status"]?.stringValue == "ready" }
        XCTAssertNotNil(ready["not_valid_after"]?.stringValue)
        XCTAssertEqual(ready["fingerprint"]?.stringValue?.count, 40)
        let fe = try h.expect(200, "POST", base + "/lbs/\(lb)/frontends", #"{"inbound_port":443,"backend_id":"\#(be)","certificate_ids":["\#(leID)"]}"#)
        XCTAssertEqual(fe["certificate"]?["id"]?.stringValue, leID)
        try h.expect(412, "DELETE", base + "/certificates/\(leID)")

        let chain = try String(contentsOf: Fixtures.root.appendingPathComponent("lb/self-signed-chain.pem"), encoding: .utf8)
        let body = JSONValue.object(["name": .string("custom"), "custom_certificate": .object(["certificate_chain": .string(chain)])]).encoded()
        let custom = try h.expect(200, "POST", base + "/lbs/\(lb)/certificates", body)
        XCTAssertEqual(custom["status"]?.stringValue, "ready")
        XCTAssertEqual(custom["type"]?.stringValue, "custom")
        XCTAssertEqual(custom["common_name"]?.stringValue, "www.example.com")
        XCTAssertEqual(custom["subject_alternative_name"], .array([.string("example.com")]))
        XCTAssertEqual(custom["not_valid_before"]?.stringValue, "2026-12-04T18:19:14Z")
        XCTAssertEqual(custom["not_valid_after"]?.stringValue, "2036-12-01T18:19:14Z")
        XCTAssertEqual(custom["fingerprint"]?.stringValue, "7c5be628f209a3aa379f3e2a3de22016649d90ec")
        XCTAssertFalse(custom.encoded().contains("PRIVATE KEY"), "the chain is never served")

        let certOnly = String(chain[..<chain.range(of: "-----BEGIN PRIVATE KEY-----")!.lowerBound])
        for (pem, message) in [("not a certificate", "no PEM CERTIFICATE block"), (certOnly, "no private key"),
                               ("-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----", "not valid DER")] {
            let bad = try h.expect(200, "POST", base + "/lbs/\(lb)/certificates",
                                   JSONValue.object(["custom_certificate": .object(["certificate_chain": .string(pem)])]).encoded())
            XCTAssertEqual(bad["status"]?.stringValue, "error")
            XCTAssertTrue(bad["status_details"]?.stringValue?.contains(message) == true, "\(bad["status_details"] ?? .null)")
        }
        let both = try h.expect(400, "POST", base + "/lbs/\(lb)/certificates",
                                #"{"letsencrypt":{"common_name":"a.example.com"},"custom_certificate":{"certificate_chain":"x"}}"#)
        XCTAssertEqual(both["type"]?.stringValue, "invalid_arguments")
        XCTAssertEqual(try h.expect(200, "GET", base + "/lbs/\(lb)/certificates?page_size=2")["total_count"]?.intValue, 5)
    }

    func testSHA1() {
        XCTAssertEqual(LBCertificateChain.sha1(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined(),
                       "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(LBCertificateChain.sha1([]).map { String(format: "%02x", $0) }.joined(), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}

private extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

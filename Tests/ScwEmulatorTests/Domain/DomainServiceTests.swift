// Domain emulator behaviour beyond the recordings: zone status pending → active, the records
// PATCH (add, set keeping the id, delete, clear, return_all_records), data checks per type,
// CNAME rules, filters and pages, zone deletion.

import Foundation
import XCTest
@testable import ScwEmulator

final class DomainServiceTests: XCTestCase {
    private func patch(_ h: EmulatorHarness, _ zone: String, _ changes: String, all: Bool = false, disallow: Bool = false) throws -> TestResponse {
        try h.call("PATCH", "/domain/v2beta1/dns-zones/\(zone)/records",
                   #"{"changes":\#(changes),"return_all_records":\#(all),"disallow_new_zone_creation":\#(disallow)}"#)
    }

    func testZoneGoesActiveAndIsDeletedWithItsRecords() throws {
        let h = try EmulatorHarness { $0.speed = 10 }
        let zone = try h.expect(200, "POST", "/domain/v2beta1/dns-zones", #"{"domain":"example.com","subdomain":"app"}"#)
        XCTAssertEqual(zone["status"], .string("pending"))
        XCTAssertEqual(try h.call("POST", "/domain/v2beta1/dns-zones", #"{"domain":"example.com","subdomain":"app"}"#).status, 409)
        XCTAssertEqual(try h.call("POST", "/domain/v2beta1/dns-zones", #"{"domain":"not a domain"}"#).status, 400)
        Thread.sleep(forTimeInterval: 0.4)
        let listed = try h.expect(200, "GET", "/domain/v2beta1/dns-zones?dns_zones=app.example.com&domain=&order_by=domain_asc&page=1")
        XCTAssertEqual(listed["dns_zones"]?.arrayValue?.first?["status"], .string("active"))
        XCTAssertEqual(try h.expect(200, "GET", "/domain/v2beta1/dns-zones/app.example.com/records")["total_count"], .int(2), "apex NS records")
        try h.expect(200, "DELETE", "/domain/v2beta1/dns-zones/app.example.com?project_id=\(ServiceContext.emulatorProjectID)")
        XCTAssertEqual(try h.call("GET", "/domain/v2beta1/dns-zones/app.example.com/records").status, 404)
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue?.count, 0, "nothing left")
        XCTAssertEqual(try patch(h, "gone.example.com", "[]", disallow: true).status, 404)
    }

    func testAddSetDeleteAndClear() throws {
        let h = try EmulatorHarness()
        try h.expect(200, "POST", "/domain/v2beta1/dns-zones", #"{"domain":"example.com","subdomain":"app"}"#)
        let added = try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"www","type":"A","data":"192.0.2.1","ttl":300},{"name":"","type":"MX","data":"mx.example.net.","priority":10,"ttl":600},{"name":"","type":"TXT","data":"v=spf1 -all","ttl":600}]}}]"#)
        XCTAssertEqual(added.status, 200, added.text)
        let records = try XCTUnwrap(added.json?["records"]?.arrayValue)
        XCTAssertEqual(records.map { $0["data"]?.stringValue }, ["192.0.2.1", "10 mx.example.net.", "\"v=spf1 -all\""])
        let www = try XCTUnwrap(records[0]["id"]?.stringValue)

        let set = try patch(h, "app.example.com", #"[{"set":{"id":"\#(www)","records":[{"name":"www","type":"A","data":"192.0.2.2","ttl":60}]}}]"#)
        XCTAssertEqual(set.json?["records"]?.arrayValue?.first?["id"], .string(www), "set keeps the id")
        XCTAssertEqual(set.json?["records"]?.arrayValue?.first?["ttl"], .int(60))
        let byID = try h.expect(200, "GET", "/domain/v2beta1/dns-zones/app.example.com/records?id=\(www)&name=&type=unknown")
        XCTAssertEqual(byID["records"]?.arrayValue?.first?["data"], .string("192.0.2.2"))
        let byName = try h.expect(200, "GET", "/domain/v2beta1/dns-zones/app.example.com/records?name=www&type=A")
        XCTAssertEqual(byName["total_count"], .int(1))
        let page = try h.expect(200, "GET", "/domain/v2beta1/dns-zones/app.example.com/records?page_size=2&page=2")
        XCTAssertEqual(page["total_count"], .int(5))
        XCTAssertEqual(page["records"]?.arrayValue?.count, 2)

        let all = try patch(h, "app.example.com", #"[{"delete":{"id":"\#(www)"}}]"#, all: true)
        XCTAssertEqual(all.json?["records"]?.arrayValue?.count, 4, "return_all_records")
        XCTAssertEqual(try patch(h, "app.example.com", #"[{"delete":{"id":"\#(www)"}}]"#).status, 404, "already gone")
        let cleared = try patch(h, "app.example.com", #"[{"clear":{}}]"#, all: true)
        XCTAssertEqual(cleared.json?["records"]?.arrayValue?.map { $0["type"]?.stringValue }, ["NS", "NS"])
    }

    func testDataIsCheckedPerTypeAndCNAMERules() throws {
        let h = try EmulatorHarness()
        try h.expect(200, "POST", "/domain/v2beta1/dns-zones", #"{"domain":"example.com","subdomain":"app"}"#)
        let bad: [(String, String)] = [("A", "not-an-ip"), ("A", "2001:db8::1"), ("AAAA", "192.0.2.1"), ("CNAME", "-bad-.host."), ("BOGUS", "x")]
        for (type, data) in bad {
            let r = try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"x","type":"\#(type)","data":"\#(data)","ttl":300}]}}]"#)
            XCTAssertEqual(r.status, 400, "\(type) \(data): \(r.text)")
        }
        let apex = try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"","type":"CNAME","data":"target.example.net.","ttl":300}]}}]"#)
        XCTAssertEqual(apex.status, 400)
        XCTAssertTrue(apex.text.contains("apex"), apex.text)
        XCTAssertEqual(try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"w","type":"CNAME","data":"t.example.net.","ttl":300}]}}]"#).status, 200)
        XCTAssertEqual(try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"w","type":"A","data":"192.0.2.9","ttl":300}]}}]"#).status, 400)
        XCTAssertEqual(try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"w","type":"CNAME","data":"t.example.net.","ttl":300}]}}]"#).status, 409)
        XCTAssertEqual(try patch(h, "app.example.com", #"[{"add":{"records":[{"name":"v","type":"A","data":"192.0.2.9","ttl":300,"weighted_config":{"weighted_ips":[{"ip":"192.0.2.1","weight":1}]}}]}}]"#).status, 200)
        let v = try h.expect(200, "GET", "/domain/v2beta1/dns-zones/app.example.com/records?name=v")
        XCTAssertNotNil(v["records"]?.arrayValue?.first?["weighted_config"])
    }
}

// DomainCassetteTests: every recorded Domain body decodes (records, zone lists, PATCH answers),
// and replaying the cassettes through DomainAPI sends exactly the recorded PATCH bodies.

import Foundation
import XCTest
import ScwCore
@testable import ScalewayAPI

final class DomainCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        let files = try Cassettes.files(prefix: "domain-")
        XCTAssertEqual(files.count, 2)
        var decoded = 0
        for file in files {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.url)"
                XCTAssertEqual(x.status, 200, context)
                let reader = try FieldReader(x.responseBody, what: context)
                if x.path.hasSuffix("/dns-zones") {
                    let zones = try reader.objects("dns_zones") { try DNSZone(json: $0, what: $1) }
                    XCTAssertEqual(zones.count, 1, context)
                    XCTAssertTrue(["pending", "active"].contains(zones[0].status), context)
                    XCTAssertTrue(zones[0].fqdn.hasSuffix(".scaleway-terraform.com"), context)
                    XCTAssertEqual(zones[0].ns, ["ns0.dom.scw.cloud", "ns1.dom.scw.cloud"], context)
                } else {
                    let records = try reader.objects("records") { try DNSRecord(json: $0, what: $1) }
                    for r in records where r.type == "MX" { XCTAssertTrue(r.data.hasPrefix("\(r.priority) "), "\(context): MX data carries its priority") }
                    for r in records where r.type == "TXT" { XCTAssertTrue(r.data.hasPrefix("\""), context) }
                    if x.method == "GET" { XCTAssertEqual(try reader.optionalInt("total_count").map(Int.init), records.count, context) }
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 12 + 52)
    }

    func testReplayingThroughDomainAPISendsTheRecordedRequests() async throws {
        for file in try Cassettes.files(prefix: "domain-") {
            let interactions = try Cassettes.load(file)
            let transport = ReplayTransport(interactions)
            let api = DomainAPI(client: .testing(transport, retry: .none))
            for x in interactions { try await drive(api, x) }
            XCTAssertEqual(transport.sent.count, interactions.count)
            for (x, request) in zip(interactions, transport.sent) {
                let name = "\(file.split(separator: "/").last!) \(x.method) \(x.path)"
                XCTAssertEqual(request.method, x.method, name)
                XCTAssertEqual(Interaction(method: "", url: request.url, requestBody: .null, status: 0, responseBody: .null, responseHeaders: [:]).path, x.path, name)
                let sentBody: Value = try request.body.map { try JSON.decode(bytes: $0) } ?? .null
                XCTAssertEqual(sentBody, x.requestBody, "request body differs for \(name):\n sent \(JSON.encode(sentBody))\n recorded \(JSON.encode(x.requestBody))")
            }
        }
    }

    /// Calls the DomainAPI method matching a recorded interaction (one request each: page 1 answers all).
    private func drive(_ api: DomainAPI, _ x: Interaction) async throws {
        let parts = x.path.split(separator: "/").map(String.init)   // domain v2beta1 dns-zones [zone] [records]
        let query = x.url.split(separator: "?").dropFirst().first.map { HTTPQuery.parse(String($0)) } ?? [:]
        switch (x.method, parts.count) {
        case ("GET", 3): _ = try await api.listZones(dnsZones: query["dns_zones"].map { [$0] }, domain: query["domain"] ?? "")
        case ("GET", 5):
            _ = try await api.listRecords(zone: parts[3], name: query["name"], type: query["type"].flatMap { $0 == "unknown" ? nil : $0 }, id: query["id"])
        case ("PATCH", 5):
            let changes = try x.requestBody["changes"]!.listValue!.map(change)
            _ = try await api.updateRecords(zone: parts[3], changes, returnAllRecords: x.requestBody["return_all_records"]?.boolValue ?? false,
                                            disallowNewZoneCreation: x.requestBody["disallow_new_zone_creation"]?.boolValue ?? false)
        default: XCTFail("no DomainAPI call for \(x.method) \(x.path)")
        }
    }

    private func change(_ v: Value) throws -> DNSRecordChange {
        func specs(_ list: Value?) -> [DNSRecordSpec] {
            (list?.listValue ?? []).map { r in
                DNSRecordSpec(name: r["name"]!.stringValue!, type: r["type"]!.stringValue!, data: r["data"]!.stringValue!,
                              ttl: r["ttl"]!.intValue!, priority: r["priority"]?.intValue ?? 0, comment: r["comment"]?.stringValue)
            }
        }
        if let add = v["add"] { return .add(specs(add["records"])) }
        if let set = v["set"] { return .set(id: set["id"]!.stringValue!, specs(set["records"])) }
        if let del = v["delete"] { return .delete(id: del["id"]!.stringValue!) }
        return .clear
    }

    func testChangeBodies() {
        let spec = DNSRecordSpec(name: "www", type: "A", data: "1.2.3.4", ttl: 300)
        XCTAssertEqual(JSON.encode(DomainAPI.updateRecordsBody([.delete(id: "x")], returnAllRecords: false, disallowNewZoneCreation: false)),
                       #"{"changes":[{"delete":{"id":"x"}}],"disallow_new_zone_creation":false,"return_all_records":false}"#)
        XCTAssertEqual(JSON.encode(DNSRecordChange.add([spec]).body),
                       #"{"add":{"records":[{"comment":null,"data":"1.2.3.4","id":"","name":"www","priority":0,"ttl":300,"type":"A","updated_at":null}]}}"#)
    }
}

/// Query strings of recorded URLs (first value of each name, percent-decoded).
enum HTTPQuery {
    static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? String($0) }
            if out[kv[0]] == nil { out[kv[0]] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}

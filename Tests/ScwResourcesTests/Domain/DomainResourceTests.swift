// DomainResourceTests: DomainZone (waits for active, found by name) and DomainRecord (data
// checked per type before any write, host names made fully qualified, CNAME at the apex
// refused, TXT and MX read back without drift, TTL and data changed in place keeping the id,
// a lost create found again, gone with its zone).

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class DomainResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private func zone(_ cloud: ComputeEmulator, phases: PhaseLog? = nil) async throws -> (CreateResult, [String: Value]) {
        try await cloud.create(DomainZoneResource(env: cloud.env), ["domain": .string("Example.com"), "subdomain": .string("app")],
                               context: cloud.context("DomainZone", "app", phases: phases))
    }

    func testZoneWaitsForActiveAndIsFoundByName() async throws {
        let slow = try ComputeEmulator(speed: 5)
        defer { slow.stop() }
        let phases = PhaseLog()
        let (created, inputs) = try await zone(slow, phases: phases)
        XCTAssertEqual(created.id, "app.example.com")
        XCTAssertEqual(created.outputs["status"], .string("active"))
        XCTAssertEqual(created.outputs["ns"], .list([.string("ns0.dom.scw.cloud"), .string("ns1.dom.scw.cloud")]))
        XCTAssertTrue(phases.all.contains("waiting for active"))
        let provider = DomainZoneResource(env: slow.env)
        let ctx = slow.context("DomainZone", "app")
        try await slow.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let awaited1 = try await provider.find(inputs: inputs, context: ctx).map(\.id)
        XCTAssertEqual(awaited1, ["app.example.com"])
        await assertDiagnostic(["domain 'not a domain'"]) { _ = try provider.normalize(["domain": .string("not a domain")], context: ctx) }
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        XCTAssertNil(gone)
        let awaited2 = try await slow.resources().count
        XCTAssertEqual(awaited2, 0, "the zone's records went with it")
    }

    func testRecordDataIsCheckedPerTypeBeforeAnyWrite() async throws {
        let provider = DomainRecordResource(env: cloud.env)
        let ctx = cloud.context("DomainRecord", "r")
        func props(_ type: String, _ data: String, name: String = "www") -> [String: Value] {
            ["dns_zone": .string("app.example.com"), "name": .string(name), "type": .string(type), "data": .string(data)]
        }
        await assertDiagnostic(["'not-an-ip' is not an IPv4 address"]) { _ = try provider.normalize(props("A", "not-an-ip"), context: ctx) }
        await assertDiagnostic(["is not an IPv4 address", "AAAA"]) { _ = try provider.normalize(props("A", "2001:db8::1"), context: ctx) }
        await assertDiagnostic(["not an IPv6 address"]) { _ = try provider.normalize(props("AAAA", "192.0.2.1"), context: ctx) }
        await assertDiagnostic(["not a host name"]) { _ = try provider.normalize(props("CNAME", "bad host"), context: ctx) }
        await assertDiagnostic(["CNAME cannot be at the zone apex", "ALIAS"]) { _ = try provider.normalize(props("CNAME", "t.example.net.", name: "@"), context: ctx) }
        await assertDiagnostic(["ttl"]) {
            var p = props("A", "192.0.2.1")
            p["ttl"] = .int(5)
            _ = try provider.normalize(p, context: ctx)
        }
        await assertDiagnostic(["is not 'weight port target'"]) { _ = try provider.normalize(props("SRV", "sip.example.com."), context: ctx) }
        await assertDiagnostic(["is not 'flags tag value'"]) { _ = try provider.normalize(props("CAA", "0 issued letsencrypt.org"), context: ctx) }
        XCTAssertEqual(try provider.normalize(props("SRV", "5 5060 sip.example.com."), context: ctx)["data"], .string("5 5060 sip.example.com."))
        XCTAssertEqual(try provider.normalize(props("CAA", "0 issue \"letsencrypt.org\""), context: ctx)["data"], .string("0 issue \"letsencrypt.org\""))
        XCTAssertEqual(try provider.normalize(props("CNAME", "web"), context: ctx)["data"], .string("web.app.example.com."), "a bare label is in the zone")
        XCTAssertEqual(try provider.normalize(props("MX", "MX.Example.net"), context: ctx)["data"], .string("mx.example.net."))
        XCTAssertEqual(try provider.normalize(props("TXT", "v=spf1 -all", name: "@"), context: ctx)["name"], .string(""))
        let awaited3 = try await cloud.env.client.call("GET", "/__emulator/stats")["writes"]
        XCTAssertEqual(awaited3, .int(0))
    }

    func testRecordsReadBackUpdateInPlaceAndGoWithTheirZone() async throws {
        let (z, zoneInputs) = try await zone(cloud)
        let provider = DomainRecordResource(env: cloud.env)
        var made: [(String, [String: Value], ProviderContext)] = []
        for (name, props) in [("www", ["name": Value.string("www"), "type": .string("A"), "data": .string("192.0.2.1"), "ttl": .int(300)]),
                              ("mx", ["type": .string("MX"), "data": .string("mx.example.net."), "priority": .int(10)]),
                              ("txt", ["name": .string("@"), "type": .string("TXT"), "data": .string("v=spf1 -all")]),
                              ("lb", ["name": .string("lb"), "type": .string("A"), "data": .string("192.0.2.7"),
                                      "weighted": .list([.map(["ip": .string("192.0.2.7"), "weight": .int(3)])])])] {
            var p = props
            p["dns_zone"] = .string(z.id)
            let ctx = cloud.context("DomainRecord", name)
            let (created, inputs) = try await cloud.create(provider, p, context: ctx)
            try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
            made.append((created.id, inputs, ctx))
        }
        let (wwwID, wwwInputs, wwwCtx) = made[0]
        let www = try await provider.read(id: wwwID, inputs: wwwInputs, context: wwwCtx)
        XCTAssertEqual(www?.outputs["fqdn"], .string("www.app.example.com"))
        XCTAssertEqual(www?.outputs["root_zone"], .bool(false))
        XCTAssertEqual(made[1].1["name"], .string(""))

        var changed = wwwInputs
        changed["ttl"] = .int(600)
        changed["data"] = .string("192.0.2.2")
        let updated = try await provider.update(id: wwwID, from: wwwInputs, to: changed, context: wwwCtx)
        XCTAssertEqual(updated["id"], .string(wwwID), "set keeps the id")
        XCTAssertEqual(updated["data"], .string("192.0.2.2"))
        try await cloud.assertNoDrift(provider, id: wwwID, inputs: changed, context: wwwCtx)
        let awaited4 = try await provider.find(inputs: changed, context: wwwCtx).map(\.id)
        XCTAssertEqual(awaited4, [wwwID], "found by zone, name, type and data")

        try await provider.delete(id: wwwID, inputs: changed, context: wwwCtx)
        try await provider.delete(id: wwwID, inputs: changed, context: wwwCtx)   // already gone: fine
        try await DomainZoneResource(env: cloud.env).delete(id: z.id, inputs: zoneInputs, context: cloud.context("DomainZone", "app"))
        let gone = try await provider.read(id: made[1].0, inputs: made[1].1, context: made[1].2)
        XCTAssertNil(gone, "gone with its zone")
    }

    func testDynamicConfigsReadBackWithoutDrift() async throws {
        let (z, _) = try await zone(cloud)
        let provider = DomainRecordResource(env: cloud.env)
        let configs: [(String, Value)] = [
            ("geo_ip", .map(["matches": .list([.map(["countries": .list([.string("FR")]), "data": .string("192.0.2.10")]),
                                                .map(["continents": .list([.string("NA")]), "data": .string("192.0.2.20")])])])),
            ("http_service", .map(["ips": .list([.string("192.0.2.1"), .string("192.0.2.2")]), "must_contain": .string("ok"),
                                   "url": .string("https://example.com/health"), "strategy": .string("hashed")])),
            ("view", .list([.map(["subnet": .string("10.0.0.0/8"), "data": .string("10.0.0.5")])])),
        ]
        for (prop, config) in configs {
            let ctx = cloud.context("DomainRecord", prop)
            let (created, inputs) = try await cloud.create(provider, ["dns_zone": .string(z.id), "name": .string(prop), "type": .string("A"),
                                                                      "data": .string("192.0.2.1"), prop: config], context: ctx)
            try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
            let raw = try await DomainAPI(client: cloud.env.client).listRecords(zone: z.id, id: created.id)
            XCTAssertEqual(raw.first?.config?.key, prop + "_config")
        }
        await assertDiagnostic(["at most one of"]) {
            _ = try provider.normalize(["dns_zone": .string(z.id), "type": .string("A"), "data": .string("192.0.2.1"),
                                        "geo_ip": configs[0].1, "view": configs[2].1], context: cloud.context("DomainRecord", "two"))
        }
    }

    func testALostCreateIsFoundAgain() async throws {
        let lossy = try ComputeEmulator(wrap: { inner in
            LosingTransport(inner) { $0.method == "PATCH" && $0.url.hasSuffix("/records") }
        })
        defer { lossy.stop() }
        let (z, _) = try await zone(lossy)
        let provider = DomainRecordResource(env: lossy.env)
        let ctx = lossy.context("DomainRecord", "www")
        let inputs = try provider.normalize(["dns_zone": .string(z.id), "name": .string("www"), "type": .string("CNAME"), "data": .string("web")], context: ctx)
        do {
            _ = try await provider.create(inputs, context: ctx)
            XCTFail("the answer was lost")
        } catch is AmbiguousCreateError {}
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.outputs["data"], .string("web.app.example.com."))
    }
}

// LoadBalancerResourceTests: LbIp and LoadBalancer against the emulator: create with given IPs
// and an IPAM private network, read back without drift, rename and retag, migrate the type in
// place, detach a network, delete (the IP stays until its own delete), plan-time type check,
// and an interrupted create resumed rather than duplicated.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class LoadBalancerResourceTests: XCTestCase {
    private var cloud: LbCloud!

    override func setUpWithError() throws { cloud = try LbCloud() }
    override func tearDown() { cloud.stop() }

    func testLbIpLifecycle() async throws {
        let provider = LbIpResource(env: cloud.env)
        let ctx = cloud.context("LbIp", "front")
        let (created, inputs) = try await cloud.compute.create(provider, ["tags": .list([.string("web")])], context: ctx)
        XCTAssertTrue(created.id.hasPrefix("fr-par-1/"))
        let address = try XCTUnwrap(created.outputs["ip_address"]?.stringValue)
        XCTAssertEqual(created.outputs["reverse"], .string(address.replacingOccurrences(of: ".", with: "-") + ".lb.fr-par.scw.cloud"))
        XCTAssertEqual(created.outputs["lb_id"], .null)
        let raw = try await cloud.api.getIP(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(Set(raw.tags), ["web", "scwlua:stack=compute-test", "scwlua:urn=LbIp/front"])
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let changed = try provider.normalize(["tags": .list([.string("web")]), "reverse": .string("www.example.com")], context: ctx)
        let outputs = try await provider.update(id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(outputs["reverse"], .string("www.example.com"))
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)

        let found = try await provider.find(inputs: changed, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        let v6 = try await cloud.compute.create(provider, ["is_ipv6": .bool(true)], context: cloud.context("LbIp", "v6"))
        XCTAssertTrue(v6.0.outputs["ip_address"]?.stringValue?.contains(":") == true)

        try await provider.delete(id: created.id, inputs: changed, context: ctx)
        try await provider.delete(id: created.id, inputs: changed, context: ctx)   // gone already: fine
        let gone = try await provider.read(id: created.id, inputs: changed, context: ctx)
        XCTAssertNil(gone)
    }

    func testLoadBalancerLifecycle() async throws {
        let ipProvider = LbIpResource(env: cloud.env)
        let (ip, ipInputs) = try await cloud.compute.create(ipProvider, [:], context: cloud.context("LbIp", "web"))
        let pnProvider = VpcPrivateNetworkResource(env: cloud.env)
        let (pn, _) = try await cloud.compute.create(pnProvider, ["subnets": .list([.string("10.10.0.0/24")])], context: cloud.context("VpcPrivateNetwork", "app"))
        let provider = LoadBalancerResource(env: cloud.env)
        let ctx = cloud.context("LoadBalancer", "web")
        let props: [String: Value] = [
            "type": .string("lb-s"), "ip_ids": .list([ip.outputs["id"]!]), "tags": .list([.string("front")]),
            "private_networks": .list([.map(["private_network_id": pn.outputs["id"]!, "ipam": .bool(true)])]),
        ]
        let (created, inputs) = try await cloud.compute.create(provider, props, context: ctx)
        XCTAssertEqual(inputs["type"], .string("LB-S"), "types are normalised to the API's spelling")
        XCTAssertEqual(created.outputs["status"], .string("ready"))
        XCTAssertEqual(created.outputs["ip_address"], ip.outputs["ip_address"])
        XCTAssertEqual(created.outputs["ip_ids"], .list([ip.outputs["id"]!]))
        let privateIPs = try XCTUnwrap(created.outputs["private_ips"]?.listValue)
        XCTAssertEqual(privateIPs.count, 1)
        XCTAssertTrue(privateIPs[0]["address"]?.stringValue?.hasPrefix("10.10.0.") == true, "\(privateIPs)")
        let lb = try await cloud.api.getLB(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(Set(lb.tags), ["front", "scwlua:stack=compute-test", "scwlua:urn=LoadBalancer/web"], "the pending tag is gone once done")
        XCTAssertTrue(lb.isSettled)
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let ipNow = try await ipProvider.read(id: ip.id, inputs: ipInputs, context: cloud.context("LbIp", "web"))
        XCTAssertEqual(ipNow?.outputs["lb_id"], .string(created.id))

        // Rename + a type change: one PUT and one migrate, in place.
        var renamed = props
        renamed["name"] = .string("web-2")
        renamed["type"] = .string("LB-GP-M")
        let next = try provider.normalize(renamed, context: ctx)
        cloud.recorder.reset()
        let outputs = try await provider.update(id: created.id, from: inputs, to: next, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["POST /lb/v1/zones/fr-par-1/lbs/{id}/migrate", "PUT /lb/v1/zones/fr-par-1/lbs/{id}"])
        XCTAssertEqual(outputs["type"], .string("lb-gp-m"))
        XCTAssertEqual(outputs["id"], .string(created.id))
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: next, context: ctx)

        // The network removed from the script is detached.
        var detached = renamed
        detached["private_networks"] = .list([])
        let last = try provider.normalize(detached, context: ctx)
        cloud.recorder.reset()
        let after = try await provider.update(id: created.id, from: next, to: last, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["POST /lb/v1/zones/fr-par-1/lbs/{id}/detach-private-network"])
        XCTAssertEqual(after["private_ips"], .list([]))

        try await provider.delete(id: created.id, inputs: last, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: last, context: ctx)
        XCTAssertNil(gone)
        let ipHolder = try await ipProvider.read(id: ip.id, inputs: ipInputs, context: cloud.context("LbIp", "web"))?.outputs["lb_id"]
        XCTAssertEqual(ipHolder, .null,
                       "the flexible IP stays (release_ip=false), free")
        try await ipProvider.delete(id: ip.id, inputs: ipInputs, context: cloud.context("LbIp", "web"))
        let kindsLeft = try await cloud.kinds()
        XCTAssertEqual(kindsLeft, ["private_network", "vpc"])
    }

    func testUnknownTypeAndBadNetworksAreRefusedBeforeAnyWrite() async throws {
        let provider = LoadBalancerResource(env: cloud.env)
        let ctx = cloud.context("LoadBalancer", "bad")
        let inputs = try provider.normalize(["type": .string("LB-XXL")], context: ctx)
        cloud.recorder.reset()
        await assertDiagnostic(["type", "unknown load balancer type 'LB-XXL'", "LB-S"]) { try await provider.validate(inputs, context: ctx) }
        XCTAssertEqual(cloud.recorder.writes, [])
        await assertDiagnostic(["private_networks[1]", "one of ipam, dhcp_config or static_config"]) {
            _ = try provider.normalize(["type": .string("LB-S"), "private_networks": .list([
                .map(["private_network_id": .string("fr-par/11111111-1111-4111-8111-111111111111"), "ipam": .bool(true),
                      "static_config": .list([.string("10.0.0.5")])]),
            ])], context: ctx)
        }
        let kindsAfterRefusal = try await cloud.kinds()
        XCTAssertEqual(kindsAfterRefusal, [])
    }

    /// Only a half-made (pending) LB is resumed: a create while a finished one carries the same
    /// address (the old half of a create-before-destroy) makes a new one.
    func testAFinishedLoadBalancerIsNotResumed() async throws {
        let provider = LoadBalancerResource(env: cloud.env)
        let ctx = cloud.context("LoadBalancer", "web")
        let (old, inputs) = try await cloud.compute.create(provider, ["type": .string("LB-S")], context: ctx)
        let new = try await provider.create(inputs, context: ctx)
        XCTAssertNotEqual(new.id, old.id)
        let ids = try await cloud.api.listLBs(zone: "fr-par-1").map(\.id).sorted()
        XCTAssertEqual(ids, [uuidPart(old.id), uuidPart(new.id)].sorted())
    }

    func testAnInterruptedCreateIsResumedNotDuplicated() async throws {
        // The create's answer is lost: the LB exists, tagged pending.
        let lossy = try LbCloudLosingCreate()
        defer { lossy.compute.stop() }
        let provider = LoadBalancerResource(env: lossy.compute.env)
        let ctx = lossy.compute.context("LoadBalancer", "web")
        let inputs = try provider.normalize(["type": .string("LB-S")], context: ctx)
        do {
            _ = try await provider.create(inputs, context: ctx)
            XCTFail("the lost answer should make the create ambiguous")
        } catch is AmbiguousCreateError {}
        let pending = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(pending.count, 0, "a half-made LB is not adopted")
        let created = try await provider.create(inputs, context: ctx)
        let all = try await LBAPI(client: lossy.compute.env.client).listLBs(zone: "fr-par-1")
        XCTAssertEqual(all.map(\.id), [uuidPart(created.id)], "the same LB, finished")
        XCTAssertFalse(all[0].tags.contains("scwlua:pending"))
        let foundAfterResume = try await provider.find(inputs: inputs, context: ctx).map(\.id)
        XCTAssertEqual(foundAfterResume, [created.id])
    }
}

/// An emulator whose first `POST /lbs` answer is lost.
final class LbCloudLosingCreate {
    let compute: ComputeEmulator
    init() throws {
        compute = try ComputeEmulator(speed: 200) { LosingTransport($0) { $0.method == "POST" && $0.url.hasSuffix("/lbs") } }
    }
}

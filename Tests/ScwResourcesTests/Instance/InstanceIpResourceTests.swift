// InstanceIpResourceTests: the InstanceIp resource against the emulator: create, read back
// without drift, retag and set the reverse in place, delete (also when attached, and twice),
// IPv6 prefixes, and finding an interrupted create by its ownership tags.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class InstanceIpResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    func testCreateReadUpdateDelete() async throws {
        let provider = InstanceIpResource(env: cloud.env)
        let ctx = cloud.context("InstanceIp", "front")
        let (created, inputs) = try await cloud.create(provider, ["tags": .list([.string("web")])], context: ctx)
        XCTAssertTrue(created.id.hasPrefix("fr-par-1/"))
        XCTAssertNotNil(created.outputs["address"]?.stringValue)
        XCTAssertEqual(created.outputs["type"], .string("routed_ipv4"))
        XCTAssertEqual(created.outputs["server_id"], .null)
        let raw = try await cloud.api.getIP(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(Set(raw.tags), ["web", "scwlua:stack=compute-test", "scwlua:urn=InstanceIp/front"])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let changed = try provider.normalize(["tags": .list([.string("api")]), "reverse": .string("front.example.com")], context: ctx)
        let outputs = try await provider.update(id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(outputs["reverse"], .string("front.example.com"))
        XCTAssertEqual(outputs["address"], created.outputs["address"])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)

        let cleared = try provider.normalize(["tags": .list([.string("api")])], context: ctx)
        let after = try await provider.update(id: created.id, from: changed, to: cleared, context: ctx)
        XCTAssertEqual(after["reverse"], .null)

        try await provider.delete(id: created.id, inputs: cleared, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: cleared, context: ctx)
        XCTAssertNil(gone)
        try await provider.delete(id: created.id, inputs: cleared, context: ctx)   // already gone: fine
        let left = try await cloud.resources(kind: "ip")
        XCTAssertEqual(left.count, 0)
    }

    func testIPv6HasAPrefix() async throws {
        let provider = InstanceIpResource(env: cloud.env)
        let (created, _) = try await cloud.create(provider, ["type": .string("routed_ipv6")], context: cloud.context("InstanceIp", "v6"))
        let prefix = try XCTUnwrap(created.outputs["prefix"]?.stringValue)
        XCTAssertTrue(prefix.contains(":"))
        XCTAssertEqual(created.outputs["address"], .string(prefix))
    }

    func testFindsAnInterruptedCreateByItsTags() async throws {
        let provider = InstanceIpResource(env: cloud.env)
        let ctx = cloud.context("InstanceIp", "lost")
        let (created, inputs) = try await cloud.create(provider, [:], context: ctx)
        _ = try await cloud.create(provider, [:], context: cloud.context("InstanceIp", "other"))
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        let foreign = try await provider.find(inputs: inputs, context: cloud.context("InstanceIp", "lost", stack: "another-stack"))
        XCTAssertEqual(foreign.count, 0)
    }

    func testDeletingAnAttachedIPDetachesItFirst() async throws {
        let provider = InstanceIpResource(env: cloud.env)
        let ctx = cloud.context("InstanceIp", "attached")
        let (ip, inputs) = try await cloud.create(provider, [:], context: ctx)
        let server = try await cloud.api.createServer(zone: "fr-par-1", body: InstanceAPI.createServerBody(
            name: "holder", commercialType: "DEV1-S", image: try await ubuntuImage(), projectID: ScalewayConfig.localProjectID, tags: [],
            publicIPs: [uuidPart(ip.id)]))
        XCTAssertEqual(server.publicIPs.map(\.id), [uuidPart(ip.id)])
        let read = try await provider.read(id: ip.id, inputs: inputs, context: ctx)
        XCTAssertEqual(read?.outputs["server_id"], .string("fr-par-1/\(server.id)"))
        try await provider.delete(id: ip.id, inputs: inputs, context: ctx)
        let after = try await cloud.api.getServer(zone: "fr-par-1", id: server.id)
        XCTAssertEqual(after.publicIPs.count, 0)
    }

    private func ubuntuImage() async throws -> String {
        let image = try await MarketplaceAPI(client: cloud.env.client)
            .resolveImage(zone: "fr-par-1", label: "ubuntu_jammy", commercialType: "DEV1-S", type: "instance_sbs")
        return try XCTUnwrap(image).id
    }
}

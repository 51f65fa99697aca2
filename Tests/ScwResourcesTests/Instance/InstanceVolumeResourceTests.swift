// InstanceVolumeResourceTests: InstanceVolume against the emulator: GB/bytes, no drift, b_ssd grows
// in place while other types replace (the provider's replacement hook), no shrinking; deleting an attached volume is
// refused when another owner's server holds it, waited for when this stack's server is going.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class InstanceVolumeResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    func testCreateReadRenameDelete() async throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "data")
        let (created, inputs) = try await cloud.create(provider, ["type": .string("l_ssd"), "size": .int(20), "tags": .list([.string("db")])], context: ctx)
        XCTAssertEqual(created.outputs["size"], .int(20))
        XCTAssertEqual(created.outputs["name"], .string("data"))
        let raw = try await cloud.api.getVolume(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(raw.size, 20_000_000_000)
        XCTAssertTrue(raw.tags.contains("scwlua:urn=InstanceVolume/data"))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let renamed = try provider.normalize(["type": .string("l_ssd"), "size": .int(20), "name": .string("data-2")], context: ctx)
        XCTAssertEqual(Diff.changes(schema: provider.schema, old: inputs, new: renamed).map(\.name), ["name", "tags"])
        let outputs = try await provider.update(id: created.id, from: inputs, to: renamed, context: ctx)
        XCTAssertEqual(outputs["name"], .string("data-2"))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: renamed, context: ctx)

        let found = try await provider.find(inputs: renamed, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        try await provider.delete(id: created.id, inputs: renamed, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: renamed, context: ctx)
        XCTAssertNil(gone)
    }

    /// The diff the planner computes: schema plus the provider's replacement hook.
    private func diff(_ provider: InstanceVolumeResource, _ old: [String: Value], _ new: [String: Value]) -> [PropChange] {
        Diff.changes(schema: provider.schema, old: old, new: new) { provider.replacementReason(prop: $0, old: $1, new: $2, inputs: new) }
    }

    func testSizeChangesReplaceUnlessTheTypeGrows() throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "v")
        let local20 = try provider.normalize(["type": .string("l_ssd"), "size": .int(20)], context: ctx)
        let local30 = try provider.normalize(["type": .string("l_ssd"), "size": .int(30)], context: ctx)
        let localChange = diff(provider, local20, local30)
        XCTAssertEqual(localChange.map(\.name), ["size"])
        XCTAssertEqual(localChange.first?.forcesReplacement, true)
        XCTAssertEqual(localChange.first?.replacementReason, "l_ssd volumes cannot be resized")
        let block20 = try provider.normalize(["type": .string("b_ssd"), "size": .int(20)], context: ctx)
        let block30 = try provider.normalize(["type": .string("b_ssd"), "size": .int(30)], context: ctx)
        let blockChange = diff(provider, block20, block30)
        XCTAssertEqual(blockChange.map(\.name), ["size"])
        XCTAssertFalse(blockChange.contains(where: \.forcesReplacement), "a b_ssd volume grows in place")
        let shrink = diff(provider, block30, block20)
        XCTAssertEqual(shrink.first?.forcesReplacement, true)
        XCTAssertEqual(shrink.first?.replacementReason, "a volume cannot shrink (30 GB → 20 GB)")
        XCTAssertNil(block30["fixed_size"], "no computed prop is needed to force a replacement")

        XCTAssertThrowsError(try provider.normalize(["type": .string("l_ssd")], context: ctx)) {
            XCTAssertTrue("\($0)".contains("InstanceVolume/v: give size (GB) or from_snapshot"), "\($0)")
        }
        XCTAssertThrowsError(try provider.normalize(["type": .string("l_ssd"), "size": .int(0)], context: ctx))
        XCTAssertThrowsError(try provider.normalize(["type": .string("l_ssd"), "size": .int(5), "from_snapshot": .string("fr-par-2/x")], context: ctx))
    }

    func testBSSDGrowsInPlaceAndNeverShrinks() async throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "block")
        let (created, small) = try await cloud.create(provider, ["type": .string("b_ssd"), "size": .int(10)], context: ctx)
        let big = try provider.normalize(["type": .string("b_ssd"), "size": .int(25)], context: ctx)
        let outputs = try await provider.update(id: created.id, from: small, to: big, context: ctx)
        XCTAssertEqual(outputs["size"], .int(25))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: big, context: ctx)
        await assertDiagnostic(["InstanceVolume/block", "cannot shrink"]) {
            _ = try await provider.update(id: created.id, from: big, to: small, context: ctx)
        }
    }

    func testDeleteRefusedWhileAnotherOwnersServerHoldsIt() async throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "held")
        let (volume, inputs) = try await cloud.create(provider, ["type": .string("l_ssd"), "size": .int(10)], context: ctx)
        let server = try await makeServer(volume: uuidPart(volume.id), tags: [])
        await assertDiagnostic(["InstanceVolume/held", "attached to server holder (fr-par-1/\(server.id))", "does not manage"]) {
            try await provider.delete(id: volume.id, inputs: inputs, context: ctx)
        }
        let still = try await provider.read(id: volume.id, inputs: inputs, context: ctx)
        XCTAssertEqual(still?.outputs["server_id"], .string("fr-par-1/\(server.id)"))
    }

    func testDeleteWaitsWhileThisStacksServerLetsItGo() async throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "going")
        let (volume, inputs) = try await cloud.create(provider, ["type": .string("l_ssd"), "size": .int(10)], context: ctx)
        let server = try await makeServer(volume: uuidPart(volume.id), tags: [InstanceShared.stackTag(ctx)])
        let deleting = Task { try await provider.delete(id: volume.id, inputs: inputs, context: ctx) }
        try await Task.sleep(nanoseconds: 50_000_000)
        try await cloud.api.deleteServer(zone: "fr-par-1", id: server.id)   // stopped: DELETE keeps the volume, detached
        try await deleting.value
        let left = try await cloud.resources(kind: "volume")
        XCTAssertEqual(left.count, 0)
    }

    private func makeServer(volume: String, tags: [String]) async throws -> InstanceServer {
        let image = try await MarketplaceAPI(client: cloud.env.client)
            .resolveImage(zone: "fr-par-1", label: "ubuntu_jammy", commercialType: "DEV1-S", type: "instance_sbs")
        return try await cloud.api.createServer(zone: "fr-par-1", body: InstanceAPI.createServerBody(
            name: "holder", commercialType: "DEV1-S", image: try XCTUnwrap(image).id, projectID: ScalewayConfig.localProjectID, tags: tags,
            volumes: ["0": .map(["boot": .bool(false)]), "1": .map(["id": .string(volume)])]))
    }
}

// VpcUpdateWritesTests: Vpc and VpcPrivateNetwork updates send only what changed, counted by
// the emulator: a tag change is one PATCH, an update to what the cloud already has writes
// nothing, and a tag changed outside scwlua is put back.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class VpcUpdateWritesTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private var client: ScalewayClient { cloud.env.client }

    private func writes(_ provider: any ResourceProvider, id: String, from old: [String: Value], to new: [String: Value],
                        context: ProviderContext) async throws -> WriteCount {
        try await client.resetEmulatorStats()
        _ = try await provider.update(id: id, from: old, to: new, context: context)
        return try await client.emulatorWrites()
    }

    func testVpcTagChangeIsOnePATCHAndNoOpNothing() async throws {
        let provider = VpcResource(env: cloud.env)
        let ctx = cloud.context("Vpc", "main")
        let (created, inputs) = try await cloud.create(provider, ["tags": .list([.string("prod")])], context: ctx)
        let noop = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(noop.writes, 0, "\(noop)")
        let changed = try provider.normalize(["tags": .list([.string("prod"), .string("eu")])], context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)

        // Tags changed outside scwlua: put back by one PATCH (compared with the cloud, not the last apply).
        let lid = try XCTUnwrap(LocalizedID(parsing: created.id, defaultLocality: "fr-par"))
        _ = try await VPCAPI(client: client).updateVPC(region: lid.region, id: lid.uuid, tags: ["other"])
        let repair = try await writes(provider, id: created.id, from: changed, to: changed, context: ctx)
        XCTAssertEqual(repair.writes, 1, "\(repair)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
    }

    func testPrivateNetworkTagChangeIsOnePATCHAndNoOpNothing() async throws {
        let vpcs = VpcResource(env: cloud.env)
        let (vpc, _) = try await cloud.create(vpcs, [:], context: cloud.context("Vpc", "main"))
        let provider = VpcPrivateNetworkResource(env: cloud.env)
        let ctx = cloud.context("VpcPrivateNetwork", "back")
        let props: [String: Value] = ["vpc_id": .string(vpc.id), "tags": .list([.string("a")])]
        let (created, inputs) = try await cloud.create(provider, props, context: ctx)
        let noop = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(noop.writes, 0, "\(noop)")
        var changedProps = props
        changedProps["tags"] = .list([.string("b")])
        let changed = try provider.normalize(changedProps, context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
    }
}

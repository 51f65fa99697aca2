// InstanceUpdateWritesTests: an update of an Instance-family resource sends only what changed,
// counted by the emulator: a rules-only SecurityGroup change is exactly the rules PUT, a tag
// change on a server one PATCH (no user data rewritten), an update to what the cloud already
// has writes nothing, and what changed outside scwlua is still put back.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class InstanceUpdateWritesTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private var client: ScalewayClient { cloud.env.client }

    /// Runs an update from `old` to `new` and returns the writes it made.
    private func writes(_ provider: any ResourceProvider, id: String, from old: [String: Value], to new: [String: Value],
                        context: ProviderContext) async throws -> WriteCount {
        try await client.resetEmulatorStats()
        _ = try await provider.update(id: id, from: old, to: new, context: context)
        return try await client.emulatorWrites()
    }

    // MARK: SecurityGroup

    private func groupProps(rules: [Int64], inbound: String = "drop") -> [String: Value] {
        ["rules": .list(rules.map { .map(["port": .int($0)]) }), "inbound_default_policy": .string(inbound),
         "description": .string("front"), "tags": .list([.string("web")])]
    }

    func testSecurityGroupRulesOnlyChangeIsExactlyTheRulesPUT() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "web")
        let (created, inputs) = try await cloud.create(provider, groupProps(rules: [80, 443]), context: ctx)
        let changed = try provider.normalize(groupProps(rules: [443, 22]), context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PUT"), 1, "the rules PUT, and no PATCH of the group: \(w)")
        let rules = try await cloud.api.listRules(zone: "fr-par-1", securityGroupID: uuidPart(created.id)).filter { $0.editable == true }
        XCTAssertEqual(rules.sorted { $0.position < $1.position }.map(\.destPortFrom), [443, 22])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
    }

    func testSecurityGroupFieldOnlyChangeIsOnePATCHWithoutRules() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "web")
        let (created, inputs) = try await cloud.create(provider, groupProps(rules: [80]), context: ctx)
        let changed = try provider.normalize(groupProps(rules: [80], inbound: "accept"), context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        let group = try await cloud.api.getSecurityGroup(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(group.inboundDefaultPolicy, "accept")
        XCTAssertEqual(group.description, "front")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
    }

    func testSecurityGroupUpdateToWhatItHasWritesNothing() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "web")
        let (created, inputs) = try await cloud.create(provider, groupProps(rules: [80, 443]), context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(w.writes, 0, "\(w)")
    }

    func testSecurityGroupRulesChangedOutsideArePutBackByOnePUT() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "web")
        let (created, inputs) = try await cloud.create(provider, groupProps(rules: [80]), context: ctx)
        _ = try await cloud.api.setRules(zone: "fr-par-1", securityGroupID: uuidPart(created.id), rules: [])
        let w = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PUT"), 1, "\(w)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
    }

    // MARK: Instance

    private var server: InstanceServerResource { InstanceServerResource(env: cloud.env) }

    private func serverProps(tags: [String], userData: [String: String] = ["cloud-init": "#cloud-config\n", "extra": "x"]) -> [String: Value] {
        ["type": .string("DEV1-S"), "image": .string("ubuntu_jammy"), "tags": .list(tags.map(Value.string)),
         "user_data": .map(userData.mapValues { .string($0) })]
    }

    func testServerTagChangeIsOnePATCHAndNoUserDataWrite() async throws {
        let ctx = cloud.context("Instance", "web")
        let (created, inputs) = try await cloud.create(server, serverProps(tags: ["web"]), context: ctx)
        let changed = try server.normalize(serverProps(tags: ["web", "blue"]), context: ctx)
        let w = try await writes(server, id: created.id, from: inputs, to: changed, context: ctx)
        // A user data write is a PATCH too: one PATCH in all means the server's alone.
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        let raw = try await cloud.api.getServer(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(OwnershipTags.userTags(raw.tags), ["web", "blue"])
        XCTAssertTrue(OwnershipTags.owned(raw.tags, by: ctx))
        try await cloud.assertNoDrift(server, id: created.id, inputs: changed, context: ctx)
    }

    func testServerUpdateToWhatItHasWritesNothing() async throws {
        let ctx = cloud.context("Instance", "web")
        let (created, inputs) = try await cloud.create(server, serverProps(tags: ["web"]), context: ctx)
        let w = try await writes(server, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(w.writes, 0, "\(w)")
    }

    func testServerUserDataChangeWritesOnlyTheChangedKey() async throws {
        let ctx = cloud.context("Instance", "web")
        let (created, inputs) = try await cloud.create(server, serverProps(tags: ["web"]), context: ctx)
        let changed = try server.normalize(serverProps(tags: ["web"], userData: ["cloud-init": "#cloud-config\n", "extra": "y"]), context: ctx)
        let w = try await writes(server, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "one user data PATCH, for `extra`: \(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        let text = try await cloud.api.getUserData(zone: "fr-par-1", serverID: uuidPart(created.id), key: "extra")
        XCTAssertEqual(text, "y")
        try await cloud.assertNoDrift(server, id: created.id, inputs: changed, context: ctx)
    }

    // MARK: InstanceIp, InstanceVolume

    func testIPTagChangeIsOnePATCHAndNoOpNothing() async throws {
        let provider = InstanceIpResource(env: cloud.env)
        let ctx = cloud.context("InstanceIp", "front")
        let (created, inputs) = try await cloud.create(provider, ["tags": .list([.string("web")])], context: ctx)
        let noop = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(noop.writes, 0, "\(noop)")
        let changed = try provider.normalize(["tags": .list([.string("api")])], context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
    }

    func testVolumeRenameIsOnePATCHAndNoOpNothing() async throws {
        let provider = InstanceVolumeResource(env: cloud.env)
        let ctx = cloud.context("InstanceVolume", "data")
        let (created, inputs) = try await cloud.create(provider, ["type": .string("b_ssd"), "size": .int(20)], context: ctx)
        let noop = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(noop.writes, 0, "\(noop)")
        let renamed = try provider.normalize(["type": .string("b_ssd"), "size": .int(20), "name": .string("data-2")], context: ctx)
        let w = try await writes(provider, id: created.id, from: inputs, to: renamed, context: ctx)
        XCTAssertEqual(w.writes, 1, "\(w)")
        XCTAssertEqual(w.count("PATCH"), 1, "\(w)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: renamed, context: ctx)
    }
}

// SecurityGroupResourceTests: the SecurityGroup resource against the emulator (rules set with
// one PUT, Scaleway's non-editable rules hidden from diffs, rules changed in place, delete of a
// group in use: waits for this stack's servers, refuses others' at once) and its rule checks.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class SecurityGroupResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private func rule(_ fields: [String: Value]) -> Value { .map(fields) }

    private var webRules: Value {
        .list([
            rule(["port": .int(80)]),
            rule(["port": .int(22), "ip_range": .string("1.1.1.1/32")]),
            rule(["port_range": .string("8000-8080"), "protocol": .string("UDP")]),
            rule(["protocol": .string("ICMP"), "action": .string("drop")]),
            rule(["direction": .string("outbound"), "port": .int(443), "ip_range": .string("::/0")]),
        ])
    }

    func testCreateReadUpdateDelete() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "web")
        let (created, inputs) = try await cloud.create(provider, ["rules": webRules, "inbound_default_policy": .string("drop"),
                                                                  "description": .string("front")], context: ctx)
        let sgID = uuidPart(created.id)
        let rules = try await cloud.api.listRules(zone: "fr-par-1", securityGroupID: sgID)
        XCTAssertEqual(rules.filter { $0.editable == true }.count, 5)
        XCTAssertEqual(rules.filter { $0.editable == false }.count, 6)   // SMTP drops, left alone
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let changedRules: Value = .list([rule(["port": .int(443)]), rule(["port": .int(80)])])
        let changed = try provider.normalize(["rules": changedRules, "inbound_default_policy": .string("accept"), "tags": .list([.string("x")])],
                                             context: ctx)
        _ = try await provider.update(id: created.id, from: inputs, to: changed, context: ctx)
        let after = try await cloud.api.listRules(zone: "fr-par-1", securityGroupID: sgID).filter { $0.editable == true }
        XCTAssertEqual(after.map(\.destPortFrom), [443, 80])
        let group = try await cloud.api.getSecurityGroup(zone: "fr-par-1", id: sgID)
        XCTAssertEqual(group.description, nil)   // removed from the script: cleared
        XCTAssertEqual(group.inboundDefaultPolicy, "accept")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)

        try await provider.delete(id: created.id, inputs: changed, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: changed, context: ctx)
        XCTAssertNil(gone)
        try await provider.delete(id: created.id, inputs: changed, context: ctx)
    }

    func testRulesChangedOutsideShowAsDrift() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "drifty")
        let (created, inputs) = try await cloud.create(provider, ["rules": .list([rule(["port": .int(80)])])], context: ctx)
        _ = try await cloud.api.setRules(zone: "fr-par-1", securityGroupID: uuidPart(created.id), rules: [])
        let read = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        let drift = Diff.changes(schema: provider.schema, old: try XCTUnwrap(read?.observed), new: inputs)
        XCTAssertEqual(drift.map(\.name), ["rules"])
        _ = try await provider.update(id: created.id, from: inputs, to: inputs, context: ctx)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
    }

    func testACreateWhoseAnswerIsLostStillGetsItsRules() async throws {
        cloud.stop()
        cloud = try ComputeEmulator(wrap: { LosingTransport($0) { $0.method == "POST" && $0.url.hasSuffix("/security_groups") } })
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "lossy")
        let (created, inputs) = try await cloud.create(provider, ["rules": .list([rule(["port": .int(80)])])], context: ctx)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let groups = try await cloud.resources(kind: "security_group").filter { $0["name"] == .string("lossy") }
        XCTAssertEqual(groups.count, 1)
    }

    func testACreateInterruptedBeforeItsRulesIsResumed() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "killed")
        let inputs = try provider.normalize(["rules": .list([rule(["port": .int(443)])]), "inbound_default_policy": .string("drop")], context: ctx)
        let half = try await cloud.api.createSecurityGroup(zone: "fr-par-1", name: "killed", tags: ctx.ownershipTags + [InstanceShared.pendingTag])
        let seen = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(seen.map(\.halfMade), [true], "reported half-made (never forgotten), not adopted as it is")
        let created = try await provider.create(inputs, context: ctx)
        XCTAssertEqual(created.id, "fr-par-1/\(half.id)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
    }

    func testRuleChecksNameTheResource() throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "bad")
        let cases: [(Value, String)] = [
            (rule(["port": .int(70000)]), "port 70000 is out of range (1-65535)"),
            (rule(["port": .int(0)]), "port 0 is out of range"),
            (rule(["port_range": .string("22-99999")]), "port 99999 in port_range '22-99999' is out of range"),
            (rule(["port_range": .string("90-80")]), "starts after it ends"),
            (rule(["port_range": .string("eighty")]), "should be \"from-to\""),
            (rule(["port": .int(22), "port_range": .string("22-23")]), "not both"),
            (rule(["protocol": .string("ICMP"), "port": .int(8)]), "only apply to TCP and UDP"),
        ]
        for (bad, message) in cases {
            XCTAssertThrowsError(try provider.normalize(["rules": .list([rule(["port": .int(80)]), bad])], context: ctx)) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("SecurityGroup/bad: rules[2]"), text)
                XCTAssertTrue(text.contains(message), "\(message) not in \(text)")
            }
        }
        let ok = try provider.normalize(["rules": .list([rule(["port_range": .string("80-80")]), rule(["port_range": .string(" 20 - 21 ")])])], context: ctx)
        XCTAssertEqual(ok["rules"], .list([
            .map(["direction": .string("inbound"), "action": .string("accept"), "protocol": .string("TCP"), "ip_range": .string("0.0.0.0/0"), "port": .int(80)]),
            .map(["direction": .string("inbound"), "action": .string("accept"), "protocol": .string("TCP"), "ip_range": .string("0.0.0.0/0"),
                  "port_range": .string("20-21")]),
        ]))
        XCTAssertEqual(ok["stateful"], .bool(true))
        XCTAssertEqual(ok["enable_default_security"], .bool(true))
    }

    func testDeleteWaitsForThisStacksServerToGo() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "shared")
        let (group, inputs) = try await cloud.create(provider, [:], context: ctx)
        let server = try await makeServer(securityGroup: uuidPart(group.id), tags: [InstanceShared.stackTag(ctx)])
        let phases = PhaseLog()
        let deleteContext = cloud.context("SecurityGroup", "shared", phases: phases)
        let deleting = Task { try await provider.delete(id: group.id, inputs: inputs, context: deleteContext) }
        try await Task.sleep(nanoseconds: 100_000_000)
        let api = cloud.api
        _ = try await api.serverAction(zone: "fr-par-1", id: server.id, action: "poweron")
        try await waitFor { (try? await api.getServer(zone: "fr-par-1", id: server.id))?.state == "running" }
        _ = try await api.serverAction(zone: "fr-par-1", id: server.id, action: "terminate")
        try await deleting.value
        XCTAssertTrue(phases.all.contains { $0.contains("waiting for 1 server(s)") }, "\(phases.all)")
        XCTAssertTrue(phases.all.contains("in use, retrying delete"), "\(phases.all)")
        let left = try await cloud.resources(kind: "security_group").filter { $0["name"] != .string("Default security group") }
        XCTAssertEqual(left.count, 0)
    }

    func testDeleteRefusesAGroupUsedByAnotherOwnersServer() async throws {
        let provider = SecurityGroupResource(env: cloud.env)
        let ctx = cloud.context("SecurityGroup", "busy")
        let (group, inputs) = try await cloud.create(provider, [:], context: ctx)
        let server = try await makeServer(securityGroup: uuidPart(group.id), tags: ["someone-else"])
        await assertDiagnostic(["SecurityGroup/busy", "does not manage", "foreign (fr-par-1/\(server.id))"]) {
            try await provider.delete(id: group.id, inputs: inputs, context: ctx)
        }
        let still = try await provider.read(id: group.id, inputs: inputs, context: ctx)
        XCTAssertNotNil(still)
    }

    private func makeServer(securityGroup: String, tags: [String]) async throws -> InstanceServer {
        let image = try await MarketplaceAPI(client: cloud.env.client)
            .resolveImage(zone: "fr-par-1", label: "ubuntu_jammy", commercialType: "DEV1-S", type: "instance_sbs")
        return try await cloud.api.createServer(zone: "fr-par-1", body: InstanceAPI.createServerBody(
            name: "foreign", commercialType: "DEV1-S", image: try XCTUnwrap(image).id, projectID: ScalewayConfig.localProjectID, tags: tags,
            securityGroupID: securityGroup))
    }

    private func waitFor(_ condition: () async -> Bool) async throws {
        var tries = 0
        while tries < 500, !(await condition()) {
            tries += 1
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }
}

// IamResourceTests: the IAM resources against the emulator: applications (tags, drift, find),
// API keys (one owner, expiry checks, the secret only from the create, a lost create's key
// deleted and made again, find reporting a replacement), policies (one principal, permission
// sets checked against the catalogue, rules as a set, one PUT when they change), SSH keys
// (validation, comment and newline as Terraform handles them, disabled after create).

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class IamResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    var iam: IAMAPI { IAMAPI(client: cloud.env.client) }

    private func application(_ name: String = "ci") async throws -> String {
        try await cloud.create(IamApplicationResource(env: cloud.env), [:], context: cloud.context("IamApplication", name)).0.id
    }

    func testApplicationIsTaggedReadBackAndFound() async throws {
        let provider = IamApplicationResource(env: cloud.env)
        let ctx = cloud.context("IamApplication", "ci")
        let (created, inputs) = try await cloud.create(provider, ["description": .string("deploys"), "tags": .list([.string("team")])], context: ctx)
        let app = try await iam.getApplication(id: created.id)
        XCTAssertEqual(app.name, "ci")
        XCTAssertEqual(app.organizationID, ScalewayConfig.localProjectID)
        XCTAssertEqual(Set(app.tags), ["team", "scwlua:stack=compute-test", "scwlua:urn=IamApplication/ci"])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let changed = try provider.normalize(["description": .string("deploys v2")], context: ctx)
        let outputs = try await provider.update(id: created.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(outputs["description"], .string("deploys v2"))
        let found = try await provider.find(inputs: changed, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        try await provider.delete(id: created.id, inputs: changed, context: ctx)
        try await provider.delete(id: created.id, inputs: changed, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: changed, context: ctx)
        XCTAssertNil(gone)
    }

    func testAPIKeyInputsAreCheckedBeforeAnyWrite() async throws {
        let provider = IamApiKeyResource(env: cloud.env)
        let ctx = cloud.context("IamApiKey", "ci")
        let user = "0a0a0a0a-0000-4000-8000-00000000cafe"
        await assertDiagnostic(["application_id or user_id is required"]) { _ = try provider.normalize([:], context: ctx) }
        await assertDiagnostic(["not both"]) {
            _ = try provider.normalize(["application_id": .string(user), "user_id": .string(user)], context: ctx)
        }
        await assertDiagnostic(["expires_at", "RFC 3339"]) {
            _ = try provider.normalize(["user_id": .string(user), "expires_at": .string("next year")], context: ctx)
        }
        await assertDiagnostic(["reserved"]) {
            _ = try provider.normalize(["user_id": .string(user), "description": .string("x [scwlua:urn=y]")], context: ctx)
        }
        let past = try provider.normalize(["user_id": .string(user), "expires_at": .string("2020-01-01T00:00:00Z")], context: ctx)
        await assertDiagnostic(["in the past"]) { try await provider.validate(past, context: ctx) }
        let writes = try await cloud.env.client.call("GET", "/__emulator/stats")["writes"]
        XCTAssertEqual(writes, .int(0))
    }

    func testTheSecretComesFromTheCreateOnlyAndIsSealed() async throws {
        let app = try await application()
        let provider = IamApiKeyResource(env: cloud.env)
        let ctx = cloud.context("IamApiKey", "ci")
        let (created, inputs) = try await cloud.create(provider, ["application_id": .string(app), "description": .string("ci key"),
                                                                  "expires_at": .string("2030-01-01T00:00:00Z")], context: ctx)
        XCTAssertTrue(created.id.hasPrefix("SCW"))
        guard case .secret(.string(let secret))? = created.outputs["secret_key"] else { return XCTFail("secret_key not sealed: \(created.outputs)") }
        XCTAssertTrue(UUIDText.isValid(secret))
        XCTAssertEqual(created.outputs["description"], .string("ci key"), "the marker stays out of what users see")
        let raw = try await iam.getAPIKey(accessKey: created.id)
        XCTAssertEqual(raw.description, "ci key [scwlua:stack=compute-test scwlua:urn=IamApiKey/ci]")
        let read = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        XCTAssertNil(read?.outputs["secret_key"], "never read back: the engine keeps the created one")
        XCTAssertEqual(ResourceState.carryingOver(created.outputs, into: read!.outputs)["secret_key"], created.outputs["secret_key"])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let renamed = try provider.normalize(["application_id": .string(app), "description": .string("renamed"),
                                              "expires_at": .string("2030-01-01T00:00:00Z")], context: ctx)
        let updated = try await provider.update(id: created.id, from: inputs, to: renamed, context: ctx)
        XCTAssertEqual(updated["description"], .string("renamed"))
        XCTAssertNil(updated["secret_key"])
        for prop in ["application_id", "user_id", "expires_at"] {
            XCTAssertEqual(IamApiKeyResource.schema.prop(prop)?.change, .replace, "\(prop) replaces the key")
        }
        XCTAssertEqual(IamApiKeyResource.schema.output("secret_key")?.sensitive, true)
    }

    func testAKeyOfAnInterruptedCreateIsReportedForReplacement() async throws {
        let app = try await application()
        let provider = IamApiKeyResource(env: cloud.env)
        let ctx = cloud.context("IamApiKey", "ci")
        let (created, inputs) = try await cloud.create(provider, ["application_id": .string(app)], context: ctx)
        _ = try await cloud.create(provider, ["application_id": .string(app)], context: cloud.context("IamApiKey", "other"))
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        XCTAssertNotNil(found.first?.replaceReason)
        XCTAssertNil(found.first?.outputs["secret_key"])
    }

    func testALostCreateAnswerDeletesWhatItMadeAndCreatesAgain() async throws {
        let lossy = try ComputeEmulator(wrap: { inner in
            LosingTransport(inner) { $0.method == "POST" && $0.url.hasSuffix("/iam/v1alpha1/api-keys") }
        })
        defer { lossy.stop() }
        let app = try await lossy.create(IamApplicationResource(env: lossy.env), [:], context: lossy.context("IamApplication", "ci")).0.id
        let provider = IamApiKeyResource(env: lossy.env)
        let (created, _) = try await lossy.create(provider, ["application_id": .string(app)], context: lossy.context("IamApiKey", "ci"))
        XCTAssertNotNil(created.outputs["secret_key"], "a secret we hold")
        let keys = try await IAMAPI(client: lossy.env.client).listAPIKeys(applicationID: app)
        XCTAssertEqual(keys.map(\.accessKey), [created.id], "the key whose answer was lost is gone")
    }

    func testPolicyPrincipalsPermissionSetsAndRules() async throws {
        let app = try await application()
        let provider = IamPolicyResource(env: cloud.env)
        let ctx = cloud.context("IamPolicy", "ci")
        let project = ScalewayConfig.localProjectID
        func rule(_ names: [String], projects: [String]? = nil, org: String? = nil) -> Value {
            var m: [String: Value] = ["permission_set_names": .list(names.map(Value.string))]
            if let projects { m["project_ids"] = .list(projects.map(Value.string)) }
            if let org { m["organization_id"] = .string(org) }
            return .map(m)
        }
        let rules: Value = .list([rule(["ObjectStorageFullAccess"], projects: [project])])
        await assertDiagnostic(["exactly one principal"]) { _ = try provider.normalize(["rules": rules], context: ctx) }
        await assertDiagnostic(["exactly one principal", "application_id and user_id"]) {
            _ = try provider.normalize(["rules": rules, "application_id": .string(app), "user_id": .string(project)], context: ctx)
        }
        await assertDiagnostic(["exactly one of project_ids and organization_id"]) {
            _ = try provider.normalize(["application_id": .string(app), "rules": .list([rule(["IAMManager"], projects: [project], org: project)])], context: ctx)
        }
        let typo = try provider.normalize(["application_id": .string(app), "rules": .list([rule(["ObjectStorageFulAccess"], projects: [project])])], context: ctx)
        await assertDiagnostic(["unknown permission set 'ObjectStorageFulAccess'", "did you mean 'ObjectStorageFullAccess'"]) {
            try await provider.validate(typo, context: ctx)
        }
        let scope = try provider.normalize(["application_id": .string(app), "rules": .list([rule(["IAMManager"], projects: [project])])], context: ctx)
        await assertDiagnostic(["organization only"]) { try await provider.validate(scope, context: ctx) }

        let two: Value = .list([rule(["InstancesReadOnly", "ObjectStorageFullAccess"], projects: [project]), rule(["IAMManager"], org: project)])
        let props: [String: Value] = ["application_id": .string(app), "rules": two]
        let inputs = try provider.normalize(props, context: ctx)
        try await provider.validate(inputs, context: ctx)
        let created = try await provider.create(inputs, context: ctx)
        let stored = try await iam.listRules(policyID: created.id)
        XCTAssertEqual(stored.count, 2)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let reordered = try provider.normalize(["application_id": .string(app),
                                                "rules": .list([rule(["IAMManager"], org: project), rule(["ObjectStorageFullAccess", "InstancesReadOnly"], projects: [project])])], context: ctx)
        XCTAssertEqual(reordered["rules"], inputs["rules"], "rules are a set")

        _ = try await cloud.env.client.call("POST", "/__emulator/stats/reset")
        let fewer = try provider.normalize(["application_id": .string(app), "rules": .list([rule(["IAMManager"], org: project)])], context: ctx)
        _ = try await provider.update(id: created.id, from: inputs, to: fewer, context: ctx)
        let stats = try await cloud.env.client.call("GET", "/__emulator/stats")
        XCTAssertEqual(stats["by_method"]?["PUT"], .int(1))
        XCTAssertNil(stats["by_method"]?["PATCH"], "nothing but the rules changed")
        let awaited1 = try await iam.listRules(policyID: created.id).count
        XCTAssertEqual(awaited1, 1)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: fewer, context: ctx)
        let awaited2 = try await provider.find(inputs: fewer, context: ctx).map(\.id)
        XCTAssertEqual(awaited2, [created.id])
        try await provider.delete(id: created.id, inputs: fewer, context: ctx)
        let awaited3 = try await cloud.resources(kind: "iam_policy").count
        XCTAssertEqual(awaited3, 0)
    }

    static let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICJEoOOgQBLJPs4g/XcPTKT82NywNPpxeuA20FlOPlpO"

    func testSSHKeysAreCheckedAndTheirCommentIsNoChange() async throws {
        let provider = IamSshKeyResource(env: cloud.env)
        let ctx = cloud.context("IamSshKey", "laptop")
        for bad in ["ssh-ed25519", "ssh-dss AAAAB3NzaC1kc3MAAACBAP", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICJEoOOgQBLJPs4g/XcPTKT82NywNPpxeuA20FlOPlpO",
                    "ssh-ed25519 not*base64"] {
            await assertDiagnostic(["public_key"]) { _ = try provider.normalize(["public_key": .string(bad)], context: ctx) }
        }
        let (created, inputs) = try await cloud.create(provider, ["public_key": .string(Self.key + " me@laptop\n"), "disabled": .bool(true)], context: ctx)
        XCTAssertEqual(inputs["public_key"], .string(Self.key + " me@laptop"), "trailing newline trimmed")
        XCTAssertEqual(created.outputs["public_key"], .string(Self.key), "the API drops the comment")
        XCTAssertEqual(created.outputs["disabled"], .bool(true))
        XCTAssertEqual(created.outputs["fingerprint"], .string("256 MD5:6b:cd:72:8a:ae:45:24:4b:2b:72:f6:d0:6a:8d:16:06 (ssh-ed25519)"))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let enabled = try provider.normalize(["public_key": .string(Self.key + " me@laptop"), "disabled": .bool(false)], context: ctx)
        let awaited4 = try await provider.update(id: created.id, from: inputs, to: enabled, context: ctx)["disabled"]
        XCTAssertEqual(awaited4, .bool(false))
        let awaited5 = try await provider.find(inputs: enabled, context: ctx).map(\.id)
        XCTAssertEqual(awaited5, [created.id], "found by its key")
        try await provider.delete(id: created.id, inputs: enabled, context: ctx)
        let awaited6 = try await cloud.resources(kind: "iam_ssh_key").count
        XCTAssertEqual(awaited6, 0)
    }
}

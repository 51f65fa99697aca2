// IAMCassetteTests: every recorded IAM body decodes (applications, API keys with the secret
// only at creation, SSH keys, errors), and replaying the cassettes through IAMAPI sends exactly
// the recorded method, path and JSON body.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class IAMCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        let files = try Cassettes.files(prefix: "iam-")
        XCTAssertEqual(files.count, 4)
        var decoded = 0
        for file in files {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                defer { decoded += 1 }
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertTrue(e.isNotFound, context)
                    let resource = x.path.contains("/api-keys/") ? "access_key" : x.path.contains("/ssh-keys/") ? "ssh_key" : "application"
                    XCTAssertEqual(e.kind, .notFound(resource: resource, resourceID: x.responseBody["resource_id"]?.stringValue), context)
                    continue
                }
                if x.responseBody == .null { XCTAssertEqual(x.status, 204, context); continue }
                if x.path.contains("/api-keys") {
                    let key = try IAMAPIKey(json: x.responseBody)
                    XCTAssertTrue(key.accessKey.hasPrefix("SCW"), context)
                    XCTAssertEqual(key.secretKey != nil, x.method == "POST", "\(context): the secret is only in the create answer")
                    XCTAssertNil(key.raw["secret_key"], context)
                    XCTAssertNotNil(key.applicationID, context)
                } else if x.path.contains("/ssh-keys") {
                    let key = try IAMSSHKey(json: x.responseBody)
                    XCTAssertTrue(key.publicKey.hasPrefix("ssh-ed25519 "), context)
                    XCTAssertFalse(key.publicKey.contains("@"), "\(context): the comment is dropped")
                    XCTAssertTrue(key.fingerprint.hasSuffix("(ssh-ed25519)"), context)
                } else {
                    let app = try IAMApplication(json: x.responseBody)
                    XCTAssertEqual(app.organizationID, "105bdce1-64c0-48ab-899d-868455867ecf", context)
                }
            }
        }
        XCTAssertEqual(decoded, 15 + 19 + 12 + 16)
    }

    func testReplayingThroughIAMAPISendsTheRecordedRequests() async throws {
        for file in try Cassettes.files(prefix: "iam-") {
            let interactions = try Cassettes.load(file)
            let transport = ReplayTransport(interactions)
            let api = IAMAPI(client: .testing(transport, retry: .none))
            for x in interactions {
                do {
                    try await drive(api, x)
                    XCTAssertLessThan(x.status, 400, "\(x.method) \(x.path) should have failed")
                } catch let e as APIError {
                    XCTAssertEqual(e.status, x.status)
                    XCTAssertTrue(e.isNotFound)
                }
            }
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

    /// Calls the IAMAPI method matching a recorded interaction, with the recorded inputs.
    private func drive(_ api: IAMAPI, _ x: Interaction) async throws {
        let parts = x.path.split(separator: "/").map(String.init)   // iam v1alpha1 <collection> [id]
        let collection = parts[2]
        let id = parts.count > 3 ? parts[3] : nil
        let b = x.requestBody
        switch (x.method, collection, id) {
        case ("POST", "applications", nil):
            _ = try await api.createApplication(name: b["name"]!.stringValue!, organizationID: b["organization_id"]!.stringValue!,
                                                description: b["description"]?.stringValue ?? "", tags: b["tags"]?.listValue?.compactMap(\.stringValue) ?? [])
        case ("GET", "applications", let id?): _ = try await api.getApplication(id: id)
        case ("DELETE", "applications", let id?): try await api.deleteApplication(id: id)
        case ("POST", "api-keys", nil):
            _ = try await api.createAPIKey(applicationID: b["application_id"]?.stringValue, userID: b["user_id"]?.stringValue,
                                           description: b["description"]?.stringValue ?? "", expiresAt: b["expires_at"]?.stringValue,
                                           defaultProjectID: b["default_project_id"]?.stringValue)
        case ("GET", "api-keys", let id?): _ = try await api.getAPIKey(accessKey: id)
        case ("PATCH", "api-keys", let id?): _ = try await api.updateAPIKey(accessKey: id, description: b["description"]?.stringValue)
        case ("DELETE", "api-keys", let id?): try await api.deleteAPIKey(accessKey: id)
        case ("POST", "ssh-keys", nil):
            _ = try await api.createSSHKey(name: b["name"]!.stringValue!, publicKey: b["public_key"]!.stringValue!, projectID: b["project_id"]!.stringValue!)
        case ("GET", "ssh-keys", let id?): _ = try await api.getSSHKey(id: id)
        case ("PATCH", "ssh-keys", let id?): _ = try await api.updateSSHKey(id: id, name: b["name"]?.stringValue, disabled: b["disabled"]?.boolValue)
        case ("DELETE", "ssh-keys", let id?): try await api.deleteSSHKey(id: id)
        default: XCTFail("no IAMAPI call for \(x.method) \(x.path)")
        }
    }

    func testPolicyAndRuleBodies() {
        let body = IAMAPI.createPolicyBody(name: "ci", description: "", organizationID: "o", tags: [], principal: .application("a"),
                                           rules: [IAMRuleSpec(permissionSetNames: ["ObjectStorageFullAccess"], projectIDs: ["p"])])
        XCTAssertEqual(JSON.encode(body),
                       #"{"application_id":"a","description":"","name":"ci","organization_id":"o","rules":[{"permission_set_names":["ObjectStorageFullAccess"],"project_ids":["p"]}],"tags":[]}"#)
        XCTAssertEqual(JSON.encode(IAMAPI.updatePolicyBody(name: nil, description: nil, tags: nil, principal: IAMPrincipal.none)), #"{"no_principal":true}"#)
        let rule = try? IAMRule(json: .map(["id": .string("r"), "permission_set_names": .list([.string("IAMManager")]), "organization_id": .string("o")]))
        XCTAssertEqual(rule?.spec, IAMRuleSpec(permissionSetNames: ["IAMManager"], organizationID: "o"))
    }
}

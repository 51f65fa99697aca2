// IAM emulator behaviour beyond the recordings: API keys sign S3 requests until deleted or
// expired, the key pair the emulator was started with, bearer and expiry checks, policies
// (one principal, known permission sets, scopes, rules replaced by PUT), SSH key validation,
// users and permission sets.

import Foundation
import XCTest
@testable import ScwEmulator

final class IAMServiceTests: XCTestCase {
    static let rsaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0Rxiakfr/GgG8MUh6s33f5AQ747737WcTxSG9Jwo5ARqynTcpByk57JfHaSAHHVpKFCW9LurT3LPcbklIWBlqqnXXxdpZC4N+a7CPbwYuHYwa+k+WisnwRgeavU9F9//pczS2hZjjwW6d3BlKnBODRbWWfLEFIqqU/qCVoKScoXNyrhaoZSL4ZnshkIGFuGwOGcLHyV9SvvNWUf3cyttNPcLMfFCBWX/PHUtk+/XGjECfuC+xxrGLiVqeTlKwW7XVqZOfjnjPXoKS9wySIHXagV5EwECqm3uqMbJUWZjxKgnyY4no4433FjXJbKVWFR8C+w3aZuoM764VnX0bYiPB me@host"
    static let ecdsaKey = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBQRFPUw6Pd6efaIXt0I/xXQzq54/PrHQPBPxhY6KewiM8jzA1VMdUzLrqeEXF21lPSKBDqHiswHzejMyKTcOnI="
    static let ed25519Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICJEoOOgQBLJPs4g/XcPTKT82NywNPpxeuA20FlOPlpO"

    private func application(_ h: EmulatorHarness, _ name: String = "app") throws -> String {
        try XCTUnwrap(h.expect(200, "POST", "/iam/v1alpha1/applications", #"{"name":"\#(name)"}"#)["id"]?.stringValue)
    }

    private func s3(_ h: EmulatorHarness, access: String, secret: String) throws -> S3TestClient {
        let client = try S3TestClient(port: h.port)
        client.signer.accessKey = access
        client.signer.secret = secret
        return client
    }

    func testAnAPIKeySignsS3RequestsUntilItIsDeleted() throws {
        let h = try EmulatorHarness()
        let app = try application(h)
        let key = try h.expect(200, "POST", "/iam/v1alpha1/api-keys", #"{"application_id":"\#(app)","description":"ci"}"#)
        let access = try XCTUnwrap(key["access_key"]?.stringValue)
        let secret = try XCTUnwrap(key["secret_key"]?.stringValue)
        XCTAssertTrue(access.hasPrefix("SCW") && access.count == 20, access)
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/api-keys/\(access)")["secret_key"], .null, "shown once")
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/applications/\(app)")["nb_api_keys"], .int(1))

        let client = try s3(h, access: access, secret: secret)
        try client.expect(200, "PUT", "/team-bucket")
        try client.expect(200, "PUT", "/team-bucket/a.txt", body: "a")
        client.signer.secret = Clock.uuid()
        XCTAssertEqual(try client.send("GET", "/team-bucket/a.txt").s3Code, "SignatureDoesNotMatch")

        try h.expect(204, "DELETE", "/iam/v1alpha1/api-keys/\(access)")
        client.signer.secret = secret
        let refused = try client.send("GET", "/team-bucket/a.txt")
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(refused.s3Code, "InvalidAccessKeyId")
    }

    func testAnExpiredKeyIsRefusedAndAnExpiryMustBeAhead() throws {
        let h = try EmulatorHarness()
        let app = try application(h)
        let past = Clock.timestamp(Date().addingTimeInterval(-60))
        let bad = try h.call("POST", "/iam/v1alpha1/api-keys", #"{"application_id":"\#(app)","expires_at":"\#(past)"}"#)
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(bad.json?["details"]?.arrayValue?.first?["argument_name"], .string("expires_at"))
        let soon = Clock.timestamp(Date().addingTimeInterval(1.5))
        let key = try h.expect(200, "POST", "/iam/v1alpha1/api-keys", #"{"application_id":"\#(app)","expires_at":"\#(soon)"}"#)
        let client = try s3(h, access: key["access_key"]!.stringValue!, secret: key["secret_key"]!.stringValue!)
        try client.expect(200, "PUT", "/expiring")
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(try client.send("GET", "/expiring").s3Code, "InvalidAccessKeyId")
        let listed = try h.expect(200, "GET", "/iam/v1alpha1/api-keys?expired=true")
        XCTAssertEqual(listed["total_count"], .int(1))
    }

    func testTheKeyPairTheEmulatorWasStartedWithIsAccepted() throws {
        let h = try EmulatorHarness { $0.credentials = ["SCWREALUSERKEY000000": "5f0c1d1e-0000-4000-8000-000000000001"] }
        let client = try s3(h, access: "SCWREALUSERKEY000000", secret: "5f0c1d1e-0000-4000-8000-000000000001")
        try client.expect(200, "PUT", "/mine")
        client.signer.accessKey = "SCWOTHERKEY000000000"
        XCTAssertEqual(try client.send("GET", "/mine").s3Code, "InvalidAccessKeyId")
        let local = try S3TestClient(port: h.port)
        try local.expect(200, "GET", "/mine")   // the local pair still works
    }

    func testBearersAndApplicationDeletion() throws {
        let h = try EmulatorHarness()
        let app = try application(h)
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/api-keys", #"{"description":"none"}"#).status, 400)
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/api-keys",
                                  #"{"application_id":"\#(app)","user_id":"\#(IAMService.ownerID)"}"#).status, 400)
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/api-keys", #"{"user_id":"\#(Clock.uuid())"}"#).status, 404)
        let userKey = try h.expect(200, "POST", "/iam/v1alpha1/api-keys", #"{"user_id":"\#(IAMService.ownerID)"}"#)
        XCTAssertEqual(userKey["user_id"], .string(IAMService.ownerID))
        try h.expect(200, "POST", "/iam/v1alpha1/api-keys", #"{"application_id":"\#(app)","description":"x [scwlua:urn=K/a]"}"#)
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/api-keys?description=scwlua:urn%3DK/a")["total_count"], .int(1))
        try h.expect(204, "DELETE", "/iam/v1alpha1/applications/\(app)")
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/api-keys?application_id=\(app)")["total_count"], .int(0), "keys go with the app")
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/users")["users"]?.arrayValue?.first?["id"], .string(IAMService.ownerID))
    }

    func testPoliciesNeedOnePrincipalAndKnownPermissionSets() throws {
        let h = try EmulatorHarness()
        let app = try application(h)
        let project = ServiceContext.emulatorProjectID
        let rules = #"[{"permission_set_names":["ObjectStorageFullAccess"],"project_ids":["\#(project)"]}]"#
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/policies", #"{"name":"p","rules":\#(rules)}"#).status, 400, "no principal")
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/policies",
                                  #"{"name":"p","rules":\#(rules),"application_id":"\#(app)","no_principal":true}"#).status, 400)
        let unknown = try h.call("POST", "/iam/v1alpha1/policies",
                                 #"{"application_id":"\#(app)","rules":[{"permission_set_names":["ObjectStorageFulAccess"],"project_ids":["\#(project)"]}]}"#)
        XCTAssertEqual(unknown.status, 400)
        XCTAssertTrue(unknown.text.contains("unknown permission set"), unknown.text)
        let wrongScope = try h.call("POST", "/iam/v1alpha1/policies",
                                    #"{"application_id":"\#(app)","rules":[{"permission_set_names":["IAMManager"],"project_ids":["\#(project)"]}]}"#)
        XCTAssertEqual(wrongScope.status, 400, wrongScope.text)
        let bothScopes = try h.call("POST", "/iam/v1alpha1/policies",
                                    #"{"application_id":"\#(app)","rules":[{"permission_set_names":["IAMManager"],"project_ids":["\#(project)"],"organization_id":"\#(project)"}]}"#)
        XCTAssertEqual(bothScopes.status, 400, bothScopes.text)

        let policy = try h.expect(200, "POST", "/iam/v1alpha1/policies", #"{"name":"ci","application_id":"\#(app)","rules":\#(rules),"tags":["t"]}"#)
        let id = try XCTUnwrap(policy["id"]?.stringValue)
        XCTAssertEqual(policy["application_id"], .string(app))
        XCTAssertEqual(policy["nb_rules"], .int(1))
        XCTAssertNil(policy["user_id"])
        let set = try h.expect(200, "PUT", "/iam/v1alpha1/rules", #"{"policy_id":"\#(id)","rules":[{"permission_set_names":["IAMManager","InstancesReadOnly"],"organization_id":"\#(project)"},{"permission_set_names":["InstancesFullAccess"],"project_ids":["\#(project)"]}]}"#)
        XCTAssertEqual(set["rules"]?.arrayValue?.count, 2)
        let listed = try h.expect(200, "GET", "/iam/v1alpha1/rules?policy_id=\(id)")
        XCTAssertEqual(listed["total_count"], .int(2))
        XCTAssertEqual(listed["rules"]?.arrayValue?.first?["permission_sets_scope_type"], .string("organization"))
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/policies/\(id)")["nb_permission_sets"], .int(3))
        let moved = try h.expect(200, "PATCH", "/iam/v1alpha1/policies/\(id)", #"{"no_principal":true}"#)
        XCTAssertEqual(moved["no_principal"], .bool(true))
        XCTAssertNil(moved["application_id"])
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/policies?tag=t")["total_count"], .int(1))
        try h.expect(204, "DELETE", "/iam/v1alpha1/policies/\(id)")
        XCTAssertEqual(try h.call("GET", "/iam/v1alpha1/rules?policy_id=\(id)").status, 404)
        let sets = try h.expect(200, "GET", "/iam/v1alpha1/permission-sets?page_size=100")
        XCTAssertTrue(sets["permission_sets"]?.arrayValue?.contains { $0["name"] == .string("ObjectStorageFullAccess") } ?? false)
    }

    func testSSHKeysAreValidatedStrippedAndUniquePerProject() throws {
        let h = try EmulatorHarness()
        let rsa = try h.expect(200, "POST", "/iam/v1alpha1/ssh-keys", #"{"name":"rsa","public_key":"\#(Self.rsaKey)\n"}"#)
        XCTAssertEqual(rsa["public_key"]?.stringValue, String(Self.rsaKey.dropLast(" me@host".count)))
        XCTAssertEqual(rsa["fingerprint"], .string("2048 MD5:5e:3f:f7:38:93:0f:82:7d:c4:eb:ec:76:3c:12:30:4f (ssh-rsa)"))
        let ec = try h.expect(200, "POST", "/iam/v1alpha1/ssh-keys", #"{"name":"ec","public_key":"\#(Self.ecdsaKey)"}"#)
        XCTAssertEqual(ec["fingerprint"], .string("256 MD5:48:d3:4e:60:f0:42:70:be:f2:df:68:f9:50:93:53:02 (ecdsa-sha2-nistp256)"))
        XCTAssertEqual(try h.call("POST", "/iam/v1alpha1/ssh-keys", #"{"public_key":"\#(Self.rsaKey)"}"#).status, 409, "same key twice")
        for bad in ["ssh-ed25519", "ssh-ed25519 !!!notbase64", "ssh-foo AAAA", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICJEoOOgQBLJPs4g/XcPTKT82NywNPpxeuA20FlOPlpO"] {
            let r = try h.call("POST", "/iam/v1alpha1/ssh-keys", #"{"public_key":"\#(bad)"}"#)
            XCTAssertEqual(r.status, 400, "\(bad): \(r.text)")
            XCTAssertEqual(r.json?["details"]?.arrayValue?.first?["argument_name"], .string("public_key"))
        }
        let id = try XCTUnwrap(ec["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "PATCH", "/iam/v1alpha1/ssh-keys/\(id)", #"{"disabled":true}"#)["disabled"], .bool(true))
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/ssh-keys?disabled=true")["total_count"], .int(1))
        XCTAssertEqual(try h.expect(200, "GET", "/iam/v1alpha1/ssh-keys?page_size=1&page=2")["ssh_keys"]?.arrayValue?.count, 1)
    }
}

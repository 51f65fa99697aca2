// S3 bucket operations round trip: create (names, location constraint, conflicts), head, delete,
// ListBuckets, location, ACL, versioning, tagging, CORS, lifecycle, object lock; the control API's
// bucket listing and reset, persistence through the data file, and injected faults in S3's words.

import Foundation
import XCTest
@testable import ScwEmulator

final class S3BucketTests: XCTestCase {
    func testCreateHeadDeleteAndNames() throws {
        let h = try EmulatorHarness()
        let c = try S3TestClient(port: h.port)
        for bad in ["ab", "Upper-case", "a..b", "192.168.1.1", "-dash", "dash-", "under_score", String(repeating: "a", count: 64)] {
            let r = try c.send("PUT", "/\(bad)")
            XCTAssertEqual(r.status, 400, bad)
            XCTAssertEqual(r.s3Code, "InvalidBucketName", bad)
        }
        let created = try c.expect(200, "PUT", "/my-bucket.v1")
        XCTAssertEqual(created.header("Location"), "/my-bucket.v1")
        XCTAssertTrue(created.body.isEmpty)
        let again = try c.send("PUT", "/my-bucket.v1")
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(again.s3Code, "BucketAlreadyOwnedByYou")
        let head = try c.expect(200, "HEAD", "/my-bucket.v1")
        XCTAssertEqual(head.header("x-amz-bucket-region"), "fr-par")
        XCTAssertEqual(try c.send("HEAD", "/missing-bucket").status, 404)
        let missing = try c.send("GET", "/missing-bucket", query: [("tagging", "")])
        XCTAssertEqual(missing.s3Code, "NoSuchBucket")
        XCTAssertEqual(missing.xml?.value("Resource"), "/missing-bucket")
        XCTAssertEqual(missing.xml.map { $0.children.prefix(5).map(\.name) }, ["Code", "Message", "RequestId", "HostId", "Resource"])

        // regions: the credential scope's, or a matching LocationConstraint
        c.signer.region = "nl-ams"
        let config = { (region: String) in
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
        }
        try c.expect(200, "PUT", "/ams-bucket", body: config("nl-ams"))
        XCTAssertEqual(try c.send("PUT", "/ams-bucket2", body: Array(config("fr-par").utf8)).s3Code, "IllegalLocationConstraintException")
        XCTAssertEqual(try c.send("PUT", "/ams-bucket2", body: Array(config("mars-1").utf8)).s3Code, "InvalidLocationConstraint")
        XCTAssertEqual(try c.expect(200, "GET", "/ams-bucket", query: [("location", "")]).xml?.text, "nl-ams")
        XCTAssertEqual(try c.expect(200, "HEAD", "/ams-bucket").header("x-amz-bucket-region"), "nl-ams")
        c.signer.region = "fr-par"
        XCTAssertEqual(try c.send("HEAD", "/ams-bucket").status, 301)
        let names = try c.expect(200, "GET", "/").xml?.child("Buckets")?.all("Bucket").compactMap { $0.value("Name") }
        XCTAssertEqual(names, ["my-bucket.v1", "ams-bucket"])

        try c.expect(204, "DELETE", "/my-bucket.v1")
        XCTAssertEqual(try c.send("DELETE", "/my-bucket.v1").s3Code, "NoSuchBucket")
        XCTAssertEqual(try c.send("POST", "/ams-bucket").status, 405)
        XCTAssertEqual(try c.send("GET", "/ams-bucket", query: [("policy", "")]).status, 501)
    }

    func testACL() throws {
        let h = try EmulatorHarness()
        let c = try S3TestClient(port: h.port)
        try c.expect(200, "PUT", "/acl-bucket", headers: [("x-amz-acl", "authenticated-read")])
        func grants() throws -> [String] {
            let policy = try c.expect(200, "GET", "/acl-bucket", query: [("acl", "")])
            XCTAssertEqual(policy.header("Content-Type"), "text/xml; charset=utf-8")
            return policy.xml?.child("AccessControlList")?.all("Grant").map { g in
                let grantee = g.child("Grantee")
                return "\(grantee?.attribute("type") ?? "?"):\(grantee?.value("URI") ?? grantee?.value("ID") ?? "?"):\(g.value("Permission") ?? "?")"
            } ?? []
        }
        let owner = "\(ServiceContext.emulatorProjectID):\(ServiceContext.emulatorProjectID)"
        XCTAssertEqual(try grants(), ["CanonicalUser:\(owner):FULL_CONTROL", "Group:\(S3Grant.authenticatedUsers):READ"])
        try c.expect(200, "PUT", "/acl-bucket", query: [("acl", "")], headers: [("x-amz-acl", "public-read-write")])
        XCTAssertEqual(try grants(), ["CanonicalUser:\(owner):FULL_CONTROL", "Group:\(S3Grant.allUsers):READ", "Group:\(S3Grant.allUsers):WRITE"])
        let bad = try c.send("PUT", "/acl-bucket", query: [("acl", "")], headers: [("x-amz-acl", "everyone")])
        XCTAssertEqual(bad.s3Code, "InvalidArgument")
        let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
        let policy = "<AccessControlPolicy><Owner><ID>\(owner)</ID></Owner><AccessControlList>"
            + "<Grant><Grantee \(xsi) xsi:type=\"CanonicalUser\"><ID>\(owner)</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
            + "<Grant><Grantee \(xsi) xsi:type=\"Group\"><URI>\(S3Grant.allUsers)</URI></Grantee><Permission>READ_ACP</Permission></Grant>"
            + "</AccessControlList></AccessControlPolicy>"
        try c.expect(200, "PUT", "/acl-bucket", query: [("acl", "")], body: policy)
        XCTAssertEqual(try grants(), ["CanonicalUser:\(owner):FULL_CONTROL", "Group:\(S3Grant.allUsers):READ_ACP"])
        let wrong = try c.send("PUT", "/acl-bucket", query: [("acl", "")], body: Array(policy.replacingOccurrences(of: "READ_ACP", with: "EVERYTHING").utf8))
        XCTAssertEqual(wrong.s3Code, "MalformedACLError")
        XCTAssertEqual(try c.send("PUT", "/acl-bucket", query: [("acl", "")]).s3Code, "MalformedACLError")
    }

    func testVersioningTaggingCORSLifecycleObjectLock() throws {
        let h = try EmulatorHarness()
        let c = try S3TestClient(port: h.port)
        try c.expect(200, "PUT", "/conf-bucket")
        let b = "/conf-bucket"
        // versioning
        XCTAssertEqual(try c.expect(200, "GET", b, query: [("versioning", "")]).text,
                       XMLText.prolog + "<VersioningConfiguration><Status></Status></VersioningConfiguration>")
        for status in ["Enabled", "Suspended"] {
            try c.expect(200, "PUT", b, query: [("versioning", "")], body: "<VersioningConfiguration><Status>\(status)</Status></VersioningConfiguration>")
            let v = try c.expect(200, "GET", b, query: [("versioning", "")]).xml
            XCTAssertEqual(v?.value("Status"), status)
            XCTAssertEqual(v?.attribute("xmlns"), XMLText.namespace)
        }
        XCTAssertEqual(try c.send("PUT", b, query: [("versioning", "")], body: Array("<VersioningConfiguration><Status>On</Status></VersioningConfiguration>".utf8)).s3Code, "MalformedXML")
        XCTAssertEqual(try c.send("PUT", b, query: [("versioning", "")], body: Array("<VersioningConfiguration>".utf8)).s3Code, "MalformedXML")

        // tagging
        XCTAssertEqual(try c.send("GET", b, query: [("tagging", "")]).s3Code, "NoSuchTagSet")
        try c.expect(200, "PUT", b, query: [("tagging", "")],
                     body: "<Tagging><TagSet><Tag><Key>env</Key><Value>prod &amp; co</Value></Tag><Tag><Key>team</Key><Value></Value></Tag></TagSet></Tagging>")
        let tags = try c.expect(200, "GET", b, query: [("tagging", "")]).xml?.child("TagSet")?.all("Tag").map { "\($0.value("Key")!)=\($0.value("Value")!)" }
        XCTAssertEqual(tags, ["env=prod & co", "team="])
        let listed = try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue?.first
        XCTAssertEqual(listed?["tags"], .array([.string("env=prod & co"), .string("team=")]))
        let dup = try c.send("PUT", b, query: [("tagging", "")], body: Array("<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>".utf8))
        XCTAssertEqual(dup.s3Code, "InvalidTag")
        try c.expect(204, "DELETE", b, query: [("tagging", "")])
        XCTAssertEqual(try c.send("GET", b, query: [("tagging", "")]).status, 404)

        // CORS
        XCTAssertEqual(try c.send("GET", b, query: [("cors", "")]).s3Code, "NoSuchCORSConfiguration")
        let rule = "<CORSRule><AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://example.com</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>"
        try c.expect(200, "PUT", b, query: [("cors", "")], body: "<CORSConfiguration xmlns=\"\(XMLText.namespace)\">\n  \(rule)\n</CORSConfiguration>")
        XCTAssertEqual(try c.expect(200, "GET", b, query: [("cors", "")]).text,
                       XMLText.prolog + "<CORSConfiguration xmlns=\"\(XMLText.namespace)\">\(rule)</CORSConfiguration>")
        let badCORS = try c.send("PUT", b, query: [("cors", "")], body: Array("<CORSConfiguration>\(rule.replacingOccurrences(of: ">PUT<", with: ">PATCH<"))</CORSConfiguration>".utf8))
        XCTAssertEqual(badCORS.s3Code, "InvalidRequest")
        try c.expect(204, "DELETE", b, query: [("cors", "")])
        XCTAssertEqual(try c.send("GET", b, query: [("cors", "")]).status, 404)

        // lifecycle
        XCTAssertEqual(try c.send("GET", b, query: [("lifecycle", "")]).s3Code, "NoSuchLifecycleConfiguration")
        let lifecycle = "<Rule><ID>expire-logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule>"
        try c.expect(200, "PUT", b, query: [("lifecycle", "")], body: "<LifecycleConfiguration>\(lifecycle)</LifecycleConfiguration>")
        XCTAssertEqual(try c.expect(200, "GET", b, query: [("lifecycle", "")]).xml?.children.map { $0.rendered() }, [lifecycle])
        for broken in [lifecycle.replacingOccurrences(of: "Enabled", with: "On"), lifecycle.replacingOccurrences(of: "<Days>30</Days>", with: "<Days>0</Days>"),
                       lifecycle.replacingOccurrences(of: "<Expiration><Days>30</Days></Expiration>", with: "")] {
            XCTAssertEqual(try c.send("PUT", b, query: [("lifecycle", "")], body: Array("<LifecycleConfiguration>\(broken)</LifecycleConfiguration>".utf8)).status, 400, broken)
        }
        try c.expect(204, "DELETE", b, query: [("lifecycle", "")])
        XCTAssertEqual(try c.send("GET", b, query: [("lifecycle", "")]).status, 404)

        // object lock
        XCTAssertEqual(try c.send("GET", b, query: [("object-lock", "")]).s3Code, "ObjectLockConfigurationNotFoundError")
        let lockRule = "<Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule>"
        XCTAssertEqual(try c.send("PUT", b, query: [("object-lock", "")], body: Array("<ObjectLockConfiguration>\(lockRule)</ObjectLockConfiguration>".utf8)).s3Code,
                       "InvalidBucketState")
        try c.expect(200, "PUT", "/locked-bucket", headers: [("x-amz-bucket-object-lock-enabled", "true")])
        XCTAssertEqual(try c.expect(200, "GET", "/locked-bucket", query: [("versioning", "")]).xml?.value("Status"), "Enabled")
        try c.expect(200, "PUT", "/locked-bucket", query: [("object-lock", "")], body: "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>\(lockRule)</ObjectLockConfiguration>")
        let lock = try c.expect(200, "GET", "/locked-bucket", query: [("object-lock", "")]).xml
        XCTAssertEqual(lock?.value("ObjectLockEnabled"), "Enabled")
        XCTAssertEqual(lock?.child("Rule")?.rendered(), lockRule)
        XCTAssertEqual(try c.send("PUT", "/locked-bucket", query: [("versioning", "")], body: Array("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>".utf8)).status, 409)
    }

    func testResourcesResetPersistenceAndFaults() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scw-emu-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("cloud.json").path
        let binary = (0..<256).map { UInt8($0) }
        var firstVersion = ""
        do {
            let h = try EmulatorHarness { $0.dataFile = file }
            let c = try S3TestClient(port: h.port)
            try c.expect(200, "PUT", "/kept-bucket")
            try c.expect(200, "PUT", "/kept-bucket", query: [("versioning", "")], body: "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>")
            try c.expect(200, "PUT", "/kept-bucket", query: [("tagging", "")], body: "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>")
            firstVersion = try XCTUnwrap(try c.send("PUT", "/kept-bucket/bin", body: binary).header("x-amz-version-id"))
            try c.expect(200, "PUT", "/kept-bucket/text", body: "text")
        }
        let h = try EmulatorHarness { $0.dataFile = file }
        let c = try S3TestClient(port: h.port)
        let resources = try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue ?? []
        XCTAssertEqual(resources.count, 1)
        XCTAssertEqual(resources.first?["kind"], .string("bucket"))
        XCTAssertEqual(resources.first?["id"], .string("kept-bucket"))
        XCTAssertEqual(resources.first?["region"], .string("fr-par"))
        XCTAssertEqual(resources.first?["tags"], .array([.string("k=v")]))
        XCTAssertEqual(resources.first?["object_count"], .int(2))
        XCTAssertEqual(try c.expect(200, "GET", "/kept-bucket/bin").body, binary)
        XCTAssertEqual(try c.expect(200, "GET", "/kept-bucket/bin", query: [("versionId", firstVersion)]).body, binary)
        let next = try XCTUnwrap(try c.send("PUT", "/kept-bucket/bin", body: [1]).header("x-amz-version-id"))
        XCTAssertGreaterThan(Int(next) ?? 0, Int(firstVersion) ?? 0, "version ids keep growing after a restart")
        XCTAssertEqual(try c.expect(200, "GET", "/kept-bucket", query: [("tagging", "")]).xml?.child("TagSet")?.child("Tag")?.value("Key"), "k")

        h.emulator.setFaults(try FaultRates(parsing: "429:1"))
        let throttled = try c.send("GET", "/kept-bucket")
        XCTAssertEqual(throttled.status, 503, "an injected 429 is S3's 503 SlowDown")
        XCTAssertEqual(throttled.s3Code, "SlowDown")
        XCTAssertEqual(try h.call("GET", "/vpc/v2/regions/fr-par/vpcs").status, 429, "JSON APIs keep their 429")
        h.emulator.setFaults(try FaultRates(parsing: "502:1"))
        XCTAssertEqual(try c.send("GET", "/kept-bucket").s3Code, "BadGateway")
        h.emulator.setFaults(.none)

        try h.expect(200, "POST", "/__emulator/reset")
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"], .array([]))
        XCTAssertEqual(try c.send("HEAD", "/kept-bucket").status, 404)
    }
}

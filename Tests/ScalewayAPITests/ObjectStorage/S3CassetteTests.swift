// S3CassetteTests: every XML body recorded in Tests/Fixtures/cassettes/bucket-*.jsonl
// decodes (answers by the call they answer, error bodies into S3Error), and the force-destroy
// sequence replayed through S3Client sends the recorded requests.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class S3CassetteTests: XCTestCase {
    private func query(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return "" }
        return String(url[url.index(after: q)...])
    }

    func testEveryRecordedXMLBodyDecodes() throws {
        var decoded: [String: Int] = [:]
        for file in try Cassettes.files(prefix: "bucket-") {
            for (n, i) in try Cassettes.load(file).enumerated() {
                let label = "\(file.split(separator: "/").last ?? "") #\(n + 1) \(i.method) \(i.url)"
                if case .string(let body) = i.requestBody, body.hasPrefix("<") {
                    let node = try S3XML.parse(body, what: label)
                    switch node.name {
                    case "Tagging": _ = try S3Codec.decodeTagging(node)
                    case "VersioningConfiguration": _ = try S3Codec.decodeVersioning(node)
                    default: XCTFail("unexpected request body \(node.name) in \(label)")
                    }
                    decoded["request " + node.name, default: 0] += 1
                }
                guard case .string(let body) = i.responseBody, body.contains("<") else { continue }
                if i.status >= 300 {
                    let error = S3Error(response: HTTPResponse(status: i.status, headers: i.responseHeaders, body: Array(body.utf8)),
                                        method: i.method, path: i.path, hasKey: i.path != "/", accessKey: nil, now: 0)
                    XCTAssertEqual(error.code, body.between("<Code>", "</Code>"), label)
                    XCTAssertNotNil(error.resource, label)
                    XCTAssertNotNil(error.requestID, label)
                    XCTAssertFalse(error.description.isEmpty)
                    decoded["error " + error.code, default: 0] += 1
                    continue
                }
                let node = try S3XML.parse(body, what: label)
                let q = query(i.url)
                switch q.split(separator: "=").first.map(String.init) ?? "" {
                case "acl":
                    let acl = try S3Codec.decodeACL(node)
                    XCTAssertNotNil(acl.cannedACL, label)
                    XCTAssertFalse(acl.grants.isEmpty, label)
                case "tagging": XCTAssertFalse(try S3Codec.decodeTagging(node).isEmpty, label)
                case "versioning": _ = try S3Codec.decodeVersioning(node)
                case "versions": _ = try S3Codec.decodeVersionPage(node)
                case "cors": _ = try S3Codec.decodeCORS(node)
                case "lifecycle": _ = try S3Codec.decodeLifecycle(node)
                case "": _ = try S3Codec.decodeObjectPage(node)
                default: XCTFail("no decoder for ?\(q) in \(label)")
                }
                decoded[node.name, default: 0] += 1
            }
        }
        for expected in ["AccessControlPolicy", "Tagging", "VersioningConfiguration", "ListBucketResult", "ListVersionsResult",
                         "error NoSuchCORSConfiguration", "error NoSuchLifecycleConfiguration", "error NoSuchTagSet", "error BucketNotEmpty",
                         "error ObjectLockConfigurationNotFoundError", "request Tagging", "request VersioningConfiguration"] {
            XCTAssertGreaterThan(decoded[expected] ?? 0, 0, "no \(expected) decoded: \(decoded)")
        }
    }

    func testRecordedAnswersReadAsExpected() throws {
        let force = try Cassettes.load(try XCTUnwrap(try Cassettes.files(prefix: "bucket-destroy-force").first))
        let versions = try XCTUnwrap(force.first { $0.url.hasSuffix("?versions=") && $0.responseBytes.count > 600 })
        let page = try S3Codec.decodeVersionPage(try S3XML.parse(versions.responseBytes))
        XCTAssertEqual(page.versions.count, 4)
        XCTAssertEqual(page.versions.first?.key, "folder/test-file-in-folder")
        XCTAssertEqual(page.versions.first?.versionID, "1738763059242719")
        XCTAssertEqual(page.versions.first?.etag, "\"5512f6eb24e8d8693a0ad98ae390be77\"")
        XCTAssertFalse(page.isTruncated)
        let enabled = try XCTUnwrap(force.first { $0.url.hasSuffix("?versioning=") && $0.method == "GET" })
        XCTAssertEqual(try S3Codec.decodeVersioning(try S3XML.parse(enabled.responseBytes)), .enabled)

        let basic = try Cassettes.load(try XCTUnwrap(try Cassettes.files(prefix: "bucket-basic").first))
        let unset = try XCTUnwrap(basic.first { $0.url.hasSuffix("?versioning=") })
        XCTAssertEqual(try S3Codec.decodeVersioning(try S3XML.parse(unset.responseBytes)), .unset)
        let publicRead = try XCTUnwrap(basic.first { $0.url.hasSuffix("?acl=") && $0.method == "GET" && String(decoding: $0.responseBytes, as: UTF8.self).contains("AllUsers") })
        XCTAssertEqual(try S3Codec.decodeACL(try S3XML.parse(publicRead.responseBytes)).cannedACL, .publicRead)
        let tags = try XCTUnwrap(basic.first { $0.url.hasSuffix("?tagging=") && $0.method == "GET" && $0.status == 200 && $0.responseBytes.count > 130 })
        XCTAssertEqual(try S3Codec.decodeTagging(try S3XML.parse(tags.responseBytes)), [S3Tag("foo", "bar"), S3Tag("baz", "qux")])
    }

    /// The tail of bucket-destroy-force: DeleteBucket (409), ListObjectVersions, one
    /// DeleteObject per version, ListObjectVersions (empty), DeleteBucket, through our client.
    func testForceDestroySequenceReplays() async throws {
        let all = try Cassettes.load(try XCTUnwrap(try Cassettes.files(prefix: "bucket-destroy-force").first))
        let start = try XCTUnwrap(all.lastIndex { $0.method == "DELETE" && $0.status == 409 })
        let tail = Array(all[start...])
        let transport = ReplayTransport(tail)
        let s3 = S3Client(config: ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "s"), transport: transport, retry: .testing)
        let bucket = S3Bucket(name: "tf-tests-scaleway-object-bucket-force-4774321182316109881", region: "nl-ams")
        do {
            try await s3.deleteBucket(bucket)
            XCTFail("expected BucketNotEmpty")
        } catch let error as S3Error {
            XCTAssertEqual(error.code, "BucketNotEmpty")
            XCTAssertTrue(error.description.contains("force_destroy"), error.description)
        }
        for v in try await s3.listAllObjectVersions(bucket) {
            try await s3.deleteObject(bucket, key: v.key, versionID: v.versionID)
        }
        let left = try await s3.listAllObjectVersions(bucket)
        XCTAssertTrue(left.isEmpty)
        try await s3.deleteBucket(bucket)
        func normal(_ url: String) -> String {
            url.replacingOccurrences(of: "&x-id=DeleteObject", with: "").replacingOccurrences(of: "?versions=", with: "?versions")
        }
        XCTAssertEqual(transport.sent.map { "\($0.method) \($0.url)" }, tail.map { "\($0.method) \(normal($0.url))" })
    }
}

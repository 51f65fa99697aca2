// S3MotoTests: the S3 client against moto's S3 server over real loopback HTTP (libcurl):
// every bucket call, object listings with pagination, versions, conditional put, errors, and
// both addressing styles. Proves our S3 speaks to an implementation we did not write.

import Foundation
import ScwTestSupport
import XCTest
@testable import ScalewayAPI

final class S3MotoTests: XCTestCase {
    nonisolated(unsafe) private static var server: MotoServer?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try MotoServer.start() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func client(pathStyle: Bool? = nil, endpoint: String? = nil) throws -> S3Client {
        if let skip = Self.startError as? XCTSkip { throw skip }
        let server = try XCTUnwrap(Self.server, "moto did not start: \(Self.startError.map { "\($0)" } ?? "?")")
        let config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-2222-4333-8444-555555555555",
                                    s3Endpoint: endpoint ?? server.endpoint)
        return S3Client(config: config, transport: CurlTransport(), retry: .testing, timeout: 20, usePathStyle: pathStyle)
    }

    private func unique(_ prefix: String) -> String {
        "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
    }

    private func expectS3Error(_ code: String, _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let error as S3Error {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
        } catch {
            XCTFail("expected S3Error \(code), got \(error)", file: file, line: line)
        }
    }

    func testBucketConfigurationCalls() async throws {
        let s3 = try client()
        let bucket = S3Bucket(name: unique("scwlua-client"), region: "fr-par", projectID: "951df375-e094-4d26-97c1-ba548eeb9c42")
        let absent = try await s3.headBucket(bucket)
        XCTAssertNil(absent)
        try await s3.createBucket(bucket)
        let head = try await s3.headBucket(bucket)
        XCTAssertEqual(head?.region, "fr-par")
        await expectS3Error("BucketAlreadyOwnedByYou") { try await s3.createBucket(bucket) }

        // Tags
        let none = try await s3.getBucketTagging(bucket)
        XCTAssertEqual(none, [])
        let tags = [S3Tag("env", "prod"), S3Tag("scwlua:urn", "Bucket/assets"), S3Tag("note", "a b+c=d")]
        try await s3.putBucketTagging(bucket, tags)
        let read = try await s3.getBucketTagging(bucket)
        XCTAssertEqual(Set(read), Set(tags))
        try await s3.deleteBucketTagging(bucket)
        let cleared = try await s3.getBucketTagging(bucket)
        XCTAssertEqual(cleared, [])

        // ACL
        let initial = try await s3.getBucketACL(bucket)
        XCTAssertEqual(initial.cannedACL, .private)
        // public-read-write is left out: moto lists only the first permission of a grant
        // (READ), so it reads back as public-read there (S3XMLTests covers its grants).
        for acl in [S3CannedACL.publicRead, .authenticatedRead, .private] {
            try await s3.putBucketACL(bucket, acl)
            let policy = try await s3.getBucketACL(bucket)
            XCTAssertEqual(policy.cannedACL, acl, "\(policy)")
        }

        // Versioning
        let unset = try await s3.getBucketVersioning(bucket)
        XCTAssertEqual(unset, .unset)
        try await s3.putBucketVersioning(bucket, enabled: true)
        let enabled = try await s3.getBucketVersioning(bucket)
        XCTAssertEqual(enabled, .enabled)
        try await s3.putBucketVersioning(bucket, enabled: false)
        let suspended = try await s3.getBucketVersioning(bucket)
        XCTAssertEqual(suspended, .suspended)

        // CORS
        let noCORS = try await s3.getBucketCORS(bucket)
        XCTAssertEqual(noCORS, [])
        let cors = [S3CORSRule(allowedMethods: ["GET", "HEAD"], allowedOrigins: ["https://www.example.com"], allowedHeaders: ["*"],
                               exposeHeaders: ["ETag"], maxAgeSeconds: 3000),
                    S3CORSRule(allowedMethods: ["PUT"], allowedOrigins: ["*"])]
        try await s3.putBucketCORS(bucket, cors)
        let readCORS = try await s3.getBucketCORS(bucket)
        XCTAssertEqual(readCORS, cors)
        try await s3.putBucketCORS(bucket, [])
        let deletedCORS = try await s3.getBucketCORS(bucket)
        XCTAssertEqual(deletedCORS, [])

        // Lifecycle
        let noRules = try await s3.getBucketLifecycle(bucket)
        XCTAssertEqual(noRules, [])
        let rules = [S3LifecycleRule(id: "logs", prefix: "logs/", expirationDays: 365, transitions: [S3Transition(days: 30, storageClass: "GLACIER")]),
                     S3LifecycleRule(id: "tmp", prefix: "tmp/", enabled: false, expirationDays: 1)]
        try await s3.putBucketLifecycle(bucket, rules)
        let readRules = try await s3.getBucketLifecycle(bucket)
        XCTAssertEqual(readRules, rules)
        try await s3.deleteBucketLifecycle(bucket)
        let deletedRules = try await s3.getBucketLifecycle(bucket)
        XCTAssertEqual(deletedRules, [])

        try await s3.deleteBucket(bucket)
        let gone = try await s3.headBucket(bucket)
        XCTAssertNil(gone)
        await expectS3Error("NoSuchBucket") { try await s3.deleteBucket(bucket) }
    }

    func testObjectsListingsVersionsAndConditionalPut() async throws {
        let s3 = try client()
        let bucket = S3Bucket(name: unique("scwlua-objects"), region: "nl-ams")
        try await s3.createBucket(bucket)
        try await s3.putBucketVersioning(bucket, enabled: true)
        let keys = ["plain.txt", "dir/hello world.txt", "dir/été ☃.txt", "a+b=c.txt", "x!'()*;,$&@~.txt"]
        for key in keys {
            let put = try await s3.putObject(bucket, key: key, body: Array("v1 \(key)".utf8), contentType: "text/plain")
            XCTAssertNotNil(put.etag)
            XCTAssertNotNil(put.versionID)
        }
        for key in keys {
            let object = try await s3.getObject(bucket, key: key)
            XCTAssertEqual(String(decoding: object.body, as: UTF8.self), "v1 \(key)", key)
        }
        _ = try await s3.putObject(bucket, key: "plain.txt", body: Array("v2".utf8))

        let page = try await s3.listObjects(bucket, maxKeys: 2)
        XCTAssertEqual(page.objects.count, 2)
        XCTAssertTrue(page.isTruncated)
        let listed = try await s3.listAllObjects(bucket)
        XCTAssertEqual(Set(listed.map(\.key)), Set(keys))
        let inDir = try await s3.listAllObjects(bucket, prefix: "dir/")
        XCTAssertEqual(inDir.count, 2)

        let versions = try await s3.listAllObjectVersions(bucket, pageSize: 2)
        XCTAssertEqual(versions.count, keys.count + 1)
        XCTAssertEqual(versions.filter { $0.key == "plain.txt" }.count, 2)

        // A conditional put on an existing key is refused; on a new key it succeeds once.
        await expectS3Error("PreconditionFailed") { _ = try await s3.putObject(bucket, key: "plain.txt", body: [1], ifNoneMatch: true) }
        _ = try await s3.putObject(bucket, key: "locks/stack.lock", body: Array("holder".utf8), ifNoneMatch: true)
        await expectS3Error("PreconditionFailed") { _ = try await s3.putObject(bucket, key: "locks/stack.lock", body: [2], ifNoneMatch: true) }

        await expectS3Error("BucketNotEmpty") { try await s3.deleteBucket(bucket) }
        await expectS3Error("NoSuchKey") { _ = try await s3.getObject(bucket, key: "missing") }

        // Deleting without a version id leaves a delete marker; then remove every version.
        try await s3.deleteObject(bucket, key: "a+b=c.txt")
        let withMarker = try await s3.listAllObjectVersions(bucket)
        XCTAssertTrue(withMarker.contains { $0.isDeleteMarker && $0.key == "a+b=c.txt" })
        let first = try XCTUnwrap(withMarker.first)
        try await s3.deleteObject(bucket, key: first.key, versionID: first.versionID)
        let result = try await s3.deleteObjects(bucket, withMarker.dropFirst().map { S3ObjectIdentifier(key: $0.key, versionID: $0.versionID) })
        XCTAssertEqual(result.errors, [])
        let left = try await s3.listAllObjectVersions(bucket)
        XCTAssertEqual(left, [])
        try await s3.deleteBucket(bucket)
    }

    func testVirtualHostStyle() async throws {
        // curl resolves *.localhost to loopback, and moto reads the bucket from the Host header.
        let port = try XCTUnwrap(Self.server?.port ?? (Self.startError as? XCTSkip).map { throw $0 })
        let s3 = try client(pathStyle: false, endpoint: "http://localhost:\(port)")
        let bucket = S3Bucket(name: unique("scwlua-vhost"), region: "pl-waw")
        XCTAssertTrue(s3.target(bucket).url.hasPrefix("http://\(bucket.name).localhost:"))
        try await s3.createBucket(bucket)
        _ = try await s3.putObject(bucket, key: "k", body: [1, 2, 3])
        let object = try await s3.getObject(bucket, key: "k")
        XCTAssertEqual(object.body, [1, 2, 3])
        let seenPathStyle = try await client().listAllObjects(bucket)
        XCTAssertEqual(seenPathStyle.map(\.key), ["k"])
        try await s3.deleteObject(bucket, key: "k")
        try await s3.deleteBucket(bucket)
    }
}

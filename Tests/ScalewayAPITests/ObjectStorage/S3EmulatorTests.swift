// S3EmulatorTests: the S3 client against the local emulator's Object Storage (which verifies
// signatures): a bucket's whole life, and the errors a person must understand: a wrong secret,
// an unknown access key, a skewed clock, a non-empty bucket.

import Foundation
import XCTest
import ScwEmulator
@testable import ScalewayAPI

final class S3EmulatorTests: XCTestCase {
    private var emulators: [Emulator] = []

    override func tearDown() {
        for e in emulators { e.stop() }
        emulators = []
    }

    private func start() throws -> Emulator {
        let e = try Emulator(options: EmulatorOptions())
        try e.start()
        emulators.append(e)
        return e
    }

    private func client(_ e: Emulator, accessKey: String = ScalewayConfig.localAccessKey, secretKey: String = ScalewayConfig.localSecretKey,
                        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) -> S3Client {
        var config = ScalewayConfig.local(baseURL: e.baseURL)
        config.accessKey = accessKey
        config.secretKey = secretKey
        config.s3Endpoint = e.baseURL
        return S3Client(config: config, transport: CurlTransport(), retry: .testing, timeout: 10, now: now)
    }

    private let bucket = S3Bucket(name: "scwlua-emulated", region: "fr-par", projectID: ScalewayConfig.localProjectID)

    private func expectS3Error(_ code: String, _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async -> S3Error? {
        do {
            try await body()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let error as S3Error {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected S3Error \(code), got \(error)", file: file, line: line)
        }
        return nil
    }

    func testBucketLifeOnTheEmulator() async throws {
        let e = try start()
        let s3 = client(e)
        try await s3.createBucket(bucket)
        let head = try await s3.headBucket(bucket)
        XCTAssertNotNil(head)
        _ = await expectS3Error("BucketAlreadyOwnedByYou") { try await s3.createBucket(self.bucket) }

        let tags = [S3Tag("scwlua:stack", "prod"), S3Tag("scwlua:urn", "Bucket/assets"), S3Tag("env", "a b+c")]
        try await s3.putBucketTagging(bucket, tags)
        let readTags = try await s3.getBucketTagging(bucket)
        XCTAssertEqual(Set(readTags), Set(tags))
        for acl in S3CannedACL.allCases {
            try await s3.putBucketACL(bucket, acl)
            let policy = try await s3.getBucketACL(bucket)
            XCTAssertEqual(policy.cannedACL, acl, "\(policy)")
        }
        try await s3.putBucketVersioning(bucket, enabled: true)
        let versioning = try await s3.getBucketVersioning(bucket)
        XCTAssertEqual(versioning, .enabled)
        let cors = [S3CORSRule(allowedMethods: ["GET"], allowedOrigins: ["*"], allowedHeaders: ["*"], maxAgeSeconds: 60)]
        try await s3.putBucketCORS(bucket, cors)
        let readCORS = try await s3.getBucketCORS(bucket)
        XCTAssertEqual(readCORS, cors)
        let rules = [S3LifecycleRule(id: "logs", prefix: "logs/", expirationDays: 30, transitions: [S3Transition(days: 7, storageClass: "GLACIER")])]
        try await s3.putBucketLifecycle(bucket, rules)
        let readRules = try await s3.getBucketLifecycle(bucket)
        XCTAssertEqual(readRules, rules)

        for key in ["a.txt", "dir/hello world.txt", "dir/été+=.txt"] {
            _ = try await s3.putObject(bucket, key: key, body: Array(key.utf8))
        }
        _ = try await s3.putObject(bucket, key: "a.txt", body: Array("v2".utf8))
        let object = try await s3.getObject(bucket, key: "dir/été+=.txt")
        XCTAssertEqual(String(decoding: object.body, as: UTF8.self), "dir/été+=.txt")
        let listed = try await s3.listAllObjects(bucket)
        XCTAssertEqual(listed.map(\.key).sorted(), ["a.txt", "dir/hello world.txt", "dir/été+=.txt"])
        _ = await expectS3Error("PreconditionFailed") { _ = try await s3.putObject(self.bucket, key: "a.txt", body: [1], ifNoneMatch: true) }
        let nonEmpty = await expectS3Error("BucketNotEmpty") { try await s3.deleteBucket(self.bucket) }
        XCTAssertTrue(nonEmpty?.description.contains("force_destroy") ?? false)

        let versions = try await s3.listAllObjectVersions(bucket, pageSize: 2)
        XCTAssertEqual(versions.count, 4)
        for v in versions { try await s3.deleteObject(bucket, key: v.key, versionID: v.versionID) }
        try await s3.putBucketCORS(bucket, [])
        try await s3.putBucketLifecycle(bucket, [])
        try await s3.deleteBucket(bucket)
        let gone = try await s3.headBucket(bucket)
        XCTAssertNil(gone)
    }

    func testWrongSecretIsRejectedWithAClearMessage() async throws {
        let e = try start()
        let wrong = "99999999-9999-4999-8999-999999999999"
        let error = await expectS3Error("SignatureDoesNotMatch") { try await self.client(e, secretKey: wrong).createBucket(self.bucket) }
        let text = error?.description ?? ""
        XCTAssertTrue(text.contains("the secret key does not belong to access key \(ScalewayConfig.localAccessKey)"), text)
        XCTAssertTrue(text.contains("SCW_SECRET_KEY"), text)
        XCTAssertFalse(text.contains(wrong), "the secret never shows")
        let absent = try await client(e).headBucket(bucket)
        XCTAssertNil(absent, "nothing was created")
    }

    func testUnknownAccessKey() async throws {
        let e = try start()
        let error = await expectS3Error("InvalidAccessKeyId") { try await self.client(e, accessKey: "SCWUNKNOWN0000000000").createBucket(self.bucket) }
        XCTAssertTrue(error?.description.contains("SCW_ACCESS_KEY") ?? false)
    }

    func testSkewedClockIsReportedInSeconds() async throws {
        let e = try start()
        let ahead = client(e, now: { Date().timeIntervalSince1970 + 3600 })
        let error = await expectS3Error("RequestTimeTooSkewed") { try await ahead.createBucket(self.bucket) }
        let skew = try XCTUnwrap(error?.clockSkew)
        XCTAssertEqual(skew, 3600, accuracy: 5)
        XCTAssertTrue(error?.description.contains("your clock is off by 3") ?? false, error?.description ?? "")
        XCTAssertTrue(error?.description.contains("ahead of") ?? false)
    }
}

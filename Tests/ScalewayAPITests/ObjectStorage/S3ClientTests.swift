// S3ClientTests: the client with scripted answers: addressing (virtual host, path style,
// dotted names), access_key@project_id, LocationConstraint, retries with fresh signatures,
// the create echo after a lost answer, and error wording (clock skew, wrong secret, HEAD 404).

import Foundation
import XCTest
import ScwCore
@testable import ScalewayAPI

final class S3ClientTests: XCTestCase {
    private let bucket = S3Bucket(name: "my-bucket", region: "nl-ams")

    private func client(_ transport: any HTTPTransport, endpoint: String? = nil, pathStyle: Bool? = nil,
                        now: @escaping @Sendable () -> Double = { 1_738_763_056 }) -> S3Client {
        let config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-2222-4333-8444-555555555555",
                                    defaultProjectID: "951df375-e094-4d26-97c1-ba548eeb9c42", s3Endpoint: endpoint)
        return S3Client(config: config, transport: transport, retry: .testing, usePathStyle: pathStyle, now: now)
    }

    private func errorXML(_ code: String, _ extra: String = "") -> String {
        "<Error><Code>\(code)</Code><Message>m</Message><Resource>/my-bucket</Resource><RequestId>tx1</RequestId>\(extra)</Error>"
    }

    func testAddressing() {
        let s3 = client(ScriptedTransport([.answer(200, "", [:])]))
        XCTAssertEqual(s3.target(bucket).url, "https://my-bucket.s3.nl-ams.scw.cloud/")
        XCTAssertEqual(s3.target(bucket, key: "a b/c+d", query: [("versionId", "1")]).url, "https://my-bucket.s3.nl-ams.scw.cloud/a%20b/c%2Bd?versionId=1")
        XCTAssertEqual(s3.target(S3Bucket(name: "my.bucket", region: "fr-par"), query: [("acl", "")]).url, "https://s3.fr-par.scw.cloud/my.bucket/?acl",
                       "dotted names go path style over https")
        let path = client(ScriptedTransport([.answer(200, "", [:])]), pathStyle: true)
        XCTAssertEqual(path.target(bucket, key: "k").url, "https://s3.nl-ams.scw.cloud/my-bucket/k")
        let local = client(ScriptedTransport([.answer(200, "", [:])]), endpoint: "http://127.0.0.1:9000/")
        XCTAssertTrue(local.usePathStyle)
        XCTAssertEqual(local.target(bucket).url, "http://127.0.0.1:9000/my-bucket/")
        let virtualLocal = client(ScriptedTransport([.answer(200, "", [:])]), endpoint: "http://localhost:9000", pathStyle: false)
        XCTAssertEqual(virtualLocal.target(bucket, key: "x").url, "http://my-bucket.localhost:9000/x")
    }

    func testProjectSuffixIsSigned() async throws {
        let transport = ScriptedTransport([.answer(200, "", [:])])
        let s3 = client(transport)
        try await s3.putBucketACL(S3Bucket(name: "b", region: "pl-waw", projectID: "p-1"), .publicRead)
        let sent = try XCTUnwrap(transport.requests.first)
        XCTAssertTrue(sent.header("Authorization")!.hasPrefix("AWS4-HMAC-SHA256 Credential=SCWXXXXXXXXXXXXXXXXX@p-1/20250205/pl-waw/s3/aws4_request, "))
        XCTAssertEqual(sent.header("x-amz-acl"), "public-read")
        XCTAssertEqual(sent.url, "https://b.s3.pl-waw.scw.cloud/?acl")
        XCTAssertEqual(sent.header("x-amz-content-sha256"), S3Signer.emptyPayloadHash)
    }

    func testCreateBucketSendsLocationConstraintOnlyWhenTheHostLacksTheRegion() async throws {
        let virtual = ScriptedTransport([.answer(200, "", [:])])
        try await client(virtual).createBucket(bucket)
        XCTAssertNil(virtual.requests[0].body)
        let path = ScriptedTransport([.answer(200, "", [:])])
        try await client(path, endpoint: "http://127.0.0.1:1").createBucket(bucket, acl: .private)
        let body = String(decoding: try XCTUnwrap(path.requests[0].body), as: UTF8.self)
        XCTAssertEqual(body, #"<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>nl-ams</LocationConstraint></CreateBucketConfiguration>"#)
        XCTAssertEqual(path.requests[0].header("x-amz-acl"), "private")
        XCTAssertNotNil(path.requests[0].header("Content-MD5"))
    }

    func testRetriesAndEachAttemptSignedAfresh() async throws {
        let transport = ScriptedTransport([.answer(503, errorXML("SlowDown"), [:]), .fail(.notSent("refused")), .answer(429, "", [:]),
                                           .answer(500, errorXML("InternalError"), [:]), .answer(502, "", [:]), .fail(.noAnswer("reset")),
                                           .answer(504, "", [:]), .answer(200, "", [:])])
        let ticks = Ticks()
        let s3 = client(transport, now: { ticks.next() })
        try await s3.deleteBucketCORS(bucket)
        XCTAssertEqual(transport.count, 8)
        let dates = transport.requests.map { $0.header("x-amz-date") ?? "" }
        XCTAssertEqual(Set(dates).count, 8, "\(dates)")
        XCTAssertEqual(Set(transport.requests.map { $0.header("Authorization") ?? "" }).count, 8)

        let notImplemented = ScriptedTransport([.answer(501, "", [:]), .answer(200, "", [:])])
        do {
            try await client(notImplemented).deleteBucketCORS(bucket)
            XCTFail("501 is not retried")
        } catch let error as S3Error {
            XCTAssertEqual(error.status, 501)
        }
        XCTAssertEqual(notImplemented.count, 1)
    }

    func testCreateEchoAfterALostAnswerIsSuccess() async throws {
        let owned = errorXML("BucketAlreadyOwnedByYou")
        let echo = ScriptedTransport([.fail(.timeout("slow")), .answer(409, owned, [:])])
        try await client(echo).createBucket(bucket)
        XCTAssertEqual(echo.count, 2)

        let plain = ScriptedTransport([.answer(409, owned, [:])])
        do {
            try await client(plain).createBucket(bucket)
            XCTFail("a bucket we did not just create is an error")
        } catch let error as S3Error {
            XCTAssertEqual(error.code, "BucketAlreadyOwnedByYou")
            XCTAssertFalse(error.afterAmbiguousAttempt)
            XCTAssertTrue(error.description.contains("already exists in your account"), error.description)
        }
    }

    func testConditionalPutReportsAmbiguousPrecondition() async throws {
        let transport = ScriptedTransport([.answer(502, "", [:]), .answer(412, errorXML("PreconditionFailed"), [:])])
        do {
            _ = try await client(transport).putObject(bucket, key: "lock", body: Array("x".utf8), ifNoneMatch: true)
            XCTFail("expected PreconditionFailed")
        } catch let error as S3Error {
            XCTAssertEqual(error.code, "PreconditionFailed")
            XCTAssertTrue(error.afterAmbiguousAttempt, "the 502 attempt may have written the object")
        }
        XCTAssertEqual(transport.requests.last?.header("If-None-Match"), "*")
    }

    func testClockSkewIsReportedInSeconds() async throws {
        let body = errorXML("RequestTimeTooSkewed", "<RequestTime>20250205T144416Z</RequestTime><ServerTime>2025-02-05T13:44:16Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>")
        do {
            _ = try await client(ScriptedTransport([.answer(403, body, [:])])).getBucketVersioning(bucket)
            XCTFail("expected RequestTimeTooSkewed")
        } catch let error as S3Error {
            XCTAssertEqual(error.clockSkew, 3600)
            XCTAssertTrue(error.description.contains("your clock is off by 3600 s (ahead of"), error.description)
        }
        // Without ServerTime, the Date header against the local clock.
        let bare = errorXML("RequestTimeTooSkewed")
        do {
            _ = try await client(ScriptedTransport([.answer(403, bare, ["Date": "Wed, 05 Feb 2025 13:54:16 GMT"])])).getBucketVersioning(bucket)
            XCTFail("expected RequestTimeTooSkewed")
        } catch let error as S3Error {
            XCTAssertEqual(error.clockSkew, -600)
            XCTAssertTrue(error.description.contains("off by 600 s (behind"), error.description)
        }
    }

    func testWrongSecretIsNamedWithoutShowingIt() async throws {
        let transport = ScriptedTransport([.answer(403, errorXML("SignatureDoesNotMatch"), [:])])
        do {
            try await client(transport).deleteBucketTagging(S3Bucket(name: "my-bucket", region: "fr-par", projectID: "p"))
            XCTFail("expected SignatureDoesNotMatch")
        } catch let error as S3Error {
            XCTAssertEqual(transport.count, 1, "not retried")
            XCTAssertTrue(error.description.contains("secret key does not belong to access key SCWXXXXXXXXXXXXXXXXX;"), error.description)
            XCTAssertFalse(error.description.contains("11111111-2222"))
        }
    }

    func testHeadAndGetsOfMissingThings() async throws {
        let s3 = client(ScriptedTransport([.answer(404, "", [:])]))
        let head = try await s3.headBucket(bucket)
        XCTAssertNil(head)
        let tags = try await client(ScriptedTransport([.answer(404, errorXML("NoSuchTagSet"), [:])])).getBucketTagging(bucket)
        XCTAssertEqual(tags, [])
        let cors = try await client(ScriptedTransport([.answer(404, errorXML("NoSuchCORSConfiguration"), [:])])).getBucketCORS(bucket)
        XCTAssertEqual(cors, [])
        let rules = try await client(ScriptedTransport([.answer(404, errorXML("NoSuchLifecycleConfiguration"), [:])])).getBucketLifecycle(bucket)
        XCTAssertEqual(rules, [])
        do {
            _ = try await client(ScriptedTransport([.answer(404, "", [:])])).getObject(bucket, key: "k")
            XCTFail("expected NoSuchKey")
        } catch let error as S3Error {
            XCTAssertEqual(error.code, "NoSuchKey")
            XCTAssertTrue(error.isNotFound)
        }
        do {
            _ = try await client(ScriptedTransport([.answer(403, "", [:])])).headBucket(bucket)
            XCTFail("expected AccessDenied")
        } catch let error as S3Error {
            XCTAssertEqual(error.code, "AccessDenied")
        }
    }

    func testPaginationFollowsMarkersAndStopsOnARepeat() async throws {
        func page(_ keys: [String], next: String?) -> ScriptedTransport.Outcome {
            let contents = keys.map { "<Contents><Key>\($0)</Key><Size>1</Size></Contents>" }.joined()
            let tail = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" } ?? "<IsTruncated>false</IsTruncated>"
            return .answer(200, "<ListBucketResult>\(contents)\(tail)</ListBucketResult>", [:])
        }
        let transport = ScriptedTransport([page(["a", "b"], next: "t1"), page(["c"], next: "t2"), page(["d"], next: nil)])
        let keys = try await client(transport).listAllObjects(bucket).map(\.key)
        XCTAssertEqual(keys, ["a", "b", "c", "d"])
        XCTAssertTrue(transport.requests[1].url.contains("continuation-token=t1"))
        let looping = ScriptedTransport([page(["a"], next: "same")])
        do {
            _ = try await client(looping).listAllObjects(bucket)
            XCTFail("expected a stuck-pagination error")
        } catch is DecodeError {}
    }
}

/// A clock that moves a second per reading.
final class Ticks: @unchecked Sendable {
    private let lock = NSLock()
    private var t = 1_738_763_056.0
    func next() -> Double { lock.withLock { t += 1; return t } }
}

// S3 object operations round trip: put/get/head/delete with metadata, digests, ranges and aws-chunked
// bodies; conditional puts (lock objects); ListObjects v1/v2 and ListObjectVersions with pagination;
// delete markers; BucketNotEmpty, then a force-delete of every version, then the bucket goes.

import Foundation
import XCTest
@testable import ScwEmulator

final class S3ObjectTests: XCTestCase {
    private var harness: EmulatorHarness!
    private var c: S3TestClient!

    override func setUpWithError() throws {
        harness = try EmulatorHarness()
        c = try S3TestClient(port: harness.port)
        try c.expect(200, "PUT", "/objects")
    }

    override func tearDown() {
        c = nil
        harness = nil
    }

    private func enableVersioning(_ status: String = "Enabled") throws {
        try c.expect(200, "PUT", "/objects", query: [("versioning", "")], body: "<VersioningConfiguration><Status>\(status)</Status></VersioningConfiguration>")
    }

    private func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    func testPutGetHeadDelete() throws {
        let key = "dir/a b+c é.txt"
        let data = Array("hello, object".utf8)
        let put = try c.send("PUT", "/objects/\(key)", headers: [("Content-Type", "text/plain"), ("x-amz-meta-owner", "me"),
                                                                  ("Content-MD5", base64(S3Crypto.md5(data)))], body: data)
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(put.header("ETag"), "\"\(S3Crypto.hex(S3Crypto.md5(data)))\"")
        XCTAssertNil(put.header("x-amz-version-id"), "no version id while versioning was never enabled")
        let get = try c.expect(200, "GET", "/objects/\(key)")
        XCTAssertEqual(get.body, data)
        XCTAssertEqual(get.header("Content-Type"), "text/plain")
        XCTAssertEqual(get.header("x-amz-meta-owner"), "me")
        XCTAssertEqual(get.header("ETag"), put.header("ETag"))
        XCTAssertNotNil(get.header("Last-Modified"))
        let head = try c.expect(200, "HEAD", "/objects/\(key)")
        XCTAssertEqual(head.header("Content-Length"), String(data.count))
        XCTAssertTrue(head.body.isEmpty)
        let range = try c.send("GET", "/objects/\(key)", headers: [("Range", "bytes=7-12")])
        XCTAssertEqual(range.status, 206)
        XCTAssertEqual(range.text, "object")
        XCTAssertEqual(range.header("Content-Range"), "bytes 7-12/13")
        XCTAssertEqual(try c.send("GET", "/objects/\(key)", headers: [("Range", "bytes=50-")]).status, 416)
        XCTAssertEqual(try c.send("GET", "/objects/\(key)", headers: [("If-None-Match", put.header("ETag")!)]).status, 304)

        let badMD5 = try c.send("PUT", "/objects/x", headers: [("Content-MD5", base64(S3Crypto.md5([1])))], body: data)
        XCTAssertEqual(badMD5.s3Code, "BadDigest")
        let badCRC = try c.send("PUT", "/objects/x", headers: [("x-amz-checksum-crc32", "AAAAAA==")], body: data)
        XCTAssertEqual(badCRC.s3Code, "BadDigest")
        let crc = base64(S3Crypto.bigEndian(S3Crypto.crc32(data)))
        XCTAssertEqual(try c.send("PUT", "/objects/x", headers: [("x-amz-checksum-crc32", crc)], body: data).header("x-amz-checksum-crc32"), crc)

        try c.expect(204, "DELETE", "/objects/\(key)")
        let gone = try c.send("GET", "/objects/\(key)")
        XCTAssertEqual(gone.status, 404)
        XCTAssertEqual(gone.s3Code, "NoSuchKey")
        try c.expect(204, "DELETE", "/objects/\(key)")   // deleting what is not there is fine
        XCTAssertEqual(try c.send("GET", "/nobucket/x").s3Code, "NoSuchBucket")
    }

    /// The remote-state lock: a put that succeeds only when the key does not exist.
    func testConditionalPut() throws {
        let lock = "/objects/state/.lock"
        try c.expect(200, "PUT", lock, headers: [("If-None-Match", "*")], body: "holder-1")
        let taken = try c.send("PUT", lock, headers: [("If-None-Match", "*")], body: Array("holder-2".utf8))
        XCTAssertEqual(taken.status, 412)
        XCTAssertEqual(taken.s3Code, "PreconditionFailed")
        XCTAssertEqual(try c.expect(200, "GET", lock).text, "holder-1")
        let etag = try XCTUnwrap(try c.expect(200, "HEAD", lock).header("ETag"))
        XCTAssertEqual(try c.send("PUT", lock, headers: [("If-Match", "\"0000\"")], body: Array("x".utf8)).status, 412)
        try c.expect(200, "PUT", lock, headers: [("If-Match", etag)], body: "holder-1 again")
        try c.expect(204, "DELETE", lock)
        try c.expect(200, "PUT", lock, headers: [("If-None-Match", "*")], body: "holder-2")
        // a delete marker does not hold the lock either
        try enableVersioning()
        try c.expect(204, "DELETE", lock)
        try c.expect(200, "PUT", lock, headers: [("If-None-Match", "*")], body: "holder-3")
    }

    /// aws-chunked with STREAMING-UNSIGNED-PAYLOAD-TRAILER, as the SDKs send PutObject bodies.
    func testUnsignedTrailerChunkedBody() throws {
        func put(_ checksum: String) throws -> TestResponse {
            let body = Array("5\r\nhello\r\n7\r\n, world\r\n0\r\nx-amz-checksum-crc32:\(checksum)\r\n\r\n".utf8)
            return try c.send("PUT", "/objects/chunked", headers: [("Content-Encoding", "aws-chunked"), ("x-amz-decoded-content-length", "12"),
                                                                   ("x-amz-trailer", "x-amz-checksum-crc32")],
                              body: body, payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        }
        let crc = base64(S3Crypto.bigEndian(S3Crypto.crc32(Array("hello, world".utf8))))
        let ok = try put(crc)
        XCTAssertEqual(ok.status, 200, ok.text)
        XCTAssertEqual(ok.header("x-amz-checksum-crc32"), crc)
        XCTAssertEqual(try c.expect(200, "GET", "/objects/chunked").text, "hello, world")
        XCTAssertEqual(try c.expect(200, "GET", "/objects", query: [("list-type", "2")]).xml?.child("Contents")?.value("ChecksumAlgorithm"), "CRC32")
        XCTAssertEqual(try put("AAAAAA==").s3Code, "BadDigest")
    }

    func testListObjectsV1AndV2() throws {
        let keys = ["a/1", "a/2", "b/1", "c", "d", "e f", "g+h"]
        for k in keys.reversed() { try c.expect(200, "PUT", "/objects/\(k)", body: k) }
        // v2, two at a time
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query = [("list-type", "2"), ("max-keys", "2")]
            if let token { query.append(("continuation-token", token)) }
            let page = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: query).xml)
            XCTAssertEqual(page.value("KeyCount"), String(page.all("Contents").count))
            seen += page.all("Contents").compactMap { $0.value("Key") }
            token = page.value("NextContinuationToken")
            XCTAssertEqual(page.value("IsTruncated"), token == nil ? "false" : "true")
            pages += 1
        } while token != nil && pages < 10
        XCTAssertEqual(seen, keys)
        XCTAssertEqual(pages, 4)
        // v1 with marker
        var marker = ""
        seen = []
        pages = 0
        while pages < 10 {
            let page = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: [("max-keys", "3"), ("marker", marker)]).xml)
            XCTAssertNotNil(page.child("Contents")?.child("Owner"), "v1 lists the owner")
            seen += page.all("Contents").compactMap { $0.value("Key") }
            pages += 1
            guard page.value("IsTruncated") == "true", let next = page.value("NextMarker") else { break }
            marker = next
        }
        XCTAssertEqual(seen, keys)
        // delimiter and prefix
        let grouped = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: [("list-type", "2"), ("delimiter", "/")]).xml)
        XCTAssertEqual(grouped.all("CommonPrefixes").compactMap { $0.value("Prefix") }, ["a/", "b/"])
        XCTAssertEqual(grouped.all("Contents").compactMap { $0.value("Key") }, ["c", "d", "e f", "g+h"])
        let prefixed = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: [("list-type", "2"), ("prefix", "a/")]).xml)
        XCTAssertEqual(prefixed.all("Contents").compactMap { $0.value("Key") }, ["a/1", "a/2"])
        let encoded = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: [("list-type", "2"), ("encoding-type", "url"), ("prefix", "e")]).xml)
        XCTAssertEqual(encoded.child("Contents")?.value("Key"), "e%20f")
        XCTAssertEqual(try c.send("GET", "/objects", query: [("max-keys", "lots")]).s3Code, "InvalidArgument")
    }

    func testVersionsDeleteMarkersAndPagination() throws {
        try enableVersioning()
        let v1 = try XCTUnwrap(try c.send("PUT", "/objects/k", body: Array("one".utf8)).header("x-amz-version-id"))
        let v2 = try XCTUnwrap(try c.send("PUT", "/objects/k", body: Array("two".utf8)).header("x-amz-version-id"))
        try c.expect(200, "PUT", "/objects/other", body: "x")
        let deleted = try c.expect(204, "DELETE", "/objects/k")
        XCTAssertEqual(deleted.header("x-amz-delete-marker"), "true")
        let marker = try XCTUnwrap(deleted.header("x-amz-version-id"))
        let missing = try c.send("GET", "/objects/k")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.header("x-amz-delete-marker"), "true")
        XCTAssertEqual(try c.expect(200, "GET", "/objects/k", query: [("versionId", v1)]).text, "one")
        XCTAssertEqual(try c.send("GET", "/objects/k", query: [("versionId", marker)]).status, 405)
        XCTAssertEqual(try c.send("GET", "/objects/k", query: [("versionId", "123")]).s3Code, "NoSuchVersion")
        XCTAssertEqual(try c.expect(200, "GET", "/objects", query: [("list-type", "2")]).xml?.all("Contents").compactMap { $0.value("Key") }, ["other"])

        // all versions, one per page
        var entries: [String] = []
        var keyMarker = ""
        var versionMarker = ""
        for _ in 0..<10 {
            var query = [("versions", ""), ("max-keys", "1")]
            if !keyMarker.isEmpty { query += [("key-marker", keyMarker), ("version-id-marker", versionMarker)] }
            let page = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: query).xml)
            for item in page.children where item.name == "Version" || item.name == "DeleteMarker" {
                entries.append("\(item.name):\(item.value("Key")!):\(item.value("VersionId")!):\(item.value("IsLatest")!)")
            }
            guard page.value("IsTruncated") == "true" else { break }
            keyMarker = page.value("NextKeyMarker") ?? ""
            versionMarker = page.value("NextVersionIdMarker") ?? ""
        }
        let other = try XCTUnwrap(entries.last?.split(separator: ":")[2])
        XCTAssertEqual(entries, ["DeleteMarker:k:\(marker):true", "Version:k:\(v2):false", "Version:k:\(v1):false", "Version:other:\(other):true"])

        // removing the delete marker brings the object back
        XCTAssertEqual(try c.expect(204, "DELETE", "/objects/k", query: [("versionId", marker)]).header("x-amz-delete-marker"), "true")
        XCTAssertEqual(try c.expect(200, "GET", "/objects/k").text, "two")

        // suspended: writes replace the null version
        try enableVersioning("Suspended")
        try c.expect(200, "PUT", "/objects/k", body: "three")
        try c.expect(200, "PUT", "/objects/k", body: "four")
        let versions = try c.expect(200, "GET", "/objects", query: [("versions", ""), ("prefix", "k")]).xml?.all("Version").compactMap { $0.value("VersionId") }
        XCTAssertEqual(versions, ["null", v2, v1])
        XCTAssertEqual(try c.expect(200, "GET", "/objects/k").text, "four")
    }

    /// What force_destroy does: DeleteBucket refused while versions remain, every version deleted, then the bucket.
    func testBucketNotEmptyThenForceDelete() throws {
        try enableVersioning()
        for k in ["test-file", "folder/test-file-in-folder", "test-file"] { try c.expect(200, "PUT", "/objects/\(k)", body: k) }
        try c.expect(204, "DELETE", "/objects/folder/test-file-in-folder")   // leaves versions and a delete marker
        let refused = try c.send("DELETE", "/objects")
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(refused.s3Code, "BucketNotEmpty")
        let listing = try XCTUnwrap(try c.expect(200, "GET", "/objects", query: [("versions", "")]).xml)
        let items = listing.children.filter { $0.name == "Version" || $0.name == "DeleteMarker" }
        XCTAssertEqual(items.count, 4)
        for item in items.dropLast() {
            try c.expect(204, "DELETE", "/objects/\(item.value("Key")!)", query: [("versionId", item.value("VersionId")!)])
        }
        XCTAssertEqual(try c.send("DELETE", "/objects").s3Code, "BucketNotEmpty", "one version still there")
        // the last one through DeleteObjects
        let last = items.last!
        let result = try c.expect(200, "POST", "/objects", query: [("delete", "")],
                                  body: "<Delete><Object><Key>\(last.value("Key")!)</Key><VersionId>\(last.value("VersionId")!)</VersionId></Object></Delete>")
        XCTAssertEqual(result.xml?.child("Deleted")?.value("Key"), last.value("Key"))
        XCTAssertEqual(try c.expect(200, "GET", "/objects", query: [("versions", "")]).xml?.all("Version").count, 0)
        try c.expect(204, "DELETE", "/objects")
        XCTAssertEqual(try harness.expect(200, "GET", "/__emulator/resources")["resources"], .array([]))
    }

    func testDeleteObjectsUnversioned() throws {
        for k in ["x1", "x2", "x3"] { try c.expect(200, "PUT", "/objects/\(k)", body: k) }
        let result = try XCTUnwrap(try c.expect(200, "POST", "/objects", query: [("delete", "")],
                                                body: "<Delete><Object><Key>x1</Key></Object><Object><Key>x2</Key></Object><Object><Key>nope</Key></Object></Delete>").xml)
        XCTAssertEqual(result.all("Deleted").compactMap { $0.value("Key") }, ["x1", "x2", "nope"])
        let quiet = try c.expect(200, "POST", "/objects", query: [("delete", "")], body: "<Delete><Quiet>true</Quiet><Object><Key>x3</Key></Object></Delete>")
        XCTAssertEqual(quiet.xml?.children.count, 0)
        XCTAssertEqual(try c.expect(200, "GET", "/objects").xml?.all("Contents").count, 0)
        XCTAssertEqual(try c.send("POST", "/objects", query: [("delete", "")], body: Array("<Delete></Delete>".utf8)).s3Code, "MalformedXML")
    }
}

// S3 signature verification: good requests (path and virtual-host style, presigned, signed chunks),
// and each refusal: wrong secret, unknown key, skewed clock, tampered query/path/body, wrong region,
// expired URL, anonymous access; `access_key@project` acts in another project.

import Foundation
import XCTest
@testable import ScwEmulator

final class S3AuthTests: XCTestCase {
    private var harness: EmulatorHarness!
    private var client: S3TestClient!

    override func setUpWithError() throws {
        harness = try EmulatorHarness()
        client = try S3TestClient(port: harness.port)
        try client.expect(200, "PUT", "/auth-bucket")
        try client.expect(200, "PUT", "/auth-bucket/hello.txt", body: "hello")
    }

    override func tearDown() {
        client = nil
        harness = nil
    }

    func testGoodSignaturePathAndVirtualHostStyle() throws {
        XCTAssertEqual(try client.expect(200, "GET", "/auth-bucket/hello.txt").text, "hello")
        let host = "auth-bucket.s3.fr-par.localhost:\(harness.port)"
        let list = try client.send("GET", "/", query: [("list-type", "2")], host: host)
        XCTAssertEqual(list.status, 200, list.text)
        XCTAssertEqual(list.xml?.child("Contents")?.value("Key"), "hello.txt")
        let put = try client.send("PUT", "/dir/with space+plus é.txt", body: Array("vh".utf8), host: host)
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(try client.expect(200, "GET", "/auth-bucket/dir/with space+plus é.txt").text, "vh")
        // the service endpoint without bucket: ListBuckets
        let buckets = try client.send("GET", "/", host: "s3.fr-par.localhost:\(harness.port)")
        XCTAssertEqual(buckets.xml?.child("Buckets")?.child("Bucket")?.value("Name"), "auth-bucket")
    }

    func testWrongSecretUnknownKeyAndTampering() throws {
        client.signer.secret = "00000000-0000-4000-8000-000000000bad"
        var r = try client.send("GET", "/auth-bucket/hello.txt")
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.s3Code, "SignatureDoesNotMatch")
        XCTAssertEqual(r.header("Content-Type"), "application/xml")
        XCTAssertNotNil(r.xml?.value("CanonicalRequest"), "the error tells what the server signed")
        XCTAssertEqual(r.xml?.value("Resource"), "/auth-bucket/hello.txt")

        client.signer = S3TestSigner()
        client.signer.accessKey = "SCWUNKNOWNKEY0000000"
        r = try client.send("GET", "/auth-bucket")
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.s3Code, "InvalidAccessKeyId")

        client.signer = S3TestSigner()
        r = try client.send("GET", "/auth-bucket", query: [("prefix", "a")]) { $0 = $0.replacingOccurrences(of: "prefix=a", with: "prefix=b") }
        XCTAssertEqual(r.s3Code, "SignatureDoesNotMatch", "tampered query")
        r = try client.send("GET", "/auth-bucket/hello.txt") { $0 = $0.replacingOccurrences(of: "hello", with: "hellO") }
        XCTAssertEqual(r.s3Code, "SignatureDoesNotMatch", "tampered path")
        r = try client.send("PUT", "/auth-bucket/x", body: Array("sent".utf8), payloadHash: S3Crypto.hex(S3Crypto.sha256(Array("signed".utf8))))
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.s3Code, "XAmzContentSHA256Mismatch")
        r = try client.send("PUT", "/auth-bucket/x", body: Array("any".utf8), payloadHash: "UNSIGNED-PAYLOAD")
        XCTAssertEqual(r.status, 200, "UNSIGNED-PAYLOAD accepted: \(r.text)")
        // signed without x-amz-content-sha256 (curl --aws-sigv4 before 8.x): the body's hash is signed
        let amzDate = S3TestSigner.amzDate(Date())
        let headers = [("Host", "127.0.0.1:\(harness.port)"), ("x-amz-date", amzDate)]
        let s = client.signer.signature(method: "PUT", path: "/auth-bucket/nohash", query: [], headers: headers,
                                        payloadHash: S3Crypto.hex(S3Crypto.sha256(Array("curl".utf8))), amzDate: amzDate)
        client.connection.sendRaw("PUT /auth-bucket/nohash HTTP/1.1\r\nHost: 127.0.0.1:\(harness.port)\r\nx-amz-date: \(amzDate)\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=\(client.signer.accessKey)/\(s.scope), SignedHeaders=\(s.signedHeaders), Signature=\(s.signature)\r\n"
            + "Content-Length: 4\r\n\r\ncurl")
        XCTAssertEqual(try client.connection.readResponse(method: "PUT").status, 200)
        XCTAssertEqual(try client.expect(200, "GET", "/auth-bucket/nohash").text, "curl")
    }

    func testClockSkewAndRegion() throws {
        var r = try client.send("GET", "/auth-bucket", date: Date().addingTimeInterval(-20 * 60))
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.s3Code, "RequestTimeTooSkewed")
        r = try client.send("GET", "/auth-bucket", date: Date().addingTimeInterval(16 * 60))
        XCTAssertEqual(r.s3Code, "RequestTimeTooSkewed")
        XCTAssertEqual(try client.send("GET", "/auth-bucket", date: Date().addingTimeInterval(-10 * 60)).status, 200)

        client.signer.region = "us-east-1"
        r = try client.send("GET", "/auth-bucket")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.s3Code, "AuthorizationHeaderMalformed")
        client.signer.region = "nl-ams"
        r = try client.send("GET", "/", host: "auth-bucket.s3.fr-par.localhost:\(harness.port)")
        XCTAssertEqual(r.s3Code, "AuthorizationHeaderMalformed", "scope region differs from the host's")
        r = try client.send("GET", "/auth-bucket")
        XCTAssertEqual(r.status, 301, "a fr-par bucket addressed in nl-ams")
        XCTAssertEqual(r.s3Code, "PermanentRedirect")
        XCTAssertEqual(r.header("x-amz-bucket-region"), "fr-par")
    }

    func testPresignedURLs() throws {
        let c = client.connection
        func get(_ target: String) throws -> TestResponse {
            c.sendRaw("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(harness.port)\r\n\r\n")
            return try c.readResponse()
        }
        XCTAssertEqual(try get(client.presigned("GET", "/auth-bucket/hello.txt")).text, "hello")
        let old = client.presigned("GET", "/auth-bucket/hello.txt", expires: 60, date: Date().addingTimeInterval(-3600))
        var r = try get(old)
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.s3Code, "AccessDenied")
        XCTAssertEqual(r.xml?.value("Message"), "Request has expired")
        r = try get(client.presigned("GET", "/auth-bucket/hello.txt").replacingOccurrences(of: "hello.txt", with: "other.txt"))
        XCTAssertEqual(r.s3Code, "SignatureDoesNotMatch")
    }

    func testAnonymousAccessFollowsTheACL() throws {
        let c = client.connection
        let host = "auth-bucket.s3.fr-par.localhost:\(harness.port)"
        func anonymous(_ method: String, _ path: String) throws -> TestResponse {
            c.sendRaw("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Length: 0\r\n\r\n")
            return try c.readResponse(method: method)
        }
        XCTAssertEqual(try anonymous("GET", "/hello.txt").s3Code, "AccessDenied")
        try client.expect(200, "PUT", "/auth-bucket", query: [("acl", "")], headers: [("x-amz-acl", "public-read")])
        XCTAssertEqual(try anonymous("GET", "/hello.txt").text, "hello")
        XCTAssertEqual(try anonymous("GET", "/").status, 200)
        XCTAssertEqual(try anonymous("PUT", "/new.txt").status, 403)
        XCTAssertEqual(try anonymous("GET", "/?acl").status, 403)
    }

    func testProjectSuffixActsInAnotherProject() throws {
        let other = "22222222-2222-4222-8222-222222222222"
        client.signer.accessKey = "SCWLOCALEMULATOR0000@\(other)"
        var r = try client.send("PUT", "/auth-bucket")
        XCTAssertEqual(r.status, 409)
        XCTAssertEqual(r.s3Code, "BucketAlreadyExists")
        XCTAssertEqual(try client.send("GET", "/auth-bucket/hello.txt").s3Code, "AccessDenied")
        try client.expect(200, "PUT", "/other-project-bucket")
        r = try client.expect(200, "GET", "/other-project-bucket", query: [("acl", "")])
        XCTAssertEqual(r.xml?.child("Owner")?.value("ID"), "\(other):\(other)")
        client.signer.accessKey = "SCWLOCALEMULATOR0000@not-a-uuid"
        XCTAssertEqual(try client.send("GET", "/other-project-bucket").s3Code, "InvalidAccessKeyId")
        let resources = try harness.expect(200, "GET", "/__emulator/resources?kind=bucket")["resources"]?.arrayValue ?? []
        XCTAssertEqual(resources.compactMap { $0["project_id"]?.stringValue }, [ServiceContext.emulatorProjectID, other])
    }

    /// STREAMING-AWS4-HMAC-SHA256-PAYLOAD: each chunk signed, chained from the request signature.
    func testSignedChunks() throws {
        func put(corrupt: Bool) throws -> TestResponse {
            let data = [Array("first chunk, ".utf8), Array("second".utf8)]
            let amzDate = S3TestSigner.amzDate(Date())
            let signer = client.signer
            let headers = [("Host", "127.0.0.1:\(harness.port)"), ("x-amz-date", amzDate),
                           ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), ("Content-Encoding", "aws-chunked"),
                           ("x-amz-decoded-content-length", "19")]
            let s = signer.signature(method: "PUT", path: "/auth-bucket/chunked", query: [], headers: headers,
                                     payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", amzDate: amzDate)
            var previous = s.signature
            var body: [UInt8] = []
            for chunk in data + [[]] {
                let toSign = "AWS4-HMAC-SHA256-PAYLOAD\n\(amzDate)\n\(s.scope)\n\(previous)\n" + S3Crypto.hex(S3Crypto.sha256([])) + "\n"
                    + S3Crypto.hex(S3Crypto.sha256(chunk))
                var sig = S3Crypto.hex(S3Crypto.hmacSHA256(key: signer.key(String(amzDate.prefix(8))), Array(toSign.utf8)))
                previous = sig
                if corrupt && chunk.isEmpty { sig = String(sig.reversed()) }
                body += Array("\(String(chunk.count, radix: 16));chunk-signature=\(sig)\r\n".utf8) + chunk + Array("\r\n".utf8)
            }
            var head = "PUT /auth-bucket/chunked HTTP/1.1\r\n"
            for (k, v) in headers { head += "\(k): \(v)\r\n" }
            head += "Authorization: AWS4-HMAC-SHA256 Credential=\(signer.accessKey)/\(s.scope), SignedHeaders=\(s.signedHeaders), Signature=\(s.signature)\r\n"
            head += "Content-Length: \(body.count)\r\n\r\n"
            client.connection.sendRaw(Array(head.utf8) + body)
            return try client.connection.readResponse(method: "PUT")
        }
        XCTAssertEqual(try put(corrupt: false).status, 200)
        XCTAssertEqual(try client.expect(200, "GET", "/auth-bucket/chunked").text, "first chunk, second")
        let r = try put(corrupt: true)
        XCTAssertEqual(r.status, 403)
        XCTAssertEqual(r.s3Code, "SignatureDoesNotMatch")
    }

    func testJSONAPIsUnaffected() throws {
        try harness.expect(200, "GET", "/vpc/v2/regions/fr-par/vpcs")
        XCTAssertEqual(try harness.call("GET", "/vpc/v2/regions/fr-par/vpcs", token: nil).status, 401)
    }
}

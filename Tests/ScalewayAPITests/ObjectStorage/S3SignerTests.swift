// S3SignerTests: our SigV4 signer against botocore's (Tests/Fixtures/sigv4-vectors.json, written by
// scripts/sigv4-vectors.py), the AWS documentation's S3 example, and the digest primitives
// against published vectors.

import Foundation
import XCTest
import ScwCore
import ScwTestSupport
@testable import ScalewayAPI

final class S3SignerTests: XCTestCase {
    private func fixture() throws -> Value {
        let path = Fixtures.root.appendingPathComponent("sigv4-vectors.json").path
        return try JSON.decode(try String(contentsOfFile: path, encoding: .utf8))
    }

    private func pairs(_ v: Value?) -> [(String, String)] {
        (v?.listValue ?? []).compactMap { p in
            guard let a = p.listValue, a.count == 2, let k = a[0].stringValue, let v = a[1].stringValue else { return nil }
            return (k, v)
        }
    }

    private func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = hex.makeIterator()
        while let a = chars.next(), let b = chars.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return out
    }

    func testSameAuthorizationAsBotocoreForEveryVector() throws {
        let doc = try fixture()
        let cases = try XCTUnwrap(doc["cases"]?.listValue)
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        var regions = Set<String>()
        for c in cases {
            let name = c["name"]?.stringValue ?? "?"
            let expected = try XCTUnwrap(c["expected"])
            let target = S3Target(scheme: c["scheme"]!.stringValue!, host: c["host"]!.stringValue!, path: c["path"]!.stringValue!,
                                  query: pairs(c["query"]))
            let signer = S3Signer(accessKey: c["access_key"]!.stringValue!, secretKey: c["secret_key"]!.stringValue!,
                                  region: c["region"]!.stringValue!)
            regions.insert(signer.region)
            let epoch = try XCTUnwrap(S3Time.parse(c["timestamp"]!.stringValue!), name)
            let body = bytes(hex: c["body_hex"]!.stringValue!)
            let signed = signer.sign(method: c["method"]!.stringValue!, target: target, headers: pairs(c["headers"]), body: body.isEmpty ? nil : body,
                                     payload: c["unsigned_payload"]?.boolValue == true ? .unsigned : .signed, epochSeconds: Int64(epoch))
            XCTAssertEqual(target.url, expected["url"]?.stringValue, name)
            XCTAssertEqual(signed.canonicalRequest, expected["canonical_request"]?.stringValue, name)
            XCTAssertEqual(signed.stringToSign, expected["string_to_sign"]?.stringValue, name)
            XCTAssertEqual(signed.authorization, expected["authorization"]?.stringValue, name)
            XCTAssertEqual(signed.payloadHash, expected["x_amz_content_sha256"]?.stringValue, name)
            let sent = Dictionary(signed.headers.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(sent["x-amz-date"], expected["x_amz_date"]?.stringValue, name)
            XCTAssertEqual(sent["authorization"], expected["authorization"]?.stringValue, name)
        }
        XCTAssertGreaterThanOrEqual(regions.count, 4, "vectors cover several regions")
    }

    func testVectorsCoverWhatTheIssueAsks() throws {
        let cases = try XCTUnwrap(try fixture()["cases"]?.listValue)
        XCTAssertTrue(cases.contains { $0["unsigned_payload"]?.boolValue == true && $0["body_hex"]?.stringValue != "" }, "unsigned, with a body")
        XCTAssertTrue(cases.contains { $0["unsigned_payload"]?.boolValue == true && $0["body_hex"]?.stringValue == "" }, "unsigned, empty")
        XCTAssertTrue(cases.contains { $0["unsigned_payload"]?.boolValue == false && $0["body_hex"]?.stringValue != "" }, "signed, with a body")
        XCTAssertTrue(cases.contains { $0["unsigned_payload"]?.boolValue == false && $0["body_hex"]?.stringValue == "" }, "signed, empty")
        let paths = cases.compactMap { $0["path"]?.stringValue }
        for special in [" ", "+", "=", "é", "☃"] {
            XCTAssertTrue(paths.contains { $0.contains(special) }, "a key with '\(special)'")
        }
        XCTAssertTrue(cases.contains { ($0["access_key"]?.stringValue ?? "").contains("@") }, "access_key@project_id")
    }

    /// The GET Object example of the AWS S3 documentation ("Signature Calculations for the
    /// Authorization Header: Transferring Payload in a Single Chunk").
    func testAWSDocumentationGetObjectExample() {
        let signer = S3Signer(accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let target = S3Target(scheme: "https", host: "examplebucket.s3.amazonaws.com", path: "/test.txt")
        let signed = signer.sign(method: "GET", target: target, headers: [("Range", "bytes=0-9")], body: nil,
                                 epochSeconds: Int64(S3Time.parse("20130524T000000Z")!))
        XCTAssertEqual(signed.authorization,
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The signing key example of the AWS General Reference (iam, us-east-1, 20120215).
    func testSigningKeyExample() {
        let signer = S3Signer(accessKey: "x", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "iam")
        XCTAssertEqual(S3Hashing.hex(signer.signingKey(day: "20120215")), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    func testDigestsAgainstPublishedVectors() {
        XCTAssertEqual(S3Hashing.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(S3Hashing.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // RFC 4231 test case 2.
        XCTAssertEqual(S3Hashing.hex(S3Hashing.hmacSHA256(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertEqual(S3Hashing.contentMD5([]), "1B2M2Y8AsgTpgAmY7PhCfg==")
        XCTAssertEqual(S3Hashing.contentMD5(Array("The quick brown fox jumps over the lazy dog".utf8)), "nhB9nTcrtoJr2B01QqQZ1g==")
        XCTAssertEqual(S3Hashing.base64(Array("f".utf8)), "Zg==")
        XCTAssertEqual(S3Hashing.base64(Array("fo".utf8)), "Zm8=")
        XCTAssertEqual(S3Hashing.base64(Array("foobar".utf8)), "Zm9vYmFy")
    }

    func testTimes() {
        XCTAssertEqual(S3Time.amzDate(epochSeconds: 0), "19700101T000000Z")
        XCTAssertEqual(S3Time.amzDate(epochSeconds: 1_738_763_056), "20250205T134416Z")
        XCTAssertEqual(S3Time.amzDate(epochSeconds: 951_782_400), "20000229T000000Z")
        XCTAssertEqual(S3Time.parse("20250205T134416Z"), 1_738_763_056)
        XCTAssertEqual(S3Time.parse("2025-02-05T13:44:16.000Z"), 1_738_763_056)
        XCTAssertEqual(S3Time.parse("2025-02-05T14:44:16+01:00"), 1_738_763_056)
        XCTAssertEqual(S3Time.parse("Wed, 05 Feb 2025 13:44:16 GMT"), 1_738_763_056)
        XCTAssertNil(S3Time.parse("yesterday"))
        for t in stride(from: Int64(-86_400 * 800), to: 86_400 * 40_000, by: 86_400 * 97 + 3_601) {
            XCTAssertEqual(S3Time.parse(S3Time.amzDate(epochSeconds: t)).map { Int64($0) }, t)
        }
    }

    func testHostHeaderAndEncoding() {
        XCTAssertEqual(S3Target(scheme: "https", host: "S3.FR-PAR.scw.cloud:443", path: "/").hostHeader, "s3.fr-par.scw.cloud")
        XCTAssertEqual(S3Target(scheme: "http", host: "127.0.0.1:80", path: "/").hostHeader, "127.0.0.1")
        XCTAssertEqual(S3Target(scheme: "http", host: "127.0.0.1:9000", path: "/").hostHeader, "127.0.0.1:9000")
        XCTAssertEqual(S3Target.encode("a b/c+d=é~*"), "a%20b%2Fc%2Bd%3D%C3%A9~%2A")
        XCTAssertEqual(S3Target.encode("a b/c", keepSlash: true), "a%20b/c")
        XCTAssertEqual(S3Target(scheme: "https", host: "h", path: "k", query: [("b", "2"), ("a", ""), ("a", "1")]).canonicalQuery, "a=&a=1&b=2")
        XCTAssertEqual(S3Target(scheme: "https", host: "h", path: "/", query: [("acl", "")]).url, "https://h/?acl")
    }

    func testSignerNeverShowsTheSecret() {
        let signer = S3Signer(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "very-secret-value", region: "fr-par")
        let signed = signer.sign(method: "GET", target: S3Target(scheme: "https", host: "h", path: "/"), headers: [], body: nil, epochSeconds: 0)
        XCTAssertFalse("\(signer)".contains("very-secret"))
        XCTAssertFalse(signed.canonicalRequest.contains("very-secret") || signed.stringToSign.contains("very-secret")
                       || signed.headers.contains { $0.1.contains("very-secret") })
    }
}

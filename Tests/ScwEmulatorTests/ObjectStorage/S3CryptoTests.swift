// S3Crypto and the emulator's SigV4 pieces against published vectors: FIPS 180 SHA-256, RFC 4231
// HMAC-SHA256, RFC 1321 MD5, CRC32/CRC32C check values, and AWS's own SigV4 S3 examples.

import XCTest
@testable import ScwEmulator

final class S3CryptoTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    private func unhex(_ s: String) -> [UInt8] {
        let c = Array(s.utf8)
        return stride(from: 0, to: c.count, by: 2).map { UInt8(String(decoding: c[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }

    func testSHA256() {
        XCTAssertEqual(S3Crypto.hex(S3Crypto.sha256([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.sha256(bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.sha256(bytes("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"))),
                       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testHMACSHA256RFC4231() {
        // test case 1
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), bytes("Hi There"))),
                       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        // test case 2
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: bytes("Jefe"), bytes("what do ya want for nothing?"))),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // test case 3
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50))),
                       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
        // test case 6: a key longer than the block
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                                        bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
                       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        // test case 7
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: [UInt8](repeating: 0xaa, count: 131),
                                                        bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."))),
                       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    func testMD5AndCRC() {
        XCTAssertEqual(S3Crypto.hex(S3Crypto.md5([])), "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.md5(bytes("abc"))), "900150983cd24fb0d6963f7d28e17f72")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.md5(bytes("12345678901234567890123456789012345678901234567890123456789012345678901234567890"))),
                       "57edf4a22be3c955ac49da2e2107b67a")
        // the recorded ETags of the destroy-force cassette
        XCTAssertEqual(S3Crypto.hex(S3Crypto.md5(bytes("test content"))), "9473fdd0d880a43c21b7778d34872157")
        XCTAssertEqual(S3Crypto.crc32(bytes("123456789")), 0xCBF4_3926)
        XCTAssertEqual(S3Crypto.crc32c(bytes("123456789")), 0xE306_9283)
        // the recorded x-amz-checksum-crc32 values
        XCTAssertEqual(Data(S3Crypto.bigEndian(S3Crypto.crc32(bytes("test content")))).base64EncodedString(), "V/RnXQ==")
        XCTAssertEqual(Data(S3Crypto.bigEndian(S3Crypto.crc32([]))).base64EncodedString(), "AAAAAA==")
    }

    /// The "GET Object" example of AWS's SigV4 documentation for S3 (header-based auth).
    func testAWSDocumentedGetObjectExample() {
        let request = HTTPRequest(method: "GET", target: "/test.txt", headers: [
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), ("x-amz-date", "20130524T000000Z"),
        ])
        let canonical = S3Auth.canonicalRequest(request, signedHeaders: ["host", "range", "x-amz-content-sha256", "x-amz-date"],
                                                payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(S3Crypto.hex(S3Crypto.sha256(Array(canonical.utf8))), "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        let key = S3Auth.signingKey(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date: "20130524", region: "us-east-1")
        let toSign = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: key, Array(toSign.utf8))),
                       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The "GET Bucket (List Objects)" example: query parameters sorted and encoded.
    func testAWSDocumentedListObjectsExample() {
        let request = HTTPRequest(method: "GET", target: "/?max-keys=2&prefix=J", headers: [
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), ("x-amz-date", "20130524T000000Z"),
        ])
        let canonical = S3Auth.canonicalRequest(request, signedHeaders: ["host", "x-amz-content-sha256", "x-amz-date"],
                                                payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let key = S3Auth.signingKey(secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date: "20130524", region: "us-east-1")
        let toSign = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + S3Crypto.hex(S3Crypto.sha256(Array(canonical.utf8)))
        XCTAssertEqual(S3Crypto.hex(S3Crypto.hmacSHA256(key: key, Array(toSign.utf8))),
                       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    func testURIEncodingAndXML() throws {
        XCTAssertEqual(S3Auth.uriEncode("a b/c+d~é", keepSlash: true), "a%20b/c%2Bd~%C3%A9")
        XCTAssertEqual(S3Auth.uriEncode("a/b", keepSlash: false), "a%2Fb")
        let node = try XMLText.parse(Array("<?xml version=\"1.0\"?>\n<!-- c --><A x='1'>\n <B>t &amp; &#34;q&#x22;</B><C/><D><![CDATA[<raw>]]></D></A>".utf8))
        XCTAssertEqual(node.name, "A")
        XCTAssertEqual(node.attribute("x"), "1")
        XCTAssertEqual(node.value("B"), "t & \"q\"")
        XCTAssertEqual(node.value("C"), "")
        XCTAssertEqual(node.value("D"), "<raw>")
        XCTAssertEqual(node.rendered(), "<A x=\"1\"><B>t &amp; &#34;q&#34;</B><C/><D>&lt;raw&gt;</D></A>")
        for bad in ["", "<A>", "<A></B>", "<A/><B/>", "text", "<A>&bogus;</A>"] {
            XCTAssertThrowsError(try XMLText.parse(Array(bad.utf8)), bad)
        }
    }

    func testAmzDates() {
        XCTAssertEqual(S3Time.parseAmzDate("20130524T000000Z"), 1_369_353_600)
        XCTAssertNil(S3Time.parseAmzDate("2013-05-24T00:00:00Z"))
        XCTAssertEqual(S3Time.amzDate(1_369_353_600), "20130524T000000Z")
        XCTAssertEqual(S3Time.iso(milliseconds: 1_738_763_056_530), "2025-02-05T13:44:16.530Z")
        XCTAssertEqual(S3Time.http(milliseconds: 1_738_763_056_530), "Wed, 05 Feb 2025 13:44:16 GMT")
    }
}

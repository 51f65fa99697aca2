// Test double for S3 clients: an independent SigV4 signer (header and presigned forms; only the
// digests come from S3Crypto) and a client sending signed requests over a TestConnection.

import Foundation
import XCTest
@testable import ScwEmulator

struct S3TestSigner {
    var accessKey = "SCWLOCALEMULATOR0000"
    var secret = "00000000-0000-4000-8000-00000000e0e0"
    var region = "fr-par"

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    static func encode(_ s: String, slash: Bool = false) -> String {
        var allowed = unreserved
        if slash { allowed.insert(charactersIn: "/") }
        return s.addingPercentEncoding(withAllowedCharacters: allowed)!
    }

    static func amzDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return f.string(from: date)
    }

    func key(_ day: String) -> [UInt8] {
        var k = S3Crypto.hmacSHA256(key: Array("AWS4\(secret)".utf8), Array(day.utf8))
        for part in [region, "s3", "aws4_request"] { k = S3Crypto.hmacSHA256(key: k, Array(part.utf8)) }
        return k
    }

    /// Canonical query of decoded pairs.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let pairs: [[String]] = query.map { (name: String, value: String) -> [String] in [encode(name), encode(value)] }
        let sorted = pairs.sorted { (a: [String], b: [String]) -> Bool in a[0] == b[0] ? a[1] < b[1] : a[0] < b[0] }
        return sorted.map { (p: [String]) -> String in p[0] + "=" + p[1] }.joined(separator: "&")
    }

    /// Signature over a canonical request; returns (signature, scope).
    func signature(method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String,
                   amzDate: String) -> (signature: String, signedHeaders: String, scope: String) {
        let sorted = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }.sorted { $0.0 < $1.0 }
        let signedHeaders = sorted.map(\.0).joined(separator: ";")
        let canonical = [method, S3TestSigner.encode(path, slash: true), S3TestSigner.canonicalQuery(query),
                         sorted.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders, payloadHash].joined(separator: "\n")
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/s3/aws4_request"
        let toSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + S3Crypto.hex(S3Crypto.sha256(Array(canonical.utf8)))
        return (S3Crypto.hex(S3Crypto.hmacSHA256(key: key(day), Array(toSign.utf8))), signedHeaders, scope)
    }
}

/// Sends signed S3 requests to an emulator, path style on 127.0.0.1 unless a Host is given.
final class S3TestClient {
    let connection: TestConnection
    let port: Int
    var signer = S3TestSigner()

    init(port: Int) throws {
        self.port = port
        connection = try TestConnection(port: port)
    }

    /// One request. `path` is decoded (`/bucket/key`); `query` pairs decoded; `payloadHash` nil = sha256 of the body.
    @discardableResult
    func send(_ method: String, _ path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
              body: [UInt8] = [], host: String? = nil, payloadHash: String? = nil, date: Date = Date(),
              tamper: ((inout String) -> Void)? = nil) throws -> TestResponse {
        let amzDate = S3TestSigner.amzDate(date)
        let hash = payloadHash ?? S3Crypto.hex(S3Crypto.sha256(body))
        var signed = headers
        signed.append(("Host", host ?? "127.0.0.1:\(port)"))
        signed.append(("x-amz-date", amzDate))
        signed.append(("x-amz-content-sha256", hash))
        let s = signer.signature(method: method, path: path, query: query, headers: signed, payloadHash: hash, amzDate: amzDate)
        var target = S3TestSigner.encode(path, slash: true)
        if !query.isEmpty { target += "?" + query.map { "\(S3TestSigner.encode($0.0))=\(S3TestSigner.encode($0.1))" }.joined(separator: "&") }
        tamper?(&target)
        var head = "\(method) \(target) HTTP/1.1\r\n"
        for (name, value) in signed { head += "\(name): \(value)\r\n" }
        head += "Authorization: AWS4-HMAC-SHA256 Credential=\(signer.accessKey)/\(s.scope), SignedHeaders=\(s.signedHeaders), Signature=\(s.signature)\r\n"
        if !body.isEmpty || method == "PUT" || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        connection.sendRaw(Array((head + "\r\n").utf8) + body)
        return try connection.readResponse(method: method)
    }

    /// A presigned URL's target (path + query) for a GET or PUT without body signature.
    func presigned(_ method: String, _ path: String, expires: Int = 300, date: Date = Date()) -> String {
        let amzDate = S3TestSigner.amzDate(date)
        let day = String(amzDate.prefix(8))
        var query: [(String, String)] = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(signer.accessKey)/\(day)/\(signer.region)/s3/aws4_request"),
            ("X-Amz-Date", amzDate), ("X-Amz-Expires", String(expires)), ("X-Amz-SignedHeaders", "host"),
        ]
        let s = signer.signature(method: method, path: path, query: query, headers: [("Host", "127.0.0.1:\(port)")],
                                 payloadHash: "UNSIGNED-PAYLOAD", amzDate: amzDate)
        query.append(("X-Amz-Signature", s.signature))
        return S3TestSigner.encode(path, slash: true) + "?" + query.map { "\($0.0)=\(S3TestSigner.encode($0.1))" }.joined(separator: "&")
    }

    /// A request that must answer `status`.
    @discardableResult
    func expect(_ status: Int, _ method: String, _ path: String, query: [(String, String)] = [], headers: [(String, String)] = [],
                body: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> TestResponse {
        let r = try send(method, path, query: query, headers: headers, body: Array(body.utf8))
        XCTAssertEqual(r.status, status, "\(method) \(path) \(query): \(r.text)", file: file, line: line)
        return r
    }
}

extension TestResponse {
    /// The parsed XML body (nil when empty or not XML).
    var xml: XMLNode? { body.isEmpty ? nil : try? XMLText.parse(body) }
    /// `<Error><Code>` of an S3 error answer.
    var s3Code: String? { xml?.value("Code") }
}

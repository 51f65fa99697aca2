// S3Chunked: decodes aws-chunked request bodies (`hex-size[;chunk-signature=..]\r\n data \r\n ... 0\r\n
// trailers \r\n`), verifying chunk signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies.

import Foundation

enum S3Chunked {
    struct Decoded {
        var data: [UInt8] = []
        /// Trailer headers (`x-amz-checksum-crc32`...), names lowercased.
        var trailers: [String: String] = [:]
    }

    /// Whether the request body is aws-chunked.
    static func isChunked(_ request: HTTPRequest) -> Bool {
        if let hash = request.header("x-amz-content-sha256"), hash.hasPrefix("STREAMING-") { return true }
        return request.header("Content-Encoding")?.lowercased().contains("aws-chunked") == true
    }

    static func decode(_ body: [UInt8], identity: S3Identity) throws -> Decoded {
        let signed = identity.payloadHash.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        let emptyHash = S3Crypto.hex(S3Crypto.sha256([]))
        var previous = identity.signature
        var out = Decoded()
        var i = 0
        func line() throws -> String {
            guard i < body.count else { throw incomplete("the aws-chunked body ends early") }
            var j = i
            while j + 1 < body.count, !(body[j] == 13 && body[j + 1] == 10) { j += 1 }
            let end = j + 1 < body.count ? j : body.count
            let s = String(decoding: body[i..<end], as: UTF8.self)
            i = min(body.count, end + 2)
            return s
        }
        while true {
            let header = try line()
            let parts = header.split(separator: ";", maxSplits: 1)
            guard let sizeText = parts.first, let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
                throw incomplete("bad aws-chunked chunk header \"\(header.prefix(40))\"")
            }
            guard i + size <= body.count else { throw incomplete("an aws-chunked chunk is cut short") }
            let chunk = Array(body[i..<(i + size)])
            i += size
            if signed {
                let given = parts.count > 1 ? parts[1].split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" : ""
                let toSign = "AWS4-HMAC-SHA256-PAYLOAD\n\(identity.amzDate)\n\(identity.scope)\n\(previous)\n\(emptyHash)\n"
                    + S3Crypto.hex(S3Crypto.sha256(chunk))
                let expected = S3Crypto.hex(S3Crypto.hmacSHA256(key: identity.signingKey, Array(toSign.utf8)))
                guard given == expected else {
                    throw S3Error(403, "SignatureDoesNotMatch", "The chunk signature we calculated does not match the one you provided.",
                                  extra: [("StringToSign", toSign), ("SignatureProvided", given)])
                }
                previous = expected
            }
            if size == 0 { break }
            out.data += chunk
            guard i + 1 < body.count, body[i] == 13, body[i + 1] == 10 else { throw incomplete("an aws-chunked chunk lacks its CRLF") }
            i += 2
        }
        while i < body.count {
            let trailer = try line()
            if trailer.isEmpty { break }
            if let colon = trailer.firstIndex(of: ":") {
                out.trailers[trailer[..<colon].lowercased()] = trailer[trailer.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }

    private static func incomplete(_ message: String) -> S3Error {
        S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header (\(message)).")
    }
}

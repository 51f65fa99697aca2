// SSHPublicKey: parses an OpenSSH public key line (`type base64 [comment]`) as the IAM API
// does: the blob must decode and name the same type; the comment is dropped; the fingerprint
// is `<bits> MD5:xx:..:xx (<type>)`.

import Foundation

struct SSHPublicKey {
    static let types = ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    let type: String
    let blob: [UInt8]
    let bits: Int

    /// `type base64`, without the comment.
    var normalized: String { "\(type) \(Data(blob).base64EncodedString())" }

    var fingerprint: String {
        let md5 = S3Crypto.md5(blob).map { b -> String in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }
        return "\(bits) MD5:\(md5.joined(separator: ":")) (\(type))"
    }

    /// Why a text is not a supported public key.
    struct Problem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The key, or the reason the text is not a supported public key.
    static func parse(_ text: String) -> Result<SSHPublicKey, Problem> {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        guard fields.count >= 2 else { return .failure(Problem("expected \"<type> <base64 key> [comment]\"")) }
        let type = fields[0]
        guard types.contains(type) else { return .failure(Problem("unsupported key type \"\(type)\" (supported: \(types.joined(separator: ", ")))")) }
        guard let data = Data(base64Encoded: fields[1]) else { return .failure(Problem("the key is not valid base64")) }
        var reader = Reader(bytes: Array(data))
        guard let named = reader.string(), String(decoding: named, as: UTF8.self) == type else {
            return .failure(Problem("the key data does not match its type \"\(type)\""))
        }
        let bits: Int
        switch type {
        case "ssh-ed25519":
            guard let point = reader.string(), point.count == 32 else { return .failure(Problem("an ed25519 key holds 32 bytes")) }
            bits = 256
        case "ssh-rsa":
            guard reader.string() != nil, let modulus = reader.string(), !modulus.isEmpty else { return .failure(Problem("truncated RSA key")) }
            bits = SSHPublicKey.bitLength(modulus)
            guard bits >= 1024 else { return .failure(Problem("RSA keys must have at least 1024 bits")) }
        case "ssh-dss":
            guard let p = reader.string() else { return .failure(Problem("truncated DSA key")) }
            bits = SSHPublicKey.bitLength(p)
        default:
            guard reader.string() != nil, reader.string() != nil else { return .failure(Problem("truncated ECDSA key")) }
            bits = Int(type.dropFirst("ecdsa-sha2-nistp".count)) ?? 0
        }
        guard reader.atEnd else { return .failure(Problem("unexpected bytes after the key")) }
        return .success(SSHPublicKey(type: type, blob: Array(data), bits: bits))
    }

    private static func bitLength(_ mpint: [UInt8]) -> Int {
        guard let first = mpint.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (mpint.count - first - 1) * 8 + (8 - mpint[first].leadingZeroBitCount)
    }

    /// SSH wire format: uint32 big-endian length, then that many bytes.
    private struct Reader {
        let bytes: [UInt8]
        var pos = 0
        var atEnd: Bool { pos == bytes.count }

        mutating func string() -> [UInt8]? {
            guard pos + 4 <= bytes.count else { return nil }
            let n = bytes[pos..<pos + 4].reduce(0) { $0 << 8 | Int($1) }
            pos += 4
            guard n <= bytes.count - pos else { return nil }
            defer { pos += n }
            return Array(bytes[pos..<pos + n])
        }
    }
}

// CIDR: parsing and checks for IPv4 and IPv6 network prefixes ("10.0.1.0/24").

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// Network address bytes (4 or 16).
    public let bytes: [UInt8]
    public let prefix: Int

    public var isIPv6: Bool { bytes.count == 16 }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case hostBitsSet(String, suggestion: String)

        public var description: String {
            switch self {
            case .malformed(let s): return "'\(s)' is not a CIDR (expected e.g. 10.0.1.0/24 or fd00::/64)"
            case .hostBitsSet(let s, let suggestion): return "'\(s)' has host bits set (did you mean \(suggestion)?)"
            }
        }
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), !parts[1].hasPrefix("+"), !parts[1].hasPrefix("-") else {
            throw Problem.malformed(text)
        }
        let host = String(parts[0])
        var bytes: [UInt8]
        if host.contains(":") {
            var addr = in6_addr()
            guard inet_pton(AF_INET6, host, &addr) == 1, prefix >= 0, prefix <= 128 else { throw Problem.malformed(text) }
            bytes = withUnsafeBytes(of: &addr) { Array($0) }
        } else {
            var addr = in_addr()
            guard inet_pton(AF_INET, host, &addr) == 1, prefix >= 0, prefix <= 32 else { throw Problem.malformed(text) }
            bytes = withUnsafeBytes(of: &addr) { Array($0) }
        }
        let masked = CIDR.mask(bytes, prefix: prefix)
        if masked != bytes {
            throw Problem.hostBitsSet(text, suggestion: CIDR(bytes: masked, prefix: prefix).description)
        }
        self.bytes = bytes
        self.prefix = prefix
    }

    init(bytes: [UInt8], prefix: Int) {
        self.bytes = bytes
        self.prefix = prefix
    }

    static func mask(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        var out = bytes
        for i in 0..<out.count {
            let bitsHere = max(0, min(8, prefix - i * 8))
            out[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
        }
        return out
    }

    public var description: String {
        if !isIPv6 { return bytes.map(String.init).joined(separator: ".") + "/\(prefix)" }
        var addr = in6_addr()
        withUnsafeMutableBytes(of: &addr) { raw in for i in 0..<16 { raw[i] = bytes[i] } }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text + "/\(prefix)"
    }
}

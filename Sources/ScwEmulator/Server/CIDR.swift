// CIDR: IPv4/IPv6 prefixes: strict parsing, canonical text (RFC 5952 for IPv6), overlap tests,
// and allocation of the first (or a random) free block of a given size inside a pool.

struct CIDR: Equatable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    let address: [UInt8]
    let prefix: Int

    var isIPv4: Bool { address.count == 4 }
    var bitCount: Int { address.count * 8 }

    init(address: [UInt8], prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    /// "172.16.32.0/22" or "fd46:78ab:30b8:c2f2::/64"; nil when malformed.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), !parts[1].hasPrefix("+") else { return nil }
        let host = String(parts[0])
        guard let bytes = host.contains(":") ? CIDR.parseIPv6(host) : CIDR.parseIPv4(host) else { return nil }
        guard prefix >= 0, prefix <= bytes.count * 8 else { return nil }
        self.init(address: bytes, prefix: prefix)
    }

    /// Whether the bits after the prefix are all zero ("172.16.32.0/22" yes, "172.16.33.0/22" no).
    var isNetworkAddress: Bool { masked == self }

    /// The same prefix with host bits cleared.
    var masked: CIDR {
        var bytes = address
        for i in 0..<bytes.count {
            let keep = max(0, min(8, prefix - i * 8))
            bytes[i] &= keep == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF00 >> keep)
        }
        return CIDR(address: bytes, prefix: prefix)
    }

    func overlaps(_ other: CIDR) -> Bool {
        guard address.count == other.address.count else { return false }
        let common = min(prefix, other.prefix)
        var i = 0
        while i * 8 < common {   // compare the common prefix byte by byte, without allocating
            let bits = min(8, common - i * 8)
            let mask: UInt8 = bits == 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF00 >> bits)
            if (address[i] ^ other.address[i]) & mask != 0 { return false }
            i += 1
        }
        return true
    }

    var description: String {
        (isIPv4 ? address.map(String.init).joined(separator: ".") : CIDR.formatIPv6(address)) + "/\(prefix)"
    }

    // MARK: allocation

    /// The `index`-th block of length `blockPrefix` inside this prefix.
    func block(_ index: Int, prefix blockPrefix: Int) -> CIDR {
        var bytes = masked.address
        for bit in 0..<(blockPrefix - prefix) where (index >> bit) & 1 == 1 {
            let position = blockPrefix - 1 - bit
            bytes[position / 8] |= UInt8(0x80 >> (position % 8))
        }
        return CIDR(address: bytes, prefix: blockPrefix)
    }

    /// How many blocks of length `blockPrefix` this prefix holds (capped to keep it an Int).
    func blockCount(prefix blockPrefix: Int) -> Int { 1 << min(30, blockPrefix - prefix) }

    /// The first block of length `blockPrefix` that overlaps none of `taken`.
    func firstFree(prefix blockPrefix: Int, avoiding taken: [CIDR]) -> CIDR? {
        for i in 0..<blockCount(prefix: blockPrefix) {
            let candidate = block(i, prefix: blockPrefix)
            if !taken.contains(where: { $0.overlaps(candidate) }) { return candidate }
        }
        return nil
    }

    /// A random free block (falls back to the first free one after a few misses).
    func randomFree(prefix blockPrefix: Int, avoiding taken: [CIDR]) -> CIDR? {
        let count = blockCount(prefix: blockPrefix)
        for _ in 0..<32 {
            let candidate = block(Int.random(in: 0..<count), prefix: blockPrefix)
            if !taken.contains(where: { $0.overlaps(candidate) }) { return candidate }
        }
        return firstFree(prefix: blockPrefix, avoiding: taken)
    }

    // MARK: text

    static func parseIPv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), p.allSatisfy(\.isNumber),
                  p.count == 1 || !p.hasPrefix("0"), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }

    static func parseIPv6(_ s: String) -> [UInt8]? {
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, g) in items.enumerated() {
                if i == items.count - 1, g.contains("."), let v4 = parseIPv4(String(g)) {
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// RFC 5952: lowercase, no leading zeros, the longest run (≥ 2) of zero groups as "::".
    static func formatIPv6(_ bytes: [UInt8]) -> String {
        let groups = (0..<8).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        return hex[0..<bestStart].joined(separator: ":") + "::" + hex[(bestStart + bestLength)...].joined(separator: ":")
    }
}

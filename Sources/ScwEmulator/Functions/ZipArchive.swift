// ZipArchive (emulator side): reads the names held by a zip archive from its central
// directory, so an upload can be checked to be a zip and a build can look for the handler's
// file. Written here because the emulator shares no code with the client's zip writer.

enum ZipArchive {
    struct NotAZip: Error, CustomStringConvertible {
        let description: String
    }

    /// The entry names (directories end with `/`), or why the bytes are not a zip archive.
    static func entryNames(_ bytes: [UInt8]) throws -> [String] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 22 else { throw NotAZip(description: "too short to be a zip archive (\(bytes.count) bytes)") }
        var eocd = -1
        var i = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while i >= lowest {
            if u32(i) == 0x0605_4b50 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw NotAZip(description: "no end of central directory record: not a zip archive") }
        let count = u16(eocd + 10)
        let size = u32(eocd + 12)
        var offset = u32(eocd + 16)
        guard offset + size <= eocd else { throw NotAZip(description: "central directory out of bounds") }
        if count > 0, u32(0) != 0x0403_4b50 { throw NotAZip(description: "does not start with a local file header") }
        var names: [String] = []
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4b50 else {
                throw NotAZip(description: "malformed central directory entry at byte \(offset)")
            }
            let nameLength = u16(offset + 28), extra = u16(offset + 30), comment = u16(offset + 32)
            guard offset + 46 + nameLength <= bytes.count else { throw NotAZip(description: "entry name out of bounds") }
            names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
            offset += 46 + nameLength + extra + comment
        }
        return names
    }
}

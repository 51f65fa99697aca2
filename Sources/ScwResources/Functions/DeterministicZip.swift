// DeterministicZip: a small zip writer whose bytes depend only on the files' relative paths,
// contents and executable bit: entries sorted by path, every timestamp fixed (1980-01-01),
// no extra fields, stored (uncompressed). The same folder gives the same bytes on any
// machine, whatever the order the filesystem lists files in or their modification times, so
// the hash of the archive says whether the code changed.

import Foundation

enum DeterministicZip {
    struct Entry {
        var path: String
        var data: [UInt8]
        var executable: Bool
    }

    /// The archive of `entries` (sorted here by path, bytewise).
    static func archive(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        let sorted = entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        for entry in sorted {
            let name = Array(entry.path.utf8)
            let crc = crc32(entry.data)
            let offset = out.count
            // local file header: version 2.0, UTF-8 names (bit 11), stored, DOS time 00:00 / date 1980-01-01
            out += u32(0x0403_4b50) + u16(20) + u16(0x0800) + u16(0) + u16(0) + u16(0x0021)
            out += u32(crc) + u32(UInt32(entry.data.count)) + u32(UInt32(entry.data.count)) + u16(UInt16(name.count)) + u16(0)
            out += name + entry.data
            let mode: UInt32 = entry.executable ? 0o100755 : 0o100644
            central += u32(0x0201_4b50) + u16(0x031e) + u16(20) + u16(0x0800) + u16(0) + u16(0) + u16(0x0021)
            central += u32(crc) + u32(UInt32(entry.data.count)) + u32(UInt32(entry.data.count)) + u16(UInt16(name.count))
            central += u16(0) + u16(0) + u16(0) + u16(0) + u32(mode << 16) + u32(UInt32(offset)) + name
        }
        let start = out.count
        out += central
        out += u32(0x0605_4b50) + u16(0) + u16(0) + u16(UInt16(sorted.count)) + u16(UInt16(sorted.count))
        out += u32(UInt32(central.count)) + u32(UInt32(start)) + u16(0)
        return out
    }

    /// Every regular file below `folder` (symbolic links followed, `.git` folders skipped),
    /// with paths relative to it and `/` separators.
    static func entries(inFolder folder: String) throws -> [Entry] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let fm = FileManager.default
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .isDirectoryKey],
                                         options: []) else { return [] }
        var out: [Entry] = []
        for case let url as URL in walker {
            let resolved = url.resolvingSymlinksInPath()
            let values = try resolved.resourceValues(forKeys: [.isRegularFileKey, .isDirectoryKey])
            if values.isDirectory == true {
                if url.lastPathComponent == ".git" { walker.skipDescendants() }
                continue
            }
            guard values.isRegularFile == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count)).drop { $0 == "/" }
            let data = try [UInt8](Data(contentsOf: resolved))
            out.append(Entry(path: String(relative), data: data, executable: fm.isExecutableFile(atPath: resolved.path)))
        }
        return out
    }

    private static func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private static func u32(_ v: UInt32) -> [UInt8] { u16(UInt16(v & 0xffff)) + u16(UInt16(v >> 16)) }
    private static func u32(_ v: Int) -> [UInt8] { u32(UInt32(truncatingIfNeeded: v)) }

    private static let crcTable: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (IEEE), as zip wants it.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

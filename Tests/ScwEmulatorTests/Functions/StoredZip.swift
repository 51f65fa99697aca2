// A minimal stored (uncompressed) zip builder for the emulator tests, which cannot use the
// client's writer (the emulator target shares no code with the client).

import Foundation
@testable import ScwEmulator

enum StoredZip {
    static func make(_ files: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func u32(_ v: Int) -> [UInt8] { u16(v & 0xffff) + u16((v >> 16) & 0xffff) }
        for (name, text) in files {
            let data = Array(text.utf8), n = Array(name.utf8)
            let crc = Int(S3Crypto.crc32(data))
            let offset = out.count
            out += u32(0x0403_4b50) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc) + u32(data.count) + u32(data.count)
                + u16(n.count) + u16(0) + n + data
            central += u32(0x0201_4b50) + u16(20) + u16(20) + u16(0) + u16(0) + u16(0) + u16(0x21) + u32(crc) + u32(data.count)
                + u32(data.count) + u16(n.count) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(offset) + n
        }
        let start = out.count
        out += central
        out += u32(0x0605_4b50) + u16(0) + u16(0) + u16(files.count) + u16(files.count) + u32(central.count) + u32(start) + u16(0)
        return out
    }
}

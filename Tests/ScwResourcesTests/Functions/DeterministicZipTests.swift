// DeterministicZipTests: the same folder zipped twice, with the files written in another
// order and other timestamps, gives identical bytes; a changed file changes them; the archive
// is a valid zip (read back by the system's unzip when there is one, and by its own layout).

import Foundation
import XCTest
@testable import ScwResources

final class DeterministicZipTests: XCTestCase {
    var base = ""

    override func setUpWithError() throws {
        base = NSTemporaryDirectory() + "zip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: base) }

    func write(_ folder: String, _ files: [(String, String)], mtime: Date) throws {
        for (path, text) in files {
            let full = "\(base)/\(folder)/\(path)"
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: full)
        }
    }

    func testSameFilesGiveTheSameBytesWhateverTheOrderAndTimestamps() throws {
        let files = [("handler.js", "exports.handle = () => 1\n"), ("lib/a.js", "a"), ("lib/b.js", "b"), ("README", "r"), ("z/y/x.txt", "deep")]
        try write("one", files, mtime: Date(timeIntervalSince1970: 1_000_000))
        try write("two", files.reversed(), mtime: Date())   // other creation order, other times
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 42)], ofItemAtPath: "\(base)/two/lib/a.js")
        let a = DeterministicZip.archive(try DeterministicZip.entries(inFolder: "\(base)/one"))
        let b = DeterministicZip.archive(try DeterministicZip.entries(inFolder: "\(base)/two"))
        XCTAssertEqual(a, b, "identical bytes")
        XCTAssertEqual(DeterministicZip.archive(try DeterministicZip.entries(inFolder: "\(base)/one").reversed()), a, "entry order does not matter")
        try "exports.handle = () => 2\n".write(toFile: "\(base)/two/handler.js", atomically: false, encoding: .utf8)
        XCTAssertNotEqual(DeterministicZip.archive(try DeterministicZip.entries(inFolder: "\(base)/two")), a, "a changed file changes the bytes")
    }

    func testArchiveIsAValidZip() throws {
        try write("src", [("handler.js", "exports.handle = () => 1\n"), ("lib/util.js", "module.exports = 1\n")], mtime: Date())
        let bytes = DeterministicZip.archive(try DeterministicZip.entries(inFolder: "\(base)/src"))
        XCTAssertEqual(Array(bytes.prefix(4)), [0x50, 0x4b, 0x03, 0x04])
        XCTAssertEqual(DeterministicZip.crc32(Array("123456789".utf8)), 0xCBF4_3926, "CRC-32 check value")
        let zip = "\(base)/code.zip"
        try Data(bytes).write(to: URL(fileURLWithPath: zip))
        let unzip = ["/usr/bin/unzip", "/bin/unzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        // scripts/setup.sh installs unzip: a missing tool fails the test instead of skipping it.
        let tool = try XCTUnwrap(unzip, "unzip is not installed (scripts/setup.sh installs it)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = ["-t", zip]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("lib/util.js") && text.contains("handler.js"), text)
    }
}

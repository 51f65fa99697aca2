// FunctionCode: a function's code as the bytes that go up: `source` (a folder zipped by
// DeterministicZip) or `zip_file` (an archive as it is), resolved against the script's folder,
// checked (exists, not empty, a zip, under the upload limit) with errors naming the prop.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

struct FunctionCode {
    /// The largest archive the upload URL takes.
    static let maxBytes = 100 * 1024 * 1024

    let bytes: [UInt8]
    /// Hex SHA-256 of `bytes`.
    let hash: String

    /// The code the inputs name, or nil when they name none; throws a located Diagnostic.
    static func load(_ inputs: [String: Value], baseDirectory: String, context: ProviderContext,
                     readable: (String, String, String) throws -> Void = { _, _, _ in }) throws -> FunctionCode? {
        let source = inputs["source"]?.stringValue
        let zipFile = inputs["zip_file"]?.stringValue
        func fail(_ prop: String, _ message: String, hint: String? = nil) -> Diagnostic {
            Diagnostic("\(prop): \(message)", at: .resource(context.address), hint: hint)
        }
        if source != nil, zipFile != nil { throw fail("source", "give either source (a folder) or zip_file (an archive), not both") }
        let bytes: [UInt8]
        if let source {
            let path = resolve(source, baseDirectory)
            try readable(path, "source", source)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw fail("source", "folder \(source) does not exist (looked at \(path))")
            }
            guard isDir.boolValue else { throw fail("source", "\(source) is a file, not a folder", hint: "use zip_file for an archive") }
            let entries: [DeterministicZip.Entry]
            do {
                entries = try DeterministicZip.entries(inFolder: path)
            } catch {
                throw fail("source", "cannot read \(source): \(error.localizedDescription)")
            }
            guard !entries.isEmpty else { throw fail("source", "folder \(source) holds no file") }
            let total = entries.reduce(0) { $0 + $1.data.count }
            guard total <= maxBytes else { throw fail("source", "folder \(source) holds \(total) bytes; the upload limit is \(maxBytes) bytes") }
            bytes = DeterministicZip.archive(entries)
        } else if let zipFile {
            let path = resolve(zipFile, baseDirectory)
            try readable(path, "zip_file", zipFile)
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else {
                throw fail("zip_file", "\(zipFile) does not exist (looked at \(path))")
            }
            guard size.intValue <= maxBytes else {
                throw fail("zip_file", "\(zipFile) is \(size.intValue) bytes; the upload limit is \(maxBytes) bytes")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw fail("zip_file", "cannot read \(zipFile)") }
            bytes = [UInt8](data)
            guard bytes.count >= 22, bytes.starts(with: [0x50, 0x4b]) else { throw fail("zip_file", "\(zipFile) is not a zip archive") }
        } else {
            return nil
        }
        guard bytes.count <= maxBytes else { throw fail(source != nil ? "source" : "zip_file", "the archive is \(bytes.count) bytes; the upload limit is \(maxBytes) bytes") }
        return FunctionCode(bytes: bytes, hash: S3Hashing.sha256Hex(bytes))
    }

    private static func resolve(_ path: String, _ base: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return ((base.isEmpty ? "." : base) as NSString).appendingPathComponent(expanded)
    }
}

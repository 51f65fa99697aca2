import Foundation
import ScwCore
import ScwEngine
import ScwResources
@testable import ScwScript

/// Writes `code` to a temp `infra.lua` and runs it with the scaleway module.
func runScript(_ code: String, file: String = "infra.lua") throws -> (ScriptSession, Program) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scwscript-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(file).path
    try code.write(toFile: path, atomically: true, encoding: .utf8)
    let session = try ScriptSession(schemas: Providers.schemas, libraryPaths: [dir.path])
    let cwd = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(dir.path)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
    return (session, try session.run(file: file))
}

/// The error text a script fails with.
func scriptError(_ code: String) -> String {
    do {
        _ = try runScript(code)
        return "(no error)"
    } catch {
        return String(describing: error)
    }
}

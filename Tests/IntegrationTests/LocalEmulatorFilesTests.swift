// LocalEmulatorFilesTests: `--local` keeps its cloud (secret tags, user data) in
// `.scwlua/emulator.json`: the built binary makes the folder 0700 and the file 0600 even
// under umask 000.

import Foundation
import ScwTestSupport
import XCTest

final class LocalEmulatorFilesTests: IntegrationCase {
    func testLocalEmulatorFilesArePrivateWhateverTheUmask() throws {
        try writeScript("""
            local scw = require "scaleway"
            scw.Vpc "main" { region = "fr-par", tags = { scw.secret("hunter2-local-tag") } }
            """)
        let old = umask(0)
        let deployed: RunResult
        do { defer { umask(old) }
            deployed = try scwlua(["deploy", "infra.lua", "--local", "--yes"])
        }
        expectSuccess(deployed, "deploy --local")
        let folder = dir + "/.scwlua"
        let file = folder + "/emulator.json"
        XCTAssertEqual(try mode(of: folder), 0o700, "\(folder) mode")
        XCTAssertEqual(try mode(of: file), 0o600, "\(file) mode")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.contains("hunter2-local-tag"), "the emulated cloud holds the tag (why the file must be private)")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            XCTAssertEqual(try mode(of: folder + "/" + name) & 0o077, 0, "\(name) is readable by others")
        }
        // Saved again on the next write: still private.
        let destroyed = try scwlua(["destroy", "infra.lua", "--local", "--yes"])
        expectSuccess(destroyed, "destroy --local")
        XCTAssertEqual(try mode(of: file), 0o600, "\(file) mode after a rewrite")
    }

    private func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}

// scw.project_id, scw.organization_id, scw.region and scw.zone: the configured defaults, seen
// by scripts, following scw.defaults { ... } once it overrides them.

import Foundation
import XCTest
import ScwLua

final class ConfigDefaultsTests: XCTestCase {
    func testScriptsSeeTheConfiguredDefaults() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("defaults-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let session = try StackSession(options: StackOptions(scriptPath: nil, stack: "defaults", stateDirectory: dir.path,
                                                             target: .emulator(baseURL: "http://127.0.0.1:9"), environment: [:]))
        let seen = try session.evaluate("""
        local scw = require "scaleway"
        return scw.project_id, scw.organization_id, scw.region, scw.zone
        """, chunkName: "=defaults")
        XCTAssertEqual(seen, [.string("11111111-1111-4111-8111-111111111111"), .string("11111111-1111-4111-8111-111111111111"),
                              .string("fr-par"), .string("fr-par-1")])
        let overridden = try session.evaluate("""
        local scw = require "scaleway"
        scw.defaults { region = "nl-ams", zone = "nl-ams-2" }
        return scw.region, scw.zone, scw.project_id
        """, chunkName: "=override")
        XCTAssertEqual(overridden, [.string("nl-ams"), .string("nl-ams-2"), .string("11111111-1111-4111-8111-111111111111")])
    }
}

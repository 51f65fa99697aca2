// The state database as a user meets it: plan creates nothing; a damaged database is named
// with what to do, and nothing is written to the cloud.

import Foundation
import ScwTestSupport
import XCTest

final class StateFileTests: IntegrationCase {
    let script = """
    local scw = require "scaleway"
    scw.Vpc "main" {}
    """

    func testPlanCreatesNoStateFolderKeyOrDatabase() throws {
        try startCloud()
        try writeScript(script)
        let p = expectSuccess(try plan(), "plan on a new stack")
        XCTAssertTrue(p.stdout.contains("+ Vpc/main"), "\(p)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stateDir), "plan created \(stateDir)")

        expectSuccess(try deploy(), "deploy")
        let db = stateDir + "/state.db"
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // SQLite's own -wal/-shm companions may come and go with any reader; nothing else may.
        func files() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: stateDir).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }.sorted()
        }
        let filesBefore = try files()
        try assertNoopPlan("plan of the deployed stack")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "plan changed the state database")
        XCTAssertEqual(try files(), filesBefore, "plan added files")
    }

    func testDamagedStateDatabaseIsNamedWithWhatToDo() throws {
        try startCloud()
        try writeScript(script)
        expectSuccess(try deploy(), "deploy")
        let db = stateDir + "/state.db"
        // Overwrite the middle of the file (pages, not the header): SQLite reports corruption.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: db))
        let size = try handle.seekToEnd()
        XCTAssertGreaterThan(size, 4096)
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: Int(size)))
        try handle.close()
        for path in [db + "-wal", db + "-shm"] { try? FileManager.default.removeItem(atPath: path) }

        try cloud.resetStats()
        for (what, run) in [("plan", try plan()), ("deploy", try deploy())] {
            expectFailure(run, what)
            XCTAssertTrue(run.stderr.contains(db), "\(what) names the file: \(run)")
            XCTAssertTrue(run.stderr.contains("damaged") || run.stderr.contains("not a database"), "\(what): \(run)")
            XCTAssertTrue(run.stderr.contains("--state-dir"), "\(what) says what to do: \(run)")
            XCTAssertFalse(run.combined.contains("sqlite error"), "\(what): no bare SQLite error: \(run)")
        }
        XCTAssertEqual(try cloud.stats().writes, 0, "nothing was written to the cloud")
    }
}

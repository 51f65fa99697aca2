// Bad numbers through the binary: refused at plan time with the script line, no write, no
// crash, no stale lock.

import Foundation
import ScwTestSupport
import XCTest

final class NumericInputTests: IntegrationCase {
    func testHugeVolumeSizeIsRefusedBeforeAnyWrite() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        scw.Vpc "main" {}
        scw.InstanceVolume "data" { type = "l_ssd", size = 10000000000 }
        """)
        let p = expectFailure(try plan(), "plan")
        XCTAssertTrue(p.combined.contains("infra.lua:3: InstanceVolume/data:"), "\(p)")
        XCTAssertTrue(p.combined.contains("'size' is 10000000000, out of range: 1...10000"), "\(p)")
        let d = expectFailure(try deploy(), "deploy")
        XCTAssertFalse(d.signaled, "no trap: \(d)")
        XCTAssertEqual(try cloud.stats().writes, 0, "nothing was written")
        // No stale lock: the next run gets to planning.
        try writeScript("""
        local scw = require "scaleway"
        scw.Vpc "main" {}
        """)
        expectSuccess(try deploy(), "a deploy after the refusal")
    }

    func testAnAbsurdTimeoutIsRefusedAtItsLine() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        scw.Vpc "main" { timeouts = { delete = "1e308h" } }
        """)
        let p = expectFailure(try plan(), "plan")
        XCTAssertTrue(p.combined.contains("infra.lua:2") && p.combined.contains("timeouts.delete"), "\(p)")
    }
}

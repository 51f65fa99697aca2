// RefreshCostTests: what a refresh costs through the binary, counted by the emulator's
// /__emulator/stats (never timed): a no-op re-plan of 300 resources reads a handful of list
// pages, not 300 resources; `--refresh=false` reads nothing and says so; drift and deletions
// outside scwlua still show in a refreshed plan.

import Foundation
import ScwTestSupport
import XCTest

final class RefreshCostTests: IntegrationCase {
    private func wideScript(_ n: Int) -> String {
        """
        local scw = require "scaleway"
        for i = 1, \(n) do
          scw.VpcPrivateNetwork("pn" .. i, { tags = { "wide" } })
        end
        """
    }

    func testNoOpReplanOf300ResourcesCostsAFewListPages() throws {
        try startCloud()
        try writeScript(wideScript(300))
        expectSuccess(try deploy(["--parallelism", "50"], timeout: 120), "deploy")

        try cloud.resetStats()
        let noop = expectSuccess(try plan(), "no-op plan")
        XCTAssertTrue(noop.stdout.contains("No changes"), noop.stdout)
        let stats = try cloud.stats()
        XCTAssertEqual(stats.writes, 0)
        // 300 private networks, 100 a page: 3 pages (and nothing per resource).
        XCTAssertLessThanOrEqual(stats.requests, 4, "\(stats)")
        XCTAssertGreaterThanOrEqual(stats.requests, 3, "\(stats)")

        // Changed and deleted outside scwlua: still seen, at the cost of one read for the gone one.
        let rows = try stateList()
        let driftedUUID = try XCTUnwrap(rows.first { $0.address == "VpcPrivateNetwork/pn1" }?.uuid)
        let goneUUID = try XCTUnwrap(rows.first { $0.address == "VpcPrivateNetwork/pn2" }?.uuid)
        XCTAssertEqual(try cloud.api("PATCH", "/vpc/v2/regions/fr-par/private-networks/\(driftedUUID)",
                                     body: #"{"name":"renamed-by-hand"}"#).status, 200)
        XCTAssertEqual(try cloud.api("DELETE", "/vpc/v2/regions/fr-par/private-networks/\(goneUUID)").status, 204)
        try cloud.resetStats()
        let changed = expectSuccess(try plan(), "plan after changes outside")
        XCTAssertEqual(changed.stdout.planSymbol(for: "VpcPrivateNetwork/pn1"), "~", changed.stdout)
        XCTAssertEqual(changed.stdout.planSymbol(for: "VpcPrivateNetwork/pn2"), "+", changed.stdout)
        XCTAssertLessThanOrEqual(try cloud.stats().requests, 5)
    }

    func testRefreshFalseReadsNothingAndSaysSo() throws {
        try startCloud()
        try writeScript(wideScript(3))
        expectSuccess(try deploy(), "deploy")
        let rows = try stateList()
        let gone = try XCTUnwrap(rows.first { $0.address == "VpcPrivateNetwork/pn1" }?.uuid)
        XCTAssertEqual(try cloud.api("DELETE", "/vpc/v2/regions/fr-par/private-networks/\(gone)").status, 204)

        try cloud.resetStats()
        let blind = expectSuccess(try plan(["--refresh=false"]), "plan --refresh=false")
        XCTAssertTrue(blind.stdout.contains("Refresh skipped (--refresh=false)"), blind.stdout)
        XCTAssertTrue(blind.stdout.contains("No changes"), "the deletion outside is not seen without a refresh: \(blind.stdout)")
        XCTAssertEqual(try cloud.stats().requests, 0)

        let json = expectSuccess(try plan(["--refresh=false", "--json"]), "plan --json")
        XCTAssertTrue(json.stdout.contains(#""refreshed": false"#), json.stdout)

        // deploy --refresh=false: nothing to do as far as state knows, nothing read.
        try cloud.resetStats()
        let deployed = expectSuccess(try deploy(["--refresh=false"]), "deploy --refresh=false")
        XCTAssertTrue(deployed.stdout.contains("Refresh skipped"), deployed.stdout)
        XCTAssertEqual(try cloud.stats().requests, 0)

        // A refreshed plan sees it, and says nothing about skipping.
        let seen = expectSuccess(try plan(), "plan")
        XCTAssertFalse(seen.stdout.contains("Refresh skipped"), seen.stdout)
        XCTAssertEqual(seen.stdout.planSymbol(for: "VpcPrivateNetwork/pn1"), "+", seen.stdout)
    }
}

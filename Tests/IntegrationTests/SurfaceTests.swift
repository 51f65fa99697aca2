// SurfaceTests: more of what a script can say (scw.defaults, ref:map, depends_on, timeouts,
// create_before_destroy), an API validation error met at apply time, and the bounded
// parallelism of apply, all through the binary against the emulator.

import Foundation
import XCTest

final class SurfaceTests: IntegrationCase {
    static let surface: Set<String> = ["Vpc/main", "VpcPrivateNetwork/app", "VpcPrivateNetwork/log"]

    func testDefaultsMapDependsOnAndCreateBeforeDestroy() throws {
        try startCloud()
        try writeScript(Fixture.text("surface.lua", ["SUBNET": "10.0.1.0/24"]))
        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(d.stdout.contains("3 created"), d.description)

        let rows = Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0) })
        XCTAssertEqual(Set(rows.keys), Self.surface)
        XCTAssertEqual(Set(rows.values.map(\.region)), ["nl-ams"], "scw.defaults { region = \"nl-ams\" }: \(rows)")
        XCTAssertEqual(Set(try cloud.stackResources().map(\.region)), ["nl-ams"])
        var out = try outputsJSON()
        XCTAssertEqual(out["upper_name"] as? String, "MAIN", "ref:map ran at apply: \(out)")
        XCTAssertEqual((out["prefix_len"] as? NSNumber)?.intValue, 24, "ref:map to a number: \(out)")
        XCTAssertEqual(out["region"] as? String, "nl-ams")
        XCTAssertEqual(out["log_id"] as? String, rows["VpcPrivateNetwork/log"]?.id)
        let show = expectSuccess(try scwlua(["state", "show", "VpcPrivateNetwork/log"] + location))
        XCTAssertTrue(show.stdout.contains("VpcPrivateNetwork/app"), "depends_on recorded: \(show)")
        try assertNoopPlan("after first deploy")

        // A subnet change replaces; create_before_destroy makes it "+/-": the new network exists
        // before the old one goes.
        try writeScript(Fixture.text("surface.lua", ["SUBNET": "10.0.3.0/24"]))
        let p = expectSuccess(try plan(), "plan")
        XCTAssertEqual(p.stdout.planSymbol(for: "VpcPrivateNetwork/app"), "+/-", p.description)
        XCTAssertTrue(p.stdout.contains("forces replacement"), p.description)
        XCTAssertNil(p.stdout.planLine(for: "Vpc/main"), "the VPC is unchanged: \(p)")
        try cloud.resetStats()
        let r = expectSuccess(try deploy(), "deploy replacing app")
        XCTAssertTrue(r.stdout.contains("1 replaced"), r.description)
        let after = Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0) })
        XCTAssertNotEqual(after["VpcPrivateNetwork/app"]?.uuid, rows["VpcPrivateNetwork/app"]?.uuid)
        XCTAssertEqual(after["Vpc/main"]?.id, rows["Vpc/main"]?.id)
        XCTAssertFalse(try cloud.resources().contains { $0.id == rows["VpcPrivateNetwork/app"]?.uuid }, "the old network is gone")
        let app = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "VpcPrivateNetwork/app" })
        XCTAssertEqual(app.id, after["VpcPrivateNetwork/app"]?.uuid)
        out = try outputsJSON()
        XCTAssertEqual((out["prefix_len"] as? NSNumber)?.intValue, 24)
        try assertConverged(expected: Self.surface, "after create-before-destroy")
        try assertNoopPlan("after create-before-destroy")
    }

    /// An API validation error met during apply (the emulator refuses an overlapping subnet):
    /// non-zero exit, a message naming the resource and the reason, state keeps what was made
    /// and nothing half-made, and fixing the script converges.
    func testApiValidationErrorIsReportedAndStateStaysSound() throws {
        try startCloud()
        try writeScript(Fixture.text("overlap.lua", ["DATA_SUBNET": "10.0.1.128/25"]))
        let d = expectFailure(try deploy(), "deploy with overlapping subnets")
        XCTAssertTrue(d.combined.contains("VpcPrivateNetwork/data"), "names the resource: \(d)")
        XCTAssertTrue(d.combined.contains("overlap"), "says why: \(d)")
        XCTAssertTrue(d.stdout.contains("1 failed"), d.description)
        let rows = try stateList()
        XCTAssertEqual(Set(rows.map(\.address)), ["Vpc/main", "VpcPrivateNetwork/app"], "state after the failed create: \(rows)")
        XCTAssertEqual(Set(try cloud.stackResources().compactMap(\.urn)), ["Vpc/main", "VpcPrivateNetwork/app"])

        // Re-running the same script fails the same way, without touching what exists.
        try cloud.resetStats()
        expectFailure(try deploy(), "second deploy with overlapping subnets")
        XCTAssertEqual(try cloud.stats().byMethod["DELETE"] ?? 0, 0)
        XCTAssertEqual(try stateList(), rows)

        try writeScript(Fixture.text("overlap.lua", ["DATA_SUBNET": "10.0.2.0/24"]))
        let fixed = expectSuccess(try deploy(), "deploy after the fix")
        XCTAssertTrue(fixed.stdout.contains("1 created"), fixed.description)
        try assertConverged(expected: LifecycleTests.all, "after the fix")
        try assertNoopPlan("after the fix")
    }

    /// Apply works on independent resources at once, and never on more than --parallelism.
    func testApplyParallelismIsBounded() throws {
        try startCloud(latencyMs: 300)
        try writeScript(Fixture.text("fleet.lua"))
        stack = "wide"
        expectSuccess(try deploy(timeout: 120), "deploy at default parallelism")
        let wide = try cloud.stats()
        XCTAssertGreaterThanOrEqual(try maxInFlight(), 6, "eight independent networks should be created at once (stats: \(wide.byMethod))")

        try cloud.resetStats()
        stack = "narrow"
        expectSuccess(try deploy(["--parallelism", "2"], timeout: 120), "deploy with --parallelism 2")
        XCTAssertLessThanOrEqual(try maxInFlight(), 2, "--parallelism 2 was exceeded")
        try assertConverged(expected: ResilienceTests.fleet, "narrow")
    }

    private func maxInFlight() throws -> Int {
        let json = try cloud.request("GET", "/__emulator/stats")
        return ((json as? [String: Any])?["max_in_flight"] as? NSNumber)?.intValue ?? -1
    }
}

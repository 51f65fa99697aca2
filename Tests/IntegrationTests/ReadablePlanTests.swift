// ReadablePlanTests: plans a reviewer can read, through the built binary: a change inside a
// list of tables shows only the items that changed, one line each, the rest collapsed to a
// count; a disruptive in-place update says so and is counted; refresh shows drifted values;
// a failure names its resource once.

import Foundation
import ScwTestSupport
import XCTest

final class ReadablePlanTests: IntegrationCase {
    static func group(_ rules: String) -> String {
        "local scw = require \"scaleway\"\nscw.SecurityGroup \"web\" { zone = \"fr-par-1\", rules = {\n\(rules)\n} }\n"
    }

    func testAChangeInsideAListOfTablesShowsOnlyTheChangedItems() throws {
        try startCloud()
        try writeScript(Self.group("""
            { port = 22 }, { port = 80 }, { port = 443, protocol = "UDP" }, { port = 5432, ip_range = "10.0.0.0/8" },
            """))
        let created = expectSuccess(try deploy(), "deploy the group")
        let item = "\n        { action = \"accept\", direction = \"inbound\", ip_range = \"0.0.0.0/0\", port = 22, protocol = \"TCP\" },\n"
        XCTAssertTrue(created.stdout.contains(item), "a long list of tables is shown one item per line: \(created.stdout)")

        try writeScript(Self.group("""
            { port = 22 }, { port = 8080 }, { port = 5432, ip_range = "10.0.0.0/8" }, { port = 9000, action = "drop" },
            """))
        let p = expectSuccess(try plan(), "plan the rule changes")
        let lines = p.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains("~ rules[2].port: 80 -> 8080"), p.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("- rules[3] {") && $0.contains("port = 443") && $0.contains("protocol = \"UDP\"") }, p.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("+ rules[4] {") && $0.contains("action = \"drop\"") && $0.contains("port = 9000") }, p.stdout)
        XCTAssertTrue(lines.contains("# rules: 2 unchanged items"), p.stdout)
        XCTAssertFalse(p.stdout.contains("5432"), "unchanged items are not repeated: \(p.stdout)")
        XCTAssertLessThan(p.stdout.components(separatedBy: "\n").map(\.count).max() ?? 0, 120, p.stdout)
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), p.stdout)
    }

    func testADisruptiveUpdateIsFlaggedAndCounted() throws {
        try startCloud()
        let script = { (type: String) in
            "local scw = require \"scaleway\"\nscw.Instance \"web\" { type = \"\(type)\", image = \"ubuntu_jammy\", zone = \"fr-par-1\" }\n"
                + "scw.Vpc \"main\" { tags = { \"\(type)\" } }\n"
        }
        try writeScript(script("DEV1-S"))
        expectSuccess(try deploy(), "deploy")
        try writeScript(script("DEV1-M"))
        let p = expectSuccess(try plan(), "plan a type change")
        XCTAssertTrue(p.stdout.contains("type = \"DEV1-S\" -> \"DEV1-M\"  # the server stops and starts"), p.stdout)
        XCTAssertFalse(p.stdout.contains("tags = [\"DEV1-S\"] -> [\"DEV1-M\"]  #"), "a tag change disrupts nothing: \(p.stdout)")
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 2 to update (1 disruptive), 0 to replace, 0 to delete."), p.stdout)
        let json = expectSuccess(try plan(["--json"]), "plan --json")
        XCTAssertTrue(json.stdout.contains("\"disruption\": \"the server stops and starts\""), json.stdout)
        XCTAssertTrue(json.stdout.contains("\"disruptive_update\": 1"), json.stdout)
    }

    func testRefreshShowsTheDriftedValues() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" { tags = { \"env:dev\" } }\n")
        expectSuccess(try deploy(), "deploy")
        let vpc = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "Vpc/main" })
        let patched = try cloud.api("PATCH", "/vpc/v2/regions/fr-par/vpcs/\(vpc.id)", body: "{\"tags\": [\"env:prod\"]}")
        XCTAssertEqual(patched.status, 200, patched.text)
        let r = expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh")
        XCTAssertTrue(r.stdout.contains("Vpc/main: tags changed outside scwlua: [\"env:dev\"] -> [\"env:prod\"]"), r.description)
    }
}

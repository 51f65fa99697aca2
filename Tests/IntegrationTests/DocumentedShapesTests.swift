// DocumentedShapesTests: documented shapes and values, through the built binary: `scwlua docs`
// shows the fields of table props with their types, defaults and allowed values; an unknown
// field inside a nested table is refused with the valid fields and a "did you mean"; bucket
// lifecycle rules take noncurrent-version expiration and transitions; `--var` values stay
// strings unless the script asks for a kind.

import Foundation
import ScwTestSupport
import XCTest

final class DocumentedShapesTests: IntegrationCase {
    func testDocsShowTheFieldsOfTableProps() throws {
        let text = expectSuccess(try scwlua(["docs", "SecurityGroup"]), "docs SecurityGroup").stdout
        XCTAssertTrue(text.contains("inbound_default_policy   string: accept | drop, default \"accept\""), "enum values in the text form: \(text)")
        XCTAssertTrue(text.contains("fields:"), text)
        XCTAssertTrue(text.range(of: #"\n +protocol +string: TCP \| UDP \| ICMP \| ANY\n"#, options: .regularExpression) != nil, text)
        XCTAssertTrue(text.range(of: #"\n +port +integer 1-65535\n"#, options: .regularExpression) != nil, text)

        let markdown = expectSuccess(try scwlua(["docs", "--markdown"]), "docs --markdown").stdout
        for path in ["rules", "lifecycle_rules", "lifecycle_rules.noncurrent_version_transitions", "cors_rules", "root_volume",
                     "health_check.http", "private_networks"] {
            XCTAssertTrue(markdown.contains("Fields of `\(path)`:"), "no fields documented for \(path)")
        }
        XCTAssertTrue(markdown.contains("| `noncurrent_version_expiration_days` | integer 1-36500 | no |"), markdown)
    }

    func testAnUnknownNestedFieldIsRefusedWithTheValidFields() throws {
        try startCloud()
        try writeScript("""
            local scw = require "scaleway"
            scw.SecurityGroup "web" { zone = "fr-par-1", rules = {
              { port = 22 },
              { port = 80, prot = "UDP" },
            } }
            """)
        let r = expectFailure(try plan(), "a misspelt rule field")
        XCTAssertTrue(r.stderr.contains("infra.lua:2: unknown field 'prot' in 'rules[2]'"), r.description)
        XCTAssertTrue(r.stderr.contains("did you mean 'protocol'?") && r.stderr.contains("fields: direction, action, protocol, port, port_range, ip_range"),
                      r.description)
        XCTAssertEqual(try cloud.stats().writes, 0)
    }

    func testBucketLifecycleRulesTakeNoncurrentVersions() throws {
        try startCloud()
        let bucket = "versions-\(UUID().uuidString.prefix(8).lowercased())"
        let script = { (days: Int) in
            """
            local scw = require "scaleway"
            scw.Bucket "data" { name = "\(bucket)", versioning = true, lifecycle_rules = {
              { prefix = "logs/", noncurrent_version_expiration_days = \(days),
                noncurrent_version_transitions = { { days = 7, storage_class = "ONEZONE_IA" } },
                abort_incomplete_multipart_upload_days = 2 },
            } }
            """
        }
        try writeScript(script(30))
        expectSuccess(try deploy(), "deploy a versioned bucket with noncurrent rules")
        try assertNoopPlan("the rules read back as written")
        try writeScript(script(60))
        let p = expectSuccess(try plan(), "plan a longer noncurrent expiration")
        XCTAssertTrue(p.stdout.contains("~ lifecycle_rules[1].noncurrent_version_expiration_days: 30 -> 60"), p.stdout)
        expectSuccess(try deploy(), "deploy it")
        try assertNoopPlan("after the change")
    }

    func testVarsStayStringsUnlessTheScriptAsks() throws {
        try writeScript("""
            local scw = require "scaleway"
            print(type(scw.vars.n) .. " " .. scw.vars.n .. " " .. math.type(scw.var("n", "integer")) .. " " .. tostring(scw.var("on", "boolean")))
            print(scw.var("absent", "number", 2.5))
            local bad = scw.var("word", "number")
            """)
        let r = try scwlua(["infra.lua", "--var", "n=01234", "--var", "on=true", "--var", "word=abc"])
        XCTAssertTrue(r.stdout.contains("string 01234 integer true\n2.5\n"), r.description)
        XCTAssertTrue(r.stderr.contains("infra.lua:4: --var word must be a number, got \"abc\""), r.description)
        XCTAssertFalse(r.succeeded, r.description)
    }
}

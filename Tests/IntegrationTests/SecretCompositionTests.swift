// SecretCompositionTests: a value computed from a secret (scw.format, `..` on either side,
// template, json, base64, secret:map, with or without a reference) is a secret: the built
// binary sends its plaintext to the API and prints `(sensitive)` everywhere else.

import Foundation
import ScwTestSupport
import XCTest

final class SecretCompositionTests: IntegrationCase {
    func testValuesComputedFromASecretReachTheAPIAndNothingElse() throws {
        try startCloud()
        try writeScript(Fixture.text("secret_compose.lua"))
        var runs: [RunResult] = []
        let planned = expectSuccess(try plan(), "plan")
        XCTAssertTrue(planned.stdout.contains("(sensitive)"), planned.description)
        XCTAssertFalse(planned.combined.contains("table: 0x"), "a secret was formatted as a Lua table: \(planned)")
        runs.append(planned)
        runs.append(expectSuccess(try scwlua(["plan", "infra.lua", "--json"] + target), "plan --json"))
        runs.append(expectSuccess(try deploy(["--debug"]), "deploy"))
        runs.append(expectSuccess(try plan(), "plan after deploy"))
        XCTAssertTrue(runs.last!.stdout.contains("No changes"), "secret tags read back as they were declared: \(runs.last!)")
        let joined = expectSuccess(try scwlua(["output", "joined"] + location), "output joined")
        XCTAssertEqual(joined.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "(sensitive)")
        runs.append(joined)
        runs.append(expectSuccess(try scwlua(["output"] + location), "output"))
        runs.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        runs.append(expectSuccess(try scwlua(["state", "show", "Vpc/main"] + location), "state show"))
        runs.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        for r in runs {
            XCTAssertFalse(r.combined.contains("hunter2"), "a secret leaked by `scwlua \(r.arguments.joined(separator: " "))`: \(r)")
            XCTAssertFalse(r.combined.contains("HUNTER2"), "a secret leaked by `scwlua \(r.arguments.joined(separator: " "))`: \(r)")
            XCTAssertFalse(r.combined.contains("aHVudGVyMi1wdw"), "a secret leaked by `scwlua \(r.arguments.joined(separator: " "))`: \(r)")
        }
        XCTAssertTrue(runs[5].stdout.contains("joined = (sensitive)") && runs[5].stdout.contains("formatted = (sensitive)"), runs[5].description)

        // The cloud got every plaintext.
        let resources = try cloud.stackResources()
        let vpc = try XCTUnwrap(resources.first { $0.urn == "Vpc/main" })
        let app = try XCTUnwrap(resources.first { $0.urn == "VpcPrivateNetwork/app" })
        XCTAssertEqual(Set(vpc.tags.filter { !$0.hasPrefix("scwlua:") }),
                       ["fmt=hunter2-pw", "left-hunter2-pw", "hunter2-pw-right", "tpl=hunter2-pw", "{\"json\":\"hunter2-pw\"}",
                        "b64=aHVudGVyMi1wdw==", "map=HUNTER2-PW"], vpc.description)
        let appTags = app.tags.filter { !$0.hasPrefix("scwlua:") }
        XCTAssertTrue(appTags.contains { $0.hasPrefix("ref=") && $0.contains(vpc.id) && $0.hasSuffix("+hunter2-pw") }, app.description)
        XCTAssertTrue(appTags.contains { $0.hasPrefix("joined-hunter2-pw-") && $0.contains(vpc.id) }, app.description)
    }
}

// OutputRawTests: `scwlua output NAME --raw` prints that one output's value as it is, a
// secret's plaintext included; every other way of reading outputs keeps `(sensitive)`.

import Foundation
import ScwTestSupport
import XCTest

final class OutputRawTests: IntegrationCase {
    func testRawPrintsOneSensitiveOutputAndNothingElseDoes() throws {
        try startCloud()
        try writeScript(Fixture.text("secrets.lua"))
        expectSuccess(try deploy(), "deploy")

        let raw = expectSuccess(try scwlua(["output", "token", "--raw"] + location), "output token --raw")
        XCTAssertEqual(raw.stdout, "hunter2-plaintext", "the plaintext, with no quotes and no added newline")
        let id = expectSuccess(try scwlua(["output", "app_id", "--raw"] + location), "output app_id --raw")
        XCTAssertFalse(id.stdout.isEmpty || id.stdout.contains("\"") || id.stdout.hasSuffix("\n"), id.description)

        var others: [RunResult] = []
        others.append(expectSuccess(try scwlua(["output", "token"] + location), "output token"))
        XCTAssertEqual(others[0].stdout, "(sensitive)\n")
        others.append(expectSuccess(try scwlua(["output"] + location), "output"))
        others.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        others.append(expectSuccess(try scwlua(["output", "token", "--json"] + location), "output token --json"))
        others.append(expectFailure(try scwlua(["output", "--raw"] + location), "--raw without a name"))
        XCTAssertTrue(others.last!.stderr.contains("give its name"), others.last!.description)
        others.append(expectFailure(try scwlua(["output", "token", "--raw", "--json"] + location), "--raw with --json"))
        others.append(expectFailure(try scwlua(["output", "tokn", "--raw"] + location), "--raw of a missing output"))
        XCTAssertTrue(others.last!.stderr.contains("did you mean 'token'?"), others.last!.description)
        for r in others {
            XCTAssertFalse(r.combined.contains("hunter2"), "`scwlua \(r.arguments.joined(separator: " "))` printed the secret: \(r)")
        }
    }
}

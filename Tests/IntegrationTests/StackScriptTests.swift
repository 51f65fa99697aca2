// StackScriptTests: one stack per script. A second script beside the first (same `.scwlua`,
// same stack name) is refused before it can plan the first one's resources for deletion; the
// message names both scripts and the ways out (`--stack NAME`, `--adopt-stack`).

import Foundation
import ScwTestSupport
import XCTest

final class StackScriptTests: IntegrationCase {
    func testASecondScriptIsRefusedOnTheFirstOnesStack() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\nscw.Vpc \"other\" {}\n")
        expectSuccess(try deploy(), "deploy infra.lua")
        try "local scw = require \"scaleway\"\nscw.Vpc \"solo\" {}\n".write(toFile: dir + "/other.lua", atomically: true, encoding: .utf8)
        let writes = try cloud.stats().writes

        for command in ["plan", "deploy", "destroy"] {
            let args = [command, "other.lua"] + target + (command == "plan" ? [] : ["--yes"])
            let r = expectFailure(try scwlua(args), "\(command) other.lua on infra.lua's stack")
            XCTAssertTrue(r.stderr.contains("stack 'default' was deployed from infra.lua, not other.lua"), r.description)
            XCTAssertTrue(r.stderr.contains("--stack NAME") && r.stderr.contains("--adopt-stack"), r.description)
            XCTAssertFalse(r.stdout.contains("to delete"), "no plan is shown: \(r.description)")
        }
        XCTAssertEqual(try cloud.stats().writes, writes, "nothing was written for the refused script")
        XCTAssertEqual(Set(try stateList().map(\.address)), ["Vpc/main", "Vpc/other"])

        // Its own stack: fine, and the first stack is untouched.
        expectSuccess(try scwlua(["deploy", "other.lua", "--endpoint", cloud.baseURL, "--state-dir", stateDir, "--stack", "other", "--yes"]),
                      "other.lua on a stack of its own")
        try assertNoopPlan("infra.lua still owns its stack")

        // Taken over on purpose: the plan deletes what other.lua lacks, and the stack is now other.lua's.
        let adopt = expectSuccess(try scwlua(["plan", "other.lua", "--adopt-stack"] + target), "plan --adopt-stack")
        XCTAssertTrue(adopt.stdout.contains("2 to delete"), adopt.description)
        expectSuccess(try scwlua(["deploy", "other.lua", "--adopt-stack", "--yes"] + target), "deploy --adopt-stack")
        XCTAssertEqual(try stateList().map(\.address), ["Vpc/solo"])
        let back = expectFailure(try plan(), "infra.lua on the stack other.lua adopted")
        XCTAssertTrue(back.stderr.contains("was deployed from other.lua, not infra.lua"), back.description)
    }

    func testAStackWithNothingLeftTakesAnyScript() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\n")
        expectSuccess(try deploy(), "deploy")
        expectSuccess(try destroy(), "destroy")
        try "local scw = require \"scaleway\"\nscw.Vpc \"solo\" {}\n".write(toFile: dir + "/other.lua", atomically: true, encoding: .utf8)
        expectSuccess(try scwlua(["deploy", "other.lua", "--yes"] + target), "an empty stack deletes nothing: no refusal")
        let r = expectFailure(try plan(), "infra.lua after other.lua took the empty stack")
        XCTAssertTrue(r.stderr.contains("was deployed from other.lua, not infra.lua"), r.description)
    }
}

/// `state show` and `state rm` with only a resource's name hint its address.
final class StateHintTests: IntegrationCase {
    func testANameAloneHintsItsAddress() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"web-1\" {}\n")
        expectSuccess(try deploy(), "deploy")
        for command in ["show", "rm"] {
            let r = expectFailure(try scwlua(["state", command, "web-1"] + location), "state \(command) web-1")
            XCTAssertTrue(r.stderr.contains("did you mean 'Vpc/web-1'?"), r.description)
        }
    }
}

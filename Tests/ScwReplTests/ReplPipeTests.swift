// ReplPipeTests: the built `scwlua repl` with its stdin a pipe: no prompts or banner, lines
// evaluated in order with `print` kept in order, :apply refused without --yes, exit status.

import Foundation
import XCTest

final class ReplPipeTests: ReplTestCase {
    func testLinesAreEvaluatedWithoutPromptNoise() throws {
        let input = """
            x = 1
            =x + 1
            for i = 1, 2 do
              print("line", i)
            end
            local _ = io.write("raw\\n")
            "s"
            {b = 2, a = {1, 2}}
            vpc = scaleway.Vpc "main" {}
            =vpc.id
            :quit
            print("not reached")

            """
        let r = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir], input: input, directory: dir)
        XCTAssertEqual(r.stdout, "2\nline\t1\nline\t2\nraw\ns\n{ a = { 1, 2 }, b = 2 }\n(known after apply)\n")
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(r.status, 0)
    }

    /// `scw` is defined as every doc uses it; `:state web-1` hints the address of that name.
    func testScwIsDefinedAndAStateNameHintsItsAddress() throws {
        let input = """
            web = scw.Vpc "web-1" { region = "fr-par" }
            =scw == scaleway, web.region
            :apply
            :state web-1

            """
        let r = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir, "--yes"], input: input, directory: dir)
        XCTAssertTrue(r.stdout.hasPrefix("true\tfr-par\n"), r.stdout)
        XCTAssertTrue(r.stderr.contains("no resource web-1 in stack 'default' (did you mean Vpc/web-1?)"), r.stderr)
    }

    /// An output that echoes an input is known before apply: `v.name` of a resource whose name
    /// defaults to its script name prints that name; its id is still to come.
    func testEchoedNameIsKnownBeforeApply() throws {
        let input = """
            v = scw.Vpc "r1" {}
            =v.name
            =v.id
            =tostring(v.name)
            =v.name:map(function(s) return s:upper() end)

            """
        let r = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir], input: input, directory: dir)
        XCTAssertEqual(r.stdout, "\"r1\"\n(known after apply)\nr1\n(known after apply)\n", "\(r.stdout)\n\(r.stderr)")
    }

    func testErrorsGoToStderrAndMakeTheExitStatusNonZero() throws {
        let r = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir],
                               input: "error('boom')\n=1\nfor i = 1, 2 do\n", directory: dir)
        XCTAssertEqual(r.stdout, "1\n")
        XCTAssertEqual(r.stderr, "stdin:1: boom\nerror: the input ended inside an unfinished statement\n")
        XCTAssertEqual(r.status, 1)
    }

    func testApplyInAPipeRefusesUnlessYes() async throws {
        let script = "vpc = scaleway.Vpc \"main\" { tags = { \"env:dev\" } }\n:apply\n=vpc.id\n"
        let refused = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir], input: script, directory: dir)
        XCTAssertTrue(refused.stdout.contains("+ Vpc/main (create)"), refused.stdout)
        XCTAssertTrue(refused.stdout.hasSuffix("(known after apply)\n"), refused.stdout)
        XCTAssertTrue(refused.stderr.contains("refusing to apply without confirmation"), refused.stderr)
        XCTAssertEqual(refused.status, 1)
        var cloud = try await cloudResources()
        XCTAssertEqual(cloud, [])

        let applied = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--state-dir", stateDir, "--yes"], input: script, directory: dir)
        XCTAssertTrue(applied.stdout.contains("Apply complete: 1 created"), applied.stdout)
        XCTAssertNotNil(applied.stdout.range(of: #"\nfr-par/[0-9a-f-]{36}\n$"#, options: .regularExpression), applied.stdout)
        XCTAssertEqual(applied.stderr, "")
        XCTAssertEqual(applied.status, 0)
        cloud = try await cloudResources()
        XCTAssertEqual(cloud.count, 1)
    }

    func testAScriptArgumentIsLoadedFirstWithItsLocals() throws {
        try """
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" { region = "nl-ams" }
        return { vpc_id = vpc.id }
        """.write(toFile: dir + "/infra.lua", atomically: true, encoding: .utf8)
        let r = try Binary.run(["repl", "infra.lua", "--local", "--yes"], input: "=vpc.region\n:apply\n=vpc.id:sub(1, 7)\n:outputs\n", directory: dir)
        XCTAssertEqual(r.stderr, "")
        XCTAssertTrue(r.stdout.hasPrefix("nl-ams\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Apply complete: 1 created"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\nnl-ams/\nOutputs:\n  vpc_id = \"nl-ams/"), r.stdout)
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/.scwlua/emulator.json"), "--local keeps its cloud beside the script")
    }

    func testBadOptionsAreReportedBeforeAnyPrompt() throws {
        let badBackend = try Binary.run(["repl", "--endpoint", emulator.baseURL, "--backend", "ftp://nowhere"], input: "=1\n", directory: dir)
        XCTAssertEqual(badBackend.status, 1)
        XCTAssertEqual(badBackend.stdout, "")
        XCTAssertTrue(badBackend.stderr.hasPrefix("error: "), badBackend.stderr)
        let missing = try Binary.run(["repl", "nope.lua", "--endpoint", emulator.baseURL], input: "=1\n", directory: dir)
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "error: no such script: nope.lua\n")
    }
}

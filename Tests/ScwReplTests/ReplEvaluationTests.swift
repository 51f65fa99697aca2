// ReplEvaluationTests: lines in, output out, as `lua5.4` behaves: expressions print, `=expr`,
// multi-line chunks with the `>>` prompt, syntax and runtime errors, `print` through the console.

import ScwRepl
import XCTest

final class ReplEvaluationTests: ReplTestCase {
    func testExpressionsPrintTheirValuesAndStatementsDoNot() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["x = 40", "x + 2", "=x * 2", "'text'", "1, nil, 'b'", "y = x", "  ", "nil", "2^53", "10 // 3"])
        XCTAssertEqual(t.out, "42\n80\ntext\n1\tnil\tb\nnil\n9.007199254741e+15\n3\n")
        XCTAssertEqual(t.err, "")
        XCTAssertEqual(repl.failures, 0)
    }

    func testMultiLineStatementsContinueUntilComplete() async throws {
        let (repl, t) = try makeRepl()
        XCTAssertEqual(repl.prompt, "> ")
        var step = await repl.feed("function add(a, b)")
        XCTAssertEqual(step, .more)
        XCTAssertEqual(repl.prompt, ">> ")
        step = await repl.feed("  return a + b")
        XCTAssertEqual(step, .more)
        step = await repl.feed("end")
        XCTAssertEqual(step, .ready)
        XCTAssertEqual(repl.prompt, "> ")
        await feed(repl, ["for i = 1, 3 do", "print(i, add(i, i))", "end"])
        XCTAssertEqual(t.out, "1\t2\n2\t4\n3\t6\n")
        // An unfinished expression continues too, and prints once complete.
        t.clear()
        await feed(repl, ["=add(", "1,", "2)"])
        XCTAssertEqual(t.out, "3\n")
        // A table constructor spread over lines.
        t.clear()
        await feed(repl, ["t = {", "  a = 1,", "}", "t.a"])
        XCTAssertEqual(t.out, "1\n")
        XCTAssertEqual(t.err, "")
    }

    func testSyntaxErrorsEndTheChunkAndAreReportedLikeLua() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["x = = 1"])
        XCTAssertEqual(t.err, "stdin:1: unexpected symbol near '='\n")
        XCTAssertFalse(repl.isContinuing)
        t.clear()
        await feed(repl, ["if true then", "end end"])
        XCTAssertTrue(t.err.hasPrefix("stdin:2: "), t.err)
        XCTAssertFalse(repl.isContinuing)
        t.clear()
        await feed(repl, ["error('boom')", "nosuch.field"])
        XCTAssertEqual(t.err, "stdin:1: boom\nstdin:1: attempt to index a nil value (global 'nosuch')\n")
        XCTAssertEqual(repl.failures, 4)
        // The session still works afterwards.
        t.clear()
        await feed(repl, ["=1 + 1"])
        XCTAssertEqual(t.out, "2\n")
    }

    func testCancelInputDropsTheUnfinishedChunk() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["for i = 1, 3 do"])
        XCTAssertTrue(repl.isContinuing)
        repl.cancelInput()
        XCTAssertFalse(repl.isContinuing)
        await feed(repl, ["=7"])
        XCTAssertEqual(t.out, "7\n")
    }

    func testLabelsAreLuaNotCommands() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["do local i = 0 ::top:: i = i + 1 if i < 3 then goto top end print(i) end"])
        XCTAssertEqual(t.out, "3\n")
        XCTAssertEqual(t.err, "")
    }

    func testDeclaringInTheReplAddsToTheProgramAndBadPropsAreLocated() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["vpc = scaleway.Vpc \"main\" { region = \"fr-par\" }"])
        XCTAssertEqual(repl.session.program.declarations.map(\.address.description), ["Vpc/main"])
        // A bare constructor call is an expression: it declares and prints the handle.
        t.clear()
        await feed(repl, ["scaleway.Vpc \"other\" {}"])
        XCTAssertTrue(t.out.hasPrefix("Vpc \"other\" {"), t.out)
        XCTAssertEqual(repl.session.program.declarations.count, 2)
        t.clear()
        await feed(repl, ["scaleway.Vpc \"bad\" { regoin = \"fr-par\" }"])
        XCTAssertTrue(t.err.contains("stdin:1:"), t.err)
        XCTAssertTrue(t.err.contains("did you mean 'region'?"), t.err)
        XCTAssertEqual(repl.session.program.declarations.count, 2)
    }

    func testAChunkThatFailsHalfWayKeepsWhatItDeclared() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["a = scaleway.Vpc 'a' {}; error('after a')"])
        XCTAssertEqual(t.err, "stdin:1: after a\n")
        XCTAssertEqual(repl.session.program.declarations.map(\.address.description), ["Vpc/a"])
        await feed(repl, ["(function() scaleway.Vpc 'b' {} error('after b') end)()"])
        XCTAssertEqual(repl.session.program.declarations.map(\.address.description), ["Vpc/a", "Vpc/b"])
        t.clear()
        await feed(repl, [":plan"])
        XCTAssertTrue(t.out.contains("Plan: 2 to create"), t.out)
    }

    func testReturningANamedTableSetsTheStackOutputs() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["vpc = scaleway.Vpc \"main\" {}", "return { vpc_id = vpc.id, env = \"dev\" }"])
        XCTAssertEqual(t.out, "{ env = \"dev\", vpc_id = (known after apply) }\n")
        XCTAssertEqual(Set(repl.session.program.outputs.keys), ["vpc_id", "env"])
        // A bare table expression only prints: it does not replace the outputs.
        await feed(repl, ["{ other = 1 }"])
        XCTAssertEqual(Set(repl.session.program.outputs.keys), ["vpc_id", "env"])
    }

    func testLoadingAFileMakesItsTopLevelLocalsGlobals() async throws {
        let path = dir + "/infra.lua"
        try """
        local scw = require "scaleway"
        local region = "nl-ams"
        local vpc = scw.Vpc "main" { region = region }
        do local hidden = 1 end
        return { vpc_id = vpc.id }
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (repl, t) = try makeRepl()
        await feed(repl, ["region = 'kept'"])
        let names = try repl.load(file: path)
        XCTAssertEqual(names, ["vpc"], "an existing global (region, and scw, which the REPL defines) is not overwritten")
        await feed(repl, ["=region, vpc.region, scw == scaleway"])
        XCTAssertEqual(t.out, "kept\tnl-ams\ttrue\n")
        XCTAssertEqual(repl.session.program.declarations.map(\.address.description), ["Vpc/main"])
        XCTAssertEqual(Set(repl.session.program.outputs.keys), ["vpc_id"])
        // :load does the same and says what it did.
        t.clear()
        try "other = scaleway.Vpc 'two' {}\n".write(toFile: dir + "/two.lua", atomically: true, encoding: .utf8)
        await feed(repl, [":load \(dir)/two.lua"])
        XCTAssertEqual(t.out, "Loaded \(dir)/two.lua: 1 resource(s) declared.\n")
    }

    func testLinesWithLiteralSecretsStayOutOfHistory() {
        XCTAssertTrue(ReplDriver.keepsInHistory("x = 1"))
        XCTAssertTrue(ReplDriver.keepsInHistory("pw = scaleway.secret(os.getenv(DB_PASSWORD))"))
        XCTAssertFalse(ReplDriver.keepsInHistory("pw = scaleway.secret('hunter2')"))
        XCTAssertFalse(ReplDriver.keepsInHistory("db = scw.RdbInstance 'db' { password = scw.secret \"x\" }"))
        XCTAssertFalse(ReplDriver.keepsInHistory("t = { Secret = [[x]] }"))
        XCTAssertFalse(ReplDriver.keepsInHistory("t = scw.secret([=[x]=])"))
        XCTAssertFalse(ReplDriver.keepsInHistory("pw = scw.secret(\n\"x\")"))
    }

    func testQuitAndHelp() async throws {
        let (repl, t) = try makeRepl()
        var step = await repl.feed(":help")
        XCTAssertEqual(step, .ready)
        for command in [":plan", ":apply", ":destroy", ":state", ":outputs", ":graph", ":help", ":quit"] {
            XCTAssertTrue(t.out.contains(command), "help names \(command)")
        }
        step = await repl.feed(":quit")
        XCTAssertEqual(step, .quit)
        step = await repl.feed(":nope")
        XCTAssertEqual(step, .ready)
        XCTAssertTrue(t.err.contains("unknown command :nope"), t.err)
    }
}

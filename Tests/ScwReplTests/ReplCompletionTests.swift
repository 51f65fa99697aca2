// ReplCompletionTests: what TAB offers: globals and keywords, `scaleway.` constructors, an
// alias such as `scw.`, a handle's props and outputs, string methods, `:commands`.

import ScwRepl
import XCTest

final class ReplCompletionTests: ReplTestCase {
    func testGlobalsAndKeywords() throws {
        let (repl, _) = try makeRepl()
        XCTAssertEqual(repl.complete("sca").candidates, ["scaleway"])
        XCTAssertEqual(repl.complete("sca").insertion, "leway")
        XCTAssertEqual(repl.complete("x = tos").candidates, ["tostring"])
        XCTAssertEqual(repl.complete("whi").candidates, ["while"])
        XCTAssertEqual(repl.complete("re").candidates, ["repeat", "require", "return"])
        XCTAssertEqual(repl.complete("re").insertion, "")
        XCTAssertTrue(repl.complete("").candidates.contains("print"))
        XCTAssertFalse(repl.complete("").candidates.contains { $0.hasPrefix("__") }, "internal names stay hidden")
    }

    func testScalewayConstructorsAndAnAlias() async throws {
        let (repl, _) = try makeRepl()
        let c = repl.complete("vpc = scaleway.V")
        XCTAssertEqual(c.word, "V")
        XCTAssertEqual(c.candidates, ["Vpc", "VpcPrivateNetwork"])
        XCTAssertEqual(c.insertion, "pc")
        XCTAssertEqual(repl.complete("scaleway.se").candidates, ["secret"])
        XCTAssertEqual(repl.complete("scw.V").candidates, ["Vpc", "VpcPrivateNetwork"], "the REPL defines scw, as the docs use it")
        XCTAssertEqual(repl.complete("sc2.V").candidates, [], "no alias yet")
        await feed(repl, ["sc2 = require 'scaleway'"])
        XCTAssertEqual(repl.complete("sc2.Vpc").candidates, ["Vpc", "VpcPrivateNetwork"])
        XCTAssertEqual(repl.complete("scw.Vpc").candidates, ["Vpc", "VpcPrivateNetwork"])
        XCTAssertEqual(repl.complete("scw.de").candidates, ["defaults"])
        XCTAssertEqual(repl.complete("local n = #string.fo").candidates, ["format"])
        XCTAssertEqual(repl.complete("('x'):up").candidates, [], "only names are completed")
        await feed(repl, ["s = 'text'"])
        XCTAssertEqual(repl.complete("s:up").candidates, ["upper"])
    }

    func testHandlePropsAndOutputs() async throws {
        let (repl, _) = try makeRepl()
        await feed(repl, ["vpc = scaleway.Vpc \"main\" {}", "net = { vpc = vpc }"])
        let all = repl.complete("vpc.").candidates
        for name in ["region", "tags", "id", "created_at", "is_default", "name"] { XCTAssertTrue(all.contains(name), "\(name) in \(all)") }
        XCTAssertEqual(repl.complete("print(vpc.cre").candidates, ["created_at"])
        XCTAssertEqual(repl.complete("=vpc.i").candidates, ["id", "is_default"])
        XCTAssertEqual(repl.complete("net.vpc.reg").candidates, ["region"], "a handle inside a table")
        XCTAssertEqual(repl.complete("nothing.here.").candidates, [])
        XCTAssertEqual(repl.complete("x = \"vpc.").candidates, [], "not inside a string")
        XCTAssertEqual(repl.complete("'a' .. vpc.reg").candidates, ["region"])
    }

    func testCommands() async throws {
        let (repl, _) = try makeRepl()
        XCTAssertEqual(repl.complete(":").candidates, Repl.commandNames.sorted())
        XCTAssertEqual(repl.complete(":ap").candidates, [":apply", ":apply!"])
        XCTAssertEqual(repl.complete(":ap").insertion, "ply")
        XCTAssertEqual(repl.complete(":q").candidates, [":quit"])
        await feed(repl, ["for i = 1, 2 do"])
        XCTAssertEqual(repl.complete(":q").candidates, [], "inside a chunk a colon is Lua")
    }
}

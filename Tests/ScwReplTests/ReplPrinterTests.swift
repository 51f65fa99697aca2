// ReplPrinterTests: tables nested and sorted, one line when they fit, Lua syntax for keys and
// strings; references as (known after apply), secrets as (sensitive), handles with their props.

import LuaHost
import ScwLua
import ScwRepl
import XCTest

final class ReplPrinterTests: ReplTestCase {
    let printer = ReplPrinter(schemas: ScwLuaInfo.schemas, width: 60)

    func testScalarsAndStrings() {
        XCTAssertEqual(printer.render(.nil), "nil")
        XCTAssertEqual(printer.render(true), "true")
        XCTAssertEqual(printer.render(.integer(-3)), "-3")
        XCTAssertEqual(printer.render(.number(1)), "1.0")
        XCTAssertEqual(printer.render(.number(0.1)), "0.1")
        XCTAssertEqual(printer.render(.number(.infinity)), "inf")
        XCTAssertEqual(printer.render("a \"q\"\n\u{1}"), #""a \"q\"\n\1""#)
        // Top-level strings print as they are, like lua5.4's print.
        XCTAssertEqual(printer.results(["plain", .integer(1)]), "plain\t1")
    }

    func testTablesAreSortedNestedAndBrokenWhenTooWide() {
        let small: LuaValue = .table(LuaTable(array: [1, 2], fields: ["b": "x", "a": true, "not-an-id": 1, "end": 2]))
        XCTAssertEqual(printer.render(small), #"{ 1, 2, a = true, b = "x", ["end"] = 2, ["not-an-id"] = 1 }"#)
        XCTAssertEqual(printer.render(.table(LuaTable())), "{}")
        let other: LuaValue = .table(LuaTable(otherPairs: [(key: .integer(10), value: "ten"), (key: .number(2.5), value: "x"), (key: true, value: 1)]))
        XCTAssertEqual(printer.render(other), #"{ [2.5] = "x", [10] = "ten", [true] = 1 }"#)
        let wide: LuaValue = .table(LuaTable(fields: [
            "subnets": .table(LuaTable(array: ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"])),
            "name": "a-rather-long-name-for-a-network",
            "nested": .table(LuaTable(fields: ["deep": .table(LuaTable(fields: ["x": 1]))])),
        ]))
        XCTAssertEqual(printer.render(wide), """
            {
              name = "a-rather-long-name-for-a-network",
              nested = { deep = { x = 1 } },
              subnets = { "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24" },
            }
            """)
    }

    func testReferencesSecretsAndHandlesBeforeApply() async throws {
        let (repl, t) = try makeRepl(width: 60)
        await feed(repl, [
            "vpc = scaleway.Vpc \"main\" { region = \"fr-par\", tags = { \"env:dev\" } }",
            "pn = scaleway.VpcPrivateNetwork \"app\" { vpc = vpc, subnets = { \"10.0.1.0/24\" } }",
        ])
        await feed(repl, ["=vpc.id", "=pn.ipv4_subnet .. '!'", "=vpc.id:map(function(v) return v end)", "=scaleway.secret('hunter2')",
                          "={ id = vpc.id, pw = scaleway.secret('x'), list = { pn } }"])
        XCTAssertEqual(t.out, """
            (known after apply)
            (known after apply)
            (known after apply)
            (sensitive)
            {
              id = (known after apply),
              list = { VpcPrivateNetwork "app" },
              pw = (sensitive),
            }

            """)
        XCTAssertFalse(t.out.contains("hunter2"))
        t.clear()
        await feed(repl, ["pn"])
        XCTAssertEqual(t.out, """
            VpcPrivateNetwork "app" {
              subnets = { "10.0.1.0/24" },
              vpc = Vpc "main",
              -- known after apply: id, name, vpc_id, region,
              -- project_id, subnets, ipv4_subnet, ipv6_subnet,
              -- dhcp_enabled, created_at
            }

            """)
        XCTAssertEqual(t.err, "")
    }

    func testTablesThatContainThemselvesStillPrint() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, ["t = { name = 'loop' }", "t.self = t", "t"])
        XCTAssertEqual(t.out, #"{ name = "loop", self = {...} }"# + "\n")
    }
}

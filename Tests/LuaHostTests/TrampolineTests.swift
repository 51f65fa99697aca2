// Swift functions called from Lua: raising through the C trampoline, positions of the
// caller, no leaks across 10,000 raised errors, and closures released with the state.

import LuaHost
import ScwCore
import XCTest

private struct PlainError: Error, CustomStringConvertible {
    var description: String { "plain failure" }
}

final class TrampolineTests: XCTestCase {
    func testSwiftFunctionArgumentsAndResults() throws {
        let state = try LuaState()
        state.setGlobal("add") { _, args in
            [.integer((args[0].intValue ?? 0) + (args[1].intValue ?? 0)), "done"]
        }
        XCTAssertEqual(try state.doString("return add(40, 2)", chunkName: "t"), [42, "done"])
    }

    func testLuaRaiseIsCaughtByScriptPcallWithCallerPosition() throws {
        let state = try LuaState()
        state.setGlobal("boom") { _, args in throw LuaRaise("boom \(args.first?.intValue ?? 0)") }
        let results = try state.doString(
            """
            local ok, err = pcall(function()
              local r = boom(7)
              return r
            end)
            return ok, err, "continued"
            """, chunkName: "script.lua")
        XCTAssertEqual(results, [false, "script.lua:2: boom 7", "continued"])
    }

    func testLuaRaiseLevelTwoNamesTheCallersCaller() throws {
        let state = try LuaState()
        state.setGlobal("check") { _, _ in throw LuaRaise("bad argument", level: 2) }
        XCTAssertThrowsError(
            try state.doString(
                """
                local function helper()
                  check()
                end
                helper()
                """, chunkName: "lvl.lua")
        ) { error in
            XCTAssertEqual((error as! LuaError).description, "lvl.lua:4: bad argument")
        }
    }

    func testArgumentHelpersUseLuaWording() throws {
        let state = try LuaState()
        state.setField(ofGlobalTable: "scw", "Vpc") { _, args in
            guard case .string(let name) = args.argument(1) else {
                throw LuaRaise.typeError(1, to: "Vpc", expected: "string", got: args.argument(1))
            }
            return [.string(name)]
        }
        XCTAssertThrowsError(try state.doString("scw.Vpc()", chunkName: "infra.lua")) { error in
            XCTAssertEqual("\(error)", "infra.lua:1: bad argument #1 to 'Vpc' (string expected, got nil)")
        }
        XCTAssertEqual(try state.doString("return scw.Vpc('main')", chunkName: "t"), ["main"])
    }

    func testLevelZeroAndPlainErrorsHaveNoPosition() throws {
        let state = try LuaState()
        state.setGlobal("raw") { _, _ in throw LuaRaise("no position", level: 0) }
        state.setGlobal("plain") { _, _ in throw PlainError() }
        XCTAssertEqual(
            try state.doString("return select(2, pcall(raw)), select(2, pcall(plain))", chunkName: "t"),
            ["no position", "plain failure"])
    }

    func testCallerPositionSkipsPcallFrame() throws {
        let state = try LuaState()
        state.setGlobal("boom") { _, _ in throw LuaRaise("x") }
        // pcall (a C function) calls boom directly: the nearest script line is named.
        XCTAssertEqual(try state.doString("\n\nreturn select(2, pcall(boom))", chunkName: "p.lua"), ["p.lua:3: x"])
    }

    func testUncaughtRaiseReachesSwiftAsLuaError() throws {
        let state = try LuaState()
        state.setGlobal("fail") { _, _ in throw LuaRaise("unknown prop 'subnet'") }
        XCTAssertThrowsError(try state.doString("local x = 1\nfail()", chunkName: "infra.lua")) { error in
            let error = error as! LuaError
            XCTAssertEqual(error.description, "infra.lua:2: unknown prop 'subnet'")
            XCTAssertEqual(error.location, SourceLocation(file: "infra.lua", line: 2))
            XCTAssertTrue(error.traceback.contains("infra.lua:2"), error.traceback)
        }
    }

    func testTenThousandRaisesLeakNothing() throws {
        let state = try LuaState()
        let counter = LiveCounter()
        state.setGlobal("boom") { _, args in
            let tracked = Tracked(counter)  // must be released although the call raises
            let table = LuaTable(array: args, fields: ["n": args.first ?? .nil])
            throw LuaRaise("boom \(table.count) \(ObjectIdentifier(tracked).hashValue != 0)")
        }
        let results = try state.doString(
            """
            local caught = 0
            collectgarbage("collect")
            local before = collectgarbage("count")
            for i = 1, 10000 do
              local ok, err = pcall(function()
                local r = boom(i, { i, tostring(i) })
                return r
              end)
              if not ok and err == "loop.lua:6: boom 3 true" then caught = caught + 1 end
            end
            collectgarbage("collect")
            local after = collectgarbage("count")
            return caught, after - before
            """, chunkName: "loop.lua")
        XCTAssertEqual(results.first, 10000)
        let growthKB = results[1].doubleValue ?? .infinity
        XCTAssertLessThan(growthKB, 64, "Lua memory grew by \(growthKB) KB over 10,000 raises")
        XCTAssertEqual(counter.live, 0, "Swift objects leaked: a longjmp skipped Swift frames")
        state.collectGarbage()
        let settled = state.memoryInUse
        for _ in 0..<3 {
            _ = try state.doString("for i = 1, 1000 do pcall(boom, i) end", chunkName: "again")
        }
        state.collectGarbage()
        XCTAssertLessThan(state.memoryInUse - settled, 64 * 1024)
        XCTAssertEqual(counter.live, 0)
    }

    func testSwiftFunctionCanCallBackIntoLuaAndPropagateItsError() throws {
        let state = try LuaState()
        state.setGlobal("apply") { state, args in
            guard case .function(let f) = args[0] else { throw LuaRaise("expected a function") }
            return try state.call(f, Array(args.dropFirst()))
        }
        XCTAssertEqual(try state.doString("return apply(function(a, b) return a * b end, 6, 7)", chunkName: "t"), [42])
        let results = try state.doString(
            """
            local ok, err = pcall(apply, function() error("inner") end)
            return ok, err
            """, chunkName: "cb.lua")
        XCTAssertEqual(results, [false, "cb.lua:1: inner"])
    }

    func testSwiftFunctionCalledFromCoroutine() throws {
        let state = try LuaState()
        state.setGlobal("where") { state, _ in
            [.string(state.callerLocation()?.description ?? "?")]
        }
        let results = try state.doString(
            """
            local co = coroutine.wrap(function()
              coroutine.yield(where())
              return where()
            end)
            return co(), co()
            """, chunkName: "co.lua")
        XCTAssertEqual(results, ["co.lua:2", "co.lua:3"])
    }

    func testClosuresAreReleasedWhenTheStateCloses() throws {
        weak var weakWitness: Witness?
        do {
            let state = try LuaState()
            let witness = Witness()
            weakWitness = witness
            state.setGlobal("keep") { _, _ in _ = witness; return [] }
            _ = state.makeFunction { _, _ in _ = witness; return [] }
            try state.doString("keep()", chunkName: "t")
        }
        XCTAssertNil(weakWitness, "the Swift closure outlived its Lua state")
    }

    func testClosureIsReleasedWhenLuaCollectsTheFunction() throws {
        let state = try LuaState()
        weak var weakWitness: Witness?
        do {
            let witness = Witness()
            weakWitness = witness
            state.setGlobal("temp") { _, _ in _ = witness; return [] }
        }
        XCTAssertNotNil(weakWitness)
        try state.doString("temp = nil", chunkName: "t")
        state.collectGarbage()
        XCTAssertNil(weakWitness)
    }

    func testCallerLocationFromSwiftFunction() throws {
        let state = try LuaState()
        var seen: SourceLocation?
        state.setField(ofGlobalTable: "scw", "Vpc") { state, _ in
            seen = state.callerLocation(level: 1)
            return []
        }
        try state.doString("local x = 1\n\nscw.Vpc('main')", chunkName: "infra.lua")
        XCTAssertEqual(seen, SourceLocation(file: "infra.lua", line: 3))
        XCTAssertNil(state.callerLocation(level: 1), "no Lua code runs outside a call")
    }
}

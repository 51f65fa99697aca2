// LuaValue <-> Lua stack round trips (nested tables, integers vs floats, strings with NULs
// and UTF-8, cycles, identity) and LuaValue <-> ScwCore.Value for plain data.

import LuaHost
import ScwCore
import XCTest

final class ConversionTests: XCTestCase {
    /// Pushes `value` into Lua as a global and reads it back.
    private func roundTrip(_ value: LuaValue, in state: LuaState) throws -> LuaValue {
        try state.setGlobal("v", value)
        return try state.doString("return v", chunkName: "rt").first ?? .nil
    }

    func testScalarsRoundTrip() throws {
        let state = try LuaState()
        let values: [LuaValue] = [
            .nil, true, false, 0, -1, .integer(Int64.max), .integer(Int64.min), 1.5, 2.0, -0.25,
            .number(1e300), "", "plain", "nul\0inside\0", "héllo wörld ✓ 日本 🚀",
        ]
        for value in values {
            XCTAssertEqual(try roundTrip(value, in: state), value, "\(value)")
        }
    }

    func testIntegersAndFloatsStayDistinctInLua() throws {
        let state = try LuaState()
        try state.setGlobal("i", 2)
        try state.setGlobal("f", 2.0)
        XCTAssertEqual(try state.doString("return math.type(i), math.type(f), i == f", chunkName: "t"),
                       ["integer", "float", true])
        XCTAssertEqual(try state.doString("return 3, 3.0, 2^53, 7 // 2, 7 / 2", chunkName: "t"),
                       [.integer(3), .number(3.0), .number(9007199254740992.0), .integer(3), .number(3.5)])
    }

    func testStringsWithNulAndUTF8HaveTheRightLengthInLua() throws {
        let state = try LuaState()
        try state.setGlobal("s", "a\0b")
        try state.setGlobal("u", "✓")
        XCTAssertEqual(try state.doString("return #s, #u, utf8.len(u), s:byte(2)", chunkName: "t"), [3, 3, 1, 0])
        XCTAssertEqual(try state.doString("return 'x\\0y', '\\u{1F680}'", chunkName: "t"), ["x\0y", "🚀"])
    }

    func testNestedTablesRoundTrip() throws {
        let state = try LuaState()
        let value: LuaValue = [
            "name": "web",
            "tags": ["env:prod", "team:core"],
            "ports": [80, 443],
            "nested": ["deep": ["deeper": [1.5, ["x": true]]]],
            "empty": [:],
        ]
        let back = try roundTrip(value, in: state)
        guard case .table(let table) = back else { return XCTFail("\(back)") }
        XCTAssertNotNil(table.ref)
        XCTAssertEqual(back["name"], "web")
        XCTAssertEqual(back["tags"], ["env:prod", "team:core"])
        XCTAssertEqual(back["ports"][2], 443)
        XCTAssertEqual(back["nested"]["deep"]["deeper"][2]["x"], true)
        XCTAssertEqual(back["empty"], .table(LuaTable()))
        XCTAssertEqual(back, value)  // structural equality ignores the ref
    }

    func testLuaTableShapes() throws {
        let state = try LuaState()
        let t = try state.doString(
            "return { 'a', 'b', [3] = 'c', [5] = 'e', x = 1, [true] = 'yes', [1.5] = 'f' }", chunkName: "t")[0]
        guard case .table(let table) = t else { return XCTFail("\(t)") }
        XCTAssertEqual(table.array, ["a", "b", "c"])
        XCTAssertEqual(table.fields, ["x": 1])
        XCTAssertEqual(table.otherPairs.count, 3)
        XCTAssertEqual(table[5], "e")
        XCTAssertTrue(table.otherPairs.contains { $0.key == true && $0.value == "yes" })
        XCTAssertTrue(table.otherPairs.contains { $0.key == 1.5 && $0.value == "f" })
    }

    func testCyclesAreCutAndKeepIdentity() throws {
        let state = try LuaState()
        let results = try state.doString(
            """
            local t = { name = "root" }
            t.self = t
            t.children = { { parent = t } }
            return t
            """, chunkName: "cycle")
        guard case .table(let root) = results[0], let rootRef = root.ref else { return XCTFail() }
        XCTAssertFalse(root.isTruncated)
        guard case .table(let selfRef) = root["self"] else { return XCTFail() }
        XCTAssertTrue(selfRef.isTruncated)
        XCTAssertEqual(selfRef.ref, rootRef)
        guard case .table(let parent) = root["children"][1]["parent"] else { return XCTFail() }
        XCTAssertTrue(parent.isTruncated)
        XCTAssertEqual(parent.ref, rootRef)
        // pushing the truncated copy pushes the very same table
        try state.setGlobal("back", root["self"])
        try state.setGlobal("orig", .table(root))
        XCTAssertEqual(try state.doString("return rawequal(back, orig), back.name", chunkName: "t"), [true, "root"])
    }

    func testDepthLimitTruncates() throws {
        let state = try LuaState()
        state.maxTableDepth = 5
        let v = try state.doString("local t = {} for i = 1, 50 do t = { t } end return t", chunkName: "t")[0]
        var current = v
        var depth = 0
        while case .table(let t) = current, !t.isTruncated {
            current = t[1]
            depth += 1
        }
        XCTAssertEqual(depth, 5)
        XCTAssertThrowsError(try v.toValue())
    }

    func testReferenceIdentity() throws {
        let state = try LuaState()
        let r = try state.doString("local t = {1}; local u = {1}; local f = print; return t, t, u, f, print", chunkName: "t")
        XCTAssertEqual(r[0].ref, r[1].ref)
        XCTAssertNotEqual(r[0].ref, r[2].ref)
        XCTAssertEqual(r[0], r[2])  // same contents
        XCTAssertEqual(r[3], r[4])  // same function
        XCTAssertEqual(Set([r[0].ref!, r[1].ref!, r[2].ref!]).count, 2)
        let fresh = try state.value(of: r[0].ref!)
        XCTAssertEqual(fresh, [1])
    }

    func testRawGetAndSetThroughRefs() throws {
        let state = try LuaState()
        let t = try state.doString(
            "return setmetatable({}, { __index = function() error('no') end, __newindex = function() error('no') end })",
            chunkName: "t")[0]
        let ref = try XCTUnwrap(t.ref)
        XCTAssertEqual(try state.rawGet(ref, "missing"), .nil)
        try state.rawSet(ref, "id", "abc")
        try state.rawSet(ref, 1, ["nested"])
        XCTAssertEqual(try state.rawGet(ref, "id"), "abc")
        XCTAssertEqual(try state.rawLength(ref), 1)
        XCTAssertThrowsError(try state.rawSet(ref, .nil, 1))
    }

    func testRefFromAnotherStateIsRefused() throws {
        let a = try LuaState()
        let b = try LuaState()
        let t = try a.doString("return {}", chunkName: "t")[0]
        XCTAssertThrowsError(try b.setGlobal("x", t)) { error in
            XCTAssertTrue("\(error)".contains("another Lua state"))
        }
    }

    // MARK: - ScwCore.Value

    func testPlainDataToValue() throws {
        let state = try LuaState()
        let v = try state.doString(
            """
            return { name = "db", size = 20, ratio = 0.5, ok = true,
                     tags = { "a", "b" }, empty = {}, nested = { list = { 1, 2.5 } } }
            """, chunkName: "t")[0]
        XCTAssertEqual(
            try v.toValue(),
            .map([
                "name": .string("db"), "size": .int(20), "ratio": .double(0.5), "ok": .bool(true),
                "tags": .list([.string("a"), .string("b")]), "empty": .list([]),
                "nested": .map(["list": .list([.int(1), .double(2.5)])]),
            ]))
    }

    func testValueRoundTripThroughLua() throws {
        let state = try LuaState()
        let value: Value = .map([
            "ints": .list([.int(1), .int(-2), .int(Int64.max)]),
            "floats": .list([.double(1.0), .double(0.1)]),
            "s": .string("nul\0 ✓"),
            "m": .map(["deep": .map(["x": .bool(false)])]),
        ])
        try state.setGlobal("v", try LuaValue(value))
        XCTAssertEqual(try state.doString("return math.type(v.floats[1])", chunkName: "t"), ["float"])
        XCTAssertEqual(try state.global("v").toValue(), value)
        XCTAssertThrowsError(try LuaValue(Value.unknown))
    }

    func testConversionErrorsNameTheKey() throws {
        let state = try LuaState()
        func error(_ code: String) throws -> String {
            let v = try state.doString("return " + code, chunkName: "t")[0]
            do {
                _ = try v.toValue()
                return "no error"
            } catch let error as LuaConversionError {
                return error.description
            }
        }
        XCTAssertEqual(try error("{ 1, 2, subnet = 'x' }"), "table mixes list items with key 'subnet' (use one or the other)")
        XCTAssertEqual(try error("{ a = { 1, nil, 3 } }"), "a: list has a hole before index [3] (a list needs indexes 1..n)")
        XCTAssertEqual(try error("{ a = 1, [2] = 2 }"), "table mixes key 'a' with index [2] (use one or the other)")
        XCTAssertEqual(try error("{ [2] = 2 }"), "list does not start at index 1 (first index [2])")
        XCTAssertEqual(try error("{ x = { [true] = 1 } }"), "x: table key [true] is a boolean, not a string or a list index")
        XCTAssertEqual(try error("{ list = { {}, { f = print } } }"), "list[2].f: a function is not plain data")
        XCTAssertEqual(try error("{ ['user-data'] = { print } }"), "[\"user-data\"][1]: a function is not plain data")
        XCTAssertEqual(try error("(function() local t = {} t.t = t return t end)()"), "t: table is cyclic or nested too deep")
    }
}

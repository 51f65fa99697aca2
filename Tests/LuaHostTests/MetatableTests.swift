// Named metatables, tables and userdata the script layer recognises, modules and paths.

import LuaHost
import XCTest

private final class Handle {
    let name: String
    init(name: String) { self.name = name }
}

final class MetatableTests: XCTestCase {
    func testTableWithNamedMetatableIsRecognised() throws {
        let state = try LuaState()
        try state.newMetatable("scw.Handle", fields: [
            "__index": state.makeFunction { _, args in [.string("out:\(args[1].stringValue ?? "?")")] },
            "__tostring": state.makeFunction { _, _ in ["<handle>"] },
        ])
        let handle = try state.makeTable(LuaTable(fields: ["id": "web"], metatableName: "scw.Handle"))
        try state.setGlobal("web", LuaValue(handle))
        let results = try state.doString(
            "return web.id, web.public_ip, tostring(web), getmetatable(web).__name, web", chunkName: "t")
        XCTAssertEqual(Array(results.prefix(4)), ["web", "out:public_ip", "<handle>", "scw.Handle"])
        guard case .table(let back) = results[4] else { return XCTFail() }
        XCTAssertEqual(back.metatableName, "scw.Handle")
        XCTAssertEqual(back.ref, handle)
        XCTAssertEqual(state.metatableName(of: results[4]), "scw.Handle")

        let plain = try state.makeTable()
        try state.setMetatable(plain, name: "scw.Handle")
        XCTAssertEqual(state.metatableName(of: LuaValue(plain)), "scw.Handle")
        try state.setMetatable(plain, name: nil)
        XCTAssertNil(state.metatableName(of: LuaValue(plain)))
        XCTAssertThrowsError(try state.setMetatable(plain, name: "nope"))
        XCTAssertNotNil(state.metatable(named: "scw.Handle"))
        XCTAssertNil(state.metatable(named: "nope"))
    }

    func testUserdataCarriesSwiftObjectAndReleasesIt() throws {
        let state = try LuaState()
        try state.newMetatable("scw.Obj", fields: [
            "__tostring": state.makeFunction { state, args in
                [.string("obj " + (state.object(of: args[0], as: Handle.self)?.name ?? "?"))]
            }
        ])
        weak var weakHandle: Handle?
        do {
            let handle = Handle(name: "db")
            weakHandle = handle
            let ud = try state.makeUserdata(handle, metatable: "scw.Obj")
            XCTAssertTrue(state.object(of: ud) === handle)
            try state.setGlobal("db", ud)
        }
        XCTAssertEqual(try state.doString("return tostring(db)", chunkName: "t"), ["obj db"])
        XCTAssertNotNil(weakHandle)
        try state.doString("db = nil", chunkName: "t")
        state.collectGarbage()
        XCTAssertNil(weakHandle, "the userdata's __gc did not release the Swift object")
        XCTAssertThrowsError(try state.makeUserdata(Handle(name: "x"), metatable: "missing"))
        XCTAssertNil(state.object(of: "not userdata"))
    }

    func testPreloadLoadedAndPackagePath() throws {
        let dir = try makeScriptDir(self)
        try writeScript(dir, "lib/cidr.lua", "return { name = 'cidr' }")
        try writeScript(dir, "lib/json/init.lua", "return { name = 'json' }")
        let state = try LuaState()
        state.addPackagePath(dir.appendingPathComponent("lib").path)
        try state.setPreload("scaleway") { state, args in
            [.table(LuaTable(fields: ["loaded_as": args.first ?? .nil]))]
        }
        try state.setLoaded("fixed", ["answer": 42])
        let r = try state.doString(
            """
            local scw = require "scaleway"
            return scw.loaded_as, require("cidr").name, require("json").name, require("fixed").answer,
                   require("scaleway") == scw
            """, chunkName: "t")
        XCTAssertEqual(r, ["scaleway", "cidr", "json", 42, true])
    }

    func testLoadAndCallLater() throws {
        let state = try LuaState()
        let results = try state.doString(
            """
            local factor = 2
            return function(v) return v * factor end, function(v) error("cannot map " .. v) end
            """, chunkName: "map.lua")
        guard case .function(let double) = results[0], case .function(let failing) = results[1] else {
            return XCTFail()
        }
        XCTAssertEqual(try state.call(double, [21]), [42])
        XCTAssertEqual(try state.call(double, [1.5]), [3.0])
        XCTAssertThrowsError(try state.call(failing, ["x"])) { error in
            let error = error as! LuaError
            XCTAssertEqual(error.description, "map.lua:2: cannot map x")
            XCTAssertTrue(error.traceback.contains("map.lua:2"))
        }
        let chunk = try state.load("return 1 + ...", chunkName: "chunk")
        XCTAssertEqual(try state.call(chunk, [41]), [42])
        XCTAssertThrowsError(try state.load("return +", chunkName: "bad")) { error in
            XCTAssertEqual((error as! LuaError).kind, .syntax)
        }
        try state.doString("function twice(x) return x, x end", chunkName: "t")
        XCTAssertEqual(try state.callGlobal("twice", ["a"]), ["a", "a"])
    }
}

// LuaState(borrowing:): a wrapper over a lua_State made and closed by someone else (a Lua
// host loading a module): never closes it, leaves its extra space alone, survives either end.

import CLua
import LuaHost
import XCTest

final class BorrowedStateTests: XCTestCase {
    /// A state as a C host makes it, with the standard libraries.
    private func hostState() throws -> OpaquePointer {
        let L = try XCTUnwrap(luaL_newstate())
        XCTAssertEqual(scwlua_openlibs(L), LUA_OK)
        return L
    }

    /// Runs `code` as the host would (luaL_loadstring + lua_pcall); returns the first result
    /// as a string, or the error message.
    private func hostRun(_ L: OpaquePointer, _ code: String) -> (ok: Bool, text: String) {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard luaL_loadstring(L, code) == LUA_OK else { return (false, String(cString: scwlua_tostring(L, -1))) }
        let status = scwlua_pcall(L, 0, 1, 0)
        let text = scwlua_tostring(L, -1).map { String(cString: $0) } ?? "nil"
        return (status == LUA_OK, text)
    }

    func testSwiftFunctionsRunInTheHostsStateWhichOutlivesTheWrapper() throws {
        let L = try hostState()
        defer { lua_close(L) }
        let sentinel = UnsafeMutableRawPointer(bitPattern: 0x5C3_1A)!
        scwlua_getextraspace(L).storeBytes(of: sentinel, as: UnsafeMutableRawPointer.self)
        do {
            let state = try LuaState(borrowing: L)
            XCTAssertTrue(state.isBorrowed)
            XCTAssertTrue(LuaState.borrowed(L) === state)
            state.setGlobal("greet") { _, args in [.string("hello \(args.first?.stringValue ?? "?")")] }
            state.setGlobal("fail") { _, _ in throw LuaRaise("refused") }
            XCTAssertEqual(try state.doString("return greet('swift')", chunkName: "t").first, .string("hello swift"))
            XCTAssertEqual(hostRun(L, "return greet('host')").text, "hello host")
            let failed = hostRun(L, "return select(2, pcall(fail))")
            XCTAssertTrue(failed.text.hasSuffix(":1: refused"), failed.text)
        }
        // The wrapper is gone; the state is not closed, its extra space is the host's.
        XCTAssertNil(LuaState.borrowed(L))
        XCTAssertEqual(scwlua_getextraspace(L).load(as: UnsafeMutableRawPointer.self), sentinel)
        XCTAssertEqual(hostRun(L, "return tostring(1 + 1)").text, "2")
        // A Swift function of the dead wrapper raises (catchable) instead of crashing.
        let call = hostRun(L, "local ok, err = pcall(greet, 'x'); return tostring(ok) .. ' ' .. err")
        XCTAssertTrue(call.ok)
        XCTAssertTrue(call.text.hasPrefix("false "), call.text)
    }

    func testOneLiveWrapperAtATimeThenANewOne() throws {
        let L = try hostState()
        defer { lua_close(L) }
        var first: LuaState? = try LuaState(borrowing: L)
        XCTAssertThrowsError(try LuaState(borrowing: L))
        XCTAssertTrue(LuaState.borrowed(L) === first)
        first = nil
        let second = try LuaState(borrowing: L)
        second.setGlobal("twice") { _, args in [.integer((args.first?.intValue ?? 0) * 2)] }
        XCTAssertEqual(hostRun(L, "return twice(21)").text, "42")
    }

    func testOwnerClosingTheStateReleasesSwiftObjectsAndTheWrapperStaysInert() throws {
        let L = try hostState()
        weak var witness: Witness?
        var state: LuaState? = try LuaState(borrowing: L)
        do {
            let w = Witness()
            witness = w
            state?.setGlobal("keep") { _, _ in _ = w; return [] }
            let table = try state?.makeTable()
            XCTAssertNotNil(table)
        }
        XCTAssertNotNil(witness)
        lua_close(L)  // the host closes; the wrapper is still alive
        XCTAssertNil(witness, "closing the state releases the closures handed to Lua")
        state = nil  // must not touch the closed state
        XCTAssertNil(state)
    }

    func testBorrowedFromACoroutineUsesTheMainThread() throws {
        let L = try hostState()
        defer { lua_close(L) }
        let co = try XCTUnwrap(lua_newthread(L))
        let state = try LuaState(borrowing: co)
        scwlua_pop(L, 1)  // the coroutine may now be collected: the wrapper keeps the main thread
        state.collectGarbage()
        state.setGlobal("where") { lua, _ in [.string(lua.callerLocation()?.description ?? "?")] }
        let text = hostRun(L, """
            local co = coroutine.create(function()
              return where()
            end)
            local _, at = coroutine.resume(co)
            return at
            """).text
        XCTAssertTrue(text.hasSuffix("...\"]:2"), text)  // the line inside the coroutine
        XCTAssertEqual(try state.doString("return 6 * 7", chunkName: "t").first, .integer(42))
    }
}

// LuaOpen: `luaopen_scaleway`, the C entry point `require "scaleway"` calls in any Lua 5.4
// host. It never raises: it returns the module table; errors are raised later by the C
// trampoline, after the Swift function that found them has returned.

import CLua
import LuaHost

/// Called by `require "scaleway"` (Lua's C loader) with the host's state. Returns one value,
/// the module table. If the module cannot be set up, the table it returns raises the reason
/// on first use (Swift cannot raise here; see DESIGN.md section 7).
@_cdecl("luaopen_scaleway")
public func luaopen_scaleway(_ L: OpaquePointer?) -> CInt {
    guard let L else { return 0 }
    ModuleLibrary.pinInMemory()
    guard lua_checkstack(L, 8) != 0 else { return 0 }
    let state: LuaState
    do {
        state = try LuaState.borrowed(L) ?? LuaState(borrowing: L)
    } catch {
        // Without a wrapper there is no Swift function to raise with: hand back the reason.
        lua_createtable(L, 0, 1)
        _ = lua_pushstring(L, "load_error")
        _ = lua_pushstring(L, "scaleway: cannot load the module: \(error)")
        lua_rawset(L, -3)
        return 1
    }
    let top = lua_gettop(L)
    return state.using(thread: L) {
        do {
            let module = try ModuleHost.install(in: state)
            try state.push(.table(LuaTable(ref: module)))
        } catch {
            lua_settop(L, top)
            guard let broken = try? BrokenModule.table(in: state, reason: "\(error)"),
                (try? state.push(.table(LuaTable(ref: broken)))) != nil
            else { return 0 }
        }
        return 1
    }
}

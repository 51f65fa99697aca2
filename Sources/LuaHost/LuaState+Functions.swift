// Swift functions callable from Lua. Each is a C closure over scwlua_trampoline (shim.c):
// a Swift error is turned into an error value and a sentinel, and the trampoline raises it
// with lua_error only after the Swift frame below has returned.

import CLua
import ScwCore

/// A Swift function seen from Lua: it gets the state and the arguments, and returns the
/// results. Throwing raises a Lua error in the caller: `LuaRaise` like `error(msg, level)`
/// (the script position of the caller is prefixed), a `LuaError` with its message unchanged,
/// anything else with its `description`.
public typealias LuaFunction = (LuaState, [LuaValue]) throws -> [LuaValue]

/// Holds a Swift function in Lua (in a userdata whose `__gc` releases it).
final class FunctionBox {
    let function: LuaFunction
    init(_ function: @escaping LuaFunction) { self.function = function }
}

extension LuaState {
    /// A Lua function backed by a Swift closure. The closure is released when Lua collects
    /// the function (at the latest when the state closes).
    public func makeFunction(_ function: @escaping LuaFunction) -> LuaValue {
        pushFunction(function)
        return .function(popRef())
    }

    /// Sets the global `name` to a Swift function.
    public func setGlobal(_ name: String, function: @escaping LuaFunction) {
        lua_rawgeti(L, scwlua_registryindex(), scwlua_ridx_globals())
        pushString(name)
        pushFunction(function)
        lua_rawset(L, -3)
        scwlua_pop(L, 1)
    }

    /// Sets `table.name` to a Swift function, making the global table `table` when it does
    /// not exist yet (or is not a table).
    public func setField(ofGlobalTable table: String, _ name: String, function: @escaping LuaFunction) {
        lua_rawgeti(L, scwlua_registryindex(), scwlua_ridx_globals())
        pushString(table)
        if lua_rawget(L, -2) != LUA_TTABLE {
            scwlua_pop(L, 1)
            scwlua_newtable(L)
            pushString(table)
            lua_pushvalue(L, -2)
            lua_rawset(L, -4)
        }
        pushString(name)
        pushFunction(function)
        lua_rawset(L, -3)
        scwlua_pop(L, 2)
    }

    func pushFunction(_ function: @escaping LuaFunction) {
        let box = Unmanaged.passRetained(FunctionBox(function)).toOpaque()
        scwlua_push_swift_function(L, box, luaHostCallSwift, luaHostRelease)
    }

    // MARK: - Where the caller is

    /// The script position of the Lua code `level` frames up (`debug.getinfo(level, "Sl")`):
    /// inside a Swift function, level 1 is whoever called it. Frames that run no Lua line
    /// (C functions such as `pcall`, or the main chunk of a string loaded without lines)
    /// are skipped, so this names the nearest script line at or above `level`.
    public func callerLocation(level: Int = 1) -> SourceLocation? {
        var ar = lua_Debug()
        var current = CInt(clamping: max(level, 0))
        while lua_getstack(L, current, &ar) != 0 {
            if lua_getinfo(L, "Sl", &ar) != 0, ar.currentline > 0 {
                let file = withUnsafeBytes(of: &ar.short_src) { raw in
                    String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
                }
                return SourceLocation(file: file, line: Int(ar.currentline))
            }
            current += 1
        }
        return nil
    }

    /// The message a thrown error raises in Lua.
    func raiseMessage(for error: any Error) -> String {
        switch error {
        case let raise as LuaRaise:
            guard raise.level > 0, let location = callerLocation(level: raise.level) else {
                return raise.message
            }
            return "\(location): \(raise.message)"
        case let luaError as LuaError:
            return luaError.message
        default:
            return String(describing: error)
        }
    }
}

/// Called by scwlua_trampoline: runs the Swift function of a box. Returns the number of
/// results pushed, or SCWLUA_RAISE with the error message on top of the stack. Nothing may
/// raise here: the trampoline raises once this frame is gone.
private func luaHostCallSwift(_ L: OpaquePointer?, _ object: UnsafeMutableRawPointer?) -> CInt {
    guard let L, let object else { return -1 }
    guard let unmanagedState = LuaState.owning(L),
        !unmanagedState._withUnsafeGuaranteedRef({ $0.isClosing })
    else {
        _ = lua_pushstring(L, "Swift function called while the Lua state closes")
        return -1
    }
    let state = unmanagedState.takeUnretainedValue()
    let box = Unmanaged<FunctionBox>.fromOpaque(object).takeUnretainedValue()
    let saved = state.L
    state.L = L  // a coroutine's stack, when called from one
    defer { state.L = saved }
    let result = invoke(box, state: state, L: L)
    if lua_checkstack(L, 2) != 0 { state.refs.drain(L) }  // the arguments' refs are dead now
    return result
}

private func invoke(_ box: FunctionBox, state: LuaState, L: OpaquePointer) -> CInt {
    let count = lua_gettop(L)
    var args: [LuaValue] = []
    args.reserveCapacity(Int(count))
    if count > 0 {
        for index in 1...count { args.append(state.value(at: index)) }
    }
    let base = lua_gettop(L)
    let results: [LuaValue]
    do {
        results = try box.function(state, args)
    } catch {
        lua_settop(L, base)
        state.pushString(state.raiseMessage(for: error))
        return -1
    }
    lua_settop(L, base)
    do {
        for value in results { try state.push(value) }
    } catch {
        lua_settop(L, base)
        state.pushString("bad result from Swift function: \(error)")
        return -1
    }
    return CInt(results.count)
}

/// `__gc` of a function box: releases the Swift closure.
private func luaHostRelease(_ object: UnsafeMutableRawPointer?) {
    guard let object else { return }
    Unmanaged<AnyObject>.fromOpaque(object).release()
}

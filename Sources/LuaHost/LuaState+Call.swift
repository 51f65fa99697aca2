// Calling Lua from Swift: always through lua_pcall with the traceback handler, so a Lua
// error comes back as a thrown LuaError and never unwinds a Swift frame.

import CLua

extension LuaState {
    /// Calls a Lua function (or a value with a `__call` metamethod) with `args`, returning
    /// all its results. A Lua error is thrown as `LuaError` (`kind == .runtime`), with the
    /// traceback apart. Used at apply time to run the closures given to `ref:map(fn)`.
    @discardableResult
    public func call(_ function: LuaRef, _ args: [LuaValue] = []) throws -> [LuaValue] {
        try call(LuaValue(function), args)
    }

    /// Calls a Lua value (a function, or a value with `__call`), as `call(_:_:)` does.
    @discardableResult
    public func call(_ function: LuaValue, _ args: [LuaValue] = []) throws -> [LuaValue] {
        refs.drain(L)
        let base = lua_gettop(L)
        do {
            try ensureStack(CInt(clamping: args.count + 4))
            try push(function)
            for arg in args { try push(arg) }
        } catch {
            lua_settop(L, base)
            throw error
        }
        return try pcallReturningAll(nargs: CInt(args.count), base: base)
    }

    /// Calls the global function `name` (read raw from `_G`).
    @discardableResult
    public func callGlobal(_ name: String, _ args: [LuaValue] = []) throws -> [LuaValue] {
        let function = global(name)
        guard !function.isNil else { throw LuaHostError("global '\(name)' is nil") }
        return try call(function, args)
    }
}

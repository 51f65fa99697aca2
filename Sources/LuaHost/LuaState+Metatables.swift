// Named metatables and script objects: tables with a metatable the script layer can
// recognise (`__name`), and userdata that carry a Swift object released by `__gc`.

import CLua

extension LuaState {
    /// Registers (or updates) the metatable `name` with `fields` (`__index`, `__tostring`,
    /// `__concat`, ... often functions from `makeFunction`). Its `__name` is `name`, which is
    /// what `LuaTable.metatableName` reports. Leave `__gc` out for metatables used with
    /// `makeUserdata`: LuaHost installs the one that releases the Swift object.
    @discardableResult
    public func newMetatable(_ name: String, fields: [String: LuaValue] = [:]) throws -> LuaRef {
        try ensureStack(4)
        _ = luaL_newmetatable(L, name)
        do {
            for (key, value) in fields { try setRawField(of: -1, key, value) }
        } catch {
            scwlua_pop(L, 1)
            throw error
        }
        return popRef()
    }

    /// The metatable registered under `name`, if any.
    public func metatable(named name: String) -> LuaRef? {
        guard (try? ensureStack(1)) != nil else { return nil }
        guard scwlua_getmetatable_named(L, name) == LUA_TTABLE else {
            scwlua_pop(L, 1)
            return nil
        }
        return popRef()
    }

    /// Sets the metatable of a table to the one registered under `name` (nil removes it).
    public func setMetatable(_ table: LuaRef, name: String?) throws {
        guard table.luaType == LUA_TTABLE else {
            throw LuaHostError("setMetatable on a \(table.typeName)")
        }
        try push(table)
        try ensureStack(2)
        if let name {
            guard scwlua_getmetatable_named(L, name) == LUA_TTABLE else {
                scwlua_pop(L, 2)
                throw LuaHostError("no metatable named '\(name)' (make it with newMetatable)")
            }
        } else {
            lua_pushnil(L)
        }
        _ = lua_setmetatable(L, -2)
        scwlua_pop(L, 1)
    }

    /// Makes a new Lua table from `contents` (and its `metatableName`, when set) and returns
    /// a reference to it.
    public func makeTable(_ contents: LuaTable = LuaTable()) throws -> LuaRef {
        var contents = contents
        contents.ref = nil
        contents.isTruncated = false
        try push(.table(contents))
        return popRef()
    }

    /// A full userdata carrying `object`, with the metatable registered under `metatable`
    /// (see `newMetatable`). Lua owns a strong reference to the object until it collects the
    /// userdata; `object(of:)` gives the object back.
    public func makeUserdata(_ object: AnyObject, metatable: String) throws -> LuaValue {
        try ensureStack(4)
        let retained = Unmanaged.passRetained(object).toOpaque()
        guard scwlua_push_object(L, retained, luaHostReleaseObject, metatable) != 0 else {
            Unmanaged<AnyObject>.fromOpaque(retained).release()
            throw LuaHostError("no metatable named '\(metatable)' (make it with newMetatable)")
        }
        return .userdata(popRef())
    }

    /// The Swift object carried by a userdata from `makeUserdata`, or nil for any other value.
    public func object(of value: LuaValue) -> AnyObject? {
        guard case .userdata(let ref) = value, (try? push(ref)) != nil else { return nil }
        defer { scwlua_pop(L, 1) }
        guard let raw = scwlua_object_at(L, -1) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue()
    }

    /// The Swift object of type `T` carried by a userdata from `makeUserdata`, or nil.
    public func object<T: AnyObject>(of value: LuaValue, as type: T.Type) -> T? {
        object(of: value) as? T
    }

    /// `__name` of the metatable of a table or userdata (nil when it has none).
    public func metatableName(of value: LuaValue) -> String? {
        guard let ref = value.ref, (try? push(ref)) != nil else { return nil }
        defer { scwlua_pop(L, 1) }
        return metatableNameAt(-1)
    }
}

/// `__gc` of an object userdata: releases the Swift object.
private func luaHostReleaseObject(_ object: UnsafeMutableRawPointer?) {
    guard let object else { return }
    Unmanaged<AnyObject>.fromOpaque(object).release()
}

// Moving values between the Lua stack and LuaValue: reading (tables copied, cycles cut,
// references kept) and pushing (new tables, or the original for a referenced one). Raw
// access only, so no metamethod (and no Lua error) can run in the middle of Swift code.

import CLua

extension LuaState {
    // MARK: - Public access through references

    /// Reads the referenced value afresh (a table is copied again, as it is now).
    public func value(of ref: LuaRef) throws -> LuaValue {
        try push(ref)
        defer { scwlua_pop(L, 1) }
        return value(at: -1)
    }

    /// `rawget(table, key)`: no `__index` runs.
    public func rawGet(_ table: LuaRef, _ key: LuaValue) throws -> LuaValue {
        try push(table)
        defer { scwlua_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TTABLE else { throw LuaHostError("rawGet on a \(table.typeName)") }
        try push(key)
        lua_rawget(L, -2)
        defer { scwlua_pop(L, 1) }
        return value(at: -1)
    }

    /// `rawset(table, key, value)`: no `__newindex` runs. A nil or NaN key is refused.
    public func rawSet(_ table: LuaRef, _ key: LuaValue, _ value: LuaValue) throws {
        try push(table)
        defer { scwlua_pop(L, 1) }
        guard lua_type(L, -1) == LUA_TTABLE else { throw LuaHostError("rawSet on a \(table.typeName)") }
        try checkKey(key)
        let top = lua_gettop(L)
        do {
            try push(key)
            try push(value)
        } catch {
            lua_settop(L, top)
            throw error
        }
        lua_rawset(L, -3)
    }

    /// `rawlen(table)` for a table, or the byte length of a string or userdata.
    public func rawLength(_ ref: LuaRef) throws -> Int {
        try push(ref)
        defer { scwlua_pop(L, 1) }
        return Int(lua_rawlen(L, -1))
    }

    /// Pushes a value onto the stack (advanced use: the caller must pop it).
    public func push(_ value: LuaValue) throws {
        let top = lua_gettop(L)
        do {
            try pushValue(value, depth: 0)
        } catch {
            lua_settop(L, top)
            throw error
        }
    }

    // MARK: - Reading

    /// The value at a stack index, tables copied (see `LuaTable`).
    public func value(at index: CInt) -> LuaValue {
        var enclosing = Set<UInt>()
        return read(lua_absindex(L, index), depth: 0, enclosing: &enclosing)
    }

    func rawField(of index: CInt, _ name: String) -> LuaValue {
        let table = lua_absindex(L, index)
        guard (try? ensureStack(2)) != nil else { return .nil }
        pushString(name)
        lua_rawget(L, table)
        defer { scwlua_pop(L, 1) }
        return value(at: -1)
    }

    func setRawField(of index: CInt, _ name: String, _ value: LuaValue) throws {
        let table = lua_absindex(L, index)
        try ensureStack(2)
        pushString(name)
        do { try push(value) } catch {
            scwlua_pop(L, 1)
            throw error
        }
        lua_rawset(L, table)
    }

    private func read(_ index: CInt, depth: Int, enclosing: inout Set<UInt>) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(scwlua_tointeger(L, index)) }
            return .number(scwlua_tonumber(L, index))
        case LUA_TSTRING:
            return .string(stringAt(index) ?? "")
        case LUA_TTABLE:
            return .table(readTable(index, depth: depth, enclosing: &enclosing))
        case LUA_TFUNCTION:
            return .function(refTo(index))
        case LUA_TUSERDATA:
            return .userdata(refTo(index))
        case LUA_TTHREAD, LUA_TLIGHTUSERDATA:
            return .other(refTo(index))
        default:
            return .nil
        }
    }

    private func refTo(_ index: CInt) -> LuaRef {
        lua_pushvalue(L, index)
        return popRef()
    }

    private func readTable(_ index: CInt, depth: Int, enclosing: inout Set<UInt>) -> LuaTable {
        let address = UInt(bitPattern: lua_topointer(L, index))
        var table = LuaTable(ref: refTo(index), metatableName: metatableNameAt(index))
        guard depth < maxTableDepth, !enclosing.contains(address), lua_checkstack(L, 4) != 0
        else { return table }  // stays truncated
        enclosing.insert(address)
        defer { enclosing.remove(address) }
        table.isTruncated = false

        var integers: [Int64: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let value = read(lua_absindex(L, -1), depth: depth + 1, enclosing: &enclosing)
            switch lua_type(L, -2) {
            case LUA_TSTRING:
                table.fields[stringAt(-2) ?? ""] = value
            case LUA_TNUMBER where lua_isinteger(L, -2) != 0:
                integers[scwlua_tointeger(L, -2)] = value
            default:
                let key = read(lua_absindex(L, -2), depth: depth + 1, enclosing: &enclosing)
                table.otherPairs.append((key: key, value: value))
            }
            scwlua_pop(L, 1)  // keep the key for lua_next
        }
        var next: Int64 = 1
        while let item = integers.removeValue(forKey: next) {
            table.array.append(item)
            next += 1
        }
        for key in integers.keys.sorted() {
            table.otherPairs.append((key: .integer(key), value: integers[key]!))
        }
        return table
    }

    /// `__name` of the metatable of the value at `index`, read raw.
    func metatableNameAt(_ index: CInt) -> String? {
        guard lua_getmetatable(L, index) != 0 else { return nil }
        defer { scwlua_pop(L, 1) }
        pushString("__name")
        lua_rawget(L, -2)
        defer { scwlua_pop(L, 1) }
        return lua_type(L, -1) == LUA_TSTRING ? stringAt(-1) : nil
    }

    // MARK: - Pushing

    func pushString(_ string: String) {
        var string = string
        string.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                _ = lua_pushlstring(L, chars.baseAddress, chars.count)
            }
        }
    }

    private func checkKey(_ key: LuaValue) throws {
        switch key {
        case .nil: throw LuaHostError("table key is nil")
        case .number(let d) where d.isNaN: throw LuaHostError("table key is NaN")
        default: break
        }
    }

    private func pushValue(_ value: LuaValue, depth: Int) throws {
        try ensureStack(3)
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, lua_Integer(i))
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(s)
        case .function(let r), .userdata(let r), .other(let r): try push(r)
        case .table(let t):
            if let ref = t.ref {
                try push(ref)
            } else {
                try pushNewTable(t, depth: depth)
            }
        }
    }

    private func pushNewTable(_ t: LuaTable, depth: Int) throws {
        guard depth < 200 else { throw LuaHostError("table nested too deep to push") }
        lua_createtable(L, CInt(clamping: t.array.count), CInt(clamping: t.fields.count + t.otherPairs.count))
        for (offset, item) in t.array.enumerated() {
            try pushValue(item, depth: depth + 1)
            lua_rawseti(L, -2, lua_Integer(offset + 1))
        }
        for (key, item) in t.fields {
            pushString(key)
            try pushValue(item, depth: depth + 1)
            lua_rawset(L, -3)
        }
        for pair in t.otherPairs {
            try checkKey(pair.key)
            try pushValue(pair.key, depth: depth + 1)
            try pushValue(pair.value, depth: depth + 1)
            lua_rawset(L, -3)
        }
        if let name = t.metatableName {
            guard scwlua_getmetatable_named(L, name) == LUA_TTABLE else {
                throw LuaHostError("no metatable named '\(name)' (make it with newMetatable)")
            }
            lua_setmetatable(L, -2)
        }
    }
}

// LuaState: one Lua interpreter (one per script run) with the standard libraries, running
// chunks through lua_pcall with a traceback handler. Lua errors come back as LuaError.

import CLua
import Foundation
import ScwCore

/// A Lua 5.4 interpreter with the standard libraries open.
///
/// Not thread-safe: use a state on one thread only (the one that made it), or own it through
/// a `LuaThread`. Every call into Lua goes through `lua_pcall`; Lua errors are thrown as
/// `LuaError`. Closing (deinit) runs the finalizers, which release the Swift closures and
/// objects handed to Lua. A state made with `init(borrowing:)` wraps a `lua_State` someone
/// else owns and is never closed by Swift (LuaState+Borrowed.swift).
public final class LuaState {
    /// The `lua_State` in use: the main one, or a coroutine's while a Swift function called
    /// from that coroutine runs. For advanced use only: raw calls must never raise (see
    /// CLua.apinotes) and must leave the stack balanced.
    public internal(set) var L: OpaquePointer
    let mainL: OpaquePointer
    let refs = RefRegistry()
    /// Set while `deinit` closes the state (or, when borrowed, once its owner closes it):
    /// Swift functions then refuse to run.
    var isClosing = false
    /// False for a state made by `init(borrowing:)`: its owner closes it, not `deinit`.
    let ownsState: Bool

    /// How deep nested tables are read into `LuaTable`s; deeper ones come back truncated.
    public var maxTableDepth = 100

    /// Makes a state and opens the standard libraries.
    public init() throws {
        guard let L = luaL_newstate() else {
            throw LuaError(kind: .memory, message: "cannot create a Lua state: out of memory")
        }
        self.L = L
        self.mainL = L
        self.ownsState = true
        scwlua_getextraspace(L).storeBytes(
            of: Unmanaged.passUnretained(self).toOpaque(), as: UnsafeMutableRawPointer.self)
        if scwlua_openlibs(L) != LUA_OK {
            let message = String(cString: scwlua_tostring(L, -1))
            lua_close(L)
            throw LuaError(kind: .memory, message: "cannot open the Lua libraries: \(message)")
        }
    }

    /// Wraps the main thread of a state owned by someone else; see `init(borrowing:)`, which
    /// records the wrapper in that state's registry (its extra space is not ours to use).
    init(adoptingMainThread mainL: OpaquePointer) {
        self.L = mainL
        self.mainL = mainL
        self.ownsState = false
    }

    deinit {
        guard ownsState else { return detachBorrowed() }
        isClosing = true
        refs.close()
        lua_close(mainL)
    }

    /// The `LuaState` that owns `L` (or a coroutine of it); nil when `L` is borrowed and its
    /// wrapper is gone or its owner is closing it.
    static func owning(_ L: OpaquePointer) -> Unmanaged<LuaState>? {
        if case .borrowed(let wrapper) = borrowedWrapper(of: L) {
            return wrapper.map { Unmanaged.passUnretained($0) }
        }
        let raw = scwlua_getextraspace(L).load(as: UnsafeMutableRawPointer.self)
        return Unmanaged<LuaState>.fromOpaque(raw)
    }

    // MARK: - Running code

    /// Loads and runs a script file, returning what its chunk returns.
    ///
    /// Errors name the file as `chunkName` (default: `path` as given): `infra.lua:12: ...`.
    /// A chunk name starting with `@` or `=` is passed to Lua unchanged (`"@" + path` and
    /// `path` give the same messages).
    /// A first line starting with `#` (a shebang) is skipped, as the `lua` command does.
    @discardableResult
    public func doFile(_ path: String, chunkName: String? = nil) throws -> [LuaValue] {
        var bytes = try LuaState.readFile(path)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // UTF-8 BOM
        if bytes.first == UInt8(ascii: "#") {  // keep the newline: line numbers stay right
            bytes.removeSubrange(0..<(bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count))
        }
        return try run(bytes, chunkName: LuaState.luaChunkName(chunkName ?? path, prefix: "@"))
    }

    /// Runs a chunk of Lua code, returning what it returns. Errors name it `chunkName`
    /// (`repl:1: ...`); a name starting with `=` or `@` is passed to Lua unchanged.
    @discardableResult
    public func doString(_ code: String, chunkName: String) throws -> [LuaValue] {
        try run(Array(code.utf8), chunkName: LuaState.luaChunkName(chunkName, prefix: "="))
    }

    /// Compiles a chunk without running it and returns it as a function.
    public func load(_ code: String, chunkName: String) throws -> LuaRef {
        try loadChunk(Array(code.utf8), chunkName: LuaState.luaChunkName(chunkName, prefix: "="))
        return popRef()
    }

    /// Lua shows a chunk named `@name` or `=name` as `name`; other names as `[string "..."]`.
    private static func luaChunkName(_ name: String, prefix: String) -> String {
        name.hasPrefix("=") || name.hasPrefix("@") ? name : prefix + name
    }

    private static func readFile(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw LuaError(kind: .file, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        if ferror(file) != 0 {
            throw LuaError(kind: .file, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        return bytes
    }

    private func run(_ bytes: [UInt8], chunkName: String) throws -> [LuaValue] {
        let base = lua_gettop(L)
        try loadChunk(bytes, chunkName: chunkName)
        return try pcallReturningAll(nargs: 0, base: base)
    }

    private func loadChunk(_ bytes: [UInt8], chunkName: String) throws {
        refs.drain(L)
        try ensureStack(3)
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                scwlua_loadbuffer(L, chars.baseAddress, chars.count, chunkName)
            }
        }
        if status != LUA_OK {
            let message = stringAt(-1) ?? "cannot load \(chunkName)"
            scwlua_pop(L, 1)
            throw LuaError(kind: status == LUA_ERRMEM ? .memory : .syntax, message: message)
        }
    }

    /// Calls the function below `nargs` arguments on the stack (above `base`) through the
    /// traceback handler; returns every result and leaves the stack at `base`.
    func pcallReturningAll(nargs: CInt, base: CInt) throws -> [LuaValue] {
        let status = scwlua_pcall_traceback(L, nargs, scwlua_multret())
        if status != LUA_OK {
            let message = stringAt(-2) ?? "unknown error"
            let traceback = stringAt(-1) ?? ""
            lua_settop(L, base)
            refs.drain(L)
            let kind: LuaError.Kind =
                switch status {
                case LUA_ERRMEM: .memory
                case LUA_ERRERR: .errorHandler
                default: .runtime
                }
            throw LuaError(kind: kind, message: message, traceback: traceback)
        }
        let top = lua_gettop(L)
        var results: [LuaValue] = []
        results.reserveCapacity(Int(top - base))
        if top > base {
            for index in (base + 1)...top { results.append(value(at: index)) }
        }
        lua_settop(L, base)
        refs.drain(L)
        return results
    }

    // MARK: - Globals and modules

    /// `_G[name]`, read raw (no metamethod runs).
    public func global(_ name: String) -> LuaValue {
        lua_rawgeti(L, scwlua_registryindex(), scwlua_ridx_globals())
        defer { scwlua_pop(L, 1) }
        return rawField(of: -1, name)
    }

    /// Sets `_G[name] = value` (raw).
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        try ensureStack(3)
        lua_rawgeti(L, scwlua_registryindex(), scwlua_ridx_globals())
        defer { scwlua_pop(L, 1) }
        try setRawField(of: -1, name, value)
    }

    /// Prepends `dir/?.lua;dir/?/init.lua` to `package.path`, so `require` finds modules there.
    public func addPackagePath(_ dir: String) {
        let trimmed = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        guard case .table(let package) = global("package"), let ref = package.ref else { return }
        let current = (try? rawGet(ref, "path").stringValue) ?? nil
        let path = "\(trimmed)/?.lua;\(trimmed)/?/init.lua" + (current.map { ";" + $0 } ?? "")
        try? rawSet(ref, "path", .string(path))
    }

    /// Makes `require(name)` return `value` (sets `package.loaded[name]`).
    public func setLoaded(_ name: String, _ value: LuaValue) throws {
        guard let loaded = packageTable("loaded") else { throw LuaHostError("package.loaded is missing") }
        try rawSet(loaded, .string(name), value)
    }

    /// Makes `require(name)` call `loader` the first time (sets `package.preload[name]`).
    public func setPreload(_ name: String, loader: @escaping LuaFunction) throws {
        guard let preload = packageTable("preload") else { throw LuaHostError("package.preload is missing") }
        try rawSet(preload, .string(name), makeFunction(loader))
    }

    private func packageTable(_ field: String) -> LuaRef? {
        guard case .table(let package) = global("package"), let ref = package.ref,
            case .table(let t) = (try? rawGet(ref, .string(field))) ?? .nil
        else { return nil }
        return t.ref
    }

    // MARK: - Memory

    /// Bytes of memory Lua uses now (as `collectgarbage("count") * 1024`).
    public var memoryInUse: Int {
        refs.drain(L)
        return Int(scwlua_gc_bytes(L))
    }

    /// Runs a full garbage collection (finalizers included).
    public func collectGarbage() {
        refs.drain(L)
        _ = scwlua_gc_collect(L)
    }

    // MARK: - Stack helpers

    /// Makes room for `n` more stack slots, or throws (never raises).
    func ensureStack(_ n: CInt) throws {
        if lua_checkstack(L, n) == 0 {
            throw LuaHostError("Lua stack overflow (nesting too deep)")
        }
    }

    /// The string at `index` if it is a string or a number, without converting it in place.
    func stringAt(_ index: CInt) -> String? {
        let t = lua_type(L, index)
        guard t == LUA_TSTRING || t == LUA_TNUMBER else { return nil }
        lua_pushvalue(L, index)
        defer { scwlua_pop(L, 1) }
        var length = 0
        guard let chars = lua_tolstring(L, -1, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: chars, count: length), as: UTF8.self)
    }

    /// Pops the top value into a new registry reference.
    func popRef() -> LuaRef {
        let type = lua_type(L, -1)
        let address = UInt(bitPattern: lua_topointer(L, -1))
        let ref = luaL_ref(L, scwlua_registryindex())
        return LuaRef(registry: refs, ref: ref, luaType: type, address: address)
    }

    /// Pushes the referent of `ref`, which must belong to this state.
    func push(_ ref: LuaRef) throws {
        guard ref.registry === refs else {
            throw LuaHostError("a \(ref.typeName) reference from another Lua state was used")
        }
        try ensureStack(1)
        lua_rawgeti(L, scwlua_registryindex(), lua_Integer(ref.ref))
    }
}

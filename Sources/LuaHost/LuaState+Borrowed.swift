// LuaState+Borrowed: a LuaState over a lua_State that someone else made and will close (a
// Lua host that loaded a C module). Which LuaState wraps it is kept in that state's registry.

import CLua

/// Lives in the registry of a borrowed state (in a userdata under `LuaState.borrowedKey`)
/// and names its wrapper. Lua releases it when the owner closes the state: the wrapper then
/// stops touching Lua.
final class BorrowedAnchor {
    weak var state: LuaState?

    init(_ state: LuaState) { self.state = state }

    deinit {
        state?.ownerDidClose()
    }
}

/// What the registry of a `lua_State` says about its wrapper.
enum BorrowedLookup {
    /// Not borrowed: a state made by `LuaState.init()` (its extra space names the wrapper).
    case owned
    /// Borrowed; the live wrapper, or nil once it is gone or the owner is closing the state.
    case borrowed(LuaState?)
}

extension LuaState {
    /// Registry key of the anchor userdata (a string key, as for named metatables).
    static let borrowedKey = "scwlua.LuaState"
    /// Metatable of the anchor userdata (LuaHost adds the `__gc` that releases the anchor).
    static let borrowedAnchorMetatable = "scwlua.BorrowedState"

    /// Wraps a `lua_State` owned by someone else, typically the one a Lua host passes to a C
    /// module's `luaopen_` function, so that Swift code can use it like any `LuaState`.
    ///
    /// - The wrapper never closes the state: its owner does (`lua_close`). Dropping the
    ///   wrapper leaves the state as it was, except that Swift functions it made refuse to
    ///   run from then on (they raise a Lua error). Once the owner closes the state, the
    ///   wrapper does nothing more with it.
    /// - The wrapper's bookkeeping is in the state's registry (under `"scwlua.LuaState"`),
    ///   not in its extra space, which belongs to the owner. One wrapper at a time: this
    ///   throws when a live one exists (find it with `LuaState.borrowed(_:)`).
    /// - `L` may be a coroutine: the wrapper keeps the main thread, and uses `L` while a
    ///   Swift function called from it runs, or inside `using(thread:_:)`.
    /// - As with any `LuaState`, use it on the thread that runs the host's Lua, and only
    ///   while the host is inside a call into C (a module's function, or `luaopen_`). `L`
    ///   must not belong to a `LuaState` made by `init()`.
    public convenience init(borrowing L: OpaquePointer) throws {
        guard lua_checkstack(L, 4) != 0 else { throw LuaHostError("Lua stack overflow (nesting too deep)") }
        if LuaState.borrowed(L) != nil {
            throw LuaHostError("this Lua state is already wrapped by a LuaState (use LuaState.borrowed)")
        }
        lua_rawgeti(L, scwlua_registryindex(), scwlua_ridx_mainthread())
        let main = lua_tothread(L, -1)
        scwlua_pop(L, 1)
        guard let main else { throw LuaHostError("the Lua state has no main thread in its registry") }
        self.init(adoptingMainThread: main)
        try using(thread: L) {
            try newMetatable(LuaState.borrowedAnchorMetatable, fields: ["__metatable": .string("locked")])
            let anchor = try makeUserdata(BorrowedAnchor(self), metatable: LuaState.borrowedAnchorMetatable)
            try ensureStack(2)
            pushString(LuaState.borrowedKey)
            try push(anchor)
            lua_rawset(L, scwlua_registryindex())
        }
    }

    /// The live wrapper of a borrowed state (`L` or any of its coroutines), if there is one.
    public static func borrowed(_ L: OpaquePointer) -> LuaState? {
        if case .borrowed(let wrapper) = borrowedWrapper(of: L) { return wrapper }
        return nil
    }

    /// True when made by `init(borrowing:)`: someone else owns and closes the state.
    public var isBorrowed: Bool { !ownsState }

    /// Runs `body` with `thread` (the running coroutine, or the main thread) as the stack
    /// this state works on, as Swift functions called from Lua do. For C entry points that
    /// Lua calls directly, such as a module's `luaopen_` function.
    public func using<T>(thread: OpaquePointer, _ body: () throws -> T) rethrows -> T {
        let saved = L
        L = thread
        defer { L = saved }
        return try body()
    }

    /// Whether `L` is borrowed, and by which live wrapper. Needs one stack slot (a C
    /// function always has them); never raises.
    static func borrowedWrapper(of L: OpaquePointer) -> BorrowedLookup {
        defer { scwlua_pop(L, 1) }
        guard scwlua_getmetatable_named(L, borrowedKey) == LUA_TUSERDATA else { return .owned }
        // An anchor that Lua has finalized (the owner is closing the state) holds no object.
        guard let raw = scwlua_object_at(L, -1) else { return .borrowed(nil) }
        let anchor = Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? BorrowedAnchor
        return .borrowed(anchor?.state)
    }

    /// The owner is closing the state (its finalizers run): stop using it.
    func ownerDidClose() {
        isClosing = true
        refs.close()
    }

    /// `deinit` of a borrowed state: frees the registry slots of dropped references while
    /// the state is still open. The anchor stays in the registry, naming no wrapper, so
    /// that Swift functions made by this wrapper refuse to run; a new wrapper replaces it.
    func detachBorrowed() {
        if !isClosing, lua_checkstack(mainL, 2) != 0 {
            refs.drain(mainL)
        }
        isClosing = true
        refs.close()
    }
}

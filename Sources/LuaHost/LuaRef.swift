// LuaRef: a Swift handle on a Lua object (a table, function, userdata or thread) kept alive
// in the Lua registry. Dropping the last LuaRef frees the registry slot on the Lua thread.

import CLua
import Foundation

/// A reference to a Lua object, held in the registry of one `LuaState`.
///
/// Two `LuaRef`s are equal when they name the same Lua object (identity, like Lua's
/// `rawequal`), so the script layer can recognise its own tables and userdata.
///
/// A `LuaRef` may be dropped on any thread: the registry slot is then freed by the owning
/// `LuaState` the next time it runs, on its own thread. Its referent can only be read or
/// pushed through that `LuaState`. Once the state is closed the reference is inert.
public final class LuaRef: @unchecked Sendable, Hashable, CustomStringConvertible {
    let registry: RefRegistry
    let ref: CInt
    /// The Lua type of the referent (`LUA_TTABLE`, `LUA_TFUNCTION`, ...).
    public let luaType: CInt
    /// Address of the referent (`lua_topointer`): stable while this reference keeps it alive.
    let address: UInt

    init(registry: RefRegistry, ref: CInt, luaType: CInt, address: UInt) {
        self.registry = registry
        self.ref = ref
        self.luaType = luaType
        self.address = address
    }

    deinit {
        registry.release(ref)
    }

    /// Lua's name of the referent's type: "table", "function", "userdata", "thread".
    public var typeName: String {
        switch luaType {
        case LUA_TTABLE: return "table"
        case LUA_TFUNCTION: return "function"
        case LUA_TUSERDATA, LUA_TLIGHTUSERDATA: return "userdata"
        case LUA_TTHREAD: return "thread"
        default: return "value"
        }
    }

    public static func == (lhs: LuaRef, rhs: LuaRef) -> Bool {
        lhs.registry === rhs.registry && lhs.address == rhs.address && lhs.luaType == rhs.luaType
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(address)
    }

    public var description: String {
        "\(typeName): 0x" + String(address, radix: 16)
    }
}

/// The registry slots of one `LuaState` whose `LuaRef`s were dropped, waiting to be freed on
/// the Lua thread (a `LuaRef` may die anywhere, but only the Lua thread may touch Lua).
final class RefRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [CInt] = []
    private var closed = false

    /// Called from any thread when a `LuaRef` dies.
    func release(_ ref: CInt) {
        lock.lock()
        defer { lock.unlock() }
        if !closed { pending.append(ref) }
    }

    /// Frees the slots of dead references; called on the Lua thread only.
    func drain(_ L: OpaquePointer) {
        lock.lock()
        let refs = pending
        pending.removeAll(keepingCapacity: true)
        lock.unlock()
        for ref in refs { luaL_unref(L, scwlua_registryindex(), ref) }
    }

    /// Called when the state closes: later releases are no-ops.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        pending = []
    }
}

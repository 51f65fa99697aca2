// ModuleHost: the `scaleway` module in one host's Lua state: the script session (constructors,
// handles, references), the host's thread as the place Lua runs, and `scaleway.stack`.

import Foundation
import LuaHost
import ScwCore
import ScwLua
import ScwScript

/// One installed module. Lua keeps it alive (a userdata in the registry) until the host
/// closes the state; every stack made by `scaleway.stack` shares its script session, so the
/// resources a state declares belong to each of its stacks.
final class ModuleHost {
    let state: LuaState
    let script: ScriptSession
    let host: HostThreadLua
    /// The registry slot that keeps this object alive until the state closes.
    private var anchor: LuaValue = .nil

    static let anchorMetatable = "scwlua.ModuleHost"

    /// No sandbox (`permissions: nil`): the module is loaded into a Lua the host owns, and
    /// that host keeps its own rules; the module takes nothing away from it and adds no
    /// process execution, file access or environment reading of its own.
    private init(state: LuaState) throws {
        self.state = state
        script = try ScriptSession(schemas: ScwLuaInfo.schemas, libraryPaths: [], lua: state, permissions: nil)
        host = HostThreadLua(state: state)
    }

    /// Installs the module in `state` (the `scaleway` global, `package.loaded.scaleway`)
    /// and returns its table. Each call makes a fresh module (as reloading one does).
    static func install(in state: LuaState) throws -> LuaRef {
        let module = try ModuleHost(state: state)
        try state.newMetatable(anchorMetatable, fields: ["__metatable": .string("locked")])
        module.anchor = try state.makeUserdata(module, metatable: anchorMetatable)
        ModuleLibrary.appendPackagePaths(state)
        guard case .table(let table) = state.global("scaleway"), let ref = table.ref else {
            throw LuaHostError("the scaleway module did not install itself")
        }
        try state.rawSet(ref, "stack", state.makeFunction { [module] lua, args in
            [try module.makeStack(lua, args.argument(1))]
        })
        try state.rawSet(ref, "_VERSION", .string("scaleway " + ScwLuaInfo.version))
        return ref
    }

    /// `scaleway.stack{ ... }`: a stack object over this state.
    private func makeStack(_ lua: LuaState, _ given: LuaValue) throws -> LuaValue {
        let config = try StackConfig(given)
        if let vars = config.variables { try script.setVariables(vars) }
        let session: StackSession
        do {
            session = try StackSession(options: config.options, host: host, script: script)
        } catch {
            throw LuaRaise(ErrorText.message(error), level: 1)
        }
        return try StackObject.make(in: lua, session: session, progress: config.progress)
    }
}

/// What `require` returns when the module cannot be set up: any use raises the reason.
enum BrokenModule {
    static func table(in state: LuaState, reason: String) throws -> LuaRef {
        let raise = state.makeFunction { _, _ in throw LuaRaise("scaleway: the module failed to load: \(reason)", level: 1) }
        try state.newMetatable("scwlua.BrokenModule", fields: ["__index": raise, "__newindex": raise, "__call": raise])
        let table = try state.makeTable()
        try state.setMetatable(table, name: "scwlua.BrokenModule")
        return table
    }
}

/// Errors as a script reads them.
enum ErrorText {
    static func message(_ error: any Error) -> String {
        switch error {
        case let d as Diagnostic: return d.description
        case let e as LuaError: return e.message
        default: return String(describing: error)
        }
    }

    /// A Lua error for a failed call: the script line of the call, unless the message
    /// already names a script position (a declaration's).
    static func raise(_ error: any Error) -> LuaRaise {
        if let raise = error as? LuaRaise { return raise }
        if let d = error as? Diagnostic, case .script = d.place { return LuaRaise(d.description, level: 0) }
        return LuaRaise(message(error), level: 1)
    }
}

// StackObject: what `scaleway.stack{}` returns, a userdata with :plan(), :apply(), :destroy(),
// :refresh() and :outputs(). Each blocks the host's thread while the engine runs elsewhere and
// runs the Lua it needs (`ref:map`, filling handles, progress) on the host's thread.

import Foundation
import LuaHost
import ScwCore
import ScwEngine
import ScwLua
import ScwRender

final class StackObject {
    let session: StackSession
    let progress: ProgressSink

    static let metatable = "scwlua.Stack"
    private static let outputsGlobal = "__scwlua_stack_outputs"

    private init(session: StackSession, progress: ProgressSink) {
        self.session = session
        self.progress = progress
    }

    /// A stack userdata for `session` (its metatable is made on first use).
    static func make(in lua: LuaState, session: StackSession, progress: ProgressSink) throws -> LuaValue {
        if lua.metatable(named: metatable) == nil {
            let methods: [String: LuaValue] = [
                "plan": method(lua, "plan") { stack, args in [try stack.plan(args.argument(2))] },
                "apply": method(lua, "apply") { stack, args in [try stack.apply(args.argument(2))] },
                "destroy": method(lua, "destroy") { stack, _ in [try stack.destroy()] },
                "refresh": method(lua, "refresh") { stack, _ in [try stack.refresh()] },
                "outputs": method(lua, "outputs") { stack, _ in [try stack.outputs()] },
            ]
            let index = try lua.makeTable(LuaTable(fields: methods))
            try lua.newMetatable(metatable, fields: [
                "__index": .table(LuaTable(ref: index)),
                "__tostring": lua.makeFunction { lua, args in
                    let name = lua.object(of: args.argument(1), as: StackObject.self)?.session.options.stack ?? "?"
                    return [.string("scaleway.stack(\(name))")]
                },
                "__metatable": .string("locked"),
            ])
        }
        return try lua.makeUserdata(StackObject(session: session, progress: progress), metatable: metatable)
    }

    /// A method: checks `self`, runs `body`, turns Swift errors into Lua errors at the call.
    private static func method(_ lua: LuaState, _ name: String,
                               _ body: @escaping (StackObject, [LuaValue]) throws -> [LuaValue]) -> LuaValue {
        lua.makeFunction { lua, args in
            guard let stack = lua.object(of: args.argument(1), as: StackObject.self) else {
                throw LuaRaise("bad self to '\(name)' (call it as stack:\(name)())")
            }
            do {
                return try body(stack, args)
            } catch {
                throw ErrorText.raise(error)
            }
        }
    }

    // MARK: - Methods

    /// `stack:plan([outputs])`: refreshes and plans; writes nothing.
    func plan(_ outputs: LuaValue) throws -> LuaValue {
        try declare(outputs: outputs)
        return LuaResults.plan(try session.planOnHostThread())
    }

    /// `stack:apply([outputs])`: plans and applies without asking; handles get real values.
    func apply(_ outputs: LuaValue) throws -> LuaValue {
        try declare(outputs: outputs)
        return try run(destroy: false)
    }

    /// `stack:destroy()`: deletes every resource of the stack.
    func destroy() throws -> LuaValue {
        try declare(outputs: .nil)
        return try run(destroy: true)
    }

    /// `stack:refresh()`: reads the cloud into state; returns the drift found (a list of lines).
    func refresh() throws -> LuaValue {
        .table(LuaTable(array: try session.refreshOnHostThread().map { .string($0) }))
    }

    /// `stack:outputs()`: the stack outputs as last applied.
    func outputs() throws -> LuaValue {
        LuaResults.lua(.map(try session.outputs()))
    }

    private func run(destroy: Bool) throws -> LuaValue {
        let (plan, result): (Plan, ApplyResult?)
        do {
            let outcome = try session.deployOnHostThread(destroy: destroy, events: progressHandler())
            (plan, result) = (outcome.plan, outcome.result)
        } catch let failure as ApplyFailure {
            (plan, result) = (failure.plan, failure.result)   // the Lua result says `ok = false` and lists what failed
        }
        return try LuaResults.apply(plan: plan, result: result, outputs: try session.outputs(), destroy: destroy)
    }

    /// Where apply events go: nowhere, standard error, or the script's function (posted to
    /// the host's thread, since events come from the engine's threads).
    private func progressHandler() -> ApplyEventHandler {
        switch progress {
        case .none:
            return { _ in }
        case .standardError:
            return { event in
                guard let line = ProgressText.line(event) else { return }
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        case .function(let fn):
            let host = session.hostThread
            let failure = ProgressFailure()
            return { event in
                guard let line = ProgressText.line(event) else { return }
                host?.post { lua in
                    guard !failure.reported else { return }
                    do { _ = try lua.call(fn, [.string(line)]) } catch {
                        failure.reported = true  // once: the apply goes on regardless
                        FileHandle.standardError.write(Data("scaleway: the progress function failed: \(error)\n".utf8))
                    }
                }
            }
        }
    }

    /// Makes the session's program what the state has declared, with `outputs` (a table of
    /// named values, references allowed, as a script returns) as the stack outputs when given.
    private func declare(outputs: LuaValue) throws {
        switch outputs {
        case .nil:
            try session.evaluate("return nil", chunkName: "=stack")
        case .table(let t):
            guard t.array.isEmpty, t.otherPairs.isEmpty else {
                throw LuaRaise("stack outputs must be a table of named values (name = value)")
            }
            guard let lua = session.hostThread?.state else { return }
            try lua.setGlobal(Self.outputsGlobal, outputs)
            defer { try? lua.setGlobal(Self.outputsGlobal, LuaValue.nil) }
            try session.evaluate("local t = \(Self.outputsGlobal); \(Self.outputsGlobal) = nil; return t", chunkName: "=stack outputs")
            let missing = Set(t.fields.keys).subtracting(session.program.outputs.keys).sorted()
            if !missing.isEmpty {
                throw LuaRaise("stack outputs: \(missing.joined(separator: ", ")): not a value an output can hold (plain data, handles and references are)")
            }
        default:
            throw LuaRaise.typeError(1, to: "apply", expected: "table of outputs", got: outputs)
        }
    }
}

/// Set once the script's progress function has failed (touched on the host's thread only).
private final class ProgressFailure: @unchecked Sendable {
    var reported = false
}

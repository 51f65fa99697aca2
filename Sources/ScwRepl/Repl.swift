// Repl: the REPL engine, apart from any terminal: takes typed lines, evaluates Lua in a
// StackSession, prints values, runs `:commands`, completes names. Terminal and pipe drivers feed it.

import Foundation
import LuaHost
import ScwCore
import ScwEngine
import ScwLua
import ScwRender

/// One interactive session over a stack.
///
/// Feed it lines with `feed(_:)`; it writes results, plans and errors to its console. Lua runs
/// on the session's Lua thread, so `feed` may be called from any one thread at a time.
public final class Repl: @unchecked Sendable {
    /// What the driver should do after a line.
    public enum Step: Sendable, Equatable {
        /// Read the next line with the primary prompt.
        case ready
        /// The chunk is unfinished: read on with the continuation prompt.
        case more
        /// `:quit` was typed.
        case quit
    }

    /// The stack being worked on: what was declared so far, its state, plan and apply.
    public let session: StackSession
    /// Terminal or pipe, `--yes`, colour, width.
    public let options: ReplOptions
    /// Where output and errors go, and how questions are asked.
    public let console: ReplConsole
    /// How values are shown.
    public let printer: ReplPrinter
    let schemas: [String: ResourceSchema]
    private var input = ReplInput()
    private let lookup: LuaRef
    private let captureStart: LuaRef
    private let captureFinish: LuaRef
    private let clearHandles: LuaRef
    private let lock = NSLock()
    private var failureCount = 0

    /// Sets up the session's Lua for the REPL (`print` through the console, completion).
    public init(session: StackSession, options: ReplOptions = ReplOptions(), console: ReplConsole = .standard()) throws {
        self.session = session
        self.options = options
        self.console = console
        let list = ScwLuaInfo.schemas
        schemas = Dictionary(list.map { ($0.typeName, $0) }, uniquingKeysWith: { a, _ in a })
        printer = ReplPrinter(schemas: list, width: options.width)
        let hostDebug = session.hostDebug
        let functions = try session.withLua { L -> [LuaRef] in
            L.setGlobal("__scwrepl_write", function: { _, args in
                console.out(args.first?.stringValue ?? "")
                return []
            })
            try L.doString(ReplLua.printSource, chunkName: "=repl")
            // `scw`, as every doc and example names the module (`local scw = require "scaleway"`).
            try L.doString("if rawget(_G, 'scw') == nil then scw = scaleway end", chunkName: "=repl-scw")
            var refs: [LuaRef] = []
            for (source, name) in [(ReplCompleter.lookupSource, "=repl-complete"), (ReplLua.captureSource, "=repl-load"),
                                   (ReplLua.clearSource, "=repl-clear")] {
                for value in try L.call(try L.load(source, chunkName: name), [hostDebug]) {
                    guard case .function(let f) = value else { throw LuaHostError("REPL setup: \(name) did not return functions") }
                    refs.append(f)
                }
            }
            return refs
        }
        lookup = functions[0]
        captureStart = functions[1]
        captureFinish = functions[2]
        clearHandles = functions[3]
    }

    /// The prompt for the next line: `> `, or `>> ` inside an unfinished chunk.
    public var prompt: String { lock.withLock { input.isContinuing ? ">> " : "> " } }

    /// True while a chunk is unfinished.
    public var isContinuing: Bool { lock.withLock { input.isContinuing } }

    /// How many lines failed (Lua errors, syntax errors, failed commands): a piped run exits
    /// non-zero when there were any.
    public var failures: Int { lock.withLock { failureCount } }

    /// Drops an unfinished chunk (Ctrl-C at the prompt).
    public func cancelInput() { lock.withLock { input.reset() } }

    /// Evaluates one line, or runs it as a `:command`. Expressions (and `=expr`) print their
    /// values; unfinished statements wait for more lines.
    @discardableResult
    public func feed(_ line: String) async -> Step {
        if !isContinuing {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(":"), !trimmed.hasPrefix("::") { return await command(trimmed) }
        }
        let outcome = lock.withLock { input.add(line, check: compileCheck) }
        switch outcome {
        case .empty:
            return .ready
        case .needMore:
            return .more
        case .expression(let code):
            evaluate { try self.session.withLua { L in try L.call(try L.load("return " + code, chunkName: "=stdin")) } }
        case .statement(let code):
            evaluate { try self.session.evaluate(code, chunkName: "=stdin") }
        case .syntaxError(let message):
            fail(message)
        }
        return .ready
    }

    /// Completions for the text before the cursor.
    public func complete(_ beforeCursor: String) -> ReplCompletion {
        let session = self.session, lookup = self.lookup
        let completer = ReplCompleter(schemas: schemas, lookup: { path, method in
            (try? session.withLua { L in
                try L.call(lookup, [.array(path.map { .string($0) }), .boolean(method)])
            }) ?? []
        }, commands: Self.commandNames)
        return completer.complete(beforeCursor, continuing: isContinuing)
    }

    /// Runs a script file in the session (declaring its resources); its top-level locals
    /// become globals so they can be inspected. Returns the names made global.
    @discardableResult
    public func load(file path: String) throws -> [String] {
        let start = captureStart, finish = captureFinish
        try session.withLua { L in _ = try L.call(start, [.string("@" + path)]) }
        var loadError: Error?
        do { try session.load(file: path) } catch {
            loadError = error
            syncProgram()
        }
        let names = try session.withLua { L in try L.call(finish).first?.tableValue?.array.compactMap(\.stringValue) ?? [] }
        if let loadError { throw loadError }
        return names
    }

    /// The line shown when an interactive session starts.
    public var banner: String {
        let target: String
        switch session.options.target {
        case .emulator(let url): target = "the API at \(url)"
        case .cloud(let profile): target = "Scaleway" + (profile.map { " (profile \($0))" } ?? "")
        case .config: target = "Scaleway"
        }
        return "scwlua \(ScwLuaInfo.version) REPL (Lua 5.4): stack '\(session.options.stack)' on \(target).\n"
            + "Type Lua, :help for commands, Ctrl-D to leave.\n"
    }

    /// A warning when nothing is declared yet but the stack holds resources: `:apply` would
    /// delete them.
    public func stateNote() -> String? {
        guard session.program.declarations.isEmpty,
              let rows = try? session.store.resources(stack: session.options.stack), !rows.isEmpty else { return nil }
        return "note: stack '\(session.options.stack)' holds \(rows.count) resource(s) from earlier runs; "
            + ":apply deletes what this session does not declare (:load the script that declares them first).\n"
    }

    // MARK: helpers

    private func compileCheck(_ code: String) -> CompileCheck {
        do {
            _ = try session.withLua { L in try L.load(code, chunkName: "=stdin") }
            return .ok
        } catch let e as LuaError {
            return .from(syntaxError: e.message)
        } catch {
            return .failed(String(describing: error))
        }
    }

    private func evaluate(_ body: () throws -> [LuaValue]) {
        do {
            let values = try body()
            syncProgram()
            if !values.isEmpty { console.out(printerWithState(for: values).results(values) + "\n") }
        } catch let e as LuaError {
            syncProgram()
            fail(e.message)
        } catch {
            syncProgram()
            fail(String(describing: error))
        }
    }

    /// The printer, told what state holds for the applied handles among `values` (so secrets
    /// the cloud echoed back stay hidden).
    private func printerWithState(for values: [LuaValue]) -> ReplPrinter {
        var printer = self.printer
        guard values.contains(where: Self.holdsAppliedHandle),
              let rows = try? session.store.resources(stack: session.options.stack) else { return printer }
        for row in rows { printer.storedOutputs[row.address.description] = row.outputs }
        return printer
    }

    private static func holdsAppliedHandle(_ value: LuaValue) -> Bool {
        guard case .table(let t) = value else { return false }
        if t["__scw"] == .string("handle") { return t["__outputs"] != .nil }
        return t.array.contains(where: holdsAppliedHandle) || t.fields.values.contains(where: holdsAppliedHandle)
    }

    /// Makes `session.program` hold every declaration made so far, also by a chunk that
    /// failed half-way or ran outside `session.evaluate` (an expression): they are declared.
    private func syncProgram() {
        _ = try? session.evaluate("", chunkName: "=stdin")
    }

    /// Reports a failure on the error console and counts it (see `failures`).
    public func fail(_ message: String) {
        countFailure()
        console.err(message.hasSuffix("\n") ? message : message + "\n")
    }

    /// Counts a failure already reported (a failed apply prints its own summary).
    func countFailure() { lock.withLock { failureCount += 1 } }

    /// Makes handles of deleted resources read `(known after apply)` again.
    func forget(deleted addresses: [ResourceAddress]) {
        guard !addresses.isEmpty else { return }
        let clear = clearHandles
        let set = LuaTable(fields: Dictionary(addresses.map { ($0.description, LuaValue.boolean(true)) }, uniquingKeysWith: { a, _ in a }))
        _ = try? session.withLua { L in try L.call(clear, [.table(set)]) }
    }
}

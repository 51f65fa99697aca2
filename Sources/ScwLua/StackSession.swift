// StackSession: one script, one stack: load the script, plan, apply, destroy, read outputs.
// This is the library's front door; the CLI is a thin layer over it.

import Foundation
import LuaHost
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwResources
import ScwScript
import ScwState

public final class StackSession: @unchecked Sendable {
    public let options: StackOptions
    public let program: Program
    public let store: any StateStore
    public let engine: Engine
    public let config: ScalewayConfig
    let thread: LuaThread
    let script: ScriptSession

    /// Runs the script (declaring only), checks the config, opens state. Makes no API call.
    public init(options: StackOptions, store: (any StateStore)? = nil) throws {
        self.options = options
        let config: ScalewayConfig
        switch options.target {
        case .cloud(let profile): config = try ConfigLoader.load(profile: profile, environment: options.environment)
        case .emulator(let url): config = ScalewayConfig.local(baseURL: url)
        }
        self.config = config

        guard FileManager.default.fileExists(atPath: options.scriptPath) else {
            throw Diagnostic("no such script: \(options.scriptPath)")
        }
        thread = try LuaThread()
        let scriptDir = (options.scriptPath as NSString).deletingLastPathComponent
        let paths = [scriptDir.isEmpty ? "." : scriptDir] + options.libraryPaths
        let path = options.scriptPath
        let (session, program) = try thread.sync { lua -> (ScriptSession, Program) in
            let s = try ScriptSession(schemas: Providers.schemas, libraryPaths: paths, lua: lua)
            return (s, try s.run(file: path))
        }
        script = session
        self.program = program

        let defaults = session.defaults
        let retry: RetryPolicy
        switch options.target {
        case .emulator: retry = RetryPolicy(maxAttempts: 12, baseDelay: 0.02, maxDelay: 0.5, maxRetryAfter: 1)
        case .cloud: retry = RetryPolicy(maxAttempts: 8, baseDelay: 0.5, maxDelay: 30, maxRetryAfter: 60)
        }
        let client = ScalewayClient(config: config, transport: CurlTransport(), retry: retry,
                                    userAgent: ScalewayClient.defaultUserAgent, log: options.apiLog)
        let env = ScalewayEnvironment(client: client, defaultProjectID: defaults.projectID ?? config.defaultProjectID,
                                      defaultRegion: defaults.region ?? config.defaultRegion,
                                      defaultZone: defaults.zone ?? config.defaultZone,
                                      pollInterval: { if case .emulator = options.target { return 0.05 } else { return 2 } }())
        self.store = try store ?? SQLiteStateStore(directory: options.stateDirectory, environment: options.environment)
        engine = Engine(registry: Providers.registry(env: env), store: self.store, stack: options.stack,
                        transformer: ScriptTransformer(thread: thread, session: session), parallelism: options.parallelism)
    }

    /// Refreshes and plans. Writes nothing.
    public func plan(destroy: Bool = false) async throws -> Plan {
        try await engine.plan(program, mode: destroy ? .destroy : .deploy)
    }

    /// Applies a plan, records it in the history, and fills the script's handles with real
    /// values. Call it inside `withLock` (as `deploy` does).
    public func apply(_ plan: Plan, command: String = "deploy", events: @escaping ApplyEventHandler = { _ in }) async throws -> ApplyResult {
        if let first = plan.errors.first { throw first }
        let deployment = try store.beginDeployment(stack: options.stack, command: command)
        // A destroy leaves no stack outputs behind.
        let applied = command == "destroy" ? Program(declarations: program.declarations, outputs: [:]) : program
        let result = await engine.apply(plan, program: applied, events: events)
        try? store.finishDeployment(id: deployment, result: result.succeeded ? "succeeded" : "failed", summary: Self.summary(result))
        let outputs = result.resourceOutputs
        let script = self.script
        try? thread.sync { _ in try script.fill(outputs: outputs) }
        return result
    }

    /// Locks the stack, plans, asks `confirm` (return false to stop), applies. Returns the
    /// plan and, when applied, the result. Throws `StackLockedError` when another run holds the stack.
    public func deploy(destroy: Bool = false, confirm: (Plan) async throws -> Bool = { _ in true },
                       events: @escaping ApplyEventHandler = { _ in }) async throws -> (Plan, ApplyResult?) {
        try await withLock(command: destroy ? "destroy" : "deploy", events: events) {
            let plan = try await self.plan(destroy: destroy)
            if let first = plan.errors.first { throw first }
            if !plan.hasAnyChange {
                // Nothing to do in the cloud; the outputs may still be new.
                if !destroy, !plan.outputs.values.contains(where: \.containsUnknown) {
                    try store.setOutputs(stack: options.stack, plan.outputs)
                }
                return (plan, nil)
            }
            guard try await confirm(plan) else { return (plan, nil) }
            return (plan, try await apply(plan, command: destroy ? "destroy" : "deploy", events: events))
        }
    }

    /// Runs `body` holding the stack's writer lock; a lock left by a dead process on this
    /// host is broken (and reported as a note event).
    public func withLock<T>(command: String, events: ApplyEventHandler = { _ in }, _ body: () async throws -> T) async throws -> T {
        let info = StateProcess.currentLockInfo(command: command)
        if let stale = try store.lock(stack: options.stack, info: info) {
            events(.note("broke a stale lock left by \(stale)"))
        }
        defer { try? store.unlock(stack: options.stack, pid: getpid()) }
        return try await body()
    }

    /// Stack outputs as last applied.
    public func outputs() throws -> [String: Value] { try store.outputs(stack: options.stack) }

    /// Refreshes state from the cloud; returns the drift found.
    public func refresh() async throws -> [String] {
        try await withLock(command: "refresh") { try await engine.refreshState() }
    }

    static func summary(_ r: ApplyResult) -> String {
        "\(r.count(of: .create)) created, \(r.count(of: .update)) updated, \(r.count(of: .replace) + r.count(of: .createThenDelete)) replaced, \(r.count(of: .delete)) deleted, \(r.failed.count) failed"
    }

}

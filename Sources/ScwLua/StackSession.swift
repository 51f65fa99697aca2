// StackSession: one stack driven from Lua: load a script (file or string), plan, apply,
// destroy, read outputs. This is the library's front door; the CLI and the REPL are thin
// layers over it.

import Foundation
import LuaHost
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwResources
import ScwScript
import ScwState

/// One stack driven from Lua. Safe to use from any task: Lua runs on the session's own
/// thread, and the stack's lock keeps other processes from writing at the same time.
public final class StackSession: @unchecked Sendable {
    /// What the session was opened with.
    public let options: StackOptions
    /// Where the stack's state lives.
    public let store: any StateStore
    /// Credentials and defaults in use (its description never shows the secret key).
    public let config: ScalewayConfig
    /// What the script has declared so far, and the outputs its last chunk returned.
    public private(set) var program = Program(declarations: [])
    /// Where the script's Lua runs: a `LuaThread` of the session's own, or the thread of a
    /// Lua host that owns the state (`HostThreadLua`, StackSession+HostState.swift).
    let thread: any LuaExecutor
    let script: ScriptSession

    /// Checks the config, starts Lua with the `scaleway` module, opens state, and runs the
    /// script file if `options.scriptPath` is set. Makes no API call.
    public convenience init(options: StackOptions, store: (any StateStore)? = nil) throws {
        try self.init(options: options, store: store, lua: nil)
    }

    /// As above; with `lua`, the session uses that executor and script session (made on it)
    /// instead of starting a Lua thread (see `init(options:host:script:store:)`).
    init(options: StackOptions, store: (any StateStore)?, lua: (executor: any LuaExecutor, script: ScriptSession)?) throws {
        self.options = options
        guard StackOptions.parallelismRange.contains(options.parallelism) else {
            throw Diagnostic("parallelism must be a whole number from 1 to 1000, got \(options.parallelism)")
        }
        switch options.target {
        case .cloud(let profile): config = try ConfigLoader.load(profile: profile, environment: options.environment)
        case .emulator(let url): config = try ConfigLoader.local(baseURL: url, environment: options.environment)
        case .config(let given): config = given
        }
        if let path = options.scriptPath { try StackOptions.checkScript(path) }
        if let lua {
            thread = lua.executor
            script = lua.script
        } else {
            let thread = try LuaThread()
            let scriptDir = options.scriptPath.map { ($0 as NSString).deletingLastPathComponent } ?? ""
            let paths = [scriptDir.isEmpty ? "." : scriptDir] + options.libraryPaths
            let variables = options.variables
            let functions = options.luaFunctions
            let permissions = options.permissions
            let readable = options.scriptDirectory ?? (scriptDir.isEmpty ? "." : scriptDir)
            script = try thread.sync { lua in
                for (name, fn) in functions { lua.setGlobal(name, function: fn) }
                let s = try ScriptSession(schemas: Providers.schemas, libraryPaths: paths, lua: lua,
                                          permissions: permissions, scriptDirectory: readable, lookupSchemas: Providers.lookupSchemas)
                try s.setVariables(variables)
                return s
            }
            self.thread = thread
        }
        let (config, script) = (self.config, self.script)
        try thread.sync { _ in
            try script.setConfigDefaults(projectID: config.defaultProjectID, organizationID: config.defaultOrganizationID,
                                         region: config.defaultRegion, zone: config.defaultZone)
        }
        // State: the given store, else the backend that SCWLUA_BACKEND (--backend) or scwlua.json names, else local.
        if let store {
            self.store = store
        } else {
            let projectDir = options.scriptPath.map { ($0 as NSString).deletingLastPathComponent }
                ?? (options.stateDirectory as NSString).deletingLastPathComponent
            let backend = try StateBackend.resolve(environment: options.environment, projectDirectory: projectDir)
            let config = self.config
            self.store = try backend.open(stateDirectory: options.stateDirectory, config: { config }, environment: options.environment,
                                          log: options.apiLog, readOnly: options.readOnlyState)
        }
        if let path = options.scriptPath { try load(file: path) }
    }

    /// Runs a script file (declaring only); its returned table becomes the stack outputs.
    public func load(file path: String) throws {
        let script = self.script
        program = try thread.sync { _ in try script.run(file: path) }
    }

    /// Runs Lua code (declaring only) and returns what it returned, as plain values where it can.
    /// A returned table of named values becomes the stack outputs.
    @discardableResult
    public func evaluate(_ code: String, chunkName: String = "=(string)") throws -> [LuaValue] {
        let script = self.script
        let (values, program) = try thread.sync { _ in try script.evaluate(code: code, chunkName: chunkName) }
        self.program = program
        return values
    }

    /// How many secrets the script has made so far (`scw.secret` and every value computed from
    /// one): the REPL keeps a chunk that made one out of its history file.
    public var secretsMade: Int {
        let script = self.script
        return (try? thread.sync { _ in script.secretsMade }) ?? 0
    }

    /// The full `debug` library, for the host's own Lua run through `withLua` (the REPL's
    /// completion and `:load`); scripts under `.sandboxed` permissions get a narrow one.
    public var hostDebug: LuaValue { script.hostDebug }

    /// Runs `body` on the script's Lua thread (for embedders and the REPL).
    public func withLua<T>(_ body: (LuaState) throws -> T) throws -> T { try thread.sync(body) }

    /// The engine for what is declared now (defaults from `scaleway.defaults` included).
    public func engine() -> Engine {
        let defaults = script.defaults
        let retry: RetryPolicy
        var poll = 2.0
        switch options.target {
        case .emulator:
            retry = RetryPolicy(maxAttempts: 12, baseDelay: 0.02, maxDelay: 0.5, maxRetryAfter: 1)
            poll = 0.05
        case .cloud, .config:
            retry = RetryPolicy(maxAttempts: 8, baseDelay: 0.5, maxDelay: 30, maxRetryAfter: 60)
        }
        let client = ScalewayClient(config: config, transport: transport, retry: retry,
                                    userAgent: ScalewayClient.defaultUserAgent, log: options.apiLog)
        var env = ScalewayEnvironment(client: client, defaultProjectID: defaults.projectID ?? config.defaultProjectID,
                                      defaultRegion: defaults.region ?? config.defaultRegion,
                                      defaultZone: defaults.zone ?? config.defaultZone, pollInterval: poll)
        env.baseDirectory = options.scriptPath.map { ($0 as NSString).deletingLastPathComponent }.flatMap { $0.isEmpty ? nil : $0 } ?? "."
        if !options.permissions.allowExec {
            env.readableDirectories = [options.scriptDirectory ?? env.baseDirectory] + options.permissions.readableDirectories
        }
        return Engine(registry: Providers.registry(env: env), store: store, stack: options.stack,
                      transformer: ScriptTransformer(thread: thread, session: script), parallelism: options.parallelism)
    }

    /// One transport for the session: its connections are reused across plans and applies.
    private lazy var transport = CurlTransport()

    /// Refreshes (unless `refresh` is false) and plans. Writes nothing. `targets` makes a
    /// partial plan. Throws a Diagnostic when the stack was deployed from another script (see
    /// `adoptStack`).
    public func plan(destroy: Bool = false, refresh: Bool = true, targets: Set<ResourceAddress>? = nil) async throws -> Plan {
        if let path = options.scriptPath {
            try StackScriptGuard.check(store: store, stack: options.stack, script: path, stateDirectory: options.stateDirectory,
                                       adopt: options.adoptStack)
        }
        return try await engine().plan(program, mode: destroy ? .destroy : .deploy, refresh: refresh, targets: targets)
    }

    /// Applies a plan, records it in the history, and fills the script's handles with real
    /// values. Call it inside `withLock` (as `deploy` does). Cancelling the calling task stops
    /// new operations from starting; those in flight finish and are recorded.
    /// Throws `ApplyFailure` (with the partial result) when an operation failed, was skipped
    /// or was cancelled; a plan with errors is refused (`Diagnostic` or `DiagnosticList`).
    @discardableResult
    public func apply(_ plan: Plan, command: String = "deploy", events: @escaping ApplyEventHandler = { _ in }) async throws -> ApplyResult {
        try DiagnosticList.throwIfAny(plan.errors)
        try recordScript()
        let deployment = try store.beginDeployment(stack: options.stack, command: command)
        // A destroy leaves no stack outputs behind.
        let applied = command == "destroy" ? Program(declarations: program.declarations, outputs: [:]) : program
        let result = await engine().apply(plan, program: applied, events: events)
        try? store.finishDeployment(id: deployment, result: result.succeeded ? "succeeded" : "failed", summary: Self.summary(result))
        let outputs = result.resourceOutputs
        let script = self.script
        try? thread.sync { _ in try script.fill(outputs: outputs) }
        guard result.succeeded else { throw ApplyFailure(plan: plan, result: result) }
        return result
    }

    /// Locks the stack, plans, asks `confirm` (return false to stop), applies. Says which of
    /// "no changes", "declined" and "applied" happened; every failure is thrown: a plan with
    /// errors (`Diagnostic`, `DiagnosticList`), an apply that did not complete (`ApplyFailure`,
    /// carrying the partial result), another run holding the stack (`StackLockedError`).
    /// `targets` limits the run to those resources and what goes with them (`--target`);
    /// `check` runs on the fresh plan under the lock, before anything else (a saved plan's
    /// verification); throwing stops the run.
    public func deploy(destroy: Bool = false, refresh: Bool = true, targets: Set<ResourceAddress>? = nil, check: ((Plan) throws -> Void)? = nil,
                       confirm: (Plan) async throws -> Bool = { _ in true },
                       events: @escaping ApplyEventHandler = { _ in }) async throws -> DeployOutcome {
        try await withLock(command: destroy ? "destroy" : "deploy", events: events) {
            let plan = try await self.plan(destroy: destroy, refresh: refresh, targets: targets)
            try DiagnosticList.throwIfAny(plan.errors)
            try check?(plan)
            try StateBackend.preflight(plan, store: store)
            if !plan.hasAnyChange {
                // Nothing to do in the cloud; the outputs may still be new (not from a partial plan).
                if !destroy, targets == nil, !plan.outputs.values.contains(where: \.containsUnknown) {
                    try store.setOutputs(stack: options.stack, plan.outputs)
                }
                if !destroy { try recordScript() }
                let known = plan.knownOutputs
                let script = self.script
                try? thread.sync { _ in try script.fill(outputs: known) }
                return .noChanges(plan)
            }
            guard try await confirm(plan) else { return .declined(plan) }
            return .applied(plan, try await apply(plan, command: destroy ? "destroy" : "deploy", events: events))
        }
    }

    /// The stack now belongs to this session's script (nothing to record without a file).
    private func recordScript() throws {
        guard let path = options.scriptPath else { return }
        try StackScriptGuard.record(store: store, stack: options.stack, script: path, stateDirectory: options.stateDirectory)
    }

    /// Runs `body` holding the stack's writer lock; a lock left by a dead process on this
    /// host is broken (and reported as a note event).
    public func withLock<T>(command: String, events: ApplyEventHandler = { _ in }, _ body: () async throws -> T) async throws -> T {
        if let stale = try store.lock(stack: options.stack, info: StateProcess.currentLockInfo(command: command)) {
            events(.note("broke a stale lock left by \(stale)"))
        }
        defer { try? store.unlock(stack: options.stack, pid: getpid()) }
        return try await body()
    }

    /// Stack outputs as last applied (secrets kept as `.secret`).
    public func outputs() throws -> [String: Value] { try store.outputs(stack: options.stack) }

    /// `scwlua import`: records an existing resource under a declared address; the next deploy
    /// tags it as this stack's. Holds the stack's lock while it writes.
    public func importResource(_ address: ResourceAddress, id: String) async throws -> ResourceState {
        try await withLock(command: "import") { try await engine().importResource(address: address, id: id, program: program) }
    }

    /// The stack's state rows (for digests and checks).
    public func stateRows() throws -> [ResourceState] { try store.resources(stack: options.stack) }

    /// Refreshes state from the cloud; returns the drift found.
    public func refresh() async throws -> [String] {
        try await withLock(command: "refresh") { try await engine().refreshState() }
    }

    static func summary(_ r: ApplyResult) -> String {
        "\(r.count(of: .create)) created, \(r.count(of: .update)) updated, \(r.count(of: .replace) + r.count(of: .createThenDelete)) replaced, \(r.count(of: .delete)) deleted, \(r.failed.count) failed"
    }
}

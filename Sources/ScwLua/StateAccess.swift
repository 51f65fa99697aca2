// StateAccess: reading and repairing state without running a script (`scwlua state`,
// `scwlua output`), in the local store or a remote one.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwRemoteState
import ScwState

/// State without a script: what `scwlua state` and `scwlua output` read and repair.
public struct StateAccess {
    /// The store opened (local SQLite or remote).
    public let store: any StateStore
    /// Where the state is: the local state directory or `s3://…`, for messages.
    public let place: String

    /// The local state in `directory`, which must exist.
    public init(directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(backend: .local, directory: directory, config: { throw Diagnostic("no config needed for local state") }, environment: environment)
    }

    /// The state of `backend`: local state in `directory` (which must exist), or remote state
    /// reached with `config` (called only for a remote backend).
    public init(backend: StateBackend, directory: String, config: () throws -> ScalewayConfig,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        switch backend {
        case .local:
            let db = (directory as NSString).appendingPathComponent(SQLiteStateStore.fileName)
            guard FileManager.default.fileExists(atPath: db) else {
                throw Diagnostic("no state at \(directory)", hint: "run scwlua deploy first, or pass --state-dir (or --backend for remote state)")
            }
            place = directory
        case .s3(let location):
            place = location.description
        }
        store = try backend.open(stateDirectory: directory, config: config, environment: environment)
    }

    /// Resources with secrets shown as (sensitive): never decrypted by the built-in stores;
    /// another store's are decrypted in memory and kept as `.secret`.
    public func resources(stack: String) throws -> [ResourceState] {
        try (store as? any RedactedStateReading)?.redactedResources(stack: stack) ?? store.resources(stack: stack)
    }
    /// The stack's outputs, secrets shown as (sensitive).
    public func outputs(stack: String) throws -> [String: Value] {
        try (store as? any RedactedStateReading)?.redactedOutputs(stack: stack) ?? store.outputs(stack: stack)
    }
    /// One output with its secrets decrypted (`scwlua output NAME --raw`): the only way state
    /// hands a secret's plaintext to a person, and only when asked for by name. Nil when the
    /// stack has no such output.
    public func revealedOutput(stack: String, name: String) throws -> Value? {
        try store.outputs(stack: stack)[name]?.revealed
    }
    /// The stack as JSON (secrets hidden).
    public func export(stack: String) throws -> String { try StateExport.exportJSON(store: store, stack: stack) }
    /// Clears the stack's lock whoever holds it; returns what was cleared.
    public func forceUnlock(stack: String) throws -> LockInfo? { try store.forceUnlock(stack: stack) }
    /// Who holds the stack's lock, if anyone.
    public func currentLock(stack: String) throws -> LockInfo? { try store.currentLock(stack: stack) }
    /// Forgets one resource (it stays in the cloud).
    public func remove(stack: String, address: ResourceAddress) throws { try store.remove(stack: stack, address: address) }
    /// Past deploys and destroys, oldest first.
    public func history(stack: String) throws -> [DeploymentRecord] { try store.history(stack: stack) }
    /// Every stack with state here.
    public func stacks() throws -> [String] { try store.stacks() }
}

extension StateAccess {
    /// The state a CLI command names: `backend` (`--backend`) if given, else SCWLUA_BACKEND,
    /// else `scwlua.json` beside the state directory, else the local state in `stateDirectory`.
    /// Remote state is reached with `--endpoint` (an emulator) or the Scaleway config (`--profile`).
    public init(stateDirectory: String, backend: String?, profile: String?, endpoint: String?,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let chosen = try Self.backend(backend, stateDirectory: stateDirectory, environment: environment)
        try self.init(backend: chosen, directory: stateDirectory,
                      config: { try Self.config(profile: profile, endpoint: endpoint, environment: environment) }, environment: environment)
    }

    /// `explicit` parsed, else the backend SCWLUA_BACKEND or `scwlua.json` (beside `stateDirectory`) names.
    public static func backend(_ explicit: String?, stateDirectory: String, environment: [String: String]) throws -> StateBackend {
        if let explicit { return try StateBackend(parsing: explicit) }
        return try StateBackend.resolve(environment: environment, projectDirectory: (stateDirectory as NSString).deletingLastPathComponent)
    }

    /// The emulator's config for `endpoint`, else the Scaleway config (file, profile, environment).
    public static func config(profile: String?, endpoint: String?, environment: [String: String]) throws -> ScalewayConfig {
        if let endpoint { return try ConfigLoader.local(baseURL: endpoint, environment: environment) }
        return try ConfigLoader.load(profile: profile, environment: environment)
    }

    /// Copies `stack` from one backend to another (rows, outputs, history), both locked; the
    /// destination must hold nothing of the stack. Local sides use their state directory.
    public static func migrate(stack: String, from source: StateBackend, fromDirectory: String, to destination: StateBackend,
                               toDirectory: String, config: () throws -> ScalewayConfig,
                               environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> (resources: Int, outputs: Int, deployments: Int) {
        guard source != destination || (source == .local && fromDirectory != toDirectory) else {
            throw Diagnostic("the source and the destination are the same (\(source)): nothing to migrate")
        }
        let from = try StateAccess(backend: source, directory: fromDirectory, config: config, environment: environment)
        let to = try destination.open(stateDirectory: toDirectory, config: config, environment: environment)
        guard let importing = to as? any StateStore & DeploymentHistoryImporting else {
            throw Diagnostic("the destination store cannot take a deployment history")
        }
        let name: (StateBackend, String) -> String = { b, dir in b == .local ? "local state \(dir)" : "\(b)" }
        let s = try StateMigration.copy(stack: stack, from: from.store, to: importing, sourceName: name(source, fromDirectory),
                                        destinationName: name(destination, toDirectory))
        return (s.resources, s.outputs, s.deployments)
    }
}

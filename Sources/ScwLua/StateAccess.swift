// StateAccess: reading and repairing state without running a script (`scwlua state`,
// `scwlua output`).

import Foundation
import ScwCore
import ScwEngine
import ScwState

public struct StateAccess {
    public let store: SQLiteStateStore

    public init(directory: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let db = (directory as NSString).appendingPathComponent(SQLiteStateStore.fileName)
        guard FileManager.default.fileExists(atPath: db) else {
            throw Diagnostic("no state at \(directory)", hint: "run scwlua deploy first, or pass --state-dir")
        }
        store = try SQLiteStateStore(directory: directory, environment: environment)
    }

    /// Resources with secrets shown as (sensitive), never decrypted.
    public func resources(stack: String) throws -> [ResourceState] { try store.redactedResources(stack: stack) }
    public func outputs(stack: String) throws -> [String: Value] { try store.redactedOutputs(stack: stack) }
    public func export(stack: String) throws -> String { try StateExport.exportJSON(store: store, stack: stack) }
    public func forceUnlock(stack: String) throws -> LockInfo? { try store.forceUnlock(stack: stack) }
    public func remove(stack: String, address: ResourceAddress) throws { try store.remove(stack: stack, address: address) }
    public func history(stack: String) throws -> [DeploymentRecord] { try store.history(stack: stack) }
    public func stacks() throws -> [String] { try store.stacks() }
}

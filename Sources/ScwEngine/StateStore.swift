// StateStore: where a stack's state lives. The engine writes one resource at a time, so a
// store must make each write durable on its own (O(1) per operation, no whole rewrite).
// From async code the engine writes through `write`, which a store may group: writes that
// arrive together share one durable commit, and each call returns once its own is durable.

import ScwCore

/// Storage for stacks' state. Implementations must be safe to call from several tasks at once.
public protocol StateStore: AnyObject, Sendable {
    /// Takes the stack's writer lock or throws `StackLockedError` naming the holder.
    /// A lock left by a process that is gone from this host is broken, and returned so the
    /// caller can report it; otherwise returns nil.
    @discardableResult
    func lock(stack: String, info: LockInfo) throws -> LockInfo?
    /// Releases the lock if `pid` holds it.
    func unlock(stack: String, pid: Int32) throws
    /// Clears the lock whoever holds it; returns what was cleared.
    func forceUnlock(stack: String) throws -> LockInfo?
    func currentLock(stack: String) throws -> LockInfo?

    /// Every resource row of the stack.
    func resources(stack: String) throws -> [ResourceState]
    /// Inserts or replaces one row, durably, before returning.
    func put(stack: String, _ resource: ResourceState) throws
    /// Removes one row.
    func remove(stack: String, address: ResourceAddress) throws

    /// The stack's outputs (the table the script returned), as last applied.
    func outputs(stack: String) throws -> [String: Value]
    func setOutputs(stack: String, _ outputs: [String: Value]) throws

    func beginDeployment(stack: String, command: String) throws -> Int64
    func finishDeployment(id: Int64, result: String, summary: String) throws
    func history(stack: String) throws -> [DeploymentRecord]

    /// Names of all stacks with any state.
    func stacks() throws -> [String]

    /// Applies the writes in order and returns once they are all durable. Callers waiting at
    /// the same moment may share one commit (the default writes one at a time with `put` and
    /// `remove`). A write that fails throws; it does not undo the others.
    func write(stack: String, _ writes: [StateWrite]) async throws
}

/// One row change for `StateStore.write`.
public enum StateWrite: Sendable {
    case put(ResourceState)
    case remove(ResourceAddress)
}

extension StateStore {
    public func write(stack: String, _ writes: [StateWrite]) async throws {
        for w in writes {
            switch w {
            case .put(let row): try put(stack: stack, row)
            case .remove(let address): try remove(stack: stack, address: address)
            }
        }
    }

    /// One row, durably (see `write`).
    public func write(stack: String, _ write: StateWrite) async throws {
        try await self.write(stack: stack, [write])
    }
}

// ResourceState: what the engine remembers about one resource between runs.

import ScwCore

/// One row of state: a resource this stack owns (or is about to own).
public struct ResourceState: Hashable, Sendable {
    /// Where the resource is in its life, as far as state knows.
    public enum Status: String, Hashable, Sendable {
        /// Intent recorded before the create call: the resource may or may not exist yet.
        case creating
        /// Created; `id` is known.
        case created
        /// Intent recorded before a delete call.
        case deleting
        /// Adopted by `scwlua import`: recorded, not yet tagged as this stack's (the next
        /// deploy adds the ownership tags, in the open, as an update).
        case imported
    }

    public var address: ResourceAddress
    /// Provider id, e.g. `fr-par/3f1c...`; empty while `creating` and unknown.
    public var id: String
    public var status: Status
    /// Inputs as applied: resolved values (secrets kept as `.secret`).
    public var inputs: [String: Value]
    /// Outputs read back from the cloud.
    public var outputs: [String: Value]
    /// Addresses this resource depended on when applied (for delete ordering).
    public var dependencies: [ResourceAddress]
    public var protect: Bool
    public var retain: Bool

    public init(address: ResourceAddress, id: String = "", status: Status = .created, inputs: [String: Value] = [:],
                outputs: [String: Value] = [:], dependencies: [ResourceAddress] = [], protect: Bool = false, retain: Bool = false) {
        self.address = address
        self.id = id
        self.status = status
        self.inputs = inputs
        self.outputs = outputs
        self.dependencies = dependencies
        self.protect = protect
        self.retain = retain
    }
}

/// Who holds a stack's lock, shown to anyone refused.
public struct LockInfo: Hashable, Sendable, CustomStringConvertible {
    public var holder: String      // "user@host"
    public var pid: Int32
    public var host: String
    public var command: String
    public var acquiredAt: String  // RFC 3339

    public init(holder: String, pid: Int32, host: String, command: String, acquiredAt: String) {
        self.holder = holder
        self.pid = pid
        self.host = host
        self.command = command
        self.acquiredAt = acquiredAt
    }

    public var description: String { "\(holder) (pid \(pid) on \(host), `\(command)`, since \(acquiredAt))" }
}

/// One past run of deploy or destroy.
public struct DeploymentRecord: Hashable, Sendable {
    public var id: Int64
    public var command: String
    public var startedAt: String
    public var finishedAt: String?
    public var result: String?     // "succeeded", "failed", nil while running or after a crash
    public var summary: String?

    public init(id: Int64, command: String, startedAt: String, finishedAt: String?, result: String?, summary: String?) {
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.summary = summary
    }
}

/// Raised when another writer holds the stack.
public struct StackLockedError: Error, CustomStringConvertible, Sendable {
    public var stack: String
    public var lock: LockInfo
    public init(stack: String, lock: LockInfo) {
        self.stack = stack
        self.lock = lock
    }
    public var description: String {
        "stack '\(stack)' is locked by \(lock)\n  hint: if that run is gone, `scwlua state unlock --stack \(stack)` clears the lock"
    }
}

// StateMigration: copies one stack between two stores (local SQLite ↔ S3): every row, the
// outputs and the history, with both stacks locked, into a destination that must be empty.
// Secrets are opened with the source's key and sealed again with the destination's.

import ScwCore
import ScwEngine
import ScwState

/// A store that can take past runs as they were (ids may change, order is kept).
public protocol DeploymentHistoryImporting {
    /// Adds `record` as it was; returns the id it has in this store.
    @discardableResult
    func importDeployment(stack: String, _ record: DeploymentRecord) throws -> Int64
}

extension SQLiteStateStore: DeploymentHistoryImporting {}

extension S3StateStore: DeploymentHistoryImporting {}

public enum StateMigration {
    /// What was copied.
    public struct Summary: Sendable, Equatable {
        public var resources: Int
        public var outputs: Int
        public var deployments: Int
    }

    /// Copies `stack` from `source` to `destination`.
    ///
    /// Both stacks are locked for the copy (a running deploy on either side refuses it). The
    /// destination must hold nothing of the stack. The source is left as it was.
    public static func copy(stack: String, from source: any StateStore, to destination: any StateStore & DeploymentHistoryImporting,
                            sourceName: String, destinationName: String) throws -> Summary {
        let info = StateProcess.currentLockInfo(command: "state migrate")
        try source.lock(stack: stack, info: info)
        defer { try? source.unlock(stack: stack, pid: info.pid) }
        try destination.lock(stack: stack, info: info)
        defer { try? destination.unlock(stack: stack, pid: info.pid) }

        if try destination.stacks().contains(stack) {
            throw Diagnostic("stack '\(stack)' already has state in \(destinationName): nothing was copied",
                             hint: "migrate into an empty stack (another --stack, or another prefix); its current state is left as it is")
        }
        let rows = try source.resources(stack: stack)
        let outputs = try source.outputs(stack: stack)
        let history = try source.history(stack: stack)
        guard !rows.isEmpty || !outputs.isEmpty || !history.isEmpty else {
            throw Diagnostic("stack '\(stack)' has no state in \(sourceName): nothing to migrate",
                             hint: "check --stack and the source (--from-state-dir, --backend)")
        }
        for row in rows { try destination.put(stack: stack, row) }
        if !outputs.isEmpty { try destination.setOutputs(stack: stack, outputs) }
        for record in history { try destination.importDeployment(stack: stack, record) }
        if let script = try (source as? any StackScriptRecording)?.stackScript(stack: stack) {
            try (destination as? any StackScriptRecording)?.setStackScript(stack: stack, script)
        }

        // Read back what was written: the same rows, or the copy is reported as failed.
        let copied = try destination.resources(stack: stack)
        func ids(_ rs: [ResourceState]) -> [ResourceAddress: String] { Dictionary(rs.map { ($0.address, $0.id) }, uniquingKeysWith: { a, _ in a }) }
        guard ids(copied) == ids(rows) else {
            throw StateError("the copy in \(destinationName) does not read back as written (\(copied.count) of \(rows.count) rows); "
                             + "the source \(sourceName) is unchanged")
        }
        return Summary(resources: rows.count, outputs: outputs.count, deployments: history.count)
    }
}

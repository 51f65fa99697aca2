// SQLiteStateStore+History: one row per deploy or destroy run. A run that crashed keeps a row
// with no result, which `history` shows as such.

import ScwEngine

extension SQLiteStateStore {
    public func beginDeployment(stack: String, command: String) throws -> Int64 {
        try withDB { db in
            try db.run("INSERT INTO deployments (stack, command, started_at) VALUES (?, ?, ?)",
                       [.text(stack), .text(command), .text(StateProcess.now())])
            return db.lastInsertRowID
        }
    }

    public func finishDeployment(id: Int64, result: String, summary: String) throws {
        let changed = try withDB { db in
            try db.run("UPDATE deployments SET finished_at = ?, result = ?, summary = ? WHERE id = ?",
                       [.text(StateProcess.now()), .text(result), .text(summary), .int(id)])
        }
        if changed == 0 { throw StateError("no deployment with id \(id) in \(path)") }
    }

    /// The stack's runs, oldest first.
    public func history(stack: String) throws -> [DeploymentRecord] {
        try withDB { db in
            try db.query("""
                SELECT id, command, started_at, finished_at, result, summary FROM deployments
                WHERE stack = ? ORDER BY id
                """, [.text(stack)]) { row in
                DeploymentRecord(id: row.int64(0), command: row.string(1), startedAt: row.string(2),
                                 finishedAt: row.text(3), result: row.text(4), summary: row.text(5))
            }
        }
    }

    /// Adds a past run as it was (times, result, summary) under a new id, for
    /// `scwlua state migrate`; records imported in order keep their order.
    @discardableResult
    public func importDeployment(stack: String, _ record: DeploymentRecord) throws -> Int64 {
        try withDB { db in
            try db.run("INSERT INTO deployments (stack, command, started_at, finished_at, result, summary) VALUES (?, ?, ?, ?, ?, ?)",
                       [.text(stack), .text(record.command), .text(record.startedAt), record.finishedAt.map { .text($0) } ?? .null,
                        record.result.map { .text($0) } ?? .null, record.summary.map { .text($0) } ?? .null])
            return db.lastInsertRowID
        }
    }
}

// SQLiteStateStore+Locks: one writer per stack. A lock row is taken in a BEGIN IMMEDIATE
// transaction (atomic across processes); a row left by a dead process on this host is broken.

import ScwEngine

extension SQLiteStateStore {
    @discardableResult
    public func lock(stack: String, info: LockInfo) throws -> LockInfo? {
        let localHost = StateProcess.hostName
        return try withDB { db in
            try db.transaction { () throws -> LockInfo? in
                var broken: LockInfo?
                if let held = try Self.readLock(db, stack: stack) {
                    let sameProcess = held.pid == info.pid && held.host == info.host
                    if !sameProcess {
                        // Only a lock from this host can be checked, and only a gone pid is stale.
                        guard held.host == localHost, !StateProcess.isAlive(pid: held.pid) else {
                            throw StackLockedError(stack: stack, lock: held)
                        }
                        broken = held
                    }
                    try db.run("DELETE FROM locks WHERE stack = ?", [.text(stack)])
                }
                try db.run("""
                    INSERT INTO locks (stack, holder, pid, host, command, acquired_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, [.text(stack), .text(info.holder), .int(Int64(info.pid)), .text(info.host),
                          .text(info.command), .text(info.acquiredAt)])
                return broken
            }
        }
    }

    public func unlock(stack: String, pid: Int32) throws {
        try withDB { db in
            try db.run("DELETE FROM locks WHERE stack = ? AND pid = ?", [.text(stack), .int(Int64(pid))])
        }
    }

    public func forceUnlock(stack: String) throws -> LockInfo? {
        try withDB { db in
            try db.transaction {
                let held = try Self.readLock(db, stack: stack)
                if held != nil { try db.run("DELETE FROM locks WHERE stack = ?", [.text(stack)]) }
                return held
            }
        }
    }

    public func currentLock(stack: String) throws -> LockInfo? {
        try withDB { db in try Self.readLock(db, stack: stack) }
    }

    static func readLock(_ db: SQLiteDatabase, stack: String) throws -> LockInfo? {
        try db.queryOne("SELECT holder, pid, host, command, acquired_at FROM locks WHERE stack = ?", [.text(stack)]) { row in
            LockInfo(holder: row.string(0), pid: Int32(truncatingIfNeeded: row.int64(1)), host: row.string(2),
                     command: row.string(3), acquiredAt: row.string(4))
        }
    }
}

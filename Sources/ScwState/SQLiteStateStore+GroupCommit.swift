// Group commit: writes from async code (the applier's intents and results) wait in a queue;
// one serial commit thread takes every write waiting at that moment and makes them durable
// in one fsync'ed transaction, each in its own savepoint (one failing does not fail the
// others). A caller resumes only once its transaction is committed, so an intent is still
// durable before its create is sent; several intents just share the fsync. The cooperative
// threads never block on the disk.

import Dispatch
import Foundation
import ScwCore
import ScwEngine

/// The writes waiting for the next commit.
final class GroupCommitQueue: @unchecked Sendable {
    /// One caller's statements (applied together or not at all) and its continuation.
    struct Pending: @unchecked Sendable {
        let statements: [(SQLiteDatabase) throws -> Void]
        let done: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var pending: [Pending] = []
    private var scheduled = false
    private var committed = 0
    /// Serial: one commit at a time; a commit scheduled while another runs takes everything
    /// that arrived meanwhile.
    let queue = DispatchQueue(label: "scwlua.state.group-commit")

    /// Adds a caller; true when a commit must be scheduled for it.
    func add(_ p: Pending) -> Bool {
        lock.lock(); defer { lock.unlock() }
        pending.append(p)
        if scheduled { return false }
        scheduled = true
        return true
    }

    /// Everything waiting now; later arrivals schedule the next commit.
    func take() -> [Pending] {
        lock.lock(); defer { lock.unlock() }
        let batch = pending
        pending = []
        scheduled = false
        if !batch.isEmpty { committed += 1 }
        return batch
    }

    /// Callers waiting now (for tests).
    var waiting: Int { lock.lock(); defer { lock.unlock() }; return pending.count }
    /// Transactions made so far (for tests).
    var transactions: Int { lock.lock(); defer { lock.unlock() }; return committed }
}

extension SQLiteStateStore {
    public func write(stack: String, _ writes: [StateWrite]) async throws {
        // Encoding first, in the caller: a value state cannot hold fails before anything is queued.
        let statements = try writes.map { w -> (SQLiteDatabase) throws -> Void in
            switch w {
            case .put(let row): return try putStatement(stack: stack, row)
            case .remove(let address): return Self.removeStatement(stack: stack, address: address)
            }
        }
        try await commit(statements)
    }

    /// Queues statements for the next group commit; returns once they are committed.
    func commit(_ statements: [(SQLiteDatabase) throws -> Void]) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            if commits.add(GroupCommitQueue.Pending(statements: statements, done: done)) {
                commits.queue.async { self.commitWaiting() }
            }
        }
    }

    /// Commits every waiting write in one transaction and resumes their callers.
    func commitWaiting() {
        let batch = commits.take()
        guard !batch.isEmpty else { return }
        var failures: [Int: any Error] = [:]
        do {
            try withDB { db in
                try db.transaction {
                    for (i, p) in batch.enumerated() {
                        try db.exec("SAVEPOINT grouped_write")
                        do {
                            for statement in p.statements { try statement(db) }
                            try db.exec("RELEASE grouped_write")
                        } catch {
                            failures[i] = error
                            try db.exec("ROLLBACK TO grouped_write")
                            try db.exec("RELEASE grouped_write")
                        }
                    }
                }
            }
        } catch {
            for p in batch { p.done.resume(throwing: error) }
            return
        }
        for (i, p) in batch.enumerated() {
            if let error = failures[i] {
                p.done.resume(throwing: (error as? SQLiteError).map { StateDatabaseProblem.explain($0, path: path) } ?? error)
            } else {
                p.done.resume()
            }
        }
    }
}

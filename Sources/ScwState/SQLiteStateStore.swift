// SQLiteStateStore: the default state store, one SQLite file (WAL, synchronous=FULL) shared by
// every process working on it. One row per resource; each write is durable before it returns
// (writes from async code that arrive together share one transaction: +GroupCommit).
// Locks and deployment history live in the +Locks and +History extensions.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScwCore
import ScwEngine

public final class SQLiteStateStore: StateStore, @unchecked Sendable {
    /// The database file name inside a state directory (`.scwlua/state.db`).
    public static let fileName = "state.db"
    /// How long a write waits for another process's transaction before giving up.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    public let path: String
    let codec: StateCodec
    /// Guards `db`: one SQLite connection, used by one thread at a time.
    private let mutex = NSLock()
    private let db: SQLiteDatabase
    /// Writes waiting for the next group commit (see +GroupCommit).
    let commits = GroupCommitQueue()

    /// Opens (creating if needed) the state database at `path`; its parent directory is created.
    /// Refuses a database whose secrets were sealed with another key.
    public init(path: String, secrets: SecretBox) throws {
        self.path = path
        self.codec = StateCodec(box: secrets)
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty { try KeyFiles.makeDirectory(parent) }
        Self.createPrivateFile(path)
        do {
            db = try SQLiteDatabase(path: path)
            try db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            // WAL: readers never block the writer, and another process sees each commit at once.
            // synchronous=FULL: every commit is fsync-ed, so a created ID survives even a power cut
            // (NORMAL would survive only a crash of the process). Writes are rare next to API calls.
            try Self.retryingWhileBusy { try db.exec("PRAGMA journal_mode = WAL") }
            try db.exec("PRAGMA synchronous = FULL")
            try db.transaction {
                try StateSchema.migrate(db)
                try checkKey(secrets, write: true)
            }
        } catch let error as SQLiteError {
            throw StateDatabaseProblem.explain(error, path: path)
        }
    }

    /// Opens an existing state database for reading only (what `plan` does): no folder, file,
    /// key or schema change is made.
    public init(readingPath path: String, secrets: SecretBox) throws {
        self.path = path
        self.codec = StateCodec(box: secrets)
        do {
            db = try SQLiteDatabase(path: path, readOnly: true)
            try db.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            try checkKey(secrets, write: false)
        } catch let error as SQLiteError {
            throw StateDatabaseProblem.explain(error, path: path)
        }
    }

    /// Switching a new database to WAL can meet another process doing the same; SQLite then
    /// answers SQLITE_BUSY at once, without its busy handler, so wait and try again.
    static func retryingWhileBusy(attempts: Int = 100, _ body: () throws -> Void) throws {
        for attempt in 1... {
            do {
                return try body()
            } catch let error as SQLiteError where error.isBusy && attempt < attempts {
                usleep(50_000)
            }
        }
    }

    /// The store for the state directory `dir` (`<dir>/state.db`), with its secrets key
    /// (see `SecretBox.forStateDirectory`).
    public convenience init(directory dir: String, environment: [String: String]) throws {
        let box = try SecretBox.forStateDirectory(dir, environment: environment)
        try self.init(path: dir + "/" + Self.fileName, secrets: box)
    }

    /// The state of the directory `dir` for reading only: its database opened read-only, or,
    /// when it has none yet, an empty store. Creates nothing.
    public static func reading(directory dir: String, environment: [String: String]) throws -> any StateStore {
        let path = dir + "/" + fileName
        guard KeyFiles.exists(path) else { return EmptyStateStore(directory: dir) }
        return try SQLiteStateStore(readingPath: path, secrets: try SecretBox.forReadingStateDirectory(dir, environment: environment))
    }

    /// Runs `body` with the connection, one caller at a time. SQLite's own errors become a
    /// message naming the file and what to do (a bare `sqlite error 11` helps nobody).
    @discardableResult
    func withDB<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        mutex.lock()
        defer { mutex.unlock() }
        do {
            return try body(db)
        } catch let error as SQLiteError where !error.isBusy {
            throw StateDatabaseProblem.explain(error, path: path)
        }
    }

    /// A new database file is created 0600 before SQLite opens it (its -wal and -shm files take
    /// the same mode): state holds IDs and inputs that are nobody else's business.
    private static func createPrivateFile(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    /// The first opener records a sealed marker; later openers must be able to open it, so a
    /// wrong passphrase or key file is reported at once rather than at the first secret.
    private func checkKey(_ box: SecretBox, write: Bool) throws {
        let marker = "scwlua state key check"
        if let sealed = try db.queryOne("SELECT value FROM meta WHERE key = 'key_check'", [], { $0.string(0) }) {
            guard let plain = try? box.open(sealed), plain == Array(marker.utf8) else {
                throw SecretBoxError("\(SecretBoxError.wrongKeyMessage) (using \(box.source); the state in \(path) was sealed with another key)")
            }
        } else if write {
            try db.run("INSERT INTO meta (key, value) VALUES ('key_check', ?)", [.text(try box.seal(Array(marker.utf8)))])
        }
    }

    // MARK: resources

    static let resourceColumns = "type, name, id, status, inputs, outputs, dependencies, protect, retain"

    public func resources(stack: String) throws -> [ResourceState] {
        try readResources(stack: stack, mode: .decrypt)
    }

    func readResources(stack: String, mode: StateCodec.SecretMode) throws -> [ResourceState] {
        let rows = try withDB { db in
            try db.query("SELECT \(Self.resourceColumns) FROM resources WHERE stack = ? ORDER BY type, name", [.text(stack)]) { row in
                StoredResource(type: row.string(0), name: row.string(1), id: row.string(2), status: row.string(3),
                               inputs: row.string(4), outputs: row.string(5), dependencies: row.string(6),
                               protect: row.int64(7) != 0, retain: row.int64(8) != 0)
            }
        }
        // Decrypting happens outside the lock.
        return try rows.map { try decode($0, mode: mode) }
    }

    public func put(stack: String, _ resource: ResourceState) throws {
        let statement = try putStatement(stack: stack, resource)
        try withDB { db in try statement(db) }
    }

    public func remove(stack: String, address: ResourceAddress) throws {
        try withDB { db in try Self.removeStatement(stack: stack, address: address)(db) }
    }

    /// The statement that writes one row. Encoding (and encrypting) happens here, first: a
    /// value state cannot hold fails before anything is written.
    func putStatement(stack: String, _ resource: ResourceState) throws -> (SQLiteDatabase) throws -> Void {
        let address = resource.address.description
        let inputs = try codec.encode(resource.inputs, what: "\(address) inputs")
        let outputs = try codec.encode(resource.outputs, what: "\(address) outputs")
        let dependencies = JSON.encode(.list(resource.dependencies.map { .string($0.description) }))
        let now = StateProcess.now()
        return { db in
            try db.run("""
                INSERT INTO resources (stack, address, \(Self.resourceColumns), updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (stack, address) DO UPDATE SET
                    type = excluded.type, name = excluded.name, id = excluded.id, status = excluded.status,
                    inputs = excluded.inputs, outputs = excluded.outputs, dependencies = excluded.dependencies,
                    protect = excluded.protect, retain = excluded.retain, updated_at = excluded.updated_at
                """, [.text(stack), .text(address), .text(resource.address.type), .text(resource.address.name),
                      .text(resource.id), .text(resource.status.rawValue), .text(inputs), .text(outputs),
                      .text(dependencies), SQLiteValue(resource.protect), SQLiteValue(resource.retain),
                      .text(now)])
        }
    }

    static func removeStatement(stack: String, address: ResourceAddress) -> (SQLiteDatabase) throws -> Void {
        { db in try db.run("DELETE FROM resources WHERE stack = ? AND address = ?", [.text(stack), .text(address.description)]) }
    }

    // MARK: outputs

    public func outputs(stack: String) throws -> [String: Value] {
        try readOutputs(stack: stack, mode: .decrypt)
    }

    func readOutputs(stack: String, mode: StateCodec.SecretMode) throws -> [String: Value] {
        let text = try withDB { db in
            try db.queryOne("SELECT outputs FROM stack_outputs WHERE stack = ?", [.text(stack)]) { $0.string(0) }
        }
        guard let text else { return [:] }
        return try codec.decodeMap(text, mode: mode, what: "outputs of stack '\(stack)'")
    }

    public func setOutputs(stack: String, _ outputs: [String: Value]) throws {
        let text = try codec.encode(outputs, what: "stack output")
        try withDB { db in
            try db.run("""
                INSERT INTO stack_outputs (stack, outputs, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (stack) DO UPDATE SET outputs = excluded.outputs, updated_at = excluded.updated_at
                """, [.text(stack), .text(text), .text(StateProcess.now())])
        }
    }

    // MARK: stacks

    public func stacks() throws -> [String] {
        try withDB { db in
            try db.query("""
                SELECT stack FROM resources UNION SELECT stack FROM stack_outputs
                UNION SELECT stack FROM deployments ORDER BY 1
                """) { $0.string(0) }
        }
    }

    // MARK: row decoding

    private struct StoredResource {
        var type, name, id, status, inputs, outputs, dependencies: String
        var protect, retain: Bool
    }

    private func decode(_ row: StoredResource, mode: StateCodec.SecretMode) throws -> ResourceState {
        let address = ResourceAddress(type: row.type, name: row.name)
        guard let status = ResourceState.Status(rawValue: row.status) else {
            throw StateError("state is damaged: \(address) has unknown status '\(row.status)'")
        }
        guard case .list(let deps) = try codec.decode(row.dependencies, mode: mode, what: "\(address) dependencies") else {
            throw StateError("state is damaged: \(address) dependencies are not a list")
        }
        let dependencies = try deps.map { v -> ResourceAddress in
            guard let s = v.stringValue, let a = ResourceAddress(parsing: s) else {
                throw StateError("state is damaged: \(address) has a bad dependency \(JSON.encode(v))")
            }
            return a
        }
        return ResourceState(address: address, id: row.id, status: status,
                             inputs: try codec.decodeMap(row.inputs, mode: mode, what: "\(address) inputs"),
                             outputs: try codec.decodeMap(row.outputs, mode: mode, what: "\(address) outputs"),
                             dependencies: dependencies, protect: row.protect, retain: row.retain)
    }
}

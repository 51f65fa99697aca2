// SQLiteDatabase: a thin, safe wrapper over one libsqlite3 connection: open, exec, prepared
// statements with typed bindings and columns, and transactions. Errors carry SQLite's message.
// Not thread-safe by itself: its owner serialises calls (SQLiteStateStore holds a lock).

import CSQLite

/// An error from SQLite, with its result code and message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    /// What was being done (the statement or the operation), for the reader of the error.
    public let context: String

    public var description: String {
        context.isEmpty ? "sqlite error \(code): \(message)" : "sqlite error \(code): \(message) (while \(context))"
    }

    /// True for SQLITE_BUSY / SQLITE_LOCKED: another connection held the database past the timeout.
    public var isBusy: Bool {
        let primary = code & 0xFF
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED
    }
}

/// A value bound to, or read from, a statement.
enum SQLiteValue: Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    init(stringLiteral value: String) { self = .text(value) }
    init(integerLiteral value: Int64) { self = .int(value) }
    init(nilLiteral: ()) { self = .null }
    init(_ b: Bool) { self = .int(b ? 1 : 0) }
    init(_ s: String?) { self = s.map { .text($0) } ?? .null }
}

final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating if needed) the database file at `path`; with `readOnly`, opens an
    /// existing file for reading only.
    init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message, context: "opening \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    private var db: OpaquePointer { handle! }

    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(db)), context: context)
    }

    /// Waits up to `milliseconds` for another connection's lock before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws {
        let rc = sqlite3_busy_timeout(db, milliseconds)
        guard rc == SQLITE_OK else { throw error(rc, "setting busy timeout") }
    }

    /// Runs one or more statements that take no parameters; rows they return are ignored.
    func exec(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, context: sql)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        return SQLiteStatement(db: self, stmt: stmt, sql: sql)
    }

    /// Runs a statement with parameters; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws -> Int {
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        while try stmt.step() {}
        return Int(sqlite3_changes(db))
    }

    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ bindings: [SQLiteValue] = [], _ map: (SQLiteRow) throws -> T) throws -> [T] {
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        var out: [T] = []
        while try stmt.step() { out.append(try map(SQLiteRow(stmt: stmt))) }
        return out
    }

    /// The first row of a query, mapped, or nil when there is none.
    func queryOne<T>(_ sql: String, _ bindings: [SQLiteValue] = [], _ map: (SQLiteRow) throws -> T) throws -> T? {
        let stmt = try prepare(sql)
        try stmt.bind(bindings)
        return try stmt.step() ? map(SQLiteRow(stmt: stmt)) : nil
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// `immediate` takes the write lock at once (BEGIN IMMEDIATE), so a read-then-write inside
    /// cannot race another process; the busy timeout applies while waiting for it.
    func transaction<T>(immediate: Bool = true, _ body: () throws -> T) throws -> T {
        try exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        let result: T
        do {
            result = try body()
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
        do {
            try exec("COMMIT")
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
        return result
    }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    private let db: SQLiteDatabase
    fileprivate let stmt: OpaquePointer
    let sql: String

    fileprivate init(db: SQLiteDatabase, stmt: OpaquePointer, sql: String) {
        self.db = db
        self.stmt = stmt
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(stmt)
    }

    func bind(_ values: [SQLiteValue]) throws {
        for (i, v) in values.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    func bind(_ value: SQLiteValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(stmt, index)
        case .int(let i):
            rc = sqlite3_bind_int64(stmt, index, i)
        case .text(var s):
            rc = s.withUTF8 { buf in
                buf.withMemoryRebound(to: CChar.self) { chars in
                    // An empty buffer may have a nil base address; SQLite wants "" then, not NULL.
                    chars.baseAddress.map { csqlite_bind_text(stmt, index, $0, Int32(chars.count)) }
                        ?? csqlite_bind_text(stmt, index, "", 0)
                }
            }
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { buf in
                buf.baseAddress.map { csqlite_bind_blob(stmt, index, $0, Int32(buf.count)) }
                    ?? sqlite3_bind_zeroblob(stmt, index, 0)
            }
        }
        guard rc == SQLITE_OK else { throw db.error(rc, "binding parameter \(index) of \(sql)") }
    }

    /// Advances; true when a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw db.error(rc, sql)
        }
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }
}

/// The current row of a statement, read by column index.
struct SQLiteRow {
    fileprivate let stmt: SQLiteStatement

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(stmt.stmt, column) == SQLITE_NULL
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(stmt.stmt, column)
    }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt.stmt, column) else { return nil }
        let n = Int(sqlite3_column_bytes(stmt.stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Text, or "" when NULL.
    func string(_ column: Int32) -> String { text(column) ?? "" }

    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(stmt.stmt, column))
        guard n > 0, let p = sqlite3_column_blob(stmt.stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}

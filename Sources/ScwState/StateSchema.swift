// StateSchema: the tables of the SQLite state and their numbered migrations. A database is
// brought up to `latestVersion` when opened; one written by a newer scwlua is refused.

enum StateSchema {
    /// Migration i (0-based) takes the database from version i to version i+1.
    static let migrations: [String] = [
        // 1: the first schema.
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE resources (
            stack        TEXT NOT NULL,
            address      TEXT NOT NULL,
            type         TEXT NOT NULL,
            name         TEXT NOT NULL,
            id           TEXT NOT NULL DEFAULT '',
            status       TEXT NOT NULL,
            inputs       TEXT NOT NULL DEFAULT '{}',
            outputs      TEXT NOT NULL DEFAULT '{}',
            dependencies TEXT NOT NULL DEFAULT '[]',
            protect      INTEGER NOT NULL DEFAULT 0,
            retain       INTEGER NOT NULL DEFAULT 0,
            updated_at   TEXT NOT NULL,
            PRIMARY KEY (stack, address)
        ) WITHOUT ROWID;
        CREATE TABLE stack_outputs (
            stack      TEXT PRIMARY KEY,
            outputs    TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE locks (
            stack       TEXT PRIMARY KEY,
            holder      TEXT NOT NULL,
            pid         INTEGER NOT NULL,
            host        TEXT NOT NULL,
            command     TEXT NOT NULL,
            acquired_at TEXT NOT NULL
        );
        CREATE TABLE deployments (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            stack       TEXT NOT NULL,
            command     TEXT NOT NULL,
            started_at  TEXT NOT NULL,
            finished_at TEXT,
            result      TEXT,
            summary     TEXT
        );
        CREATE INDEX deployments_by_stack ON deployments (stack, id);
        """,
    ]

    static var latestVersion: Int64 { Int64(migrations.count) }

    /// Brings the schema up to date. Runs inside the caller's write transaction, so two
    /// processes opening a new file at once do not both migrate.
    static func migrate(_ db: SQLiteDatabase) throws {
        try db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        let current = try db.queryOne("SELECT MAX(version) FROM schema_version") { $0.isNull(0) ? 0 : $0.int64(0) } ?? 0
        if current > latestVersion {
            throw StateError("state database \(db.path) has schema version \(current), newer than this scwlua knows "
                             + "(\(latestVersion)): upgrade scwlua to use it")
        }
        guard current < latestVersion else { return }
        for version in current..<latestVersion {
            try db.exec(migrations[Int(version)])
        }
        try db.run("DELETE FROM schema_version")
        try db.run("INSERT INTO schema_version (version) VALUES (?)", [.int(latestVersion)])
    }
}

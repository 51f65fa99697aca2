// StackScriptRecording: a stack remembers the script it was last deployed from, so that a
// second script in the same folder (same `.scwlua`, same stack name) cannot plan the first
// one's resources for deletion without a word. Kept per stack in the store's metadata.

import ScwCore

/// A store that keeps, per stack, the script last deployed to it: a path relative to the
/// state folder (`../infra.lua`), so that a checkout moved elsewhere still matches.
public protocol StackScriptRecording {
    /// The script recorded for `stack`, nil when none was (a new stack, or state written by an
    /// older scwlua).
    func stackScript(stack: String) throws -> String?
    /// Records `script` as the stack's script.
    func setStackScript(stack: String, _ script: String) throws
}

extension SQLiteStateStore: StackScriptRecording {
    /// The meta table holds it (`script:<stack>`): no schema change, so an older scwlua still
    /// opens the database (it only ignores the record).
    static func scriptKey(_ stack: String) -> String { "script:" + stack }

    public func stackScript(stack: String) throws -> String? {
        try withDB { db in
            try db.queryOne("SELECT value FROM meta WHERE key = ?", [.text(Self.scriptKey(stack))]) { $0.string(0) }
        }
    }

    public func setStackScript(stack: String, _ script: String) throws {
        try withDB { db in
            try db.run("""
                INSERT INTO meta (key, value) VALUES (?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(Self.scriptKey(stack)), .text(script)])
        }
    }
}

extension EmptyStateStore: StackScriptRecording {
    func stackScript(stack: String) throws -> String? { nil }
    func setStackScript(stack: String, _ script: String) throws {
        throw Diagnostic("state in \(directory) is open for reading only (this command writes nothing)")
    }
}

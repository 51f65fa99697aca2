// StateDatabaseProblem: SQLite's failures on the state database, said as what a person can do
// about them: a damaged file (restore a backup, or start a new state folder), a file or folder
// that cannot be written (permissions, disk space), one that cannot be opened at all.

import CSQLite
import ScwCore

enum StateDatabaseProblem {
    static func explain(_ error: SQLiteError, path: String) -> Diagnostic {
        let primary = error.code & 0xFF
        switch primary {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return Diagnostic("the state database \(path) is damaged (\(error.message)); nothing was changed",
                              hint: "restore it from a backup (or a copy made by `scwlua state export`), or move it aside and "
                                  + "use a new folder with --state-dir; resources this stack created stay tagged "
                                  + "scwlua:stack=<stack> in the cloud, so they can be found and imported again")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH:
            return Diagnostic("the state database \(path) cannot be written (\(error.message)); nothing was changed",
                              hint: "make it and its folder writable by this user, or choose another folder with --state-dir")
        case SQLITE_CANTOPEN:
            return Diagnostic("the state database \(path) cannot be opened (\(error.message))",
                              hint: "check that its folder exists and is readable and writable by this user, or choose another folder with --state-dir")
        case SQLITE_FULL, SQLITE_IOERR:
            return Diagnostic("the state database \(path) could not be written (\(error.message)); the last change may not be saved",
                              hint: "free disk space or fix the disk, then run the same command again: it finds what was made by its tags")
        default:
            return Diagnostic("the state database \(path) failed: \(error.message) (SQLite code \(error.code), while \(error.context))",
                              hint: "if this persists, restore the file from a backup or use a new folder with --state-dir")
        }
    }
}

// CSQLite: Debian's libsqlite3 for Swift, plus the few helpers Swift cannot import itself
// (SQLITE_TRANSIENT is a macro that casts -1 to a destructor pointer).
#ifndef CSQLITE_H
#define CSQLITE_H

#include <sqlite3.h>

/// Binds text that SQLite copies at once (SQLITE_TRANSIENT), so Swift's buffer may go away.
static inline int csqlite_bind_text(sqlite3_stmt *stmt, int index, const char *text, int byteCount) {
    return sqlite3_bind_text(stmt, index, text, byteCount, SQLITE_TRANSIENT);
}

/// Binds a blob that SQLite copies at once (SQLITE_TRANSIENT).
static inline int csqlite_bind_blob(sqlite3_stmt *stmt, int index, const void *bytes, int byteCount) {
    return sqlite3_bind_blob(stmt, index, bytes, byteCount, SQLITE_TRANSIENT);
}

#endif

// Errors crossing the Lua/Swift boundary: LuaError (Lua failed, seen from Swift), LuaRaise
// (a Swift function raising a Lua error) and LuaHostError (misuse of the host API).

import ScwCore

/// A Lua error caught by the host (a syntax error, a runtime error, an unreadable file).
///
/// `description` is the clean message as Lua formats it (`infra.lua:12: unknown prop
/// 'subnet'`), without the traceback, which is kept apart in `traceback`.
public struct LuaError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The chunk did not compile.
        case syntax
        /// An error raised while running (by Lua code or a Swift function).
        case runtime
        /// Lua ran out of memory.
        case memory
        /// The message handler itself failed.
        case errorHandler
        /// The script file could not be read.
        case file
    }

    public var kind: Kind
    /// The error message, with Lua's `file:line:` prefix when it has one.
    public var message: String
    /// The script position at the start of the message, when there is one.
    public var location: SourceLocation?
    /// Lua's `stack traceback:` text (empty for syntax and file errors).
    public var traceback: String

    public init(kind: Kind, message: String, traceback: String = "") {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.location = LuaError.location(in: message)
    }

    public var description: String { message }

    /// The message without its `file:line: ` prefix.
    public var messageWithoutLocation: String {
        guard location != nil, let range = message.range(of: ": ") else { return message }
        return String(message[range.upperBound...])
    }

    /// Parses the `file:line:` prefix that Lua puts on messages (`infra.lua:12: ...`).
    public static func location(in message: String) -> SourceLocation? {
        let firstLine = message.prefix { $0 != "\n" }
        var search = firstLine.startIndex
        while let colon = firstLine[search...].firstIndex(of: ":") {
            let file = firstLine[..<colon]
            if file.contains(": ") { return nil }  // past the place a prefix could be
            let afterColon = firstLine.index(after: colon)
            let digits = firstLine[afterColon...].prefix { $0.isASCII && $0.isNumber }
            if !file.isEmpty, !digits.isEmpty, digits.endIndex < firstLine.endIndex,
                firstLine[digits.endIndex] == ":", let line = Int(digits)
            {
                return SourceLocation(file: String(file), line: line)
            }
            search = afterColon
        }
        return nil
    }
}

/// Thrown by a Swift function called from Lua to raise a Lua error, like Lua's
/// `error(message, level)`.
///
/// `level` 1 (the default) prefixes the message with the script position that called the
/// Swift function (`infra.lua:12: `), level 2 with the position that called that function,
/// and so on; level 0 adds no position. Unlike `error`, frames of C functions (such as
/// `pcall`) are skipped, so the position is always a line of the script when there is one.
public struct LuaRaise: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var level: Int

    public init(_ message: String, level: Int = 1) {
        self.message = message
        self.level = level
    }

    public init(message: String, level: Int = 1) {
        self.init(message, level: level)
    }

    public var description: String { message }
}

/// Misuse of the host API: a reference from another state, an unknown metatable, a value
/// too deep for the stack, a stopped Lua thread.
public struct LuaHostError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

// LuaValue: a Lua value seen from Swift. Scalars are copied; tables are copied and keep a
// reference to the original; functions and userdata are references.

import CLua

/// A Lua value read from, or to be pushed onto, a `LuaState`.
///
/// Strings are Swift strings: Lua strings that are not valid UTF-8 are read with U+FFFD in
/// place of the bad bytes (NUL bytes are kept).
///
/// Equality is structural: an integer never equals a float (`.integer(2) != .number(2)`,
/// unlike Lua's `==`); tables compare contents (their `ref` is ignored); functions, userdata
/// and other references compare by identity.
public enum LuaValue: Sendable, Equatable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case table(LuaTable)
    case function(LuaRef)
    case userdata(LuaRef)
    /// A thread (coroutine) or light userdata.
    case other(LuaRef)

    /// The value of a reference, in the case that matches its Lua type. A table is not read:
    /// the result is a `LuaTable` with only `ref` set (see `LuaTable.isTruncated`).
    public init(_ ref: LuaRef) {
        switch ref.luaType {
        case LUA_TTABLE: self = .table(LuaTable(ref: ref))
        case LUA_TFUNCTION: self = .function(ref)
        case LUA_TUSERDATA: self = .userdata(ref)
        default: self = .other(ref)
        }
    }

    /// Lua's name for the value's type ("nil", "boolean", "number", "string", "table", ...).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case .userdata: return "userdata"
        case .other(let r): return r.typeName
        }
    }

    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    /// The integer, also for a float with an exact integer value (like `math.tointeger`).
    public var intValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return Int64(exactly: d)
        default: return nil
        }
    }

    /// The number, integers converted to Double.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// The registry reference behind a table, function, userdata or other value.
    public var ref: LuaRef? {
        switch self {
        case .table(let t): return t.ref
        case .function(let r), .userdata(let r), .other(let r): return r
        default: return nil
        }
    }

    /// Lua truthiness: everything but nil and false is true.
    public var isTruthy: Bool {
        switch self {
        case .nil, .boolean(false): return false
        default: return true
        }
    }

    /// A field of a table value (`.nil` when absent or not a table).
    public subscript(key: String) -> LuaValue {
        tableValue?[key] ?? .nil
    }

    /// An item of a table value, 1-based like Lua (`.nil` when absent or not a table).
    public subscript(index: Int) -> LuaValue {
        tableValue?[index] ?? .nil
    }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    /// A new table with items 1...n.
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    /// A new table with string keys.
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .table(LuaTable(fields: Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
}

extension LuaValue {
    /// A new table with items 1...n.
    public static func array(_ items: [LuaValue]) -> LuaValue { .table(LuaTable(array: items)) }
    /// A new table with string keys.
    public static func fields(_ fields: [String: LuaValue]) -> LuaValue { .table(LuaTable(fields: fields)) }
}

extension LuaValue: CustomStringConvertible {
    /// A short Lua-like rendering, for messages and tests (tables shown shallowly).
    public var description: String {
        switch self {
        case .nil: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return String(reflecting: s)
        case .table(let t): return t.description
        case .function(let r), .userdata(let r), .other(let r): return r.description
        }
    }
}

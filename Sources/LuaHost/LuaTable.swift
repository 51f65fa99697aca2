// LuaTable: a Lua table copied into Swift (items 1...n, string fields, other pairs), with
// the name of its metatable and a reference to the original table for identity.

/// The contents of a Lua table, or a table to be built in Lua.
///
/// Read from Lua: `array` holds `t[1]...t[n]` for the longest run of keys from 1 without a
/// hole; `fields` the string keys; `otherPairs` everything else (later integer keys, floats,
/// booleans, tables as keys). `ref` is the original table and `metatableName` the `__name`
/// of its metatable (set by `LuaState.newMetatable`), so the script layer can recognise its
/// own objects.
///
/// Pushed to Lua: a table with a `ref` pushes that same table (edits made in Swift are not
/// copied back); set `ref` to nil to push a new table built from the contents, with the
/// metatable registered under `metatableName` if that is set.
public struct LuaTable: Sendable, Equatable, CustomStringConvertible {
    public var array: [LuaValue]
    public var fields: [String: LuaValue]
    public var otherPairs: [(key: LuaValue, value: LuaValue)]
    public var metatableName: String?
    /// The original Lua table (nil for a table made in Swift).
    public var ref: LuaRef?
    /// True when the contents were not read: the table encloses itself (a cycle), lies past
    /// `LuaState.maxTableDepth`, or was made from a bare reference. `ref` is still set.
    public var isTruncated: Bool

    /// A table to build in Lua.
    public init(
        array: [LuaValue] = [], fields: [String: LuaValue] = [:],
        otherPairs: [(key: LuaValue, value: LuaValue)] = [], metatableName: String? = nil
    ) {
        self.array = array
        self.fields = fields
        self.otherPairs = otherPairs
        self.metatableName = metatableName
        self.ref = nil
        self.isTruncated = false
    }

    /// A table known only by reference (contents not read).
    public init(ref: LuaRef, metatableName: String? = nil) {
        self.init(metatableName: metatableName)
        self.ref = ref
        self.isTruncated = true
    }

    /// True when the table has no key at all (false for a truncated table).
    public var isEmpty: Bool {
        !isTruncated && array.isEmpty && fields.isEmpty && otherPairs.isEmpty
    }

    /// Number of keys read.
    public var count: Int { array.count + fields.count + otherPairs.count }

    /// `t[key]` for a string key (`.nil` when absent).
    public subscript(key: String) -> LuaValue {
        get { fields[key] ?? .nil }
        set { fields[key] = newValue.isNil ? nil : newValue }
    }

    /// `t[index]`, 1-based like Lua (`.nil` when absent).
    public subscript(index: Int) -> LuaValue {
        if index >= 1 && index <= array.count { return array[index - 1] }
        for pair in otherPairs where pair.key.intValue == Int64(index) { return pair.value }
        return .nil
    }

    /// Structural equality: same contents and metatable name; `ref` is ignored.
    public static func == (lhs: LuaTable, rhs: LuaTable) -> Bool {
        guard lhs.isTruncated == rhs.isTruncated, lhs.metatableName == rhs.metatableName,
            lhs.array == rhs.array, lhs.fields == rhs.fields,
            lhs.otherPairs.count == rhs.otherPairs.count
        else { return false }
        if lhs.isTruncated { return lhs.ref == rhs.ref }
        return lhs.otherPairs.allSatisfy { pair in
            rhs.otherPairs.contains { $0.key == pair.key && $0.value == pair.value }
        }
    }

    public var description: String {
        if isTruncated { return ref.map { "<\($0)>" } ?? "<table>" }
        var parts = array.map(\.description)
        parts += fields.keys.sorted().map { "\($0) = \(fields[$0]!)" }
        parts += otherPairs.map { "[\($0.key)] = \($0.value)" }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

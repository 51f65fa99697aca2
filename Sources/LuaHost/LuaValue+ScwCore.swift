// Converting plain data between LuaValue and ScwCore.Value (the engine's JSON-shaped type):
// tables with keys 1..n become lists, tables with string keys become maps.

import ScwCore

/// A Lua value that is not plain data, with where it sits (`tags[2]`, `user_data.x`).
public struct LuaConversionError: Error, CustomStringConvertible, Sendable {
    /// Where the bad value is, from the converted value (empty for the value itself).
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

extension LuaValue {
    /// The value as plain data. nil → `.null`, booleans, integers (`.int`) and floats
    /// (`.double`) keep their kind, strings stay strings. A table with keys 1..n becomes a
    /// `.list`, one with string keys a `.map`; **an empty table becomes an empty list**
    /// (`.list([])`): Lua cannot tell `{}` the list from `{}` the map, and the engine's
    /// schemas accept an empty list where they expect either. Metatables are ignored.
    ///
    /// Throws `LuaConversionError` naming the offending key for a table that mixes list
    /// items and other keys, a list with holes, a key that is neither a string nor an index,
    /// a cyclic or truncated table, a function, userdata or thread.
    public func toValue(path: String = "") throws -> ScwCore.Value {
        switch self {
        case .nil: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .int(i)
        case .number(let d): return .double(d)
        case .string(let s): return .string(s)
        case .table(let t): return try t.toValue(path: path)
        case .function, .userdata, .other:
            throw LuaConversionError(path: path, message: "a \(typeName) is not plain data")
        }
    }

    /// Plain data as a Lua value: lists become tables with items 1..n, maps tables with
    /// string keys (a `.null` item or field is a Lua nil, so it leaves a hole or no key).
    /// Throws for values that are not plain (`secret`, `unknown`, references, expressions).
    public init(_ value: ScwCore.Value) throws {
        switch value {
        case .null: self = .nil
        case .bool(let b): self = .boolean(b)
        case .int(let i): self = .integer(i)
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .list(let items): self = .array(try items.map(LuaValue.init))
        case .map(let map): self = .fields(try map.mapValues(LuaValue.init))
        case .secret, .unknown, .ref, .concat, .transform:
            throw LuaConversionError(path: "", message: "value is not plain data")
        }
    }
}

extension LuaTable {
    /// The table as plain data; see `LuaValue.toValue(path:)`.
    public func toValue(path: String = "") throws -> Value {
        if isTruncated {
            throw LuaConversionError(path: path, message: "table is cyclic or nested too deep")
        }
        if let pair = otherPairs.first {
            let message: String
            if case .integer = pair.key {
                if let field = fields.keys.sorted().first {
                    message = "table mixes key '\(field)' with index [\(pair.key)] (use one or the other)"
                } else if array.isEmpty {
                    message = "list does not start at index 1 (first index [\(pair.key)])"
                } else {
                    message = "list has a hole before index [\(pair.key)] (a list needs indexes 1..n)"
                }
            } else {
                let kind = pair.key.typeName == "number" ? "a non-integer number" : "a \(pair.key.typeName)"
                message = "table key [\(pair.key)] is \(kind), not a string or a list index"
            }
            throw LuaConversionError(path: path, message: message)
        }
        if !array.isEmpty, let key = fields.keys.sorted().first {
            throw LuaConversionError(
                path: path, message: "table mixes list items with key '\(key)' (use one or the other)")
        }
        if !fields.isEmpty {
            var map: [String: Value] = [:]
            for (key, value) in fields {
                map[key] = try value.toValue(path: LuaTable.join(path, key))
            }
            return .map(map)
        }
        return .list(try array.enumerated().map { try $1.toValue(path: "\(path)[\($0 + 1)]") })
    }

    static func join(_ path: String, _ key: String) -> String {
        let identifier =
            key.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        if identifier { return path.isEmpty ? key : path + "." + key }
        return path + "[\(String(reflecting: key))]"
    }
}

// ScriptValues: Lua values to engine Values and back. Handles, references, derived values
// and secrets are Lua tables marked with a `__scw` field by the module prelude.

import LuaHost
import ScwCore

struct ScriptValues {
    /// Keeps the Lua functions given to `ref:map`, so the engine can name them.
    let registerTransform: (LuaRef) -> TransformID

    func value(_ lua: LuaValue, path: String) throws -> Value {
        switch lua {
        case .nil: return .null
        case .boolean(let b): return .bool(b)
        case .integer(let i): return .int(i)
        case .number(let d): return .double(d)
        case .string(let s): return .string(s)
        case .table(let t): return try table(t, path: path)
        case .function: throw ScriptValueError("\(path): a function cannot be a value here (use ref:map(fn) to transform an output)")
        case .userdata, .other: throw ScriptValueError("\(path): a \(lua.typeName) cannot be a value here")
        }
    }

    private func table(_ t: LuaTable, path: String) throws -> Value {
        if t.isTruncated { throw ScriptValueError("\(path): the table contains itself or is nested too deeply") }
        if case .string(let marker) = t["__scw"] {
            switch marker {
            case "handle":
                guard let addr = t["__addr"].stringValue.flatMap(ResourceAddress.init(parsing:)) else { break }
                return .ref(OutputRef(address: addr, path: [.key("id")]))
            case "ref":
                guard let addr = t["addr"].stringValue.flatMap(ResourceAddress.init(parsing:)),
                      let items = t["path"].tableValue?.array else { break }
                return .ref(OutputRef(address: addr, path: items.map { item in
                    if case .integer(let i) = item { return .index(Int(i) - 1) }
                    return .key(item.stringValue ?? "")
                }))
            case "concat":
                let parts = t["parts"].tableValue?.array ?? []
                return .concat(try parts.enumerated().map { try value($1, path: path) })
            case "transform":
                guard case .function(let fn) = t["fn"] else { break }
                return .transform(try value(t["input"], path: path), registerTransform(fn))
            case "secret":
                return .secret(try value(t["value"], path: path))
            default:
                break
            }
        }
        if !t.otherPairs.isEmpty {
            throw ScriptValueError("\(path): table keys must be strings or list positions 1..n")
        }
        if !t.array.isEmpty && !t.fields.isEmpty {
            throw ScriptValueError("\(path): the table mixes list items and named fields")
        }
        if !t.fields.isEmpty {
            var out: [String: Value] = [:]
            for (k, v) in t.fields { out[k] = try value(v, path: "\(path).\(k)") }
            return .map(out)
        }
        return .list(try t.array.enumerated().map { try value($1, path: "\(path)[\($0 + 1)]") })
    }

    /// A plain value as Lua sees it. A secret stays a secret (`{ __scw = "secret", value = v }`,
    /// which the module's `fill` turns back into a secret object), so what the script computes
    /// from it is secret too; its plaintext is `secret.value`.
    static func lua(_ value: Value) -> LuaValue {
        switch value {
        case .null, .unknown, .ref, .concat, .transform: return .nil
        case .bool(let b): return .boolean(b)
        case .int(let i): return .integer(i)
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .secret(let v): return .table(LuaTable(fields: ["__scw": .string("secret"), "value": lua(v)]))
        case .list(let a): return .table(LuaTable(array: a.map(lua)))
        case .map(let m): return .table(LuaTable(fields: m.mapValues(lua)))
        }
    }
}

struct ScriptValueError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

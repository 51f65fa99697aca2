// StackConfig: the table given to `scaleway.stack{ ... }`, checked like resource props (types,
// unknown keys with a "did you mean"), turned into the façade's StackOptions.

import Foundation
import LuaHost
import ScwCore
import ScwLua

/// How `:apply()` and `:destroy()` report progress.
enum ProgressSink {
    case none
    /// Plain lines on standard error.
    case standardError
    /// A Lua function called with each line, on the host's thread.
    case function(LuaRef)
}

struct StackConfig {
    var options: StackOptions
    var variables: [String: Value]?
    var progress: ProgressSink = .none

    static let keys = ["name", "state_dir", "endpoint", "profile", "parallelism", "vars", "progress"]

    /// Reads `scaleway.stack{ name =, state_dir =, endpoint = | profile =, parallelism =,
    /// vars =, progress = }`; every key is optional. Errors name the caller's line.
    init(_ given: LuaValue) throws {
        options = StackOptions(stack: "default", stateDirectory: ".scwlua", target: .cloud(profile: nil))
        let table: LuaTable
        switch given {
        case .nil: return
        case .table(let t): table = t
        default: throw LuaRaise.typeError(1, to: "stack", expected: "table", got: given)
        }
        if !table.array.isEmpty || !table.otherPairs.isEmpty {
            throw LuaRaise("scaleway.stack: options must be named (key = value)")
        }
        for (key, value) in table.fields {
            switch key {
            case "name":
                let name = try Self.string(value, key)
                guard !name.isEmpty, !name.contains("/") else {
                    throw LuaRaise("scaleway.stack: name must be a non-empty name without '/'")
                }
                options.stack = name
            case "state_dir": options.stateDirectory = try Self.string(value, key)
            case "endpoint":
                let url = try Self.string(value, key)
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    throw LuaRaise("scaleway.stack: endpoint must be an http:// or https:// URL, got '\(url)'")
                }
                if table.fields["profile"] != nil {
                    throw LuaRaise("scaleway.stack: give endpoint (an emulator) or profile (the cloud), not both")
                }
                options.target = .emulator(baseURL: url)
            case "profile":
                if table.fields["endpoint"] == nil { options.target = .cloud(profile: try Self.string(value, key)) }
            case "parallelism":
                guard let n = value.intValue, n >= 1, n <= 1000 else {
                    throw LuaRaise("scaleway.stack: parallelism expects a whole number from 1 to 1000, got \(Self.shown(value))")
                }
                options.parallelism = Int(n)
            case "vars":
                guard case .table(let t) = value, t.array.isEmpty, t.otherPairs.isEmpty else {
                    throw LuaRaise("scaleway.stack: vars expects a table of named values, got \(value.typeName)")
                }
                var vars: [String: Value] = [:]
                for (name, item) in t.fields {
                    do { vars[name] = try item.toValue(path: "vars.\(name)") } catch {
                        throw LuaRaise("scaleway.stack: \(error)")
                    }
                }
                variables = vars
            case "progress":
                switch value {
                case .boolean(let on): progress = on ? .standardError : .none
                case .function(let fn): progress = .function(fn)
                default: throw LuaRaise("scaleway.stack: progress expects true, false or a function, got \(value.typeName)")
                }
            default:
                let hint = Suggest.closest(to: key, in: Self.keys).map { " (did you mean '\($0)'?)" }
                    ?? " (known: \(Self.keys.joined(separator: ", ")))"
                throw LuaRaise("scaleway.stack: unknown option '\(key)'\(hint)")
            }
        }
    }

    private static func string(_ value: LuaValue, _ key: String) throws -> String {
        guard case .string(let s) = value else {
            throw LuaRaise("scaleway.stack: \(key) expects a string, got \(value.typeName)")
        }
        return s
    }

    private static func shown(_ value: LuaValue) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .number(let d): return String(d)
        case .string(let s): return "'\(s)'"
        default: return value.typeName
        }
    }
}

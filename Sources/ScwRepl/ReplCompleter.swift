// ReplCompleter: TAB completion: globals and keywords, fields of tables along a dotted path
// (`scaleway.` constructors, `scw.` when aliased), a handle's props and outputs, `:commands`.

import Foundation
import LuaHost
import ScwCore

/// The names that can complete the word before the cursor.
public struct ReplCompletion: Equatable, Sendable {
    /// The partial name being completed (after the last `.` or `:`).
    public var word: String
    /// Every name that fits, sorted (whole names, not only the missing part).
    public var candidates: [String]

    /// - Parameters:
    ///   - word: the partial name.
    ///   - candidates: the names that start with it.
    public init(word: String, candidates: [String]) {
        self.word = word
        self.candidates = candidates
    }

    /// What to type at the cursor: the part that all candidates share beyond `word`.
    public var insertion: String {
        guard var common = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(common) { common.removeLast() }
        }
        return common.count > word.count ? String(common.dropFirst(word.count)) : ""
    }
}

/// Finds completions by reading the session's Lua globals raw (no metamethod runs).
struct ReplCompleter {
    /// Lua code that returns the string keys reachable at a path of globals (see `keys`).
    /// Called with the host's full `debug` library (scripts may have a narrow one).
    static let lookupSource = #"""
    local debug = ... or debug
    local rawget, next, type, getmetatable, string = rawget, next, type, debug.getmetatable, string
    local function index(v, k)
      for _ = 1, 8 do
        if type(v) ~= "table" then return nil end
        if rawget(v, "__scw") == "handle" then
          local props, outputs = rawget(v, "__props"), rawget(v, "__outputs")
          local x = type(props) == "table" and rawget(props, k) or nil
          if x == nil and type(outputs) == "table" then x = rawget(outputs, k) end
          return x
        end
        local x = rawget(v, k)
        if x ~= nil then return x end
        local mt = getmetatable(v)
        v = type(mt) == "table" and rawget(mt, "__index") or nil
      end
      return nil
    end
    return function(path, method)
      local v = _G
      for i = 1, #path do
        v = index(v, path[i])
        if v == nil then return nil end
      end
      if type(v) == "table" and rawget(v, "__scw") == "handle" then return "handle", rawget(v, "__type") end
      if type(v) == "string" and method then v = string end
      local keys, seen, t = {}, {}, v
      for _ = 1, 8 do
        if type(t) ~= "table" then break end
        for k in next, t do
          if type(k) == "string" and not seen[k] then seen[k] = true; keys[#keys + 1] = k end
        end
        local mt = getmetatable(t)
        t = type(mt) == "table" and rawget(mt, "__index") or nil
      end
      return "table", keys
    end
    """#

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                           "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]

    let schemas: [String: ResourceSchema]
    /// Runs the lookup function on the Lua thread: (path, method call?) → its results.
    let lookup: ([String], Bool) -> [LuaValue]
    let commands: [String]

    /// Completions for the text before the cursor. `continuing`: a chunk is unfinished (no commands then).
    func complete(_ before: String, continuing: Bool) -> ReplCompletion {
        if !continuing, before.hasPrefix(":"), !before.hasPrefix("::"), !before.contains(" ") {
            return ReplCompletion(word: before, candidates: commands.filter { $0.hasPrefix(before) }.sorted())
        }
        if Self.insideString(before) { return ReplCompletion(word: "", candidates: []) }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:")
        var run = String(before.reversed().prefix { allowed.contains($0) }.reversed())
        if let concat = run.range(of: "..", options: .backwards) { run = String(run[concat.upperBound...]) }
        guard let lastSeparator = run.lastIndex(where: { $0 == "." || $0 == ":" }) else {
            if let first = run.first, first.isNumber { return ReplCompletion(word: run, candidates: []) }
            return ReplCompletion(word: run, candidates: matching(run, in: globals() + Self.keywords))
        }
        let word = String(run[run.index(after: lastSeparator)...])
        let path = run[..<lastSeparator].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let method = run[lastSeparator] == ":"
        guard path.allSatisfy(ReplPrinter.isIdentifier), !path.contains(where: { $0.contains(":") }) else {
            return ReplCompletion(word: word, candidates: [])
        }
        return ReplCompletion(word: word, candidates: matching(word, in: fields(at: path, method: method)))
    }

    private func matching(_ word: String, in names: [String]) -> [String] {
        let hidden = !word.hasPrefix("__")
        return Array(Set(names.filter { $0.hasPrefix(word) && !(hidden && $0.hasPrefix("__")) })).sorted()
    }

    private func globals() -> [String] { fields(at: [], method: false) }

    /// The names reachable after `path.`: a table's string keys (and its `__index` chain), or a
    /// handle's props and outputs from its schema.
    private func fields(at path: [String], method: Bool) -> [String] {
        let result = lookup(path, method)
        switch result.first?.stringValue {
        case "handle":
            guard let schema = result.count > 1 ? result[1].stringValue.flatMap({ schemas[$0] }) : nil else { return [] }
            return schema.props.map(\.name) + schema.outputs.map(\.name) + ["name"]
        case "table":
            guard result.count > 1, case .table(let keys) = result[1] else { return [] }
            return keys.array.compactMap(\.stringValue).filter(ReplPrinter.isIdentifier)
        default:
            return []
        }
    }

    /// True when the cursor is inside a string literal (an odd count of unescaped quotes).
    static func insideString(_ text: String) -> Bool {
        var quote: Character?
        var escaped = false
        for ch in text {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "\"" || ch == "'" {
                quote = ch
            }
        }
        return quote != nil
    }
}

// ReplPrinter: Lua values as the REPL shows them: nested tables with sorted keys, handles as
// `Vpc "main" { props..., outputs... }`, references as (known after apply), secrets as (sensitive).

import Foundation
import LuaHost
import ScwCore

/// Renders Lua values for people. Values are read from Lua raw (no metamethod runs), so
/// printing never changes anything and never fails.
public struct ReplPrinter: Sendable {
    /// Schemas by type name: which outputs a handle has and which of them are sensitive.
    public var schemas: [String: ResourceSchema]
    /// A table is put on one line when it fits in this width.
    public var width: Int
    /// Outputs as state holds them, by address (`Vpc/main`). Lua holds a handle's outputs in
    /// clear, secrets included (a secret the cloud echoed back); where the stored value is
    /// sensitive the handle shows `(sensitive)` in its place.
    public var storedOutputs: [String: [String: Value]] = [:]

    /// - Parameters:
    ///   - schemas: every resource type (for handles' outputs and sensitive fields).
    ///   - width: the line width.
    public init(schemas: [ResourceSchema], width: Int = 80) {
        self.schemas = Dictionary(schemas.map { ($0.typeName, $0) }, uniquingKeysWith: { a, _ in a })
        self.width = width
    }

    /// The results of one evaluation, as `lua5.4` prints them: strings as they are, several
    /// results tab-separated (one per line when any takes several lines).
    public func results(_ values: [LuaValue]) -> String {
        let parts = values.map { value -> String in
            if case .string(let s) = value { return s }
            return render(value)
        }
        return parts.joined(separator: parts.contains { $0.contains("\n") } ? "\n" : "\t")
    }

    /// One value, pretty-printed (strings quoted).
    public func render(_ value: LuaValue) -> String {
        render(value, indent: 0, expandHandle: true)
    }

    private func render(_ value: LuaValue, indent: Int, expandHandle: Bool) -> String {
        switch value {
        case .nil: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return Self.number(d)
        case .string(let s): return Self.quote(s)
        case .function(let r), .userdata(let r), .other(let r): return r.description
        case .table(let t): return table(t, indent: indent, expandHandle: expandHandle)
        }
    }

    private func table(_ t: LuaTable, indent: Int, expandHandle: Bool) -> String {
        if t.isTruncated || indent > 40 { return "{...}" }  // a cycle, or deeper than anyone reads
        switch t["__scw"].stringValue {
        case "handle": return handle(t, indent: indent, expand: expandHandle)
        case "ref":
            if let known = t["known"].stringValue { return Self.quote(known) }   // a name defaulted to the script name
            return "(known after apply)"
        case "concat", "transform": return "(known after apply)"
        case "secret": return "(sensitive)"
        default: break
        }
        var entries: [(key: String?, value: String)] = t.array.map { (nil, render($0, indent: indent + 2, expandHandle: false)) }
        for key in t.fields.keys.sorted() {
            entries.append((Self.key(key), render(t.fields[key]!, indent: indent + 2, expandHandle: false)))
        }
        let others = t.otherPairs.sorted { Self.keyOrder($0.key, $1.key) }
        entries += others.map { ("[\(render($0.key, indent: indent + 2, expandHandle: false))]", render($0.value, indent: indent + 2, expandHandle: false)) }
        return block(open: "{", entries: entries, indent: indent)
    }

    /// `{ a = 1, b = 2 }` when it fits, else one entry per line.
    private func block(open: String, entries: [(key: String?, value: String)], indent: Int, forceLines: Bool = false) -> String {
        if entries.isEmpty { return open + "}" }
        let items = entries.map { e in e.key.map { "\($0) = \(e.value)" } ?? e.value }
        let inline = open + " " + items.joined(separator: ", ") + " }"
        if !forceLines, !inline.contains("\n"), indent + inline.count <= width { return inline }
        let pad = String(repeating: " ", count: indent + 2)
        let body = items.map { pad + $0 + "," }.joined(separator: "\n")
        return open + "\n" + body + "\n" + String(repeating: " ", count: indent) + "}"
    }

    /// A handle: its type and name, the props as declared, then its outputs (real values once
    /// applied, `(known after apply)` before). Nested handles show as `Type "name"`.
    private func handle(_ t: LuaTable, indent: Int, expand: Bool) -> String {
        let type = t["__type"].stringValue ?? "?"
        let title = "\(type) \(Self.quote(t["__name"].stringValue ?? "?"))"
        guard expand else { return title }
        let schema = schemas[type]
        var lines: [String] = []
        let pad = String(repeating: " ", count: indent + 2)
        let props = t["__props"].tableValue ?? LuaTable()
        for key in props.fields.keys.sorted() {
            let sensitive = schema?.prop(key)?.sensitive ?? false
            let shown = sensitive ? "(sensitive)" : render(props.fields[key]!, indent: indent + 2, expandHandle: false)
            lines.append("\(pad)\(Self.key(key)) = \(shown),")
        }
        let outputs = t["__outputs"].tableValue
        var names = schema?.outputs.map(\.name) ?? []
        for key in outputs?.fields.keys.sorted() ?? [] where !names.contains(key) { names.append(key) }
        if outputs == nil, !names.isEmpty {
            // Before apply: only the names, on as few comment lines as fit.
            var line = pad + "-- known after apply:"
            for (i, name) in names.enumerated() {
                let piece = " " + name + (i < names.count - 1 ? "," : "")
                if line.count + piece.count > width, !line.hasSuffix(":") {
                    lines.append(line)
                    line = pad + "--"
                }
                line += piece
            }
            lines.append(line)
        } else if let outputs, !names.isEmpty {
            lines.append("\(pad)-- outputs")
            for name in names {
                let sensitive = schema?.output(name)?.sensitive ?? false
                let stored = storedOutputs[t["__addr"].stringValue ?? ""]?[name]
                let shown: String
                if sensitive {
                    shown = "(sensitive)"
                } else if let stored, stored.isSensitive {
                    shown = Self.text(stored)
                } else {
                    shown = render(outputs.fields[name] ?? .nil, indent: indent + 2, expandHandle: false)
                }
                lines.append("\(pad)\(Self.key(name)) = \(shown),")
            }
        }
        if lines.isEmpty { return title + " {}" }
        return title + " {\n" + lines.joined(separator: "\n") + "\n" + String(repeating: " ", count: indent) + "}"
    }

    // MARK: pieces

    /// A stored value in Lua syntax on one line, secrets as `(sensitive)`.
    static func text(_ value: Value) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .string(let s): return quote(s)
        case .list(let items): return items.isEmpty ? "{}" : "{ " + items.map(text).joined(separator: ", ") + " }"
        case .map(let m): return m.isEmpty ? "{}" : "{ " + m.keys.sorted().map { "\(key($0)) = \(text(m[$0]!))" }.joined(separator: ", ") + " }"
        case .secret: return "(sensitive)"
        case .unknown, .ref, .concat, .transform: return "(known after apply)"
        }
    }

    /// A number as Lua prints it (`%.14g`, floats keep a `.0`).
    static func number(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let text = String(format: "%.14g", d)
        return text.allSatisfy { $0.isNumber || $0 == "-" } ? text + ".0" : text
    }

    /// A string in Lua syntax: double quotes, escapes for quotes, backslashes and control bytes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\\(scalar.value)" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static let keywords: Set<String> = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                                        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]

    /// True for a name Lua accepts bare as a field key.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) } && !keywords.contains(s)
    }

    private static func key(_ s: String) -> String { isIdentifier(s) ? s : "[\(quote(s))]" }

    /// Numbers first (by value), then everything else by its text.
    private static func keyOrder(_ a: LuaValue, _ b: LuaValue) -> Bool {
        switch (a.doubleValue, b.doubleValue) {
        case let (x?, y?): return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.description < b.description
        }
    }
}

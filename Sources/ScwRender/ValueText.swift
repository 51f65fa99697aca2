// ValueText: how values read in plans and outputs: JSON-like, secrets as (sensitive),
// unknowns as (known after apply).

import ScwCore

public enum ValueText {
    public static func render(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSON.encode(.double(d))
        case .string: return JSON.encode(value)
        case .list(let items): return "[" + items.map(render).joined(separator: ", ") + "]"
        case .map(let m):
            if m.isEmpty { return "{}" }
            return "{ " + m.keys.sorted().map { "\($0) = \(render(m[$0]!))" }.joined(separator: ", ") + " }"
        case .secret: return "(sensitive)"
        case .unknown, .ref, .concat, .transform: return "(known after apply)"
        }
    }

    /// The value on one line when it fits in `width`, else a table or list opened on the first
    /// line, one entry per line (nested values indented by two), closed on the last.
    public static func block(_ value: Value, width: Int = 72) -> [String] {
        let flat = render(value)
        if flat.count <= width { return [flat] }
        switch value {
        case .list(let items) where !items.isEmpty:
            var out = ["["]
            for item in items {
                var lines = block(item, width: width - 2)
                lines[lines.count - 1] += ","
                out += lines.map { "  " + $0 }
            }
            return out + ["]"]
        case .map(let m) where !m.isEmpty:
            var out = ["{"]
            let keyWidth = m.keys.map(\.count).max() ?? 0
            for key in m.keys.sorted() {
                let pad = key + String(repeating: " ", count: keyWidth - key.count)
                let lines = block(m[key]!, width: width - keyWidth - 5)
                out.append("  \(pad) = " + lines[0])
                out += lines.dropFirst().map { "  " + $0 }
            }
            return out + ["}"]
        default:
            return [flat]
        }
    }
}

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
}

// PlanJSON: the same plan as JSON for machines (`scwlua plan --json`). Secrets appear as
// "(sensitive)", unknowns as "(known after apply)".

import ScwCore
import ScwEngine

public enum PlanJSON {
    public static func value(_ plan: Plan) -> Value {
        let changes: [Value] = plan.changes.map { c in
            var m: [String: Value] = [
                "address": .string(c.address.description),
                "type": .string(c.address.type),
                "name": .string(c.address.name),
                "action": .string(c.action.rawValue),
                "changes": .list(c.changes.map { p in
                    var entry: [String: Value] = ["prop": .string(p.name), "forces_replacement": .bool(p.forcesReplacement)]
                    entry["old"] = p.old.map(marker) ?? .null
                    entry["new"] = p.new.map(marker) ?? .null
                    if let reason = p.replacementReason { entry["replacement_reason"] = .string(reason) }
                    if let disruption = p.disruption, c.action == .update { entry["disruption"] = .string(disruption) }
                    return .map(entry)
                }),
            ]
            if let reason = c.reason { m["reason"] = .string(reason) }
            if let from = c.movedFrom { m["moved_from"] = .string(from.description) }
            if let id = c.prior?.id, !id.isEmpty { m["id"] = .string(id) }
            return .map(m)
        }
        return .map([
            "stack": .string(plan.stack),
            "refreshed": .bool(plan.refreshed),
            "changes": .list(changes),
            "outputs": .map(plan.outputs.mapValues(marker)),
            "summary": .map([
                "create": .int(Int64(plan.count(of: .create))),
                "update": .int(Int64(plan.count(of: .update))),
                "disruptive_update": .int(Int64(plan.disruptiveUpdates)),
                "replace": .int(Int64(plan.count(of: .replace, .createThenDelete))),
                "delete": .int(Int64(plan.count(of: .delete))),
                "state_only": .int(Int64(plan.count(of: .forget, .stateOnly))),
                "no_change": .int(Int64(plan.count(of: .noop))),
            ]),
            "errors": .list(plan.errors.map { .string($0.description) }),
        ])
    }

    public static func render(_ plan: Plan) -> String { JSON.encode(value(plan), pretty: true) + "\n" }

    /// Replaces what must not or cannot be shown by its marker string.
    public static func marker(_ v: Value) -> Value {
        switch v {
        case .secret: return .string("(sensitive)")
        case .unknown, .ref, .concat, .transform: return .string("(known after apply)")
        case .list(let a): return .list(a.map(marker))
        case .map(let m): return .map(m.mapValues(marker))
        default: return v
        }
    }
}

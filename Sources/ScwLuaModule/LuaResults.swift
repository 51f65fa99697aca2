// LuaResults: plans, apply results and stack outputs as the Lua tables the stack methods return.

import LuaHost
import ScwCore
import ScwEngine
import ScwRender

enum LuaResults {
    /// `{ changes = { { address, type, name, action, reason }... }, has_changes, errors = {...},
    /// text = rendered plan, summary = "Plan: ..." }`; `changes` leaves out what stays as is.
    static func plan(_ plan: Plan) -> LuaValue {
        .fields([
            "changes": .array(changes(plan)),
            "has_changes": .boolean(plan.hasAnyChange),
            "errors": .array(plan.errors.map { .string($0.description) }),
            "text": .string(PlanText.render(plan)),
            "summary": .string(PlanText.summary(plan)),
        ])
    }

    /// `{ ok, changed, created, updated, replaced, deleted, failed = { { address, action,
    /// error } }, skipped = { address... }, outputs = {...}, text = summary, plan = "..." }`.
    static func apply(plan: Plan, result: ApplyResult?, outputs: [String: Value], destroy: Bool) throws -> LuaValue {
        let verb = destroy ? "Destroy" : "Apply"
        var fields: [String: LuaValue] = [
            "ok": .boolean(result?.succeeded ?? plan.errors.isEmpty),
            "changed": .boolean(result != nil),
            "created": .integer(Int64(result?.count(of: .create) ?? 0)),
            "updated": .integer(Int64(result?.count(of: .update) ?? 0)),
            "replaced": .integer(Int64((result?.count(of: .replace) ?? 0) + (result?.count(of: .createThenDelete) ?? 0))),
            "deleted": .integer(Int64(result?.count(of: .delete) ?? 0)),
            "outputs": lua(.map(outputs)),
            "plan": .string(PlanText.render(plan)),
        ]
        fields["text"] = .string(result.map { ProgressText.summary($0, verb: verb) } ?? "\(verb): no changes.")
        var failed: [LuaValue] = []
        var skipped: [LuaValue] = []
        for (address, outcome) in (result?.outcomes ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch outcome {
            case .failed(let action, let message):
                failed.append(.fields(["address": .string(address.description), "action": .string(action.rawValue),
                                       "error": .string(message)]))
            case .skipped, .cancelled:
                skipped.append(.string(address.description))
            case .done:
                break
            }
        }
        fields["failed"] = .array(failed)
        fields["skipped"] = .array(skipped)
        return .fields(fields)
    }

    private static func changes(_ plan: Plan) -> [LuaValue] {
        plan.changes.filter { $0.action != .noop }.map { change in
            var item: [String: LuaValue] = [
                "address": .string(change.address.description),
                "type": .string(change.address.type),
                "name": .string(change.address.name),
                "action": .string(change.action.rawValue),
            ]
            if let reason = change.reason { item["reason"] = .string(reason) }
            return .fields(item)
        }
    }

    /// A value as the script reads it: secrets revealed (as handles show them to the script
    /// that owns them), unknowns as nil.
    static func lua(_ value: Value) -> LuaValue {
        switch value {
        case .null, .unknown, .ref, .concat, .transform: return .nil
        case .bool(let b): return .boolean(b)
        case .int(let i): return .integer(i)
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .secret(let v): return lua(v)
        case .list(let items): return .array(items.map(lua))
        case .map(let m): return .fields(m.mapValues(lua))
        }
    }
}

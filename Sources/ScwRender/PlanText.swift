// PlanText: a plan for people: one block per resource with its symbol and per-prop
// changes, the stack outputs, and a closing count line.

import ScwCore
import ScwEngine

public enum PlanText {
    public static func render(_ plan: Plan, style: Style = Style(color: false)) -> String {
        var lines: [String] = []
        if !plan.refreshed {
            lines.append("Refresh skipped (--refresh=false): compared with state as last recorded; changes made outside scwlua are not shown.")
            lines.append("")
        }
        let reads = plan.changes.filter { $0.action == .read }
        if !reads.isEmpty {
            lines.append("Read at plan time (never written, never deleted):")
            lines.append("")
            for change in reads { lines.append(contentsOf: block(change, style: style)) }
        }
        let shown = plan.changes.filter { $0.action != .noop && $0.action != .read }
        if shown.isEmpty {
            lines.append("No changes: stack '\(plan.stack)' matches the script.")
        } else {
            lines.append("Stack '\(plan.stack)': scwlua will")
            lines.append("")
            if let targets = plan.targets {
                lines.append(style.dim("  (a partial plan: only \(targets.map(\.description).joined(separator: ", ")) and what goes with them)"))
                lines.append("")
            }
            for change in shown { lines.append(contentsOf: block(change, style: style)) }
        }
        if !plan.outputs.isEmpty {
            lines.append("Outputs:")
            for key in plan.outputs.keys.sorted() { lines.append("  \(key) = \(ValueText.render(plan.outputs[key]!))") }
            lines.append("")
        }
        for error in plan.errors { lines.append(style.red("Error: ") + error.description) }
        lines.append(summary(plan))
        return lines.joined(separator: "\n") + "\n"
    }

    static func block(_ change: PlannedChange, style: Style) -> [String] {
        var lines: [String] = []
        let name = change.movedFrom.map { "\($0) -> \(change.address)" } ?? change.address.description
        var head = "  \(style.action(change.action, change.action.symbol)) \(style.bold(name))"
        if change.movedFrom != nil, change.action == .stateOnly { head += style.dim(" (moved)"); lines.append(head); lines.append(""); return lines }
        head += style.dim(" (\(change.action.verb)\(change.reason.map { ": \($0)" } ?? ""))")
        lines.append(head)
        let width = change.changes.map(\.name.count).max() ?? 0
        for prop in change.changes {
            let name = prop.name + String(repeating: " ", count: max(0, width - prop.name.count))
            var text: String
            if change.action == .create || change.action == .read || prop.old == nil {
                text = ValueText.render(prop.new ?? .null)
            } else {
                text = "\(ValueText.render(prop.old ?? .null)) -> \(ValueText.render(prop.new ?? .null))"
            }
            if prop.forcesReplacement { text += style.red("  # forces replacement" + (prop.replacementReason.map { ": \($0)" } ?? "")) }
            lines.append("      \(name) = \(text)")
        }
        lines.append("")
        return lines
    }

    public static func summary(_ plan: Plan) -> String {
        let create = plan.count(.create)
        let update = plan.count(.update)
        let replace = plan.count(.replace, .createThenDelete)
        let delete = plan.count(.delete)
        var text = "Plan: \(create) to create, \(update) to update, \(replace) to replace, \(delete) to delete"
        let imports = plan.count(.importing)
        if imports > 0 { text += ", \(imports) to import" }
        let other = plan.count(.forget, .stateOnly)
        if other > 0 { text += ", \(other) state-only" }
        return text + "."
    }
}

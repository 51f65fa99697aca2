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
        for error in plan.errors { lines.append(style.red("error: ") + error.description) }
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
            var note = ""
            if prop.forcesReplacement {
                note = style.red("  # forces replacement" + (prop.replacementReason.map { ": \($0)" } ?? ""))
            } else if let disruption = prop.disruption, change.action == .update {
                note = style.yellow("  # " + disruption)
            }
            if change.action != .create, change.action != .read, let old = prop.old, let new = prop.new, NestedDiff.applies(old: old, new: new, lineWidth: 72) {
                // Inside a table or a list of tables: only what changed, one line each.
                let nested = NestedDiff.lines(path: prop.name, old: old, new: new)
                if !nested.isEmpty {
                for (i, line) in nested.enumerated() {
                    lines.append("      " + (line.hasPrefix("#") ? style.dim(line) : line) + (i == 0 ? note : ""))
                }
                continue
                }
            }
            var text: [String]
            if change.action == .create || change.action == .read || prop.old == nil {
                text = ValueText.block(prop.new ?? .null, width: 100)
            } else {
                text = ["\(ValueText.render(prop.old ?? .null)) -> \(ValueText.render(prop.new ?? .null))"]
            }
            text[0] += note
            lines.append("      \(name) = \(text[0])")
            lines += text.dropFirst().map { "      " + $0 }
        }
        lines.append("")
        return lines
    }

    public static func summary(_ plan: Plan) -> String {
        let create = plan.count(of: .create)
        let update = plan.count(of: .update)
        let replace = plan.count(of: .replace, .createThenDelete)
        let delete = plan.count(of: .delete)
        let disruptive = plan.disruptiveUpdates
        var text = "Plan: \(create) to create, \(update) to update\(disruptive > 0 ? " (\(disruptive) disruptive)" : ""), \(replace) to replace, \(delete) to delete"
        let imports = plan.count(of: .importing)
        if imports > 0 { text += ", \(imports) to import" }
        let other = plan.count(of: .forget, .stateOnly)
        if other > 0 { text += ", \(other) state-only" }
        return text + "."
    }
}

// ProgressText: apply events as plain lines, and the closing summary.

import ScwCore
import ScwEngine

public enum ProgressText {
    public static func line(_ event: ApplyEvent, style: Style = Style(color: false)) -> String? {
        switch event {
        case .started(let a, let action):
            return "\(style.action(action, action.symbol)) \(a): \(progressive(action))..."
        case .phase(let a, let phase):
            return "  \(a): \(phase)"
        case .finished(let a, let action, let seconds):
            return "\(style.action(action, action.symbol)) \(a): \(action.pastTense) \(style.dim("(\(format(seconds)))"))"
        case .failed(let a, let action, let error):
            return style.red("✗ \(a): \(action.verb) failed: ") + unprefixed(error.message, a)
        case .skipped(let a, let action, let cause):
            return style.yellow("! \(a): \(action.verb) skipped because \(cause) failed")
        case .note(let text):
            return "  \(text)"
        }
    }

    /// `message` without the address it may already start with, so that a failure reads
    /// `Instance/x: create failed: why`, never `Instance/x: create failed: Instance/x: why`.
    public static func unprefixed(_ message: String, _ address: ResourceAddress) -> String {
        var m = Substring(message)
        let prefix = address.description + ": "
        while m.hasPrefix(prefix) { m = m.dropFirst(prefix.count) }
        return String(m)
    }

    static func progressive(_ action: Action) -> String {
        switch action {
        case .create: return "creating"
        case .update: return "updating"
        case .replace, .createThenDelete: return "replacing"
        case .delete: return "deleting"
        case .forget: return "forgetting"
        case .stateOnly: return "recording"
        case .noop: return "checking"
        case .importing: return "importing"
        case .read: return "reading"
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds < 10 ? String(Int((seconds * 10).rounded())).inserting(".") + "s" : "\(Int(seconds.rounded()))s"
    }

    public static func summary(_ result: ApplyResult, verb: String = "Apply") -> String {
        let created = result.count(of: .create), updated = result.count(of: .update)
        let replaced = result.count(of: .replace) + result.count(of: .createThenDelete)
        let deleted = result.count(of: .delete)
        var text = "\(created) created, \(updated) updated, \(replaced) replaced, \(deleted) deleted"
        let forgotten = result.count(of: .forget)
        if forgotten > 0 { text += ", \(forgotten) forgotten" }
        if result.succeeded { return "\(verb) complete: \(text)." }
        var parts = ["\(verb) failed: \(text)"]
        if !result.failed.isEmpty { parts.append("\(result.failed.count) failed (\(result.failed.map(\.description).joined(separator: ", ")))") }
        if !result.skipped.isEmpty { parts.append("\(result.skipped.count) skipped (\(result.skipped.map(\.description).joined(separator: ", ")))") }
        if !result.cancelled.isEmpty { parts.append("\(result.cancelled.count) not started: cancelled (\(result.cancelled.map(\.description).joined(separator: ", ")))") }
        return parts.joined(separator: "; ") + "."
    }

    public static func outputs(_ outputs: [String: Value]) -> String {
        guard !outputs.isEmpty else { return "" }
        var lines = ["Outputs:"]
        for key in outputs.keys.sorted() { lines.append("  \(key) = \(ValueText.render(outputs[key]!))") }
        return lines.joined(separator: "\n") + "\n"
    }
}

private extension String {
    /// "12" → "1.2", "3" → "0.3": a tenth-of-a-second count as text.
    func inserting(_ dot: Character) -> String {
        let padded = count < 2 ? String(repeating: "0", count: 2 - count) + self : self
        var s = padded
        s.insert(dot, at: s.index(before: s.endIndex))
        return s
    }
}

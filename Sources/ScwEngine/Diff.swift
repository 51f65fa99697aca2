// Diff: compares what the script wants with what exists, prop by prop, using the schema to
// say which changes update in place and which force a replacement.

import ScwCore

public enum Diff {
    /// Changes from `old` to `new` for the props of `schema`. A prop the script leaves unset
    /// (nil in `new`) is not a change: the cloud keeps whatever it chose.
    /// `replacement` decides, for an in-place prop whose known value changes, whether this
    /// particular change needs a replacement after all (see
    /// ``ResourceProvider/replacementReason(prop:old:new:inputs:)``).
    public static func changes(schema: ResourceSchema, old: [String: Value], new: [String: Value],
                               ignoring ignored: [String] = [],
                               replacement: (String, Value, Value) -> String? = { _, _, _ in nil }) -> [PropChange] {
        var out: [PropChange] = []
        for prop in schema.props where !ignored.contains(prop.name) {
            guard let newValue = new[prop.name] else { continue }
            let oldValue = old[prop.name]
            if let oldValue, same(oldValue, newValue) { continue }
            if oldValue == nil, newValue == .null { continue }
            var change = PropChange(name: prop.name, old: oldValue, new: newValue, forcesReplacement: prop.change == .replace,
                                    disruption: oldValue == nil ? nil : prop.disruption)
            if !change.forcesReplacement, let oldValue, oldValue != .null, !oldValue.containsUnknown, !newValue.containsUnknown,
               let reason = replacement(prop.name, oldValue, newValue) {
                change.forcesReplacement = true
                change.replacementReason = reason
            }
            out.append(change)
        }
        return out
    }

    /// Equality that looks through `secret` and treats unknown as different from anything.
    public static func same(_ a: Value, _ b: Value) -> Bool {
        if a.containsUnknown || b.containsUnknown { return false }
        return a.revealed == b.revealed
    }

    /// Every prop set on a new resource, as changes from nothing.
    public static func creation(schema: ResourceSchema, inputs: [String: Value]) -> [PropChange] {
        schema.props.compactMap { prop in
            guard let v = inputs[prop.name], v != .null else { return nil }
            return PropChange(name: prop.name, old: nil, new: v, forcesReplacement: false)
        }
    }
}

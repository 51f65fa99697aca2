// RangeCheck: every integer or number prop within its schema range (and within what the
// engine can compute with at all), nested tables and lists included. Values not yet known
// are skipped; secrets are checked without showing their value.

public enum RangeCheck {
    /// Bounds for a numeric prop that declares no range: wide, but far from overflow when a
    /// provider scales it (GB to bytes is ×10⁹).
    public static let defaultRange: ClosedRange<Int64> = -1_000_000_000 ... 1_000_000_000

    /// The first out-of-range value of `props`, as a message naming its path; nil when all fit.
    public static func firstProblem(_ props: [String: Value], specs: [PropSpec]) -> String? {
        for spec in specs {
            guard let value = props[spec.name] else { continue }
            if let problem = check(value, kind: spec.kind, range: spec.range, path: spec.name) { return problem }
        }
        return nil
    }

    private static func check(_ value: Value, kind: PropKind, range: ClosedRange<Int64>?, path: String) -> String? {
        var sensitive = false
        var plain = value
        while case .secret(let inner) = plain { plain = inner; sensitive = true }
        switch kind {
        case .int, .number:
            let bounds = range ?? defaultRange
            let shown: (String) -> String = { sensitive ? "(sensitive value)" : $0 }
            switch plain {
            case .int(let i) where !bounds.contains(i):
                return "'\(path)' is \(shown(String(i))), out of range: \(bounds.lowerBound)...\(bounds.upperBound)"
            case .double(let d) where !d.isFinite || d < Double(bounds.lowerBound) || d > Double(bounds.upperBound):
                return "'\(path)' is \(shown(String(d))), out of range: \(bounds.lowerBound)...\(bounds.upperBound)"
            default:
                return nil
            }
        case .list(let inner):
            guard case .list(let items) = plain else { return nil }
            for (i, item) in items.enumerated() {
                if let p = check(item, kind: inner, range: range, path: "\(path)[\(i + 1)]") { return p }
            }
            return nil
        case .map(let inner):
            guard case .map(let m) = plain else { return nil }
            for key in m.keys.sorted() {
                if let p = check(m[key]!, kind: inner, range: range, path: "\(path).\(key)") { return p }
            }
            return nil
        case .object(let fields):
            guard case .map(let m) = plain else { return nil }
            for field in fields {
                guard let v = m[field.name] else { continue }
                if let p = check(v, kind: field.kind, range: field.range, path: "\(path).\(field.name)") { return p }
            }
            return nil
        default:
            return nil
        }
    }
}

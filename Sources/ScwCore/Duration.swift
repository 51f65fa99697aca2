// Duration parsing for `timeouts`: "20m", "1h30m", "45s", "500ms", or a number of seconds.

public enum DurationText {
    /// The longest duration accepted (30 days): longer waits are typos, and bounding them keeps
    /// every later computation (deadlines in milliseconds) far from overflow.
    public static let maximum: Double = 30 * 86_400

    /// Seconds, or nil when the text is not a duration of at most ``maximum``.
    public static func seconds(_ text: String) -> Double? {
        guard let total = parse(text), total.isFinite, total >= 0, total <= maximum else { return nil }
        return total
    }

    private static func parse(_ text: String) -> Double? {
        if let n = Double(text), n >= 0 { return n }
        var total = 0.0
        var number = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let n = Double(number) else { return false }
            switch unit {
            case "ms": total += n / 1000
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3600
            default: return false
            }
            number = ""; unit = ""; sawAny = true
            return true
        }
        for ch in text {
            if ch.isNumber || ch == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(ch)
            } else if ch.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(ch)
            } else {
                return nil
            }
        }
        if !number.isEmpty || !unit.isEmpty { guard flush() else { return nil } }
        return sawAny ? total : nil
    }
}

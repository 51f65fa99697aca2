// Duration parsing for `timeouts`: "20m", "1h30m", "45s", "500ms", or a number of seconds.

public enum DurationText {
    /// Seconds, or nil when the text is not a duration.
    public static func seconds(_ text: String) -> Double? {
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

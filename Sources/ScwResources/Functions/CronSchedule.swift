// CronSchedule: five-field cron syntax (minute hour day-of-month month day-of-week), each
// field `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those,
// checked against the field's bounds before any write.

enum CronSchedule {
    private static let fields: [(name: String, range: ClosedRange<Int>)] = [
        ("minute", 0...59), ("hour", 0...23), ("day of month", 1...31), ("month", 1...12), ("day of week", 0...7),
    ]

    /// nil when `schedule` is valid, else what is wrong.
    static func problem(_ schedule: String) -> String? {
        let parts = schedule.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 5 else {
            return "\"\(schedule)\" has \(parts.count) field(s); cron needs 5 (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\""
        }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                if let problem = itemProblem(item, field.range) { return "\(field.name) field \"\(part)\": \(problem)" }
            }
        }
        return nil
    }

    private static func itemProblem(_ item: String, _ range: ClosedRange<Int>) -> String? {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count <= 2 else { return "more than one '/'" }
        if pieces.count == 2 {
            guard let step = Int(pieces[1]), step >= 1 else { return "step \"\(pieces[1])\" must be a positive number" }
            _ = step
        }
        let base = pieces[0]
        if base == "*" { return nil }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count <= 2, let low = Int(bounds[0]) else { return "\"\(base)\" is not a number, a range or *" }
        guard range.contains(low) else { return "\(low) is outside \(range.lowerBound)-\(range.upperBound)" }
        if bounds.count == 2 {
            guard let high = Int(bounds[1]), range.contains(high), high >= low else {
                return "range \"\(base)\" must go up within \(range.lowerBound)-\(range.upperBound)"
            }
        }
        return nil
    }
}

// S3Time: the time formats of SigV4 and S3 (`20250205T134416Z`, ISO 8601, RFC 1123 `Date`
// headers), to and from seconds since 1970, in UTC, without Foundation formatters.

/// UTC time formatting and parsing for S3.
public enum S3Time {
    /// `YYYYMMDDTHHMMSSZ` (the `x-amz-date` format) for whole seconds since 1970.
    public static func amzDate(epochSeconds: Int64) -> String {
        let days = floorDiv(epochSeconds, 86_400)
        let secs = epochSeconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        return pad(y, 4) + pad(m, 2) + pad(d, 2) + "T" + pad(secs / 3600, 2) + pad(secs / 60 % 60, 2) + pad(secs % 60, 2) + "Z"
    }

    /// Seconds since 1970 for `20250205T134416Z`, `2025-02-05T13:44:16.000Z` (ISO 8601, UTC or
    /// with an offset) or `Wed, 05 Feb 2025 13:44:16 GMT` (RFC 1123); nil for anything else.
    public static func parse(_ text: String) -> Double? {
        let s = text.trimmingSpaces
        if s.contains(",") { return parseRFC1123(s) }
        let digits = s.filter(\.isNumber)
        if !s.contains("-"), s.count == 16, digits.count == 14 {   // 20250205T134416Z
            let d = Array(digits)
            return epoch(int(d[0..<4]), int(d[4..<6]), int(d[6..<8]), int(d[8..<10]), int(d[10..<12]), int(d[12..<14]).map(Double.init))
        }
        return parseISO8601(s)
    }

    private static func parseISO8601(_ s: String) -> Double? {
        let chars = Array(s)
        guard chars.count >= 19, chars[4] == "-", chars[7] == "-", chars[10] == "T" || chars[10] == " ",
              chars[13] == ":", chars[16] == ":" else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(chars[r])) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
              let sec = num(17..<19) else { return nil }
        var i = 19
        var fraction = 0.0
        if i < chars.count, chars[i] == "." {
            var j = i + 1
            while j < chars.count, chars[j].isNumber { j += 1 }
            fraction = Double("0" + String(chars[i..<j])) ?? 0
            i = j
        }
        var offset = 0
        if i < chars.count, chars[i] == "+" || chars[i] == "-" {
            let sign = chars[i] == "-" ? -1 : 1
            let rest = String(chars[(i + 1)...]).filter(\.isNumber)
            guard rest.count == 4, let hh = Int(rest.prefix(2)), let mm = Int(rest.suffix(2)) else { return nil }
            offset = sign * (hh * 3600 + mm * 60)
        } else if i < chars.count, chars[i] != "Z" {
            return nil
        }
        guard let t = epoch(y, mo, d, h, mi, Double(sec) + fraction) else { return nil }
        return t - Double(offset)
    }

    private static func parseRFC1123(_ s: String) -> Double? {
        let parts = s.split(separator: " ").map(String.init)   // Wed, 05 Feb 2025 13:44:16 GMT
        guard parts.count >= 5, let d = Int(parts[1]), let y = Int(parts[3]) else { return nil }
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        guard let m = months.firstIndex(of: parts[2].lowercased()) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        return epoch(y, m + 1, d, hms[0], hms[1], Double(hms[2]))
    }

    private static func epoch(_ y: Int?, _ m: Int?, _ d: Int?, _ h: Int?, _ mi: Int?, _ s: Double?) -> Double? {
        guard let y, let m, let d, let h, let mi, let s, (1...12).contains(m), (1...31).contains(d), (0...23).contains(h),
              (0...59).contains(mi), s >= 0, s < 61 else { return nil }
        return Double(days(fromCivil: Int64(y), Int64(m), Int64(d)) * 86_400 + Int64(h * 3600 + mi * 60)) + s
    }

    private static func int(_ chars: ArraySlice<Character>) -> Int? { Int(String(chars)) }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

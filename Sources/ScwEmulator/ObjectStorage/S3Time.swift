// S3Time: the time formats of S3: `20250205T134416Z` (x-amz-date, read), `2025-02-05T13:44:16.000Z`
// (XML LastModified) and `Wed, 05 Feb 2025 13:44:16 GMT` (Last-Modified header).

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum S3Time {
    /// `yyyyMMddTHHmmssZ` → seconds since 1970; nil when malformed.
    static func parseAmzDate(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard b.count == 16, b[8] == UInt8(ascii: "T"), b[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for c in b[from..<from + count] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = number(0, 4), let month = number(4, 2), let day = number(6, 2),
              let hour = number(9, 2), let minute = number(11, 2), let second = number(13, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts))
    }

    /// The `yyyyMMddTHHmmssZ` form of a time (for messages and tests).
    static func amzDate(_ seconds: Int) -> String {
        let p = parts(seconds)
        return "\(pad(p.year, 4))\(pad(p.month, 2))\(pad(p.day, 2))T\(pad(p.hour, 2))\(pad(p.minute, 2))\(pad(p.second, 2))Z"
    }

    /// `2025-02-05T13:44:16.000Z` from milliseconds since 1970.
    static func iso(milliseconds ms: Int) -> String {
        let p = parts(ms / 1000)
        return "\(pad(p.year, 4))-\(pad(p.month, 2))-\(pad(p.day, 2))T\(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)).\(pad(ms % 1000, 3))Z"
    }

    /// `Wed, 05 Feb 2025 13:44:16 GMT` from milliseconds since 1970.
    static func http(milliseconds ms: Int) -> String {
        let p = parts(ms / 1000)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[p.weekday]), \(pad(p.day, 2)) \(months[p.month - 1]) \(pad(p.year, 4)) \(pad(p.hour, 2)):\(pad(p.minute, 2)):\(pad(p.second, 2)) GMT"
    }

    static func nowMilliseconds() -> Int { Int(Date().timeIntervalSince1970 * 1000) }

    private static func parts(_ seconds: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        var t = time_t(seconds)
        var p = tm()
        gmtime_r(&t, &p)
        return (Int(p.tm_year) + 1900, Int(p.tm_mon) + 1, Int(p.tm_mday), Int(p.tm_hour), Int(p.tm_min), Int(p.tm_sec), Int(p.tm_wday))
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

// Clock: timestamps in the API's two formats, lowercase v4 UUIDs, generated resource names,
// and the `speed` scaling of transient-state durations.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Clock {
    /// `2026-06-24T12:52:02.924774Z` (all JSON APIs but Instance).
    static func timestamp(_ date: Date = Date()) -> String {
        format(date, suffix: "Z")
    }

    /// `2026-07-30T12:55:26.540666+00:00` (Instance API).
    static func instanceTimestamp(_ date: Date = Date()) -> String {
        format(date, suffix: "+00:00")
    }

    private static func format(_ date: Date, suffix: String) -> String {
        let t = date.timeIntervalSince1970
        var seconds = time_t(t.rounded(.down))
        var micros = Int(((t - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 { seconds += 1; micros -= 1_000_000 }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(micros, 6))\(suffix)"
    }

    /// A random (v4) UUID, lowercase as the API returns them.
    static func uuid() -> String { UUID().uuidString.lowercased() }

    static func isUUID(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count == 36 else { return false }
        for (i, c) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if c != UInt8(ascii: "-") { return false }
            } else if !((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)) {
                return false
            }
        }
        return true
    }

    private static let adjectives = ["brave", "calm", "clever", "eager", "fervent", "gallant", "happy", "keen",
                                     "lucid", "nifty", "quirky", "serene", "sharp", "stoic", "trusting", "vibrant"]
    private static let surnames = ["babbage", "curie", "dijkstra", "easley", "hopper", "kare", "knuth", "lamport",
                                   "liskov", "lovelace", "mirzakhani", "noether", "ritchie", "turing", "wiles", "wozniak"]

    /// A name like `pn-clever-easley`, for resources created without one.
    static func generatedName(prefix: String) -> String {
        "\(prefix)-\(adjectives.randomElement()!)-\(surnames.randomElement()!)"
    }

    /// How long a transient state lasts at a given emulator speed (speed 2 = twice as fast).
    static func scaled(seconds: Double, speed: Double) -> Double {
        speed > 0 ? seconds / speed : 0
    }
}

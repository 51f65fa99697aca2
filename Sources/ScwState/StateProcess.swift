// StateProcess: facts about this process that locks need (host name, pid, user, liveness of
// another pid) and the RFC 3339 clock used for timestamps in state.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScwEngine

public enum StateProcess {
    /// This machine's host name, as stored in a lock row (`gethostname`).
    public static var hostName: String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    public static var pid: Int32 { getpid() }

    /// The user running this process: `$USER`, else the passwd entry, else the numeric uid.
    public static var userName: String {
        if let u = getenv("USER"), let s = String(validatingCString: u), !s.isEmpty { return s }
        if let pw = getpwuid(geteuid()), let n = pw.pointee.pw_name, let s = String(validatingCString: n) { return s }
        return String(geteuid())
    }

    /// True when a process with this pid exists on this host. A pid we may not signal (EPERM)
    /// exists too. Only ESRCH means gone, and a zombie (killed, not yet reaped by its parent)
    /// is gone as well. Non-positive pids are never alive (kill(0, …) would address our own
    /// process group).
    public static func isAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) == 0 { return !isZombie(pid: pid) }
        return errno != ESRCH
    }

    /// Linux: the state letter of /proc/PID/stat (after the parenthesised name) is `Z`.
    static func isZombie(pid: Int32) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return false }
        return text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).first == "Z"
    }

    /// The lock description for this process running `command`.
    public static func currentLockInfo(command: String) -> LockInfo {
        let host = hostName
        return LockInfo(holder: "\(userName)@\(host)", pid: pid, host: host, command: command, acquiredAt: now())
    }

    /// The current UTC time in RFC 3339, to the second: `2026-01-31T12:00:00Z`.
    public static func now() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }
}

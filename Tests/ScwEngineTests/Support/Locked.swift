// Locked, Journal, CrashSwitch: small thread-safe holders shared by the test doubles.

import Foundation

/// A value behind a lock, safe to touch from the engine's concurrent tasks.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()

    init(_ value: T) { self.value = value }

    func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var get: T { withLock { $0 } }
}

/// One ordered log shared by the fake cloud and the memory store, so tests can check that
/// state was written before (or after) a cloud call: "put Net/a creating" < "create Net/a".
final class Journal: Sendable {
    private let entries = Locked<[String]>([])

    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.get }
    /// Forgets what happened so far (between two deploys of a test).
    func clear() { entries.withLock { $0 = [] } }

    /// Index of the first entry equal to `entry`.
    func index(of entry: String) -> Int? { all.firstIndex(of: entry) }

    /// True when both entries are present and `a` comes first.
    func ordered(_ a: String, before b: String) -> Bool {
        guard let i = index(of: a), let j = index(of: b) else { return false }
        return i < j
    }
}

/// Simulates killing the process at a chosen instant. Every state write and every cloud write
/// is one instant; once the budget is spent the process is "dead": later writes never happen
/// (they throw, so the engine stops too). A disarmed switch lets everything through.
final class CrashSwitch: Sendable {
    private struct Contents {
        var budget: Int?
        var used = 0
    }
    private let contents = Locked(Contents())

    /// Let `instants` more writes happen, then die.
    func arm(after instants: Int) { contents.withLock { $0.budget = instants; $0.used = 0 } }
    func disarm() { contents.withLock { $0.budget = nil; $0.used = 0 } }
    /// Writes seen since the last arm or disarm.
    var used: Int { contents.withLock { $0.used } }

    /// True when the write may happen.
    func consume() -> Bool {
        contents.withLock { c in
            if let b = c.budget {
                if b == 0 { return false }
                c.budget = b - 1
            }
            c.used += 1
            return true
        }
    }
}

struct KilledError: Error, CustomStringConvertible {
    var description: String { "process killed" }
}

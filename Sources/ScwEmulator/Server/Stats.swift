// Stats: counters of API requests (control requests excluded): reads, writes, per method,
// the highest number handled at the same moment, and faults injected.

import Foundation

final class Stats: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var reads = 0
    private var writes = 0
    private var byMethod: [String: Int] = [:]
    private var inFlight = 0
    private var maxInFlight = 0
    private var faults = 0

    static func isWrite(_ method: String) -> Bool {
        ["POST", "PATCH", "PUT", "DELETE"].contains(method)
    }

    /// Call when an API request starts being handled; pair with `end()`.
    func begin(method: String) {
        lock.lock(); defer { lock.unlock() }
        requests += 1
        if Stats.isWrite(method) { writes += 1 } else { reads += 1 }
        byMethod[method, default: 0] += 1
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        inFlight -= 1
    }

    func faultInjected() {
        lock.lock(); defer { lock.unlock() }
        faults += 1
    }

    /// Zeroes the counters; requests still in flight stay counted as in flight.
    func reset() {
        lock.lock(); defer { lock.unlock() }
        requests = 0
        reads = 0
        writes = 0
        byMethod = [:]
        maxInFlight = inFlight
        faults = 0
    }

    var json: JSONValue {
        lock.lock(); defer { lock.unlock() }
        return .object([
            "requests": .int(requests), "reads": .int(reads), "writes": .int(writes),
            "by_method": .object(byMethod.mapValues { .int($0) }),
            "in_flight": .int(inFlight), "max_in_flight": .int(maxInFlight), "faults_injected": .int(faults),
        ])
    }
}

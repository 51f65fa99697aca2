// Kapsule timelines: the steps a cluster (creating → ready, updating, deleting → gone) and a
// pool (scaling one node at a time, upgrading, deleting → gone) go through, each lasting a
// moment / speed; and the store wrapper that settles due steps before any read or write and
// on a timer (so a deleted cluster leaves `/__emulator/resources` on time).

import Foundation

enum K8sStatus {
    static let creating = "creating"
    static let ready = "ready"
    static let poolRequired = "pool_required"
    static let updating = "updating"
    static let deleting = "deleting"
    static let scaling = "scaling"
    static let upgrading = "upgrading"
    /// Pseudo-status: the record is removed when this step is reached.
    static let gone = "gone"
}

/// One step to come: the status to take and, for pools, the node count and version to reach.
struct K8sStep {
    var status: String
    var seconds: Double
    var nodes: Int? = nil
    var version: String? = nil
}

enum K8sTimeline {
    /// Seconds at speed 1.
    static let clusterCreateSeconds = 3.0
    static let clusterUpdateSeconds = 1.0
    static let clusterUpgradeSeconds = 2.0
    static let deleteSeconds = 2.0
    static let nodeSeconds = 1.0
    static let poolUpgradeSeconds = 2.0

    static func status(_ record: Record) -> String { record.body["status"]?.stringValue ?? K8sStatus.ready }

    /// Puts `record` in `status` now, then through `steps`.
    static func begin(_ record: inout Record, _ status: String, then steps: [K8sStep], now: Double, speed: Double) {
        record.body["status"] = .string(status)
        record.body["updated_at"] = .string(Clock.timestamp())
        var at = now
        var queue: [JSONValue] = []
        for step in steps {
            at += Clock.scaled(seconds: step.seconds, speed: speed)
            var entry: [String: JSONValue] = ["status": .string(step.status), "at": .double(at)]
            if let n = step.nodes { entry["nodes"] = .int(n) }
            if let v = step.version { entry["version"] = .string(v) }
            queue.append(.object(entry))
        }
        record.meta["next"] = .array(queue)
    }

    static func isBusy(_ record: Record) -> Bool { !(record.meta["next"]?.arrayValue?.isEmpty ?? true) }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    static func nextDue(_ state: CloudState) -> Double? {
        (state.list(K8sService.clusterKind) + state.list(K8sService.poolKind))
            .compactMap { $0.meta["next"]?.arrayValue?.first.flatMap { number($0["at"]) } }.min()
    }

    /// Applies every step due at `now`, clusters first (a cluster gone takes its pools).
    static func settle(_ state: inout CloudState, now: Double) {
        for kind in [K8sService.clusterKind, K8sService.poolKind] {
            for var record in state.list(kind) {
                guard var queue = record.meta["next"]?.arrayValue, !queue.isEmpty else { continue }
                var changed = false
                var removed = false
                while let first = queue.first, let at = number(first["at"]), at <= now, let status = first["status"]?.stringValue {
                    queue.removeFirst()
                    changed = true
                    if status == K8sStatus.gone {
                        if kind == K8sService.clusterKind { K8sService.removeCluster(record.id, in: &state) } else { K8sService.removePool(record, in: &state) }
                        removed = true
                        break
                    }
                    record.body["status"] = .string(status)
                    record.body["updated_at"] = .string(Clock.timestamp())
                    if let version = first["version"]?.stringValue { record.body["version"] = .string(version) }
                    if kind == K8sService.poolKind {
                        if let count = first["nodes"]?.intValue { K8sNodes.resize(&record, to: count, in: &state) }
                        if status == K8sStatus.ready { K8sNodes.markAll(&record, status: K8sStatus.ready) }
                    }
                }
                guard changed, !removed, state.get(kind, record.id) != nil else { continue }
                record.meta["next"] = .array(queue)
                state.put(record)
            }
        }
    }
}

/// The store as the Kapsule API sees it: due steps completed before any read or write, and a
/// timer that completes them on time even when no request comes.
struct K8sStore: Sendable {
    let store: Store

    static func now() -> Double { Date().timeIntervalSince1970 }

    func read<T>(_ body: (CloudState) throws -> T) throws -> T {
        try settleIfDue()
        return try store.read(body)
    }

    func write<T>(_ body: (inout CloudState, Double) throws -> T) throws -> T {
        let now = K8sStore.now()
        let result = try store.write { state -> T in
            K8sTimeline.settle(&state, now: now)
            return try body(&state, now)
        }
        scheduleNext()
        return result
    }

    private func settleIfDue() throws {
        let now = K8sStore.now()
        guard store.read({ K8sTimeline.nextDue($0).map { $0 <= now } ?? false }) else { return }
        try store.write { K8sTimeline.settle(&$0, now: now) }
    }

    /// Arms a timer for the earliest pending step (holding the store weakly).
    func scheduleNext() {
        guard let due = store.read({ K8sTimeline.nextDue($0) }) else { return }
        let delay = max(0, due - K8sStore.now()) + 0.002
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak store] in
            guard let store else { return }
            let again = K8sStore(store: store)
            guard (try? again.settleIfDue()) != nil else { return }
            again.scheduleNext()
        }
    }
}

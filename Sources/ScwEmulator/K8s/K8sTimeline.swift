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

enum K8sTimeline: StatusTimeline {
    /// Seconds at speed 1.
    static let clusterCreateSeconds = 3.0
    static let clusterUpdateSeconds = 1.0
    static let clusterUpgradeSeconds = 2.0
    static let deleteSeconds = 2.0
    static let nodeSeconds = 1.0
    static let poolUpgradeSeconds = 2.0

    static func status(_ record: Record) -> String { record.body["status"]?.stringValue ?? K8sStatus.ready }

    static let queue = StepQueue(key: "next")

    /// Puts `record` in `status` now, then through `steps`.
    static func begin(_ record: inout Record, _ status: String, then steps: [K8sStep], now: Double, speed: Double) {
        record.body["updated_at"] = .string(Clock.timestamp())
        queue.begin(&record, status: status, then: steps.map { step in
            var fields: [String: JSONValue] = ["status": .string(step.status)]
            if let n = step.nodes { fields["nodes"] = .int(n) }
            if let v = step.version { fields["version"] = .string(v) }
            return (step.seconds, fields)
        }, now: now, speed: speed)
    }

    static func isBusy(_ record: Record) -> Bool { queue.isBusy(record) }

    static func nextDue(_ state: CloudState) -> Double? {
        queue.nextDue(state, kinds: [K8sService.clusterKind, K8sService.poolKind])
    }

    /// Applies every step due at `now`, clusters first (a cluster gone takes its pools).
    static func settle(_ state: inout CloudState, now: Double) {
        queue.settle(&state, kinds: [K8sService.clusterKind, K8sService.poolKind], now: now) { record, step, _, state in
            guard let status = step["status"]?.stringValue else { return .blocked }
            if status == K8sStatus.gone {
                if record.kind == K8sService.clusterKind { K8sService.removeCluster(record.id, in: &state) } else { K8sService.removePool(record, in: &state) }
                return .removed
            }
            record.body["status"] = .string(status)
            record.body["updated_at"] = .string(Clock.timestamp())
            if let version = step["version"]?.stringValue { record.body["version"] = .string(version) }
            if record.kind == K8sService.poolKind {
                if let count = step["nodes"]?.intValue { K8sNodes.resize(&record, to: count, in: &state) }
                if status == K8sStatus.ready { K8sNodes.markAll(&record, status: K8sStatus.ready) }
            }
            return .applied
        }
    }
}

/// The store as the Kapsule API sees it (steps settled before any read or write, and on time).
typealias K8sStore = TimelineStore<K8sTimeline>

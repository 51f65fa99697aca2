// RDB instance statuses: the timeline an instance goes through (provisioning → initializing →
// ready on create, configuring after an upgrade or a settings change, deleting → gone), each
// step lasting a few seconds / speed, and the store wrapper that settles due steps before any
// read or write and on a timer (so a deleted instance leaves `/__emulator/resources` on time).

import Foundation

enum RDBStatus {
    static let ready = "ready"
    static let provisioning = "provisioning"
    static let initializing = "initializing"
    static let configuring = "configuring"
    static let deleting = "deleting"
    /// Pseudo-status: the instance is removed when this step is reached.
    static let gone = "gone"
    /// Statuses that end a wait with a failure (never entered by the emulator on its own).
    static let failures: Set<String> = ["error", "locked", "disk_full"]
}

enum RDBStateMachine: StatusTimeline {
    /// Seconds each step lasts at speed 1.
    static let provisioningSeconds = 3.0
    static let initializingSeconds = 2.0
    static let configuringSeconds = 2.0
    static let deletingSeconds = 2.0
    /// A database, user, privilege or ACL change.
    static let childChangeSeconds = 0.5

    static func status(_ instance: Record) -> String { instance.body["status"]?.stringValue ?? RDBStatus.ready }

    static let queue = StepQueue(key: "next")

    /// Puts `instance` in `status` now, then through `steps` (status, seconds at speed 1).
    static func begin(_ instance: inout Record, _ status: String, then steps: [(String, Double)], now: Double, speed: Double) {
        queue.begin(&instance, status: status, then: steps.map { ($0.1, ["status": .string($0.0)]) }, now: now, speed: speed)
    }

    static func nextDue(_ state: CloudState) -> Double? {
        queue.nextDue(state, kinds: [RDBService.instanceKind])
    }

    /// Applies every step due at `now`: the status changes, `ready` the first time fills the
    /// endpoints and settings, `gone` removes the instance.
    static func settle(_ state: inout CloudState, now: Double) {
        queue.settle(&state, kinds: [RDBService.instanceKind], now: now) { instance, step, _, state in
            guard let status = step["status"]?.stringValue else { return .blocked }
            if status == RDBStatus.gone {
                state.remove(RDBService.instanceKind, instance.id)
                IPAMService.release(nicID: instance.id, in: &state)
                return .removed
            }
            instance.body["status"] = .string(status)
            if status == RDBStatus.ready, instance.meta["initialized"] == nil {
                instance.meta["initialized"] = .bool(true)
                RDBService.finishProvisioning(&instance)
            }
            return .applied
        }
    }
}

/// The store as the RDB API sees it (steps settled before any read or write, and on time).
typealias RDBStore = TimelineStore<RDBStateMachine>

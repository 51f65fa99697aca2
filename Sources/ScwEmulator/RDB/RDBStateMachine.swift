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

enum RDBStateMachine {
    /// Seconds each step lasts at speed 1.
    static let provisioningSeconds = 3.0
    static let initializingSeconds = 2.0
    static let configuringSeconds = 2.0
    static let deletingSeconds = 2.0
    /// A database, user, privilege or ACL change.
    static let childChangeSeconds = 0.5

    static func status(_ instance: Record) -> String { instance.body["status"]?.stringValue ?? RDBStatus.ready }

    /// Puts `instance` in `status` now, then through `steps` (status, seconds at speed 1).
    static func begin(_ instance: inout Record, _ status: String, then steps: [(String, Double)], now: Double, speed: Double) {
        instance.body["status"] = .string(status)
        var at = now
        var queue: [JSONValue] = []
        for (next, seconds) in steps {
            at += Clock.scaled(seconds: seconds, speed: speed)
            queue.append(.object(["status": .string(next), "at": .double(at)]))
        }
        instance.meta["next"] = .array(queue)
    }

    static func nextDue(_ instance: Record) -> Double? {
        instance.meta["next"]?.arrayValue?.first.flatMap { number($0["at"]) }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    static func nextDue(_ state: CloudState) -> Double? {
        state.list(RDBService.instanceKind).compactMap(nextDue).min()
    }

    /// Applies every step due at `now`: the status changes, `ready` the first time fills the
    /// endpoints and settings, `gone` removes the instance.
    static func settle(_ state: inout CloudState, now: Double) {
        for var instance in state.list(RDBService.instanceKind) {
            guard var queue = instance.meta["next"]?.arrayValue, !queue.isEmpty else { continue }
            var changed = false
            while let first = queue.first, let at = number(first["at"]), at <= now, let status = first["status"]?.stringValue {
                queue.removeFirst()
                changed = true
                if status == RDBStatus.gone {
                    state.remove(RDBService.instanceKind, instance.id)
                    IPAMService.release(nicID: instance.id, in: &state)
                    break
                }
                instance.body["status"] = .string(status)
                if status == RDBStatus.ready, instance.meta["initialized"] == nil {
                    instance.meta["initialized"] = .bool(true)
                    RDBService.finishProvisioning(&instance)
                }
            }
            guard changed, state.get(RDBService.instanceKind, instance.id) != nil else { continue }
            instance.meta["next"] = .array(queue)
            state.put(instance)
        }
    }
}

/// The store as the RDB API sees it: due steps completed before any read or write, and a timer
/// that completes them on time even when no request comes.
struct RDBStore: Sendable {
    let store: Store

    static func now() -> Double { Date().timeIntervalSince1970 }

    func read<T>(_ body: (CloudState) throws -> T) throws -> T {
        try settleIfDue()
        return try store.read(body)
    }

    func write<T>(_ body: (inout CloudState, Double) throws -> T) throws -> T {
        let now = RDBStore.now()
        let result = try store.write { state -> T in
            RDBStateMachine.settle(&state, now: now)
            return try body(&state, now)
        }
        scheduleNext()
        return result
    }

    private func settleIfDue() throws {
        let now = RDBStore.now()
        guard store.read({ RDBStateMachine.nextDue($0).map { $0 <= now } ?? false }) else { return }
        try store.write { RDBStateMachine.settle(&$0, now: now) }
    }

    /// Arms a timer for the earliest pending step (holding the store weakly).
    func scheduleNext() {
        guard let due = store.read({ RDBStateMachine.nextDue($0) }) else { return }
        let delay = max(0, due - RDBStore.now()) + 0.002
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak store] in
            guard let store else { return }
            let again = RDBStore(store: store)
            guard (try? again.settleIfDue()) != nil else { return }
            again.scheduleNext()
        }
    }
}

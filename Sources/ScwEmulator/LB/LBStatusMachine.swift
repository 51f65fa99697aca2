// LB status machine: timed steps kept in a record's meta (`to_create` → `creating` → `ready`,
// instances `pending` → `ready` after each change, `migrating`, `to_delete` → gone, certificates
// and attachments `pending` → `ready`), settled before every read or write and by a timer.

import Foundation

enum LBStatusMachine {
    /// Seconds at speed 1.
    static let toCreateSeconds = 0.3
    static let creatingSeconds = 2.0
    static let applySeconds = 1.0
    static let migrateSeconds = 2.0
    static let deleteSeconds = 1.0
    static let certificateSeconds = 2.0
    static let attachSeconds = 1.0

    static let kinds = [LBService.lbKind, LBService.privateNetworkKind, LBService.certificateKind]

    /// Appends a step to run `seconds` (scaled) after the record's last pending step, or after now.
    /// `set` replaces body fields; `instances` sets every instance's status; `remove` deletes the
    /// record (a load balancer with everything it holds).
    static func schedule(_ record: inout Record, after seconds: Double, speed: Double, now: Double,
                         set: [String: JSONValue] = [:], instances: String? = nil, remove: Bool = false) {
        var steps = record.meta["steps"]?.arrayValue ?? []
        let start = max(now, steps.last.flatMap { at($0) } ?? now)
        var step: [String: JSONValue] = ["at": .double(start + Clock.scaled(seconds: seconds, speed: speed)), "set": .object(set)]
        if let instances { step["instances"] = .string(instances) }
        if remove { step["remove"] = .bool(true) }
        steps.append(.object(step))
        record.meta["steps"] = .array(steps)
    }

    /// Drops every pending step (a delete overrides what was under way).
    static func cancel(_ record: inout Record) { record.meta["steps"] = nil }

    /// The LB's instances go `pending` now and back to `ready` after `applySeconds`: what every
    /// change of configuration (backend, frontend, ACL, certificate, PUT) does on the real API.
    static func markApplying(_ lb: inout Record, speed: Double, now: Double) {
        guard var instances = lb.body["instances"]?.arrayValue, !instances.isEmpty else { return }
        let stamp = Clock.timestamp()
        for i in instances.indices {
            guard case .object(var fields) = instances[i] else { continue }
            fields["status"] = .string("pending")
            fields["updated_at"] = .string(stamp)
            instances[i] = .object(fields)
        }
        lb.body["instances"] = .array(instances)
        schedule(&lb, after: applySeconds, speed: speed, now: now, instances: "ready")
    }

    private static func at(_ step: JSONValue) -> Double? {
        switch step["at"] {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    static func nextDue(_ state: CloudState) -> Double? {
        kinds.flatMap { state.list($0) }.compactMap { $0.meta["steps"]?.arrayValue?.first.flatMap(at) }.min()
    }

    static func hasDue(_ state: CloudState, now: Double) -> Bool { nextDue(state).map { $0 <= now } ?? false }

    /// Runs every step due at `now`, in order.
    static func settle(_ state: inout CloudState, now: Double) {
        for kind in kinds {
            for original in state.list(kind) {
                guard var record = state.get(kind, original.id) else { continue }   // removed by a cascade
                var steps = record.meta["steps"]?.arrayValue ?? []
                var removed = false
                while let first = steps.first, let due = at(first), due <= now {
                    steps.removeFirst()
                    if first["remove"]?.boolValue == true {
                        removeCascading(record, in: &state)
                        removed = true
                        break
                    }
                    for (key, value) in first["set"]?.objectValue ?? [:] { record.body[key] = value }
                    if let status = first["instances"]?.stringValue { setInstances(&record, status: status) }
                    record.body["updated_at"] = .string(Clock.timestamp())
                }
                if removed { continue }
                if steps.count != (original.meta["steps"]?.arrayValue?.count ?? 0) {
                    record.meta["steps"] = steps.isEmpty ? nil : .array(steps)
                    state.put(record)
                }
            }
        }
    }

    private static func setInstances(_ lb: inout Record, status: String) {
        guard var instances = lb.body["instances"]?.arrayValue else { return }
        let stamp = Clock.timestamp()
        for i in instances.indices {
            guard case .object(var fields) = instances[i] else { continue }
            fields["status"] = .string(status)
            fields["updated_at"] = .string(stamp)
            instances[i] = .object(fields)
        }
        lb.body["instances"] = .array(instances)
    }

    /// Removes a record; a load balancer takes its backends, frontends, ACLs, certificates and
    /// attachments along, and frees (or, with `release_ip`, deletes) its flexible IPs.
    static func removeCascading(_ record: Record, in state: inout CloudState) {
        state.remove(record.kind, record.id)
        guard record.kind == LBService.lbKind else { return }
        for kind in [LBService.backendKind, LBService.frontendKind, LBService.certificateKind, LBService.privateNetworkKind] {
            for child in state.list(kind) where child.body["lb_ref"]?.stringValue == record.id {
                if kind == LBService.frontendKind {
                    for acl in state.list(LBService.aclKind) where acl.body["frontend_ref"]?.stringValue == child.id {
                        state.remove(LBService.aclKind, acl.id)
                    }
                }
                if kind == LBService.privateNetworkKind { IPAMService.release(nicID: child.id, in: &state) }
                state.remove(kind, child.id)
            }
        }
        let release = record.meta["release_ip"]?.boolValue ?? false
        for var ip in state.list(LBService.ipKind) where ip.body["lb_id"]?.stringValue == record.id {
            if release {
                state.remove(LBService.ipKind, ip.id)
            } else {
                ip.body["lb_id"] = .null
                state.put(ip)
            }
        }
    }
}

/// The store as the LB API sees it: due steps are run before any read or write, and a timer runs
/// them on time even when no request comes (so the control API never lists a deleted LB).
struct LBStore: Sendable {
    let store: Store

    static func now() -> Double { Date().timeIntervalSince1970 }

    func read<T>(_ body: (CloudState) throws -> T) throws -> T {
        try settleIfDue()
        return try store.read(body)
    }

    /// `body` gets the settled state and the current time.
    func write<T>(_ body: (inout CloudState, Double) throws -> T) throws -> T {
        let now = LBStore.now()
        let result = try store.write { state -> T in
            LBStatusMachine.settle(&state, now: now)
            return try body(&state, now)
        }
        scheduleNext()
        return result
    }

    private func settleIfDue() throws {
        let now = LBStore.now()
        guard store.read({ LBStatusMachine.hasDue($0, now: now) }) else { return }
        try store.write { LBStatusMachine.settle(&$0, now: now) }
    }

    /// Arms a timer for the earliest pending step (holding the store weakly).
    func scheduleNext() {
        guard let due = store.read({ LBStatusMachine.nextDue($0) }) else { return }
        let delay = max(0, due - LBStore.now()) + 0.002
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak store] in
            guard let store else { return }
            let again = LBStore(store: store)
            guard (try? again.settleIfDue()) != nil else { return }
            again.scheduleNext()
        }
    }
}

// LB status machine: timed steps kept in a record's meta (`to_create` → `creating` → `ready`,
// instances `pending` → `ready` after each change, `migrating`, `to_delete` → gone, certificates
// and attachments `pending` → `ready`), settled before every read or write and by a timer.

import Foundation

enum LBStatusMachine: StatusTimeline {
    /// Seconds at speed 1.
    static let toCreateSeconds = 0.3
    static let creatingSeconds = 2.0
    static let applySeconds = 1.0
    static let migrateSeconds = 2.0
    static let deleteSeconds = 1.0
    static let certificateSeconds = 2.0
    static let attachSeconds = 1.0

    static let kinds = [LBService.lbKind, LBService.privateNetworkKind, LBService.certificateKind]
    static let queue = StepQueue(key: "steps", dropsWhenEmpty: true)

    /// Appends a step to run `seconds` (scaled) after the record's last pending step, or after now.
    /// `set` replaces body fields; `instances` sets every instance's status; `remove` deletes the
    /// record (a load balancer with everything it holds).
    static func schedule(_ record: inout Record, after seconds: Double, speed: Double, now: Double,
                         set: [String: JSONValue] = [:], instances: String? = nil, remove: Bool = false) {
        var step: [String: JSONValue] = ["set": .object(set)]
        if let instances { step["instances"] = .string(instances) }
        if remove { step["remove"] = .bool(true) }
        queue.append(&record, step, after: seconds, speed: speed, now: now)
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

    static func nextDue(_ state: CloudState) -> Double? { queue.nextDue(state, kinds: kinds) }

    /// Runs every step due at `now`, in order.
    static func settle(_ state: inout CloudState, now: Double) {
        queue.settle(&state, kinds: kinds, now: now) { record, step, _, state in
            if step["remove"]?.boolValue == true {
                removeCascading(record, in: &state)
                return .removed
            }
            for (key, value) in step["set"]?.objectValue ?? [:] { record.body[key] = value }
            if let status = step["instances"]?.stringValue { setInstances(&record, status: status) }
            record.body["updated_at"] = .string(Clock.timestamp())
            return .applied
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

/// The store as the LB API sees it (steps run before any read or write, and on time).
typealias LBStore = TimelineStore<LBStatusMachine>

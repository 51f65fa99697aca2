// Serverless statuses over time: a function/container namespace, a function, a cron, a
// container or a registry namespace goes through timed steps (pending → ready, building →
// ready or error, deleting → gone), each step lasting a few seconds / speed. The store wrapper
// settles due steps before any read or write and on a timer, and a record reaching `gone` is
// removed with what it holds (a namespace's functions and crons, its hidden registry, images).

import Foundation

enum ServerlessKind {
    static let functionNamespace = "function_namespace"
    static let function = "function"
    static let cron = "function_cron"
    static let containerNamespace = "container_namespace"
    static let container = "container"
    static let registryNamespace = "registry_namespace"
    static let registryImage = "registry_image"

    static let timed = [functionNamespace, function, cron, containerNamespace, container, registryNamespace]
}

/// One future step: the status reached after `seconds` (at speed 1), with fields set then.
struct TimelineStep {
    var status: String
    var seconds: Double
    var set: [String: JSONValue] = [:]
}

enum ServerlessTimeline {
    /// Pseudo-status: the record is removed (with what it holds) when this step is reached.
    static let gone = "gone"

    static func status(_ record: Record) -> String { record.body["status"]?.stringValue ?? "ready" }

    /// Puts `record` in `status` now, then through `steps`; `set` fields are applied at once.
    static func begin(_ record: inout Record, _ status: String, set: [String: JSONValue] = [:], then steps: [TimelineStep],
                      now: Double, speed: Double) {
        record.body["status"] = .string(status)
        for (k, v) in set { record.body[k] = v }
        var at = now
        record.meta["next"] = .array(steps.map { step in
            at += Clock.scaled(seconds: step.seconds, speed: speed)
            return .object(["status": .string(step.status), "at": .double(at), "set": .object(step.set)])
        })
    }

    static func isBusy(_ record: Record) -> Bool { !(record.meta["next"]?.arrayValue?.isEmpty ?? true) }

    static func nextDue(_ record: Record) -> Double? {
        record.meta["next"]?.arrayValue?.first.flatMap { number($0["at"]) }
    }

    static func nextDue(_ state: CloudState) -> Double? {
        ServerlessKind.timed.flatMap { state.list($0) }.compactMap(nextDue).min()
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    /// Applies every step due at `now`.
    static func settle(_ state: inout CloudState, now: Double) {
        for kind in ServerlessKind.timed {
            for var record in state.list(kind) {
                guard var queue = record.meta["next"]?.arrayValue, !queue.isEmpty, state.get(kind, record.id) != nil else { continue }
                var changed = false
                var removed = false
                while let first = queue.first, let at = number(first["at"]), at <= now, let status = first["status"]?.stringValue {
                    queue.removeFirst()
                    changed = true
                    if status == gone {
                        remove(kind, record.id, in: &state)
                        removed = true
                        break
                    }
                    record.body["status"] = .string(status)
                    for (k, v) in first["set"]?.objectValue ?? [:] { record.body[k] = v }
                    record.body["updated_at"] = .string(Clock.timestamp(Date(timeIntervalSince1970: at)))
                }
                guard changed, !removed else { continue }
                record.meta["next"] = .array(queue)
                state.put(record)
            }
        }
    }

    /// Removes a record and everything it holds.
    static func remove(_ kind: String, _ id: String, in state: inout CloudState) {
        guard let record = state.remove(kind, id) else { return }
        switch kind {
        case ServerlessKind.functionNamespace:
            for fn in state.list(ServerlessKind.function) where fn.body["namespace_id"]?.stringValue == id {
                remove(ServerlessKind.function, fn.id, in: &state)
            }
            if let reg = record.meta["registry_namespace_id"]?.stringValue { remove(ServerlessKind.registryNamespace, reg, in: &state) }
        case ServerlessKind.function:
            for cron in state.list(ServerlessKind.cron) where cron.body["function_id"]?.stringValue == id {
                state.remove(ServerlessKind.cron, cron.id)
            }
        case ServerlessKind.containerNamespace:
            for c in state.list(ServerlessKind.container) where c.body["namespace_id"]?.stringValue == id {
                state.remove(ServerlessKind.container, c.id)
            }
            if let reg = record.meta["registry_namespace_id"]?.stringValue { remove(ServerlessKind.registryNamespace, reg, in: &state) }
        case ServerlessKind.registryNamespace:
            for image in state.list(ServerlessKind.registryImage) where image.body["namespace_id"]?.stringValue == id {
                state.remove(ServerlessKind.registryImage, image.id)
            }
        default:
            break
        }
    }
}

/// The store as the serverless APIs see it: due steps completed before any read or write, and
/// a timer that completes them on time even when no request comes.
struct ServerlessStore: Sendable {
    let store: Store

    static func now() -> Double { Date().timeIntervalSince1970 }

    func read<T>(_ body: (CloudState) throws -> T) throws -> T {
        try settleIfDue()
        return try store.read(body)
    }

    func write<T>(_ body: (inout CloudState, Double) throws -> T) throws -> T {
        let now = ServerlessStore.now()
        let result = try store.write { state -> T in
            ServerlessTimeline.settle(&state, now: now)
            return try body(&state, now)
        }
        scheduleNext()
        return result
    }

    private func settleIfDue() throws {
        let now = ServerlessStore.now()
        guard store.read({ ServerlessTimeline.nextDue($0).map { $0 <= now } ?? false }) else { return }
        try store.write { ServerlessTimeline.settle(&$0, now: now) }
    }

    /// Arms a timer for the earliest pending step (holding the store weakly).
    func scheduleNext() {
        guard let due = store.read({ ServerlessTimeline.nextDue($0) }) else { return }
        let delay = max(0, due - ServerlessStore.now()) + 0.002
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak store] in
            guard let store else { return }
            let again = ServerlessStore(store: store)
            guard (try? again.settleIfDue()) != nil else { return }
            again.scheduleNext()
        }
    }
}

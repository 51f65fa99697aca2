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

enum ServerlessTimeline: StatusTimeline {
    /// Pseudo-status: the record is removed (with what it holds) when this step is reached.
    static let gone = "gone"

    static func status(_ record: Record) -> String { record.body["status"]?.stringValue ?? "ready" }

    static let queue = StepQueue(key: "next")

    /// Puts `record` in `status` now, then through `steps`; `set` fields are applied at once.
    static func begin(_ record: inout Record, _ status: String, set: [String: JSONValue] = [:], then steps: [TimelineStep],
                      now: Double, speed: Double) {
        queue.begin(&record, status: status, then: steps.map { step in
            (step.seconds, ["status": .string(step.status), "set": .object(step.set)])
        }, now: now, speed: speed)
        for (k, v) in set { record.body[k] = v }
    }

    static func nextDue(_ state: CloudState) -> Double? {
        queue.nextDue(state, kinds: ServerlessKind.timed)
    }

    /// Applies every step due at `now`.
    static func settle(_ state: inout CloudState, now: Double) {
        queue.settle(&state, kinds: ServerlessKind.timed, now: now) { record, step, at, state in
            guard let status = step["status"]?.stringValue else { return .blocked }
            if status == gone {
                remove(record.kind, record.id, in: &state)
                return .removed
            }
            record.body["status"] = .string(status)
            for (k, v) in step["set"]?.objectValue ?? [:] { record.body[k] = v }
            record.body["updated_at"] = .string(Clock.timestamp(Date(timeIntervalSince1970: at)))
            return .applied
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

/// The store as the serverless APIs see it (steps settled before any read or write, and on time).
typealias ServerlessStore = TimelineStore<ServerlessTimeline>

// Timed statuses shared by the emulated products: a record enters a transient status now and
// settles after durations scaled by the emulator speed. `StepQueue` keeps the pending steps in
// the record's meta (JSON objects, each with the epoch second it is due at, "at") and runs the
// due ones; `TimelineStore` is the store as a product sees it: due steps settled before any
// read or write, and a timer that settles them on time even when no request comes (so the
// control API never lists a record whose delete has finished).

import Foundation

/// A product's timed statuses: when the earliest pending step is due, and how to apply every
/// step due at a time.
protocol StatusTimeline: Sendable {
    static func nextDue(_ state: CloudState) -> Double?
    static func settle(_ state: inout CloudState, now: Double)
}

extension StatusTimeline {
    static func hasDue(_ state: CloudState, now: Double) -> Bool { nextDue(state).map { $0 <= now } ?? false }
}

/// What applying a due step did to its record.
enum StepOutcome {
    /// The record was changed in place; the next due step follows.
    case applied
    /// The record is gone (with what it held); its remaining steps are dropped with it.
    case removed
    /// The step cannot run: it stays first in the queue and the record waits.
    case blocked
}

/// Pending steps kept in `record.meta[key]`, oldest first.
struct StepQueue {
    let key: String
    /// Whether an emptied queue is removed from the meta (else kept as an empty array).
    var dropsWhenEmpty = false

    /// A step's time (or any JSON number) as seconds.
    static func time(_ value: JSONValue?) -> Double? {
        switch value {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: return nil
        }
    }

    /// Puts `record` in `status` (body field `statusKey`) now, then through `steps`: each step's
    /// fields get an "at" `seconds` (scaled by `speed`) after the previous step, the first after `now`.
    func begin(_ record: inout Record, status: String, statusKey: String = "status",
               then steps: [(seconds: Double, fields: [String: JSONValue])], now: Double, speed: Double) {
        record.body[statusKey] = .string(status)
        var at = now
        record.meta[key] = .array(steps.map { step in
            at += Clock.scaled(seconds: step.seconds, speed: speed)
            var fields = step.fields
            fields["at"] = .double(at)
            return .object(fields)
        })
    }

    /// Appends a step due `seconds` (scaled) after the record's last pending step, or after now.
    func append(_ record: inout Record, _ fields: [String: JSONValue], after seconds: Double, speed: Double, now: Double) {
        var steps = pending(record)
        let start = max(now, steps.last.flatMap { StepQueue.time($0["at"]) } ?? now)
        var step = fields
        step["at"] = .double(start + Clock.scaled(seconds: seconds, speed: speed))
        steps.append(.object(step))
        record.meta[key] = .array(steps)
    }

    func pending(_ record: Record) -> [JSONValue] { record.meta[key]?.arrayValue ?? [] }

    func isBusy(_ record: Record) -> Bool { !pending(record).isEmpty }

    /// When the record's first pending step is due.
    func nextDue(_ record: Record) -> Double? { pending(record).first.flatMap { StepQueue.time($0["at"]) } }

    /// The earliest step due among the records of `kinds`.
    func nextDue(_ state: CloudState, kinds: [String]) -> Double? {
        kinds.flatMap { state.list($0) }.compactMap(nextDue).min()
    }

    /// Runs every step due at `now`, kind by kind in the order of `kinds`, each record's steps in
    /// order. A record removed by an earlier step (a cascade) is skipped; `apply` gets the
    /// record, the step, the time it was due and the state.
    func settle(_ state: inout CloudState, kinds: [String], now: Double,
                apply: (inout Record, JSONValue, Double, inout CloudState) -> StepOutcome) {
        for kind in kinds {
            for listed in state.list(kind) {
                guard var record = state.get(kind, listed.id) else { continue }
                var queue = pending(record)
                guard !queue.isEmpty else { continue }
                var changed = false
                var removed = false
                while let first = queue.first, let at = StepQueue.time(first["at"]), at <= now {
                    let outcome = apply(&record, first, at, &state)
                    if outcome == .blocked { break }
                    queue.removeFirst()
                    changed = true
                    if outcome == .removed {
                        removed = true
                        break
                    }
                }
                guard changed, !removed, state.get(kind, record.id) != nil else { continue }
                record.meta[key] = dropsWhenEmpty && queue.isEmpty ? nil : .array(queue)
                state.put(record)
            }
        }
    }
}

/// The store as a product with timed statuses sees it.
struct TimelineStore<Timeline: StatusTimeline>: Sendable {
    let store: Store

    static func now() -> Double { Date().timeIntervalSince1970 }

    func read<T>(_ body: (CloudState) throws -> T) throws -> T {
        try settleIfDue()
        return try store.read(body)
    }

    /// `body` gets the settled state and the current time.
    func write<T>(_ body: (inout CloudState, Double) throws -> T) throws -> T {
        let now = Self.now()
        let result = try store.write { state -> T in
            Timeline.settle(&state, now: now)
            return try body(&state, now)
        }
        scheduleNext()
        return result
    }

    private func settleIfDue() throws {
        let now = Self.now()
        guard store.read({ Timeline.hasDue($0, now: now) }) else { return }
        try store.write { Timeline.settle(&$0, now: now) }
    }

    /// Arms a timer for the earliest pending step, which re-arms itself for the next one
    /// (holding the store weakly: a released emulator never writes its data file again).
    func scheduleNext() {
        guard let due = store.read({ Timeline.nextDue($0) }) else { return }
        let delay = max(0, due - Self.now()) + 0.002
        DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak store] in
            guard let store else { return }
            let again = TimelineStore(store: store)
            guard (try? again.settleIfDue()) != nil else { return }   // a data file that cannot be saved: stop trying
            again.scheduleNext()
        }
    }
}

// Engine: one stack's refresh, plan and apply, tied to its state store.

import ScwCore

public final class Engine: Sendable {
    public let registry: ProviderRegistry
    public let store: any StateStore
    public let stack: String
    public let transformer: (any ValueTransformer)?
    public let parallelism: Int

    public init(registry: ProviderRegistry, store: any StateStore, stack: String,
                transformer: (any ValueTransformer)? = nil, parallelism: Int = 10) {
        self.registry = registry
        self.store = store
        self.stack = stack
        self.transformer = transformer
        self.parallelism = max(1, parallelism)
    }

    /// Reads every resource state knows from the cloud.
    public func refresh() async throws -> (rows: [ResourceState], outcomes: [ResourceAddress: RefreshOutcome]) {
        let rows = try store.resources(stack: stack)
        let outcomes = try await Refresher(registry: registry, stack: stack, parallelism: parallelism).refresh(rows)
        return (rows, outcomes)
    }

    /// Refreshes, then plans. Writes nothing.
    public func plan(_ program: Program, mode: Planner.Mode = .deploy) async throws -> Plan {
        let (rows, outcomes) = try await refresh()
        return try await Planner(registry: registry, stack: stack, transformer: transformer)
            .plan(program: program, state: rows, refreshed: outcomes, mode: mode)
    }

    /// Applies a plan made by `plan`. The caller holds the stack's lock.
    public func apply(_ plan: Plan, program: Program, events: @escaping ApplyEventHandler) async -> ApplyResult {
        let applier = Applier(registry: registry, store: store, stack: stack, transformer: transformer,
                              parallelism: parallelism, events: events)
        return await applier.apply(plan, program: program, knownOutputs: plan.knownOutputs)
    }

    /// Writes what refresh saw into state: outputs of present resources, adoption of what an
    /// interrupted create made, removal of what is gone. Returns the drift found, as lines.
    public func refreshState() async throws -> [String] {
        let (rows, outcomes) = try await refresh()
        var report: [String] = []
        for row in rows {
            switch outcomes[row.address] {
            case .present(let read)?:
                var updated = row
                updated.outputs = ResourceState.carryingOver(row.outputs, into: read.outputs)
                let drifted = read.observed.filter { row.inputs[$0.key] != nil && !Diff.same(row.inputs[$0.key]!, $0.value) }
                for key in drifted.keys.sorted() {
                    let (was, now) = (row.inputs[key]!, drifted[key]!)
                    let values = was.isSensitive || now.isSensitive || !was.isPlain || !now.isPlain
                        ? "" : ": \(JSON.encode(was)) -> \(JSON.encode(now))"   // secrets and unknowns are never shown
                    report.append("\(row.address): \(key) changed outside scwlua\(values)")
                }
                try store.put(stack: stack, updated)
            case .gone?, .neverCreated?:
                report.append("\(row.address): no longer exists; removed from state")
                try store.remove(stack: stack, address: row.address)
            case .adopted(let found)?:
                var updated = row
                updated.id = found.id
                updated.outputs = found.outputs
                updated.status = .created
                report.append("\(row.address): adopted \(found.id) made by an interrupted create")
                try store.put(stack: stack, updated)
            case .halfMade(let found)?:
                report.append("\(row.address): an interrupted create left \(found.id) half-made; the next deploy finishes it, destroy deletes it")
            case .duplicate?:
                break
            case .unknownType?, nil:
                report.append("\(row.address): unknown resource type; left as is")
            }
        }
        for case .duplicate(let owner, let found) in outcomes.values.sorted(by: { "\($0)" < "\($1)" }) {
            report.append("\(owner): \(found.id) is a duplicate left by an interrupted create; the next deploy or destroy deletes it")
        }
        return report
    }
}

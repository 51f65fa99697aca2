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

    /// Refreshes, then plans. Writes nothing. `targets` makes a partial plan. With `refresh:
    /// false` the resources state records as created are not read: the plan compares the
    /// script with state as last recorded, and says so. Rows of an interrupted create or
    /// delete are still looked up (planning them blind could create a duplicate).
    public func plan(_ program: Program, mode: Planner.Mode = .deploy, refresh: Bool = true,
                     targets: Set<ResourceAddress>? = nil) async throws -> Plan {
        let rows: [ResourceState], outcomes: [ResourceAddress: RefreshOutcome]
        if refresh {
            (rows, outcomes) = try await self.refresh()
        } else {
            rows = try store.resources(stack: stack)
            outcomes = try await Refresher(registry: registry, stack: stack, parallelism: parallelism)
                .refresh(rows.filter { $0.status != .created })
        }
        let imports = mode == .deploy ? try await readImports(program, rows: rows) : [:]
        var plan = try await Planner(registry: registry, stack: stack, transformer: transformer)
            .plan(program: program, state: rows, refreshed: outcomes, mode: mode, imports: imports, targets: targets)
        plan.refreshed = refresh
        return plan
    }

    /// Reads what each `lifecycle.import_id` of a declaration without a state row names.
    func readImports(_ program: Program, rows: [ResourceState]) async throws -> [ResourceAddress: ImportRead] {
        var out: [ResourceAddress: ImportRead] = [:]
        let held = Set(rows.map(\.address))
        let moved = Set(program.declarations.compactMap(\.lifecycle.movedFrom))
        for d in program.declarations where !held.contains(d.address) && !(d.lifecycle.movedFrom.map(held.contains) ?? false) {
            guard let id = d.lifecycle.importID, !moved.contains(d.address) else { continue }
            out[d.address] = try await importRead(address: d.address, id: id, declaration: d, rows: rows)
        }
        return out
    }

    /// Reads the resource `id` for adoption as `address`: refused when it does not exist, when
    /// another stack's tags claim it, or when this stack already tracks it.
    public func importRead(address: ResourceAddress, id: String, declaration: Declaration, rows: [ResourceState]) async throws -> ImportRead {
        guard let provider = registry.provider(for: address.type) else { return .problem("unknown resource type \(address.type)") }
        if let tracked = rows.first(where: { $0.id == id || $0.id.hasSuffix("/" + id) }) {
            return .problem("already tracked by this stack as \(tracked.address)")
        }
        let context = ProviderContext(stack: stack, address: address)
        let read: ReadResult?
        do {
            read = try await provider.read(id: id, inputs: declaration.props, context: context)
        } catch let d as Diagnostic {
            return .problem(d.message)
        }
        guard let read else { return .problem("no \(address.type) with id \(id) exists") }
        if let owner = read.ownerStack, owner != stack {
            return .problem("it belongs to stack '\(owner)' (its scwlua:stack tag); import it there, or remove that stack's claim first")
        }
        let row = ResourceState(address: address, id: id, status: .imported, inputs: read.observed, outputs: read.outputs,
                                dependencies: declaration.dependencies)
        return .found(row)
    }

    /// `scwlua import`: records the resource `id` as `address` (status `imported`); the next
    /// deploy tags it as this stack's and makes it what the script says. Writes state only.
    public func importResource(address: ResourceAddress, id: String, program: Program) async throws -> ResourceState {
        guard let decl = program.declarations.first(where: { $0.address == address }) else {
            throw Diagnostic("the script declares no \(address)", hint: "declare it first (scw.\(address.type) \"\(address.name)\" { ... }), then import")
        }
        let rows = try store.resources(stack: stack)
        if let row = rows.first(where: { $0.address == address }) {
            throw Diagnostic("\(address) is already in state (id \(row.id))", hint: "`scwlua state rm \(address)` first to import another resource there")
        }
        switch try await importRead(address: address, id: id, declaration: decl, rows: rows) {
        case .found(let row):
            try store.put(stack: stack, row)
            return row
        case .problem(let message):
            throw Diagnostic("cannot import \(id) as \(address): \(message)", at: decl.location.map { .script($0) } ?? .resource(address))
        }
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
        var writes: [StateWrite] = []
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
                writes.append(.put(updated))
            case .gone?, .neverCreated?:
                report.append("\(row.address): no longer exists; removed from state")
                writes.append(.remove(row.address))
            case .adopted(let found)?:
                var updated = row
                updated.id = found.id
                updated.outputs = found.outputs
                updated.status = .created
                report.append("\(row.address): adopted \(found.id) made by an interrupted create")
                writes.append(.put(updated))
            case .halfMade(let found)?:
                report.append("\(row.address): an interrupted create left \(found.id) half-made; the next deploy finishes it, destroy deletes it")
            case .duplicate?:
                break
            case .unknownType?, nil:
                report.append("\(row.address): unknown resource type; left as is")
            }
        }
        try await store.write(stack: stack, writes)   // one commit, not one per row
        for case .duplicate(let owner, let found) in outcomes.values.sorted(by: { "\($0)" < "\($1)" }) {
            report.append("\(owner): \(found.id) is a duplicate left by an interrupted create; the next deploy or destroy deletes it")
        }
        return report
    }
}

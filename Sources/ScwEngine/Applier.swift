// Applier: executes a Plan against providers with bounded parallelism. Each resource starts
// as soon as what it needs is done; a failure stops only what depends on it. State is written
// before and after every cloud call (intent, then result), each durable before going on;
// writes of operations running at the same moment may share one commit (StateStore.write).

import ScwCore

public final class Applier: Sendable {
    let registry: ProviderRegistry
    let store: any StateStore
    let stack: String
    let transformer: (any ValueTransformer)?
    let parallelism: Int
    let events: ApplyEventHandler
    /// How many times a create whose answer was lost is retried after a look-up found nothing.
    let ambiguousCreateAttempts = 4

    public init(registry: ProviderRegistry, store: any StateStore, stack: String, transformer: (any ValueTransformer)?,
                parallelism: Int, events: @escaping ApplyEventHandler) {
        self.registry = registry
        self.store = store
        self.stack = stack
        self.transformer = transformer
        self.parallelism = max(1, parallelism)
        self.events = events
    }

    public func apply(_ plan: Plan, program: Program, knownOutputs: [ResourceAddress: [String: Value]]) async -> ApplyResult {
        if let stale = staleChange(plan) {
            let message = "state of \(stale) changed since this plan was made; plan again"
            events(.note(message))
            let outcomes = Dictionary(plan.changes.map { ($0.address, ApplyResult.Outcome.failed($0.action, message)) }, uniquingKeysWith: { a, _ in a })
            return ApplyResult(outcomes: outcomes, outputs: [:], resourceOutputs: [:])
        }
        do {
            try applyMoves(plan)
        } catch {
            let message = "could not move state rows: \(error)"
            events(.note(message))
            let outcomes = Dictionary(plan.changes.map { ($0.address, ApplyResult.Outcome.failed($0.action, message)) }, uniquingKeysWith: { a, _ in a })
            return ApplyResult(outcomes: outcomes, outputs: [:], resourceOutputs: [:])
        }
        saveLifecycleFlags(plan)
        let graph = OperationGraph(plan: plan)
        let board = OutputBoard(knownOutputs)
        var outcomes: [ResourceAddress: ApplyResult.Outcome] = [:]
        var failedNodes: [OperationGraph.Node: ResourceAddress] = [:]   // node → root cause
        var remaining = graph.dependencies.mapValues { Set($0) }
        var ready = graph.nodes.filter { remaining[$0]!.isEmpty }.sorted()
        var running = 0

        await withTaskGroup(of: (OperationGraph.Node, String?).self) { group in
            while true {
                while running < parallelism, !ready.isEmpty {
                    let node = ready.removeFirst()
                    if Task.isCancelled {
                        // Cancelled: start nothing new; what is in flight finishes below.
                        let change = graph.change(node)
                        if outcomes[node.address] == nil || node.phase == .up { outcomes[node.address] = .cancelled(change.action) }
                        release(node)
                        continue
                    }
                    if let cause = graph.dependencies[node]!.compactMap({ failedNodes[$0] }).first {
                        failedNodes[node] = cause
                        let change = graph.change(node)
                        // The other half of this resource's replacement failed: it stays `.failed`.
                        if cause != node.address {
                            if outcomes[node.address] == nil || node.phase == .up {
                                outcomes[node.address] = .skipped(change.action, because: cause)
                            }
                            events(.skipped(node.address, change.action, because: cause))
                        }
                        release(node)
                        continue
                    }
                    running += 1
                    // An unstructured task: cancelling the apply must not abort a cloud call
                    // half-way; the operation finishes and its result is recorded.
                    group.addTask { (node, await Task { await self.run(node, graph: graph, board: board) }.value) }
                }
                guard let (node, error) = await group.next() else { break }
                running -= 1
                let change = graph.change(node)
                if let error {
                    failedNodes[node] = node.address
                    outcomes[node.address] = .failed(change.action, error)
                } else if outcomes[node.address] == nil || node.phase == .up || graph.isLast(node) {
                    if case .failed = outcomes[node.address] {} else { outcomes[node.address] = .done(change.action) }
                }
                release(node)
            }
        }

        func release(_ node: OperationGraph.Node) {
            for dependent in graph.dependents[node] ?? [] {
                remaining[dependent]!.remove(node)
                if remaining[dependent]!.isEmpty { ready.append(dependent); ready.sort() }
            }
        }

        let finalOutputs = await board.snapshot()
        let stackOutputs = (try? await Resolver(outputs: finalOutputs, transformer: transformer).resolve(program.outputs)) ?? [:]
        if !stackOutputs.values.contains(where: \.containsUnknown) {
            do { try store.setOutputs(stack: stack, stackOutputs) } catch { events(.note("could not save stack outputs: \(error)")) }
        }
        return ApplyResult(outcomes: outcomes, outputs: stackOutputs, resourceOutputs: finalOutputs)
    }

    /// The first change whose state row is not what the plan was made from. A plan applied
    /// twice (or after another run) would otherwise create again, orphaning what it made.
    private func staleChange(_ plan: Plan) -> ResourceAddress? {
        guard let rows = try? store.resources(stack: stack) else { return nil }   // the writes will report it
        let current = Dictionary(rows.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for change in plan.changes where change.action != .read && change.action != .importing {
            let now = current[change.movedFrom ?? change.address], then = change.prior
            if now == nil, Refresher.isDuplicate(change.address) { continue }   // found by refresh, never in state
            if now?.status != then?.status || (now?.status == .created && now?.id != then?.id) { return change.address }
        }
        return nil
    }

    /// Renames (`lifecycle.moved_from`) move their state rows first, touching no cloud
    /// resource: the new row is written before the old one goes, so a crash in between leaves
    /// the resource tracked (the next plan sees the new address and drops the old row).
    private func applyMoves(_ plan: Plan) throws {
        for change in plan.changes {
            guard let from = change.movedFrom, var row = change.prior else { continue }
            row.address = change.address
            try store.put(stack: stack, row)
            try store.remove(stack: stack, address: from)
        }
    }

    /// Writes changed `protect`/`retain` flags of existing resources before any operation, so
    /// that a failure elsewhere in this run cannot lose them (DESIGN.md section 2: a retain
    /// that never reached state cost a user production buckets).
    private func saveLifecycleFlags(_ plan: Plan) {
        for change in plan.changes where change.action != .noop {
            guard let decl = change.declaration, var row = change.prior, row.status == .created,
                  row.protect != decl.lifecycle.protect || row.retain != decl.lifecycle.retain else { continue }
            row.protect = decl.lifecycle.protect
            row.retain = decl.lifecycle.retain
            do { try store.put(stack: stack, row) } catch { events(.note("could not save lifecycle flags of \(row.address): \(error)")) }
        }
    }

    /// Runs one operation; returns an error message, or nil on success.
    private func run(_ node: OperationGraph.Node, graph: OperationGraph, board: OutputBoard) async -> String? {
        let change = graph.change(node)
        let address = node.address
        let clock = ContinuousClock()
        let start = clock.now
        let visible = change.action.writesCloud || change.action == .forget
        if visible { events(.started(address, change.action)) }
        do {
            switch node.phase {
            case .up: try await up(change, board: board)
            case .down: try await down(change)
            }
            let elapsed = clock.now - start
            if visible, graph.isLast(node) {
                events(.finished(address, change.action, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
            }
            return nil
        } catch {
            let message = String(describing: error)
            events(.failed(address, change.action, error: OperationError(address: address, action: change.action, message: message, underlying: error)))
            return message
        }
    }

    private func context(_ change: PlannedChange, address: ResourceAddress? = nil) -> ProviderContext {
        let addr = address ?? change.address
        let events = self.events
        return ProviderContext(stack: stack, address: addr, timeouts: change.declaration?.timeouts ?? change.timeouts ?? Timeouts(),
                               phase: { events(.phase(addr, $0)) })
    }

    // MARK: create, update, state-only

    private func up(_ change: PlannedChange, board: OutputBoard) async throws {
        guard let decl = change.declaration else { return }
        let provider = try providerFor(change.address)
        let ctx = context(change)
        let resolver = Resolver(outputs: await board.snapshot(), transformer: transformer)
        var inputs = try provider.normalize(try await resolver.resolve(decl.props), context: ctx)
        if change.action == .update || change.action == .stateOnly {
            for key in decl.lifecycle.ignoreChanges { inputs[key] = change.inputs[key] }   // as planned: the cloud's value
        }
        if inputs.values.contains(where: \.containsUnknown) {
            throw Diagnostic("some inputs are still unknown after their dependencies were applied", at: .resource(change.address))
        }
        var row = ResourceState(address: change.address, status: .created, inputs: inputs, outputs: change.prior?.outputs ?? [:],
                                dependencies: decl.dependencies, protect: decl.lifecycle.protect, retain: decl.lifecycle.retain)
        switch change.action {
        case .noop:
            return
        case .stateOnly:
            // Lifecycle flags changed, or an interrupted create was adopted (the planner put
            // the found id into `prior`).
            row.id = change.prior?.id ?? ""
            try await store.write(stack: stack, .put(row))
            await board.set(change.address, row.outputs)
        case .importing:
            // Recorded first (an interruption leaves it tracked, never orphaned), then made what
            // the script says: the update adds the ownership tags.
            guard var imported = change.prior else { return }
            imported.address = change.address
            imported.dependencies = decl.dependencies
            try store.put(stack: stack, imported)
            row.id = imported.id
            let updated = try await provider.update(id: imported.id, from: imported.inputs, to: inputs, context: ctx)
            row.outputs = ResourceState.carryingOver(imported.outputs, into: SecretEcho.mask(updated, inputs: inputs))
            try store.put(stack: stack, row)
            await board.set(change.address, row.outputs)
        case .update:
            guard let prior = change.prior else { return }
            if Self.settledToNoChange(change, inputs: inputs), prior.status == .created {
                // Planned only because an input was unknown; it resolved to what is there.
                if prior.inputs != inputs { row.id = prior.id; try await store.write(stack: stack, .put(row)) }
                await board.set(change.address, prior.outputs)
                return
            }
            row.id = prior.id
            let updated = try await provider.update(id: prior.id, from: prior.inputs, to: inputs, context: ctx)
            row.outputs = ResourceState.carryingOver(prior.outputs, into: SecretEcho.mask(updated, inputs: inputs))
            try await store.write(stack: stack, .put(row))
            await board.set(change.address, row.outputs)
        case .create, .replace, .createThenDelete:
            var writes: [StateWrite] = []
            if change.action == .createThenDelete, let prior = change.prior {
                var deposed = prior
                deposed.address = Self.deposedAddress(change.address)
                deposed.retain = false                 // retain is about removal: the old half still goes
                writes.append(.put(deposed))           // the old one stays tracked until deleted
            }
            var intent = row
            intent.status = .creating
            writes.append(.put(intent))
            try await store.write(stack: stack, writes) // invariant 1: intent durable before the call
            let created: CreateResult
            do {
                created = try await createOnce(provider: provider, inputs: inputs, context: ctx)
            } catch let refused as CreateRefusedError {
                // Nothing was made: the intent goes, so state is as before this create.
                try await store.write(stack: stack, .remove(change.address))
                throw refused
            }
            row.id = created.id
            row.outputs = SecretEcho.mask(created.outputs, inputs: inputs)
            try await store.write(stack: stack, .put(row))           // invariant 2: durable before moving on
            await board.set(change.address, row.outputs)
        case .delete, .forget, .read:
            return
        }
    }

    /// True for an update planned with inputs still unknown (they come from a dependency
    /// updated in this run) whose resolved inputs equal, prop by prop, what the plan compared
    /// them with: there is nothing to send.
    static func settledToNoChange(_ change: PlannedChange, inputs: [String: Value]) -> Bool {
        guard change.inputs.values.contains(where: \.containsUnknown) else { return false }
        return change.changes.allSatisfy { prop in
            guard let old = prop.old, let new = inputs[prop.name] else { return false }
            return Diff.same(old, new)
        }
    }

    /// Creates, never blindly twice: when the answer to a create is lost, look for the
    /// resource by its ownership tags and adopt it; only when nothing is found, try again.
    private func createOnce(provider: any ResourceProvider, inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        var lastError: Error?
        for _ in 0..<ambiguousCreateAttempts {
            do {
                return try await provider.create(inputs, context: context)
            } catch let error as AmbiguousCreateError {
                lastError = error
                context.phase("answer lost, looking for the resource by its tags")
                let tracked = Set(((try? store.resources(stack: stack)) ?? []).map(\.id).filter { !$0.isEmpty })
                // A half-made match is not adopted: the next create attempt finishes it.
                if let found = try await provider.find(inputs: inputs, context: context).first(where: { !tracked.contains($0.id) && !$0.halfMade }) {
                    return found
                }
            }
        }
        throw lastError ?? Diagnostic("create failed")
    }

    // MARK: delete, forget

    private func down(_ change: PlannedChange) async throws {
        guard var row = change.prior else { return }
        if [.delete, .replace, .createThenDelete].contains(change.action), row.protect || change.declaration?.lifecycle.protect == true {
            // The planner reports this as an error; this holds even if the plan is applied anyway.
            throw Diagnostic("is protected (lifecycle.protect): refusing to \(change.action == .delete ? "delete" : "replace") it",
                             at: .resource(change.address))
        }
        if let decl = change.declaration {   // keep the flags saved by saveLifecycleFlags
            row.protect = decl.lifecycle.protect
            row.retain = decl.lifecycle.retain
        }
        switch change.action {
        case .forget, .stateOnly:
            try await store.write(stack: stack, .remove(change.address))
        case .delete, .replace:
            let provider = try providerFor(change.address)
            row.status = .deleting
            try await store.write(stack: stack, .put(row))
            try await provider.delete(id: row.id, inputs: row.inputs, context: context(change, address: Refresher.liveAddress(of: change.address)))
            try await store.write(stack: stack, .remove(change.address))
        case .createThenDelete:
            let provider = try providerFor(change.address)
            let deposed = Self.deposedAddress(change.address)
            row.address = deposed
            row.retain = false
            row.status = .deleting
            try await store.write(stack: stack, .put(row))
            try await provider.delete(id: row.id, inputs: row.inputs, context: context(change, address: change.address))
            try await store.write(stack: stack, .remove(deposed))
        default:
            return
        }
    }

    private func providerFor(_ address: ResourceAddress) throws -> any ResourceProvider {
        guard let p = registry.provider(for: address.type) else { throw Diagnostic("unknown resource type \(address.type)") }
        return p
    }

    static func deposedAddress(_ address: ResourceAddress) -> ResourceAddress {
        ResourceAddress(type: address.type, name: address.name + Refresher.deposedSuffix)
    }
}

/// Outputs known so far, shared by the operations of one apply.
actor OutputBoard {
    private var outputs: [ResourceAddress: [String: Value]]
    init(_ initial: [ResourceAddress: [String: Value]]) { outputs = initial }
    func set(_ address: ResourceAddress, _ values: [String: Value]) { outputs[address] = values }
    func snapshot() -> [ResourceAddress: [String: Value]] { outputs }
}

// Planner: turns a program, the state rows and what refresh saw into a Plan. It writes
// nothing; of the providers it calls only `normalize`, the read-only `validate`, and `read`
// for a resource being imported.

import ScwCore

public struct Planner: Sendable {
    public enum Mode: Sendable { case deploy, destroy }

    public var registry: ProviderRegistry
    public var stack: String
    public var transformer: (any ValueTransformer)?

    public init(registry: ProviderRegistry, stack: String, transformer: (any ValueTransformer)?) {
        self.registry = registry
        self.stack = stack
        self.transformer = transformer
    }

    /// `imports`: what `lifecycle.import_id` names, read by the engine beforehand.
    /// `targets`: plan only these and what they need (deploy) or what needs them (destroy).
    public func plan(program: Program, state: [ResourceState], refreshed: [ResourceAddress: RefreshOutcome], mode: Mode,
                     imports: [ResourceAddress: ImportRead] = [:], targets: Set<ResourceAddress>? = nil) async throws -> Plan {
        var rows = Dictionary(state.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var refreshed = refreshed
        var errors: [Diagnostic] = []
        var changes: [PlannedChange] = []
        var known: [ResourceAddress: [String: Value]] = [:]
        let declared = mode == .deploy ? program.declarations : []
        let declaredByAddress = Dictionary(declared.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<ResourceAddress>()
        for d in declared where !seen.insert(d.address).inserted {
            // A second declaration of one address would otherwise be dropped without a word.
            let first = declaredByAddress[d.address]!.location.map { " (first at \($0))" } ?? ""
            errors.append(Diagnostic("\(d.address) is declared twice\(first)", at: d.location.map { .script($0) } ?? .resource(d.address)))
        }

        errors += uniquenessErrors(declared)
        errors += sameParentErrors(declaredByAddress)

        // Renames: a declaration `moved_from` an address state holds takes that row (and what
        // refresh saw of it); the row moves at apply, the cloud is not touched.
        var movedFrom: [ResourceAddress: ResourceAddress] = [:]
        var movedAway = Set<ResourceAddress>()
        for d in declared {
            guard let from = d.lifecycle.movedFrom, from != d.address else { continue }
            let at: Diagnostic.Place = d.location.map { .script($0) } ?? .resource(d.address)
            if from.type != d.address.type {
                errors.append(Diagnostic("\(d.address): moved_from \(from) is another type; a resource keeps its type", at: at))
            } else if rows[from] != nil, rows[d.address] != nil {
                errors.append(Diagnostic("\(d.address): cannot move \(from) onto \(d.address): state already holds both", at: at,
                                         hint: "remove moved_from, or `scwlua state rm \(d.address)` first"))
            } else if declaredByAddress[from] != nil {
                errors.append(Diagnostic("\(d.address): moved_from \(from), which the script still declares", at: at))
            } else if let row = rows[from] {
                rows[d.address] = row
                refreshed[d.address] = refreshed[from]
                movedFrom[d.address] = from
                movedAway.insert(from)
            }
        }

        // Imports: a declaration with `import_id` and no state row adopts what the engine read.
        var importing = Set<ResourceAddress>()
        var unreadOnImport: [ResourceAddress: [String]] = [:]
        for d in declared where rows[d.address] == nil {
            guard let id = d.lifecycle.importID else { continue }
            let at: Diagnostic.Place = d.location.map { .script($0) } ?? .resource(d.address)
            switch imports[d.address] {
            case .found(let row)?:
                rows[d.address] = row
                refreshed[d.address] = .present(ReadResult(outputs: row.outputs, observed: row.inputs))
                importing.insert(d.address)
            case .problem(let message)?:
                errors.append(Diagnostic("\(d.address): import_id \(id): \(message)", at: at))
            case nil:
                errors.append(Diagnostic("\(d.address): import_id \(id) was not read", at: at))
            }
        }

        // Lookups first: read now, their values known to everything after them.
        let looked = mode == .deploy ? try await readLookups(program.lookups, known: &known, changes: &changes, errors: &errors) : []

        // Dependency order over what the script declares.
        var edges: [ResourceAddress: [ResourceAddress]] = [:]
        for d in declared {
            for dep in d.dependencies where declaredByAddress[dep] == nil && !looked.contains(dep) {
                errors.append(Diagnostic("references \(dep), which the script does not declare", at: d.location.map { .script($0) } ?? .resource(d.address)))
            }
            edges[d.address] = d.dependencies.filter { declaredByAddress[$0] != nil }
        }
        let order = try DependencyGraph(edges: edges).topologicalOrder()

        for address in order {
            let decl = declaredByAddress[address]!
            guard let provider = registry.provider(for: address.type) else {
                errors.append(Diagnostic("unknown resource type \(address.type)", at: decl.location.map { .script($0) } ?? .resource(address)))
                continue
            }
            let context = ProviderContext(stack: stack, address: address, timeouts: decl.timeouts)
            let resolver = Resolver(outputs: known, transformer: transformer)
            var inputs = try await resolver.resolve(decl.props)
            if let problem = RangeCheck.firstProblem(inputs, specs: provider.schema.props) {
                errors.append(located(Diagnostic("\(address): \(problem)"), decl))
                continue
            }
            do {
                inputs = try provider.normalize(inputs, context: context)
            } catch let diag as Diagnostic {
                errors.append(located(diag, decl))
                continue
            }
            if let row = rows[address], row.status == .imported || importing.contains(address) {
                // Read again with the declared inputs resolved: providers report the props the
                // script sets (a private network's vpc_id, a volume's size), so the diff shows
                // only real differences.
                do {
                    if let read = try await provider.read(id: row.id, inputs: inputs, context: context) {
                        refreshed[address] = .present(SecretEcho.mask(read, inputs: inputs))
                        // What the provider cannot read back (an image given by label, a
                        // password) is taken as the script declares it, and the plan says so.
                        let unread = inputs.keys.filter { read.observed[$0] == nil && provider.schema.prop($0) != nil && inputs[$0] != .null }.sorted()
                        var adjusted = row
                        adjusted.inputs = inputs.merging(read.observed) { _, observed in observed }
                        rows[address] = adjusted
                        if !unread.isEmpty { unreadOnImport[address] = unread }
                    }
                } catch {
                    errors.append(located(Diagnostic("\(address): reading the imported resource failed: \(error)"), decl))
                }
            }
            var change = plannedChange(decl: decl, provider: provider, inputs: inputs, row: rows[address], outcome: refreshed[address])
            if let from = movedFrom[address] {
                change.movedFrom = from
                if change.action == .noop { change.action = .stateOnly }
                change.reason = change.reason.map { "moved from \(from); \($0)" } ?? "moved from \(from)"
            }
            if let unread = unreadOnImport[address] {
                let note = "taken as declared (cannot be read back): \(unread.joined(separator: ", "))"
                change.reason = change.reason.map { "\($0); \(note)" } ?? note
            }
            if importing.contains(address) {
                if change.action.isReplacement {
                    let props = change.changes.filter(\.forcesReplacement).map(\.name).joined(separator: ", ")
                    errors.append(located(Diagnostic("\(address): import_id \(decl.lifecycle.importID ?? ""): the existing resource differs in \(props), which cannot change in place",
                                                     hint: "make the script match the resource, then import it"), decl))
                }
                change.action = .importing
                change.reason = "import \(decl.lifecycle.importID ?? "")" + (unreadOnImport[address].map { "; taken as declared (cannot be read back): \($0.joined(separator: ", "))" } ?? "")
            }
            if [.create, .update, .replace, .createThenDelete].contains(change.action) {
                do {
                    try await provider.validate(inputs, context: context)
                } catch let diag as Diagnostic {
                    errors.append(located(diag, decl))
                } catch let list as DiagnosticList {
                    errors += list.items.map { located($0, decl) }
                }
            }
            if [.replace, .createThenDelete].contains(change.action), decl.lifecycle.protect || rows[address]?.protect == true {
                errors.append(Diagnostic("is protected (lifecycle.protect) and this change would replace it: \(change.changes.filter(\.forcesReplacement).map(\.name).joined(separator: ", "))",
                                         at: decl.location.map { .script($0) } ?? .resource(address),
                                         hint: "remove lifecycle.protect first, or revert the change"))
            }
            switch change.action {
            case .noop, .stateOnly:
                known[address] = currentOutputs(row: rows[address], outcome: refreshed[address])
            case .update, .importing:
                known[address] = Self.outputsAfterUpdate(currentOutputs(row: rows[address], outcome: refreshed[address]),
                                                         change: change, schema: provider.schema)
            case .create, .replace, .createThenDelete:
                known[address] = Self.outputsAtCreate(change, schema: provider.schema)
            default:
                break
            }
            changes.append(change)
        }

        errors += LocalityCheck.problems(changes, registry: registry)

        // A create-before-destroy resource's old half keeps using what it depended on until it
        // is deleted, so those are replaced the same way (as Terraform does); otherwise their
        // delete would come first and fail on every run. Changes are in dependency order, so
        // walking back carries this down whole chains.
        for i in changes.indices.reversed() where changes[i].action == .createThenDelete {
            for j in changes.indices where changes[j].action == .replace && changes[i].prior?.dependencies.contains(changes[j].address) == true {
                changes[j].action = .createThenDelete
                changes[j].reason = changes[j].reason ?? "create before destroy, as \(changes[i].address) depends on it"
            }
        }

        // What state holds that the script no longer declares, deleted dependants first.
        let orphans = state.filter { declaredByAddress[$0.address] == nil && !movedAway.contains($0.address) }
        for row in deletionOrder(orphans) {
            let outcome = refreshed[row.address]
            var change = PlannedChange(address: row.address, action: .delete, prior: row)
            switch outcome {
            case .gone? where row.status == .deleting && row.retain == false:
                // The delete was interrupted after the resource went: delete again (a no-op
                // for the resource itself) so the provider can sweep what the interrupted run
                // left, such as a server's root volume.
                change.action = .delete
                change.reason = "finishing an interrupted delete"
            case .gone?, .neverCreated?:
                change.action = .stateOnly
                change.reason = row.status == .creating ? "interrupted create left nothing behind" : "already deleted outside scwlua"
            case .halfMade(let found)?:
                // Never forgotten: what an interrupted create left is deleted (retain and
                // protect are about what was made whole).
                change.prior?.id = found.id
                change.reason = "deleting what an interrupted create left half-made"
            case .unknownType?:
                errors.append(Diagnostic("state holds a resource of unknown type \(row.address.type)", at: .resource(row.address)))
                continue
            default:
                if row.retain {
                    change.action = .forget
                    change.reason = "lifecycle.retain: left in the cloud"
                } else if row.protect {
                    errors.append(Diagnostic("is protected (lifecycle.protect) and would be deleted\(mode == .destroy ? " by destroy" : " because the script no longer declares it")",
                                             at: .resource(row.address), hint: "set lifecycle.protect = false and deploy first, or keep it with lifecycle.retain"))
                }
                if case .adopted(let found)? = outcome { change.prior?.id = found.id }
            }
            changes.append(change)
        }

        // Further matches of an interrupted create: the row keeps one, the others go.
        for (address, outcome) in refreshed.sorted(by: { $0.key < $1.key }) {
            guard case .duplicate(let owner, let found) = outcome, let row = rows[owner] else { continue }
            let prior = ResourceState(address: address, id: found.id, status: .created, inputs: row.inputs, outputs: found.outputs,
                                      dependencies: row.dependencies)
            var change = PlannedChange(address: address, action: .delete, prior: prior)
            change.reason = "a duplicate of \(owner) left by an interrupted create"
            changes.append(change)
        }

        // Declared timeouts hold for every operation on the address, deletes by destroy included.
        let timeouts = Dictionary(program.declarations.map { ($0.address, $0.timeouts) }, uniquingKeysWith: { a, _ in a })
        for i in changes.indices {
            changes[i].timeouts = changes[i].declaration?.timeouts ?? timeouts[Refresher.liveAddress(of: changes[i].address)]
        }

        if let targets {
            let (kept, problems) = Self.targeted(targets, changes: changes, declared: declaredByAddress, mode: mode)
            errors += problems
            changes = changes.filter { kept.contains($0.address) }
        }

        let outputs = try await Resolver(outputs: known, transformer: transformer).resolve(mode == .deploy && targets == nil ? program.outputs : [:])
        var plan = Plan(stack: stack, changes: changes, outputs: outputs, errors: errors, knownOutputs: known)
        plan.targets = targets.map { $0.sorted() }
        return plan
    }

    /// Reads each lookup (its query resolved from earlier lookups); exactly one match makes
    /// its outputs known, zero or several are located errors listing what was found.
    private func readLookups(_ lookups: [LookupDeclaration], known: inout [ResourceAddress: [String: Value]],
                             changes: inout [PlannedChange], errors: inout [Diagnostic]) async throws -> Set<ResourceAddress> {
        var addresses = Set<ResourceAddress>()
        for l in lookups {
            addresses.insert(l.address)
            let at: Diagnostic.Place = l.location.map { .script($0) } ?? .resource(l.address)
            let what = "lookup.\(l.address.type) \(JSON.encode(.map(l.query)))"
            let query = try await Resolver(outputs: known, transformer: transformer).resolve(l.query)
            guard !query.values.contains(where: \.containsUnknown) else {
                errors.append(Diagnostic("\(what): its query must be known at plan time (it uses a value known only after apply)", at: at))
                continue
            }
            guard let lookup = registry.lookup(for: l.address.type) else {
                errors.append(Diagnostic("\(what): \(l.address.type) cannot be looked up", at: at))
                continue
            }
            let matches: [CreateResult]
            do {
                matches = try await lookup(query, ProviderContext(stack: stack, address: l.address))
            } catch let d as Diagnostic {
                errors.append(Diagnostic("\(what): \(d.message)", at: at, hint: d.hint))
                continue
            }
            switch matches.count {
            case 0:
                errors.append(Diagnostic("\(what) matches nothing", at: at, hint: "check the name and filters (and the region or zone)"))
            case 1:
                var outputs = matches[0].outputs
                if outputs["id"] == nil { outputs["id"] = .string(matches[0].id) }
                known[l.address] = outputs
                var change = PlannedChange(address: l.address, action: .read,
                                           changes: query.keys.sorted().map { PropChange(name: $0, old: nil, new: query[$0], forcesReplacement: false) })
                change.reason = "found \(matches[0].id)"
                changes.append(change)
            default:
                errors.append(Diagnostic("\(what) matches \(matches.count) resources: \(matches.map(\.id).joined(separator: ", "))", at: at,
                                         hint: "add filters, or look it up by id"))
            }
        }
        return addresses
    }

    /// The addresses a targeted plan keeps: the targets and, for a deploy, everything they
    /// depend on; for a destroy, everything that depends on them.
    static func targeted(_ targets: Set<ResourceAddress>, changes: [PlannedChange], declared: [ResourceAddress: Declaration],
                         mode: Mode) -> (Set<ResourceAddress>, [Diagnostic]) {
        var problems: [Diagnostic] = []
        let known = Set(changes.map(\.address)).union(declared.keys)
        for t in targets.sorted() where !known.contains(t) {
            problems.append(Diagnostic("--target \(t): the script declares no such resource and state holds none"))
        }
        var kept = targets.intersection(known)
        var frontier = Array(kept)
        while let next = frontier.popLast() {
            let more: [ResourceAddress]
            switch mode {
            case .deploy:
                more = declared[next]?.dependencies ?? changes.first { $0.address == next }?.prior?.dependencies ?? []
            case .destroy:
                more = changes.filter { ($0.prior?.dependencies ?? []).contains(next) }.map(\.address)
            }
            for m in more where kept.insert(m).inserted { frontier.append(m) }
        }
        return (kept, problems)
    }

    /// A declaration whose references must share a parent (`ResourceSchema.sameParent`) and do
    /// not, decided from the declarations (references) or from known ids (the UUID part).
    private func sameParentErrors(_ declared: [ResourceAddress: Declaration]) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func uuid(_ v: Value?) -> String? { v?.stringValue.map { String($0.split(separator: "/").last ?? "") } }
        for d in declared.values.sorted(by: { $0.address < $1.address }) {
            for rule in registry.provider(for: d.address.type)?.schema.sameParent ?? [] {
                guard case .ref(let child)? = d.props[rule.prop], let childDecl = declared[child.address] else { continue }
                let mine = d.props[rule.parentProp], theirs = childDecl.props[rule.parentProp]
                let differ: Bool
                switch (mine, theirs) {
                case (.ref(let a)?, .ref(let b)?): differ = a.address != b.address
                case (.string?, .string?): differ = uuid(mine) != uuid(theirs)
                default: differ = false
                }
                guard differ else { continue }
                func name(_ v: Value?) -> String { if case .ref(let r)? = v { return r.address.description }; return v?.stringValue ?? "?" }
                errors.append(Diagnostic("\(d.address): \(rule.prop) is \(child.address), which belongs to \(name(theirs)), but \(rule.parentProp) is \(name(mine))",
                                         at: d.location.map { .script($0) } ?? .resource(d.address),
                                         hint: "use a \(child.address.type) of \(name(mine))"))
            }
        }
        return errors
    }

    /// Two declarations of a type sharing every value of one of its `uniqueTogether` groups
    /// (compared as written, references included), e.g. two frontends on one port of one LB.
    private func uniquenessErrors(_ declared: [Declaration]) -> [Diagnostic] {
        struct Claim: Hashable { let type: String; let group: [String]; let values: [Value] }
        var first: [Claim: Declaration] = [:]
        var errors: [Diagnostic] = []
        for d in declared {
            for group in registry.provider(for: d.address.type)?.schema.uniqueTogether ?? [] {
                let values = group.map { d.props[$0] ?? .null }
                guard !values.contains(.null) else { continue }
                let claim = Claim(type: d.address.type, group: group, values: values)
                if let other = first[claim], other.address != d.address {
                    errors.append(Diagnostic("\(group.joined(separator: " and ")) already used by \(other.address)\(other.location.map { " (\($0))" } ?? "")",
                                             at: d.location.map { .script($0) } ?? .resource(d.address),
                                             hint: "give each \(d.address.type) its own \(group.last ?? "value")"))
                } else if first[claim] == nil {
                    first[claim] = d
                }
            }
        }
        return errors
    }

    private func located(_ diag: Diagnostic, _ decl: Declaration) -> Diagnostic {
        var d = diag
        if case .nowhere = d.place, let loc = decl.location { d.place = .script(loc) }
        if case .resource(let address) = d.place, let loc = decl.location {
            d.place = .script(loc)
            d.message = "\(address): \(d.message)"
        }
        if case .apiField(let field) = d.place, let loc = decl.location {
            d.place = .script(loc)
            d.message = "\(field): \(d.message)"
        }
        return d
    }

    private func plannedChange(decl: Declaration, provider: any ResourceProvider, inputs: [String: Value],
                               row: ResourceState?, outcome: RefreshOutcome?) -> PlannedChange {
        let schema = provider.schema
        var change = PlannedChange(address: decl.address, action: .create, inputs: inputs, prior: row, declaration: decl)
        guard let row else {
            change.changes = Diff.creation(schema: schema, inputs: inputs)
            return change
        }
        var baseline = row.inputs
        let absent: Bool
        switch outcome {
        case .gone?, .neverCreated?, .halfMade?: absent = true
        case nil: absent = row.status != .created
        default: absent = false
        }
        if absent {
            change.changes = Diff.creation(schema: schema, inputs: inputs)
            if case .halfMade? = outcome {
                change.reason = "finishing what an interrupted create left half-made"
            } else {
                change.reason = row.status == .creating ? "an earlier create was interrupted before anything was made"
                    : "deleted outside scwlua"
            }
            return change
        }
        switch outcome {
        case .adopted(let found)?:
            change.reason = "adopting the resource an interrupted create made"
            change.prior?.id = found.id
            change.prior?.outputs = found.outputs
        case .present(let read)?:
            for (k, v) in read.observed { baseline[k] = v }
        default:
            break
        }
        let diffs = Diff.changes(schema: schema, old: baseline, new: inputs, ignoring: decl.lifecycle.ignoreChanges) { prop, old, new in
            provider.replacementReason(prop: prop, old: old, new: new, inputs: inputs)
        }
        change.changes = diffs
        if case .adopted(let found)? = outcome, let why = found.replaceReason {
            change.action = decl.lifecycle.createBeforeDestroy || schema.createBeforeDestroyByDefault ? .createThenDelete : .replace
            change.reason = why
        } else if diffs.contains(where: \.forcesReplacement) {
            change.action = decl.lifecycle.createBeforeDestroy || schema.createBeforeDestroyByDefault ? .createThenDelete : .replace
        } else if !diffs.isEmpty {
            change.action = .update
        } else if case .adopted? = outcome {
            change.action = .stateOnly
        } else if row.status == .imported {
            // Imported by `scwlua import`: the first deploy tags it as this stack's, openly.
            change.action = .update
            change.reason = "imported: adding this stack's ownership tags"
        } else if row.protect != decl.lifecycle.protect || row.retain != decl.lifecycle.retain || row.status != .created {
            change.action = .stateOnly
            change.reason = change.reason ?? "lifecycle flags changed"
        } else {
            change.action = .noop
        }
        if !change.action.isReplacement {
            // ignore_changes: the resource keeps what it has, whatever the script now says.
            for key in decl.lifecycle.ignoreChanges { change.inputs[key] = baseline[key] }
        }
        return change
    }

    /// The outputs of a resource about to be made, as far as known at plan time: a plain
    /// output that echoes a plain prop the plan knows (a name set or defaulted, a region)
    /// takes its value; every other output is unknown until the create answers.
    static func outputsAtCreate(_ change: PlannedChange, schema: ResourceSchema) -> [String: Value] {
        let plain: [PropKind] = [.string, .int, .number, .bool]
        var out: [String: Value] = [:]
        for spec in schema.outputs {
            if plain.contains(spec.kind), let prop = schema.prop(spec.name), plain.contains(prop.kind), !prop.sensitive, !spec.sensitive,
               let value = change.inputs[spec.name], value != .null, !value.containsUnknown, !value.isSensitive {
                out[spec.name] = value
            } else {
                out[spec.name] = .unknown
            }
        }
        return out
    }

    /// The outputs an update leaves, as far as known at plan time: a plain output named like a
    /// changed plain prop takes its new value; other outputs named like a changed prop, and
    /// those the schema says change with one, become unknown. Dependants that read them are then planned against those values.
    static func outputsAfterUpdate(_ current: [String: Value], change: PlannedChange, schema: ResourceSchema) -> [String: Value] {
        var out = current
        let changed = Set(change.changes.map(\.name))
        for spec in schema.outputs {
            if changed.contains(spec.name) {
                // A plain value echoes its prop; anything shaped by the cloud (an id given as
                // `zone/uuid`, a table) is known only once the update has answered.
                let echoes = [.string, .int, .number, .bool].contains(spec.kind) && schema.prop(spec.name).map { [.string, .int, .number, .bool].contains($0.kind) } == true
                out[spec.name] = echoes ? (change.inputs[spec.name] ?? .unknown) : .unknown
            } else if !spec.changesWith.isDisjoint(with: changed) {
                out[spec.name] = .unknown
            }
        }
        return out
    }

    private func currentOutputs(row: ResourceState?, outcome: RefreshOutcome?) -> [String: Value] {
        switch outcome {
        case .present(let read)?: return ResourceState.carryingOver(row?.outputs ?? [:], into: read.outputs)
        case .adopted(let found)?: return found.outputs
        default: return row?.outputs ?? [:]
        }
    }

    /// Orphans ordered so that a resource is deleted before those it depends on.
    func deletionOrder(_ rows: [ResourceState]) -> [ResourceState] {
        let byAddress = Dictionary(rows.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        var edges: [ResourceAddress: [ResourceAddress]] = [:]
        for r in rows { edges[r.address] = r.dependencies.filter { byAddress[$0] != nil } }
        let order = (try? DependencyGraph(edges: edges).topologicalOrder()) ?? rows.map(\.address).sorted()
        return order.reversed().compactMap { byAddress[$0] }
    }
}

/// What the engine found for a declaration's `lifecycle.import_id`.
public enum ImportRead: Sendable {
    /// The resource as state will hold it (status `.imported`, inputs as the cloud has them).
    case found(ResourceState)
    /// Why it cannot be imported (not found, owned by another stack, already tracked).
    case problem(String)
}

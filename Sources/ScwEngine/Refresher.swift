// Refresher: asks the cloud what became of every resource state knows, in parallel. Types
// whose provider reads in batches are listed first (pages, not resources); what the lists
// did not show, and every interrupted create, is then looked at one row at a time.

import ScwCore

/// What the cloud says about one state row.
public enum RefreshOutcome: Sendable {
    /// It exists; here is how it looks now.
    case present(ReadResult)
    /// It is gone (deleted outside scwlua, or a delete finished before a crash).
    case gone
    /// A create was interrupted, and a resource with our ownership tags was found.
    case adopted(CreateResult)
    /// A create was interrupted, and only a half-made resource with our ownership tags was
    /// found: a deploy finishes it, a destroy (or a script without it) deletes it.
    case halfMade(CreateResult)
    /// A further resource with the ownership tags of a row whose create was interrupted (a
    /// duplicate): reported under `Type/name~duplicate-N` and deleted by the next apply.
    case duplicate(of: ResourceAddress, CreateResult)
    /// A create was interrupted before anything was made.
    case neverCreated
    /// Its type is unknown to this build (state written by a newer version?).
    case unknownType
}

public struct Refresher: Sendable {
    public var registry: ProviderRegistry
    public var stack: String
    public var parallelism: Int

    public init(registry: ProviderRegistry, stack: String, parallelism: Int) {
        self.registry = registry
        self.stack = stack
        self.parallelism = max(1, parallelism)
    }

    /// One outcome per row, plus `.duplicate` entries (under `Type/name~duplicate-N`) for every
    /// further match of a row whose create was interrupted.
    public func refresh(_ rows: [ResourceState]) async throws -> [ResourceAddress: RefreshOutcome] {
        let trackedIDs = Set(rows.map(\.id).filter { !$0.isEmpty })
        var results = await batchReads(rows)
        try await withThrowingTaskGroup(of: (ResourceAddress, RefreshOutcome, [CreateResult]).self) { group in
            var pending = rows.filter { results[$0.address] == nil }[...]
            var running = 0
            while true {
                while running < parallelism, let row = pending.popFirst() {
                    running += 1
                    group.addTask {
                        let (outcome, duplicates) = try await self.refreshOne(row, trackedIDs: trackedIDs)
                        return (row.address, outcome, duplicates)
                    }
                }
                guard let (address, outcome, duplicates) = try await group.next() else { break }
                running -= 1
                results[address] = outcome
                for (n, duplicate) in duplicates.enumerated() {
                    results[Self.duplicateAddress(of: address, n + 1)] = .duplicate(of: address, duplicate)
                }
            }
        }
        return results
    }

    /// Rows a batched read may answer: those state says exist (created, or being deleted).
    /// Interrupted creates always go through `find` (adoption, half-made, duplicates).
    static func batchable(_ row: ResourceState) -> Bool {
        (row.status == .created || row.status == .deleting) && !row.id.isEmpty
    }

    /// Fewer rows of a type than this are read one by one: a list would cost as much.
    static let minimumBatch = 2

    /// `.present` for every row a provider's batched read showed, all types at once. A row
    /// the lists did not show is left out (read on its own later: gone, or the list lags),
    /// and so is every row of a type whose batched read failed, so the outcome is the one
    /// per-resource reads give.
    func batchReads(_ rows: [ResourceState]) async -> [ResourceAddress: RefreshOutcome] {
        let byType = Dictionary(grouping: rows.filter(Self.batchable), by: \.address.type)
        return await withTaskGroup(of: [ResourceAddress: RefreshOutcome].self) { group in
            for (type, typeRows) in byType where typeRows.count >= Self.minimumBatch {
                guard let provider = registry.provider(for: type) else { continue }
                let stack = self.stack
                group.addTask {
                    let request = typeRows.map { BatchReadRow(id: $0.id, inputs: $0.inputs) }
                    guard let found = try? await provider.readBatch(request, stack: stack) else { return [:] }
                    var out: [ResourceAddress: RefreshOutcome] = [:]
                    for row in typeRows {
                        if let read = found[row.id] { out[row.address] = .present(SecretEcho.mask(read, inputs: row.inputs)) }
                    }
                    return out
                }
            }
            var all: [ResourceAddress: RefreshOutcome] = [:]
            for await part in group { all.merge(part) { a, _ in a } }
            return all
        }
    }

    /// The outcome of one row, and the extra matches of an interrupted create (duplicates).
    func refreshOne(_ row: ResourceState, trackedIDs: Set<String>) async throws -> (RefreshOutcome, [CreateResult]) {
        guard let provider = registry.provider(for: row.address.type) else { return (.unknownType, []) }
        let context = ProviderContext(stack: stack, address: Self.liveAddress(of: row.address))
        switch row.status {
        case .creating:
            // Every match, half-made ones included, is accounted for: one is kept (a complete
            // one first), the others are duplicates to delete. A match already tracked by
            // another row (the old half of a replacement) is not ours.
            let found = try await provider.find(inputs: row.inputs, context: context).filter { !trackedIDs.contains($0.id) }
                .map { SecretEcho.mask($0, inputs: row.inputs) }
            if let complete = found.firstIndex(where: { !$0.halfMade }) {
                var rest = found
                let kept = rest.remove(at: complete)
                return (.adopted(kept), rest)
            }
            if let first = found.first { return (.halfMade(first), Array(found.dropFirst())) }
            return (.neverCreated, [])
        case .created, .deleting, .imported:
            if row.id.isEmpty { return (.gone, []) }
            if let read = try await provider.read(id: row.id, inputs: row.inputs, context: context) {
                return (.present(SecretEcho.mask(read, inputs: row.inputs)), [])
            }
            return (.gone, [])
        }
    }

    /// A deposed row (old half of a create-before-destroy) is named `name~deposed`, a
    /// duplicate `name~duplicate-N`; their ownership tags carry the live address (script
    /// names cannot hold `~`).
    static func liveAddress(of address: ResourceAddress) -> ResourceAddress {
        if let tilde = address.name.firstIndex(of: "~") {
            return ResourceAddress(type: address.type, name: String(address.name[..<tilde]))
        }
        return address
    }

    static func duplicateAddress(of address: ResourceAddress, _ n: Int) -> ResourceAddress {
        ResourceAddress(type: address.type, name: "\(address.name)~duplicate-\(n)")
    }

    static func isDuplicate(_ address: ResourceAddress) -> Bool { address.name.contains("~duplicate-") }

    static let deposedSuffix = "~deposed"
}

// Refresher: asks the cloud what became of every resource state knows, in parallel.

import ScwCore

/// What the cloud says about one state row.
public enum RefreshOutcome: Sendable {
    /// It exists; here is how it looks now.
    case present(ReadResult)
    /// It is gone (deleted outside scwlua, or a delete finished before a crash).
    case gone
    /// A create was interrupted, and a resource with our ownership tags was found.
    case adopted(CreateResult)
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

    public func refresh(_ rows: [ResourceState]) async throws -> [ResourceAddress: RefreshOutcome] {
        let trackedIDs = Set(rows.map(\.id).filter { !$0.isEmpty })
        var results: [ResourceAddress: RefreshOutcome] = [:]
        try await withThrowingTaskGroup(of: (ResourceAddress, RefreshOutcome).self) { group in
            var pending = rows[...]
            var running = 0
            while true {
                while running < parallelism, let row = pending.popFirst() {
                    running += 1
                    group.addTask { (row.address, try await self.refreshOne(row, trackedIDs: trackedIDs)) }
                }
                guard let (address, outcome) = try await group.next() else { break }
                running -= 1
                results[address] = outcome
            }
        }
        return results
    }

    func refreshOne(_ row: ResourceState, trackedIDs: Set<String>) async throws -> RefreshOutcome {
        guard let provider = registry.provider(for: row.address.type) else { return .unknownType }
        let context = ProviderContext(stack: stack, address: Self.liveAddress(of: row.address))
        switch row.status {
        case .creating:
            // A match already tracked by another row (the old half of a replacement) is not ours to adopt.
            let found = try await provider.find(inputs: row.inputs, context: context).filter { !trackedIDs.contains($0.id) }
            if let first = found.first { return .adopted(SecretEcho.mask(first, inputs: row.inputs)) }
            return .neverCreated
        case .created, .deleting:
            if row.id.isEmpty { return .gone }
            if let read = try await provider.read(id: row.id, inputs: row.inputs, context: context) {
                return .present(SecretEcho.mask(read, inputs: row.inputs))
            }
            return .gone
        }
    }

    /// A deposed row (old half of a create-before-destroy) is named `name~deposed`; its
    /// ownership tags carry the live address.
    static func liveAddress(of address: ResourceAddress) -> ResourceAddress {
        if address.name.hasSuffix(deposedSuffix) {
            return ResourceAddress(type: address.type, name: String(address.name.dropLast(deposedSuffix.count)))
        }
        return address
    }

    static let deposedSuffix = "~deposed"
}

// FakeCloud and FakeProvider: an in-memory cloud with one provider per fake resource type.
// It counts write calls, can fail or lose the answer to chosen calls, can slow calls down to
// measure concurrency, and finds resources by their ownership tags, as a real provider must.

import Foundation
import ScwCore
import ScwEngine

struct FakeError: Error, CustomStringConvertible {
    var description: String
}

/// A resource as the fake cloud holds it.
struct CloudResource: Sendable, Hashable {
    var id: String
    var type: String
    /// Props as the cloud has them (plain: secrets revealed, nulls dropped).
    var props: [String: Value]
    /// `scwlua:stack=...`, `scwlua:urn=...`
    var ownerTags: [String]
}

final class FakeCloud: Sendable {
    private struct Contents {
        var resources: [String: CloudResource] = [:]
        var nextID = 1
        var creates = 0, updates = 0, deletes = 0, reads = 0, finds = 0, lists = 0
        var hiddenFromLists: Set<String> = []
        var inFlight = 0, maxInFlight = 0
        var failCreate: Set<ResourceAddress> = []
        var failUpdate: Set<ResourceAddress> = []
        var failDelete: Set<ResourceAddress> = []
        var ambiguousCreate: Set<ResourceAddress> = []
        var delay: Duration?
        var waitForInFlight: Int?
        var onCreate: (@Sendable (ResourceAddress) -> Void)?
        var createTimeouts: [ResourceAddress: Timeouts] = [:]
        var deleteTimeouts: [ResourceAddress: Timeouts] = [:]
    }

    private let contents = Locked(Contents())
    let journal: Journal
    private let crash: CrashSwitch?

    init(journal: Journal = Journal(), crash: CrashSwitch? = nil) {
        self.journal = journal
        self.crash = crash
    }

    // MARK: knobs

    /// The next creates of these addresses fail cleanly (nothing made).
    func failCreate(of address: ResourceAddress) { contents.withLock { _ = $0.failCreate.insert(address) } }
    func failUpdate(of address: ResourceAddress) { contents.withLock { _ = $0.failUpdate.insert(address) } }
    func failDelete(of address: ResourceAddress) { contents.withLock { _ = $0.failDelete.insert(address) } }
    func stopFailing() { contents.withLock { $0.failCreate = []; $0.failUpdate = []; $0.failDelete = [] } }
    /// The next create of this address makes the resource, then loses the answer (once).
    func loseCreateAnswer(of address: ResourceAddress) { contents.withLock { _ = $0.ambiguousCreate.insert(address) } }
    /// Every write call sleeps this long.
    func delayWrites(_ d: Duration) { contents.withLock { $0.delay = d } }
    /// Every write call waits (up to 2 s) until this many writes have been in flight at once,
    /// so a concurrency test measures counts and does not depend on timing.
    func holdWritesUntilInFlight(_ n: Int) { contents.withLock { $0.waitForInFlight = n } }
    /// Called inside create, before the resource is made (to look at state at that instant).
    func onCreate(_ hook: @escaping @Sendable (ResourceAddress) -> Void) { contents.withLock { $0.onCreate = hook } }

    // MARK: observation

    var createCount: Int { contents.withLock { $0.creates } }
    var readCount: Int { contents.withLock { $0.reads } }
    var listCount: Int { contents.withLock { $0.lists } }
    /// Lists leave these ids out (a list that lags behind the cloud).
    func hideFromLists(_ id: String) { contents.withLock { _ = $0.hiddenFromLists.insert(id) } }
    var updateCount: Int { contents.withLock { $0.updates } }
    var deleteCount: Int { contents.withLock { $0.deletes } }
    var writeCount: Int { contents.withLock { $0.creates + $0.updates + $0.deletes } }
    var maxInFlight: Int { contents.withLock { $0.maxInFlight } }
    /// The timeouts each create was given.
    var createTimeouts: [ResourceAddress: Timeouts] { contents.withLock { $0.createTimeouts } }
    /// The timeouts each delete was given.
    var deleteTimeouts: [ResourceAddress: Timeouts] { contents.withLock { $0.deleteTimeouts } }
    var all: [CloudResource] { contents.withLock { $0.resources.values.sorted { $0.id < $1.id } } }

    func resources(of address: ResourceAddress, stack: String = testStack) -> [CloudResource] {
        let tags = ProviderContext(stack: stack, address: address).ownershipTags
        return all.filter { r in r.type == address.type && tags.allSatisfy(r.ownerTags.contains) }
    }

    /// The one resource owned by `address`; nil when there is none or more than one.
    func resource(_ address: ResourceAddress) -> CloudResource? {
        let found = resources(of: address)
        return found.count == 1 ? found[0] : nil
    }

    func resource(id: String) -> CloudResource? { contents.withLock { $0.resources[id] } }

    /// Puts a resource in the cloud as if made earlier (by a run that crashed, or by hand).
    @discardableResult
    func seed(_ address: ResourceAddress, props: [String: Value], owned: Bool = true, stack: String = testStack) -> CloudResource {
        contents.withLock { c in
            let r = CloudResource(id: "\(address.type.lowercased())-\(c.nextID)", type: address.type, props: Self.plain(props),
                                  ownerTags: owned ? ProviderContext(stack: stack, address: address).ownershipTags : [])
            c.nextID += 1
            c.resources[r.id] = r
            return r
        }
    }

    /// Changes a resource behind scwlua's back.
    func mutateOutside(id: String, _ body: (inout CloudResource) -> Void) {
        contents.withLock { c in
            guard var r = c.resources[id] else { return }
            body(&r)
            c.resources[id] = r
        }
    }

    func deleteOutside(id: String) { contents.withLock { _ = $0.resources.removeValue(forKey: id) } }

    // MARK: calls (used by FakeProvider)

    func create(type: String, _ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let address = context.address
        journal.record("create \(address)")
        contents.withLock { $0.creates += 1; $0.createTimeouts[address] = context.timeouts }
        return try await inFlight {
            if inputs.values.contains(where: \.containsUnknown) { throw FakeError(description: "create got an unknown input") }
            let hook = contents.withLock { $0.onCreate }
            hook?(address)
            let (resource, ambiguous) = try contents.withLock { c -> (CloudResource, Bool) in
                if c.failCreate.contains(address) { throw FakeError(description: "quota exceeded for \(address)") }
                if crash?.consume() == false { throw KilledError() }
                if let parent = inputs["parent"]?.stringValue, c.resources[parent] == nil {
                    throw FakeError(description: "parent \(parent) does not exist")
                }
                // A half-made resource of this address (props.pending) is finished, not made again,
                // as the Instance provider resumes a pending server.
                if var half = c.resources.values.first(where: { $0.type == type && $0.ownerTags == context.ownershipTags && $0.props["pending"] == .bool(true) }) {
                    half.props = Self.plain(inputs)
                    c.resources[half.id] = half
                    return (half, c.ambiguousCreate.remove(address) != nil)
                }
                let r = CloudResource(id: "\(type.lowercased())-\(c.nextID)", type: type, props: Self.plain(inputs),
                                      ownerTags: context.ownershipTags)
                c.nextID += 1
                c.resources[r.id] = r
                return (r, c.ambiguousCreate.remove(address) != nil)
            }
            journal.record("created \(address)")
            if ambiguous { throw AmbiguousCreateError(detail: "connection reset after sending the create of \(address)") }
            return CreateResult(id: resource.id, outputs: Self.outputs(of: resource))
        }
    }

    func read(id: String) -> ReadResult? {
        contents.withLock { c in
            c.reads += 1
            guard let r = c.resources[id] else { return nil }
            let owner = r.ownerTags.first { $0.hasPrefix("scwlua:stack=") }.map { String($0.dropFirst("scwlua:stack=".count)) }
            return ReadResult(outputs: Self.outputs(of: r), observed: r.props, ownerStack: owner)
        }
    }

    func update(id: String, to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        journal.record("update \(context.address)")
        contents.withLock { $0.updates += 1 }
        return try await inFlight {
            try contents.withLock { c in
                if c.failUpdate.contains(context.address) { throw FakeError(description: "update refused for \(context.address)") }
                if crash?.consume() == false { throw KilledError() }
                guard var r = c.resources[id] else { throw FakeError(description: "\(id) not found") }
                for (k, v) in new { r.props[k] = v.isNull ? nil : v.revealed }
                r.ownerTags = context.ownershipTags   // as real providers do: an update (re)writes the ownership tags
                c.resources[id] = r
                return Self.outputs(of: r)
            }
        }
    }

    func delete(id: String, context: ProviderContext) async throws {
        journal.record("delete \(context.address)")
        contents.withLock { $0.deletes += 1; $0.deleteTimeouts[context.address] = context.timeouts }
        try await inFlight {
            try contents.withLock { c in
                if c.failDelete.contains(context.address) { throw FakeError(description: "delete refused for \(context.address)") }
                if let user = c.resources.values.first(where: { $0.props["parent"]?.stringValue == id }) {
                    throw FakeError(description: "\(id) is in use by \(user.id)")
                }
                if crash?.consume() == false { throw KilledError() }
                c.resources[id] = nil
            }
        }
        journal.record("deleted \(context.address)")
    }

    func find(type: String, context: ProviderContext) -> [CreateResult] {
        contents.withLock { c in
            c.finds += 1
            return c.resources.values
                .filter { $0.type == type && context.ownershipTags.allSatisfy($0.ownerTags.contains) }
                .sorted { $0.id < $1.id }
                .map { CreateResult(id: $0.id, outputs: Self.outputs(of: $0), halfMade: $0.props["pending"] == .bool(true)) }
        }
    }

    /// Every resource of the type carrying the stack's tag, as a tag-filtered list call shows
    /// them (one call, whatever their number).
    func list(type: String, stack: String) -> [String: ReadResult] {
        contents.withLock { c in
            c.lists += 1
            let tag = "scwlua:stack=\(stack)"
            return Dictionary(c.resources.values.filter { $0.type == type && $0.ownerTags.contains(tag) && !c.hiddenFromLists.contains($0.id) }
                .map { ($0.id, ReadResult(outputs: Self.outputs(of: $0), observed: $0.props)) }, uniquingKeysWith: { a, _ in a })
        }
    }

    // MARK: helpers

    /// Counts a write in flight around `body`, after the configured delay or hold.
    private func inFlight<R>(_ body: () async throws -> R) async throws -> R {
        let (delay, target) = contents.withLock { c -> (Duration?, Int?) in
            c.inFlight += 1
            c.maxInFlight = max(c.maxInFlight, c.inFlight)
            return (c.delay, c.waitForInFlight)
        }
        defer { contents.withLock { $0.inFlight -= 1 } }
        if let target {
            let deadline = ContinuousClock.now + .seconds(2)
            while contents.withLock({ $0.maxInFlight < target }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        if let delay { try await Task.sleep(for: delay) }
        return try await body()
    }

    static func plain(_ props: [String: Value]) -> [String: Value] {
        props.filter { !$0.value.isNull }.mapValues(\.revealed)
    }

    static func outputs(of r: CloudResource) -> [String: Value] {
        let n = r.id.split(separator: "-").last.map(String.init) ?? "0"
        return [
            "id": .string(r.id),
            "address": .string("10.0.0.\(n)"),
            "endpoint": .map(["ip": .string("192.168.0.\(n)"), "port": .int(5432)]),
            "token": .secret(.string("token-\(r.id)")),
            "name": r.props["name"] ?? .null,
            "capacity": .string("\(r.props["size"]?.intValue ?? 0) GB"),
        ]
    }
}

/// One fake resource type. Every type has the same props:
/// name (in place), region (replace, default fr-par), tags (in place), cidr (replace),
/// parent (resource id, replace), size (grows in place, a shrink replaces); outputs id, address,
/// endpoint {ip, port}, token (sensitive), name (echoes the prop), capacity (may change with size or name; really changes with size).
struct FakeProvider: ResourceProvider {
    let cloud: FakeCloud
    let schema: ResourceSchema
    /// Offers a batched read (one list of the stack's resources of the type).
    let batched: Bool

    init(type: String, cloud: FakeCloud, createBeforeDestroyByDefault: Bool = false, batched: Bool = false) {
        self.cloud = cloud
        self.batched = batched
        var schema = ResourceSchema(typeName: type, doc: "A fake \(type).", locality: .regional, props: [
            PropSpec("name", .string),
            PropSpec("region", .string, change: .replace, default: .string("fr-par"), format: .region),
            PropSpec("tags", .list(.string)),
            PropSpec("cidr", .string, change: .replace, format: .cidr),
            PropSpec("parent", .resourceID(types: ["Net", "Sub", "Vm"]), change: .replace),
            PropSpec("size", .int, doc: "Grows in place; a shrink replaces (the replacement hook)."),
        ], outputs: [
            OutputSpec("id", .string),
            OutputSpec("address", .string),
            OutputSpec("endpoint", .object([PropSpec("ip", .string), PropSpec("port", .int)])),
            OutputSpec("token", .string, sensitive: true),
            OutputSpec("name", .string),
            OutputSpec("capacity", .string, changesWith: ["size", "name"]),
        ])
        schema.createBeforeDestroyByDefault = createBeforeDestroyByDefault
        self.schema = schema
    }

    func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil { out["name"] = .string(context.address.name) }
        if out["region"] == nil { out["region"] = .string("fr-par") }
        if let cidr = out["cidr"]?.stringValue, !cidr.contains("/") {
            throw Diagnostic("'\(cidr)' is not a CIDR block", at: .apiField("cidr"))
        }
        return out
    }

    func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? {
        guard prop == "size", let o = old.intValue, let n = new.intValue, n < o else { return nil }
        return "size cannot shrink"
    }

    func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        try await cloud.create(type: schema.typeName, inputs, context: context)
    }

    func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        cloud.read(id: id)
    }

    func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await cloud.update(id: id, to: new, context: context)
    }

    func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        try await cloud.delete(id: id, context: context)
    }

    func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        cloud.find(type: schema.typeName, context: context)
    }

    func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        batched ? cloud.list(type: schema.typeName, stack: stack) : nil
    }
}

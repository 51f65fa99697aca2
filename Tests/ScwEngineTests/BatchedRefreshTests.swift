// Batched refresh: a provider that lists its resources gives the refresh outcome that
// per-resource reads give, for every case the engine knows, and costs lists, not reads.

import XCTest
import ScwCore
import ScwEngine

final class BatchedRefreshTests: XCTestCase {
    /// A state and a cloud holding every case: present, drifted, gone, deleting, deposed,
    /// adopted after a crash (with a duplicate), half-made, never created, a resource without
    /// our tags (imported, or tags removed by hand), and one a lagging list does not show yet.
    private func scenario() -> (FakeCloud, [ResourceState]) {
        let cloud = FakeCloud()
        var rows: [ResourceState] = []
        func created(_ address: ResourceAddress, _ props: [String: Value], status: ResourceState.Status = .created,
                     owner: ResourceAddress? = nil, owned: Bool = true) -> CloudResource {
            let props = props.merging(["region": .string("fr-par")]) { a, _ in a }
            let r = cloud.seed(owner ?? address, props: props, owned: owned)
            rows.append(ResourceState(address: address, id: r.id, status: status, inputs: props, outputs: FakeCloud.outputs(of: r)))
            return r
        }
        _ = created(.net("present"), ["name": .string("present")])
        let drifted = created(.net("drifted"), ["name": .string("drifted"), "tags": .list([.string("a")])])
        cloud.mutateOutside(id: drifted.id) { $0.props["tags"] = .list([.string("hand-made")]) }
        let gone = created(.net("gone"), ["name": .string("gone")])
        cloud.deleteOutside(id: gone.id)
        _ = created(.net("leaving"), ["name": .string("leaving")], status: .deleting)
        let leftGone = created(.net("left"), ["name": .string("left")], status: .deleting)
        cloud.deleteOutside(id: leftGone.id)
        _ = created(ResourceAddress(type: "Net", name: "web~deposed"), ["name": .string("web")], owner: .net("web"))
        _ = created(.net("web"), ["name": .string("web")])
        _ = created(.net("imported"), ["name": .string("imported")], owned: false)
        let lagging = created(.net("lagging"), ["name": .string("lagging")])
        cloud.hideFromLists(lagging.id)
        _ = created(.sub("other-type"), ["name": .string("other-type")])
        _ = created(.sub("other-type-2"), ["name": .string("other-type-2")])
        // Interrupted creates: what they left is found by tags, never by a list.
        cloud.seed(.net("adopted"), props: ["name": .string("adopted"), "region": .string("fr-par")])
        cloud.seed(.net("adopted"), props: ["name": .string("adopted"), "region": .string("fr-par")])
        rows.append(ResourceState(address: .net("adopted"), status: .creating, inputs: ["name": .string("adopted"), "region": .string("fr-par")]))
        cloud.seed(.net("half"), props: ["name": .string("half"), "pending": .bool(true)])
        rows.append(ResourceState(address: .net("half"), status: .creating, inputs: ["name": .string("half"), "region": .string("fr-par")]))
        rows.append(ResourceState(address: .net("never"), status: .creating, inputs: ["name": .string("never"), "region": .string("fr-par")]))
        return (cloud, rows)
    }

    private func refresh(_ rows: [ResourceState], cloud: FakeCloud, batched: Bool) async throws -> [ResourceAddress: String] {
        let registry = ProviderRegistry(["Net", "Sub"].map { FakeProvider(type: $0, cloud: cloud, batched: batched) })
        let outcomes = try await Refresher(registry: registry, stack: testStack, parallelism: 4).refresh(rows)
        return outcomes.mapValues(Self.describe)
    }

    /// An outcome as comparable text (outputs and observed props included, secrets masked).
    static func describe(_ outcome: RefreshOutcome) -> String {
        func value(_ v: Value) -> String {
            switch v {
            case .map(let m): return "{" + text(m) + "}"
            case .list(let l): return "[" + l.map(value).joined(separator: ",") + "]"
            default: return "\(v)"
            }
        }
        func text(_ m: [String: Value]) -> String { m.keys.sorted().map { "\($0)=\(value(m[$0]!))" }.joined(separator: ",") }
        switch outcome {
        case .present(let r): return "present(\(text(r.outputs)) | \(text(r.observed)))"
        case .gone: return "gone"
        case .adopted(let c): return "adopted(\(c.id) \(text(c.outputs)))"
        case .halfMade(let c): return "halfMade(\(c.id))"
        case .duplicate(let owner, let c): return "duplicate(\(owner) \(c.id))"
        case .neverCreated: return "neverCreated"
        case .unknownType: return "unknownType"
        }
    }

    func testBatchedRefreshGivesThePerResourceOutcomeForEveryCase() async throws {
        let (cloud, rows) = scenario()
        let perResource = try await refresh(rows, cloud: cloud, batched: false)
        let readsAlone = cloud.readCount
        XCTAssertEqual(cloud.listCount, 0)
        let batched = try await refresh(rows, cloud: cloud, batched: true)
        XCTAssertEqual(batched, perResource)

        // The cases, as the engine must see them (so equality above is not two empty maps).
        XCTAssertTrue(batched[.net("present")]!.hasPrefix("present("))
        XCTAssertTrue(batched[.net("drifted")]!.contains("hand-made"), batched[.net("drifted")]!)
        XCTAssertEqual(batched[.net("gone")], "gone")
        XCTAssertTrue(batched[.net("leaving")]!.hasPrefix("present("))
        XCTAssertEqual(batched[.net("left")], "gone")
        XCTAssertTrue(batched[ResourceAddress(type: "Net", name: "web~deposed")]!.hasPrefix("present("))
        XCTAssertTrue(batched[.net("imported")]!.hasPrefix("present("))
        XCTAssertTrue(batched[.net("lagging")]!.hasPrefix("present("))
        XCTAssertTrue(batched[.net("adopted")]!.hasPrefix("adopted("))
        XCTAssertTrue(batched[ResourceAddress(type: "Net", name: "adopted~duplicate-1")]!.hasPrefix("duplicate("))
        XCTAssertTrue(batched[.net("half")]!.hasPrefix("halfMade("))
        XCTAssertEqual(batched[.net("never")], "neverCreated")

        // One list per type; reads only for what the lists did not show: gone (2), imported,
        // lagging.
        XCTAssertEqual(cloud.listCount, 2)
        XCTAssertEqual(cloud.readCount - readsAlone, 4)
        XCTAssertEqual(readsAlone, 11)
    }

    func testNoOpReplanOfManyResourcesReadsNothingOneByOne() async throws {
        let cloud = FakeCloud()
        let registry = ProviderRegistry(["Net", "Sub"].map { FakeProvider(type: $0, cloud: cloud, batched: true) })
        let engine = Engine(registry: registry, store: MemoryStateStore(), stack: testStack)
        let program = Program(declarations: (1...300).map { decl(.net("n\($0)"), ["tags": .list([.string("x")])]) })
        let plan = try await engine.plan(program)
        let result = await engine.apply(plan, program: program, events: { _ in })
        XCTAssertTrue(result.succeeded)
        let reads = cloud.readCount

        let again = try await engine.plan(program)
        XCTAssertFalse(again.hasAnyChange)
        XCTAssertEqual(cloud.readCount, reads, "no per-resource read")
        XCTAssertEqual(cloud.listCount, 1)

        // Drift and a deletion behind scwlua's back still show.
        let ids = try engine.store.resources(stack: testStack).map(\.id)
        cloud.mutateOutside(id: ids[0]) { $0.props["tags"] = .list([.string("y")]) }
        cloud.deleteOutside(id: ids[1])
        let drifted = try await engine.plan(program)
        XCTAssertEqual(drifted.count(of: .update), 1)
        XCTAssertEqual(drifted.count(of: .create), 1)
        XCTAssertEqual(cloud.readCount, reads + 1, "only the deleted one is read on its own")
    }

    func testAFailingBatchFallsBackToReads() async throws {
        let (cloud, rows) = scenario()
        let expected = try await refresh(rows, cloud: cloud, batched: false)
        let registry = ProviderRegistry(["Net", "Sub"].map { FailingBatchProvider(inner: FakeProvider(type: $0, cloud: cloud)) })
        let outcomes = try await Refresher(registry: registry, stack: testStack, parallelism: 4).refresh(rows)
        XCTAssertEqual(outcomes.mapValues(Self.describe), expected)
    }

    func testPlanWithoutRefreshReadsNothingButStillLooksUpInterruptedCreates() async throws {
        let (cloud, rows) = scenario()
        let store = MemoryStateStore()
        for row in rows { store.seed(row) }
        let registry = ProviderRegistry(["Net", "Sub"].map { FakeProvider(type: $0, cloud: cloud, batched: true) })
        let engine = Engine(registry: registry, store: store, stack: testStack)
        let program = Program(declarations: rows.filter { !$0.address.name.contains("~") }.map { decl($0.address, $0.inputs) })
        let plan = try await engine.plan(program, refresh: false)
        XCTAssertFalse(plan.refreshed)
        // Only the two interrupted deletes are looked at (one list; a read for the one gone).
        XCTAssertEqual(cloud.listCount, 1)
        XCTAssertEqual(cloud.readCount, 1)
        XCTAssertEqual(plan.action(.net("left")), .create)
        // Without a refresh, what was deleted outside is not seen: state says it exists.
        XCTAssertEqual(plan.action(.net("gone")), .noop)
        XCTAssertEqual(plan.action(.net("drifted")), .noop)
        // An interrupted create is still looked up: adopted, not made a second time.
        XCTAssertEqual(plan.action(.net("adopted")), .stateOnly)
        XCTAssertEqual(plan.action(.net("never")), .create)
        let refreshed = try await engine.plan(program)
        XCTAssertTrue(refreshed.refreshed)
    }
}

/// A provider whose batched read fails (a list refused, say): the refresh reads one by one.
private struct FailingBatchProvider: ResourceProvider {
    let inner: FakeProvider
    var schema: ResourceSchema { inner.schema }
    func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] { try inner.normalize(inputs, context: context) }
    func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult { try await inner.create(inputs, context: context) }
    func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        try await inner.read(id: id, inputs: inputs, context: context)
    }
    func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        try await inner.update(id: id, from: old, to: new, context: context)
    }
    func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws { try await inner.delete(id: id, inputs: inputs, context: context) }
    func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] { try await inner.find(inputs: inputs, context: context) }
    func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        throw FakeError(description: "list refused")
    }
}

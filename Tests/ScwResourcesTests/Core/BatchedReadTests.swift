// BatchedReadTests: for every type with a batched read, a refresh through lists gives exactly
// the outcome per-resource reads give (present, drifted, gone, deposed, adopted after a crash,
// with another stack's resource of the type about), and costs fewer reads, counted by the
// emulator. Bucket has no list by tag (S3 lists every bucket, without tags): it reads one by one.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class BatchedReadTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    /// Builds the case set for one type, refreshes it with and without the batched read, and
    /// compares; returns the read requests each way.
    @discardableResult
    private func check(_ provider: any ResourceProvider, props: [String: Value], drift: [String: Value],
                       file: StaticString = #filePath, line: UInt = #line) async throws -> (perResource: Int, batched: Int) {
        let type = provider.schema.typeName
        var rows: [ResourceState] = []
        func make(_ name: String, rowName: String? = nil, stack: String = ComputeEmulator.stack) async throws -> (CreateResult, [String: Value]) {
            let ctx = cloud.context(type, name, stack: stack)
            let (created, inputs) = try await cloud.create(provider, props, context: ctx)
            if stack == ComputeEmulator.stack {
                rows.append(ResourceState(address: ResourceAddress(type: type, name: rowName ?? name), id: created.id, inputs: inputs, outputs: created.outputs))
            }
            return (created, inputs)
        }
        _ = try await make("present")
        let (drifted, driftedInputs) = try await make("drifted")
        var changed = props
        for (k, v) in drift { changed[k] = v }
        let ctx = cloud.context(type, "drifted")
        _ = try await provider.update(id: drifted.id, from: driftedInputs, to: try provider.normalize(changed, context: ctx), context: ctx)
        let (gone, goneInputs) = try await make("gone")
        try await provider.delete(id: gone.id, inputs: goneInputs, context: cloud.context(type, "gone"))
        _ = try await make("web", rowName: "web~deposed")
        _ = try await make("elsewhere", stack: "another-stack")
        // An interrupted create: the resource exists, state only has the intent.
        let (crashed, crashedInputs) = try await cloud.create(provider, props, context: cloud.context(type, "crashed"))
        rows.append(ResourceState(address: ResourceAddress(type: type, name: "crashed"), status: .creating, inputs: crashedInputs))

        func refresh(batched: Bool) async throws -> ([ResourceAddress: String], Int) {
            try await cloud.env.client.resetEmulatorStats()
            let registry = ProviderRegistry([batched ? provider : NoBatch(inner: provider)])
            let outcomes = try await Refresher(registry: registry, stack: ComputeEmulator.stack, parallelism: 10).refresh(rows)
            let stats = try await cloud.env.client.call("GET", "/__emulator/stats")
            return (outcomes.mapValues(Self.describe), Int(stats["reads"]?.intValue ?? -1))
        }
        let (alone, aloneReads) = try await refresh(batched: false)
        let (listed, listedReads) = try await refresh(batched: true)
        XCTAssertEqual(listed, alone, "\(type)", file: file, line: line)
        XCTAssertLessThan(listedReads, aloneReads, "\(type): reads with lists \(listedReads), alone \(aloneReads)", file: file, line: line)

        let address = { ResourceAddress(type: type, name: $0) }
        XCTAssertTrue(listed[address("present")]?.hasPrefix("present") == true, "\(type) \(listed)", file: file, line: line)
        XCTAssertEqual(listed[address("gone")], "gone", file: file, line: line)
        XCTAssertTrue(listed[address("web~deposed")]?.hasPrefix("present") == true, "\(type) \(listed)", file: file, line: line)
        XCTAssertEqual(listed[address("crashed")], "adopted \(crashed.id)", file: file, line: line)
        // The drifted one reads as the cloud has it: a plan would show the change.
        let driftedRow = try XCTUnwrap(rows.first { $0.address == address("drifted") })
        guard case .present(let read)? = try await Refresher(registry: ProviderRegistry([provider]), stack: ComputeEmulator.stack, parallelism: 10)
            .refresh(rows)[driftedRow.address] else {
            XCTFail("\(type): drifted not present", file: file, line: line)
            return (0, 0)
        }
        var baseline = driftedRow.inputs
        for (k, v) in read.observed { baseline[k] = v }
        XCTAssertFalse(Diff.changes(schema: provider.schema, old: baseline, new: driftedRow.inputs).isEmpty, "\(type): no drift seen", file: file, line: line)
        return (aloneReads, listedReads)
    }

    static func describe(_ outcome: RefreshOutcome) -> String {
        switch outcome {
        case .present(let r): return "present \(JSON.encode(.map(r.outputs.mapValues(\.revealed)))) \(JSON.encode(.map(r.observed.mapValues(\.revealed))))"
        case .gone: return "gone"
        case .adopted(let c): return "adopted \(c.id)"
        case .halfMade(let c): return "halfMade \(c.id)"
        case .duplicate(let owner, let c): return "duplicate \(owner) \(c.id)"
        case .neverCreated: return "neverCreated"
        case .unknownType: return "unknownType"
        }
    }

    func testVpc() async throws {
        try await check(VpcResource(env: cloud.env), props: ["tags": .list([.string("a")])], drift: ["tags": .list([.string("hand-made")])])
    }

    func testPrivateNetwork() async throws {
        try await check(VpcPrivateNetworkResource(env: cloud.env), props: ["tags": .list([.string("a")])], drift: ["tags": .list([.string("hand-made")])])
    }

    func testInstanceIp() async throws {
        try await check(InstanceIpResource(env: cloud.env), props: ["tags": .list([.string("a")])], drift: ["tags": .list([.string("hand-made")])])
    }

    func testInstanceVolume() async throws {
        try await check(InstanceVolumeResource(env: cloud.env), props: ["type": .string("b_ssd"), "size": .int(10), "tags": .list([.string("a")])],
                        drift: ["size": .int(20)])
    }

    func testSecurityGroup() async throws {
        try await check(SecurityGroupResource(env: cloud.env), props: ["rules": .list([.map(["port": .int(80)])])],
                        drift: ["rules": .list([.map(["port": .int(443)])])])
    }

    func testInstanceWithPrivateNetworkAndUserData() async throws {
        let network = try await VPCAPI(client: cloud.env.client).createPrivateNetwork(region: "fr-par", name: "app")
        let props: [String: Value] = ["type": .string("DEV1-S"), "image": .string("ubuntu-jammy"), "tags": .list([.string("web")]),
                                      "private_networks": .list([.string("fr-par/\(network.id)")]),
                                      "user_data": .map(["cloud-init": .string("#cloud-config\n")])]
        var drift = props
        drift["user_data"] = .map(["cloud-init": .string("#cloud-config\npackages: [nginx]\n")])
        try await check(InstanceServerResource(env: cloud.env), props: props, drift: drift)
    }

    func testBucketOffersNoBatchedRead() async throws {
        let found = try await BucketResource(env: cloud.env).readBatch([BatchReadRow(id: "fr-par/b", inputs: [:])], stack: "s")
        XCTAssertNil(found)
    }
}

/// The same provider without its batched read: what per-resource reads give.
private struct NoBatch: ResourceProvider {
    let inner: any ResourceProvider
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
}

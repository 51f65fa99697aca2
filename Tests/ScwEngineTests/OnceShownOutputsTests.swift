// Outputs an API shows once (an API key's secret): a read or an update that leaves an output
// out keeps the recorded value (refresh, no-op re-plan, update); a create interrupted before
// its answer was recorded is found with a replaceReason and planned as a replacement.

import XCTest
import ScwCore
import ScwEngine

/// Keys whose secret only the create returns.
final class KeyCloud: @unchecked Sendable {
    let lock = NSLock()
    var keys: [String: (owner: String, note: String, secret: String)] = [:]
    var deleted: [String] = []
    var next = 0

    func add(owner: String, note: String) -> (String, String) {
        lock.lock(); defer { lock.unlock() }
        next += 1
        let id = "KEY\(next)", secret = "secret-\(next)"
        keys[id] = (owner, note, secret)
        return (id, secret)
    }
}

struct KeyProvider: ResourceProvider {
    let cloud: KeyCloud
    var schema: ResourceSchema {
        ResourceSchema(typeName: "Key", doc: "", locality: .global,
                       props: [PropSpec("owner", .string, change: .replace), PropSpec("note", .string)],
                       outputs: [OutputSpec("secret", .string, sensitive: true), OutputSpec("note", .string)])
    }
    func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] { inputs }
    func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let (id, secret) = cloud.add(owner: "\(context.address)", note: inputs["note"]?.stringValue ?? "")
        return CreateResult(id: id, outputs: ["secret": .secret(.string(secret)), "note": inputs["note"] ?? .null])
    }
    func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let k = cloud.lock.withLock({ cloud.keys[id] }) else { return nil }
        return ReadResult(outputs: ["note": .string(k.note)], observed: ["note": .string(k.note)])
    }
    func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        cloud.lock.withLock { cloud.keys[id]?.note = new["note"]?.stringValue ?? "" }
        return ["note": new["note"] ?? .null]
    }
    func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        cloud.lock.withLock {
            cloud.keys[id] = nil
            cloud.deleted.append(id)
        }
    }
    func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        return cloud.lock.withLock { cloud.keys }.filter { $0.value.owner == "\(context.address)" }.map {
            CreateResult(id: $0.key, outputs: ["note": .string($0.value.note)], replaceReason: "its secret was never recorded")
        }
    }
}

final class OnceShownOutputsTests: XCTestCase {
    let address = ResourceAddress(type: "Key", name: "ci")

    func make() -> (KeyCloud, MemoryStateStore, Engine) {
        let cloud = KeyCloud()
        let store = MemoryStateStore(journal: Journal(), crash: CrashSwitch())
        let engine = Engine(registry: ProviderRegistry([KeyProvider(cloud: cloud)]), store: store, stack: testStack, transformer: nil, parallelism: 4)
        return (cloud, store, engine)
    }

    func program(note: String) -> Program {
        Program(declarations: [decl(address, ["owner": .string("app"), "note": .string(note)])],
                outputs: ["secret": ref(address, "secret")])
    }

    func testASecretShownOnlyAtCreationSurvivesRefreshReplanAndUpdate() async throws {
        let (_, store, engine) = make()
        _ = await engine.apply(try await engine.plan(program(note: "a")), program: program(note: "a"), events: { _ in })
        XCTAssertEqual(store.row(address)?.outputs["secret"], .secret(.string("secret-1")))
        _ = try await engine.refreshState()
        XCTAssertEqual(store.row(address)?.outputs["secret"], .secret(.string("secret-1")), "refresh keeps it")
        let noop = try await engine.plan(program(note: "a"))
        XCTAssertFalse(noop.hasAnyChange)
        XCTAssertEqual(noop.outputs["secret"], .secret(.string("secret-1")), "a no-op plan still resolves it")
        let update = try await engine.plan(program(note: "b"))
        XCTAssertEqual(update.action(address), .update)
        let result = await engine.apply(update, program: program(note: "b"), events: { _ in })
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(store.row(address)?.outputs["secret"], .secret(.string("secret-1")), "update keeps it")
        XCTAssertEqual(store.row(address)?.outputs["note"], .string("b"))
    }

    func testAnInterruptedCreateWhoseSecretIsLostIsReplaced() async throws {
        let (cloud, store, engine) = make()
        let (lost, _) = cloud.add(owner: "\(address)", note: "a")   // made, then the process died before recording it
        store.seed(ResourceState(address: address, status: .creating, inputs: ["owner": .string("app"), "note": .string("a")]))
        let plan = try await engine.plan(program(note: "a"))
        XCTAssertEqual(plan.action(address), .replace)
        XCTAssertEqual(plan.change(for: address)?.reason, "its secret was never recorded")
        let result = await engine.apply(plan, program: program(note: "a"), events: { _ in })
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(cloud.deleted, [lost])
        XCTAssertEqual(Array(cloud.keys.keys), ["KEY2"], "one key, tracked")
        XCTAssertEqual(store.row(address)?.id, "KEY2")
        XCTAssertEqual(store.row(address)?.outputs["secret"], .secret(.string("secret-2")))
        let again = try await engine.plan(program(note: "a"))
        XCTAssertFalse(again.hasAnyChange)
    }
}

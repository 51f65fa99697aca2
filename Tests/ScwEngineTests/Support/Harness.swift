// Harness: a fake cloud, a memory store and an engine wired together, plus builders that
// make programs read like the Lua they stand for.

import Foundation
import XCTest
import ScwCore
import ScwEngine

let testStack = "test"

extension ResourceAddress {
    static func net(_ name: String) -> ResourceAddress { ResourceAddress(type: "Net", name: name) }
    static func sub(_ name: String) -> ResourceAddress { ResourceAddress(type: "Sub", name: name) }
    static func vm(_ name: String) -> ResourceAddress { ResourceAddress(type: "Vm", name: name) }
}

/// `addr.key1.key2` as a reference value.
func ref(_ address: ResourceAddress, _ keys: String...) -> Value {
    .ref(OutputRef(address: address, path: keys.map(PathElement.key)))
}

func decl(_ address: ResourceAddress, _ props: [String: Value] = [:], dependsOn: [ResourceAddress] = [],
          lifecycle: Lifecycle = Lifecycle(), line: Int = 0) -> Declaration {
    Declaration(address: address, props: props, dependsOn: dependsOn, lifecycle: lifecycle,
                location: line > 0 ? SourceLocation(file: "infra.lua", line: line) : nil)
}

/// Collects apply events.
final class EventLog: Sendable {
    private let events = Locked<[ApplyEvent]>([])
    var handler: ApplyEventHandler { { [events] e in events.withLock { $0.append(e) } } }
    var all: [ApplyEvent] { events.get }
    func clear() { events.withLock { $0 = [] } }
}

struct Harness {
    let journal = Journal()
    let crash = CrashSwitch()
    let cloud: FakeCloud
    let store: MemoryStateStore
    let registry: ProviderRegistry
    let engine: Engine
    let events = EventLog()

    /// `createBeforeDestroyByDefault`: fake types whose schema asks for it.
    init(parallelism: Int = 10, transformer: (any ValueTransformer)? = nil, createBeforeDestroyByDefault: Set<String> = []) {
        let cloud = FakeCloud(journal: journal, crash: crash)
        self.cloud = cloud
        store = MemoryStateStore(journal: journal, crash: crash)
        registry = ProviderRegistry(["Net", "Sub", "Vm"].map {
            FakeProvider(type: $0, cloud: cloud, createBeforeDestroyByDefault: createBeforeDestroyByDefault.contains($0))
        })
        engine = Engine(registry: registry, store: store, stack: testStack, transformer: transformer, parallelism: parallelism)
    }

    func plan(_ program: Program, mode: Planner.Mode = .deploy) async throws -> Plan {
        try await engine.plan(program, mode: mode)
    }

    /// Plans, requires a plan without errors, applies.
    @discardableResult
    func deploy(_ program: Program, file: StaticString = #filePath, line: UInt = #line) async throws -> ApplyResult {
        let plan = try await engine.plan(program)
        XCTAssertEqual(plan.errors, [], "plan errors", file: file, line: line)
        guard plan.errors.isEmpty else { throw FakeError(description: "plan has errors") }
        return await engine.apply(plan, program: program, events: events.handler)
    }

    @discardableResult
    func deploy(_ declarations: [Declaration], file: StaticString = #filePath, line: UInt = #line) async throws -> ApplyResult {
        try await deploy(Program(declarations: declarations), file: file, line: line)
    }

    @discardableResult
    func destroy(file: StaticString = #filePath, line: UInt = #line) async throws -> ApplyResult {
        let empty = Program(declarations: [])
        let plan = try await engine.plan(empty, mode: .destroy)
        XCTAssertEqual(plan.errors, [], "plan errors", file: file, line: line)
        guard plan.errors.isEmpty else { throw FakeError(description: "plan has errors") }
        return await engine.apply(plan, program: empty, events: events.handler)
    }

    func row(_ address: ResourceAddress) -> ResourceState? { store.row(address) }
    var rows: [ResourceState] { (try? store.resources(stack: testStack)) ?? [] }
    func id(_ address: ResourceAddress) -> String? { row(address)?.id }
}

extension Plan {
    func action(_ address: ResourceAddress) -> Action? { change(for: address)?.action }
}

extension ApplyResult.Outcome {
    var isFailed: Bool { if case .failed = self { return true }; return false }
    var isDone: Bool { if case .done = self { return true }; return false }
}

// MemoryStateStore: a StateStore in memory that records every write, so tests can check
// what the engine wrote and in which order (intent before create, id before moving on).

import Foundation
import ScwCore
import ScwEngine

final class MemoryStateStore: StateStore, Sendable {
    enum Write: Hashable, Sendable {
        case put(ResourceState)
        case remove(ResourceAddress)
    }

    private struct Contents {
        var rows: [String: [ResourceAddress: ResourceState]] = [:]
        var outputs: [String: [String: Value]] = [:]
        var locks: [String: LockInfo] = [:]
        var deployments: [(stack: String, record: DeploymentRecord)] = []
        var writes: [Write] = []
    }

    private let contents = Locked(Contents())
    private let journal: Journal?
    private let crash: CrashSwitch?

    init(journal: Journal? = nil, crash: CrashSwitch? = nil) {
        self.journal = journal
        self.crash = crash
    }

    // MARK: test helpers

    /// Every put and remove, in order.
    var writes: [Write] { contents.withLock { $0.writes } }

    func row(_ address: ResourceAddress, stack: String = testStack) -> ResourceState? {
        contents.withLock { $0.rows[stack]?[address] }
    }

    /// Seeds a row without recording it as an engine write (a state left by an earlier run).
    func seed(_ row: ResourceState, stack: String = testStack) {
        contents.withLock { $0.rows[stack, default: [:]][row.address] = row }
    }

    func clearWrites() { contents.withLock { $0.writes = [] } }

    // MARK: StateStore

    func lock(stack: String, info: LockInfo) throws -> LockInfo? {
        try contents.withLock { c in
            if let held = c.locks[stack], held.pid != info.pid { throw StackLockedError(stack: stack, lock: held) }
            c.locks[stack] = info
            return nil
        }
    }

    func unlock(stack: String, pid: Int32) throws {
        contents.withLock { c in
            if c.locks[stack]?.pid == pid { c.locks[stack] = nil }
        }
    }

    func forceUnlock(stack: String) throws -> LockInfo? {
        contents.withLock { c in
            defer { c.locks[stack] = nil }
            return c.locks[stack]
        }
    }

    func currentLock(stack: String) throws -> LockInfo? { contents.withLock { $0.locks[stack] } }

    func resources(stack: String) throws -> [ResourceState] {
        contents.withLock { c in (c.rows[stack] ?? [:]).values.sorted { $0.address < $1.address } }
    }

    func put(stack: String, _ resource: ResourceState) throws {
        if crash?.consume() == false { throw KilledError() }
        contents.withLock { c in
            c.rows[stack, default: [:]][resource.address] = resource
            c.writes.append(.put(resource))
        }
        journal?.record("put \(resource.address) \(resource.status.rawValue)")
    }

    func remove(stack: String, address: ResourceAddress) throws {
        if crash?.consume() == false { throw KilledError() }
        contents.withLock { c in
            c.rows[stack]?[address] = nil
            c.writes.append(.remove(address))
        }
        journal?.record("remove \(address)")
    }

    func outputs(stack: String) throws -> [String: Value] { contents.withLock { $0.outputs[stack] ?? [:] } }

    func setOutputs(stack: String, _ outputs: [String: Value]) throws {
        contents.withLock { $0.outputs[stack] = outputs }
    }

    func beginDeployment(stack: String, command: String) throws -> Int64 {
        contents.withLock { c in
            let id = Int64(c.deployments.count + 1)
            c.deployments.append((stack, DeploymentRecord(id: id, command: command, startedAt: "now", finishedAt: nil, result: nil, summary: nil)))
            return id
        }
    }

    func finishDeployment(id: Int64, result: String, summary: String) throws {
        contents.withLock { c in
            guard let i = c.deployments.firstIndex(where: { $0.record.id == id }) else { return }
            c.deployments[i].record.finishedAt = "later"
            c.deployments[i].record.result = result
            c.deployments[i].record.summary = summary
        }
    }

    func history(stack: String) throws -> [DeploymentRecord] {
        contents.withLock { c in c.deployments.filter { $0.stack == stack }.map(\.record) }
    }

    func stacks() throws -> [String] {
        contents.withLock { c in c.rows.filter { !$0.value.isEmpty }.keys.sorted() }
    }
}

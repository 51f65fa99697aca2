// EmptyStateStore: the state of a folder that has none yet, for commands that only read
// (`plan`): every read is empty, every write is refused, and nothing is created on disk.

import ScwCore
import ScwEngine

final class EmptyStateStore: StateStore {
    let directory: String

    init(directory: String) { self.directory = directory }

    private func refused() -> Diagnostic {
        Diagnostic("state in \(directory) is open for reading only (this command writes nothing)")
    }

    func lock(stack: String, info: LockInfo) throws -> LockInfo? { throw refused() }
    func unlock(stack: String, pid: Int32) throws {}
    func forceUnlock(stack: String) throws -> LockInfo? { nil }
    func currentLock(stack: String) throws -> LockInfo? { nil }
    func resources(stack: String) throws -> [ResourceState] { [] }
    func put(stack: String, _ resource: ResourceState) throws { throw refused() }
    func remove(stack: String, address: ResourceAddress) throws { throw refused() }
    func outputs(stack: String) throws -> [String: Value] { [:] }
    func setOutputs(stack: String, _ outputs: [String: Value]) throws { throw refused() }
    func beginDeployment(stack: String, command: String) throws -> Int64 { throw refused() }
    func finishDeployment(id: Int64, result: String, summary: String) throws { throw refused() }
    func history(stack: String) throws -> [DeploymentRecord] { [] }
    func stacks() throws -> [String] { [] }
}

// S3StateStore+History: one object per deploy or destroy run, numbered 1, 2, … per stack and
// created with a conditional put so two writers never share a number. A run that crashed keeps
// a record with no result.

import ScwEngine
import ScwState

extension S3StateStore {
    public func beginDeployment(stack: String, command: String) throws -> Int64 {
        let prefix = location.deploymentsPrefix(stack)
        let token = Self.newToken()
        let started = StateProcess.now()
        mutex.lock()
        let inFlight = Set(runningDeployments.keys)
        mutex.unlock()
        let location = self.location
        let id = try run { objects -> Int64 in
            var id = (try await objects.keys(under: prefix).compactMap(Self.deploymentID).max() ?? 0) + 1
            for _ in 0..<20 {
                // Ids this store has running for other stacks are skipped, so `finishDeployment(id:)` is never ambiguous.
                while inFlight.contains(id) { id += 1 }
                let record = DeploymentRecord(id: id, command: command, startedAt: started, finishedAt: nil, result: nil, summary: nil)
                let key = location.deploymentKey(stack, id)
                if case .written = try await objects.put(key, StoredObjects.deploymentBody(record, token: token), ifAbsent: true) { return id }
                // Taken: by our own attempt whose answer was lost (same token), or by another writer.
                if let (bytes, _) = try await objects.get(key), (try? StoredObjects.deployment(bytes, from: key).token) == token { return id }
                id += 1
            }
            throw RemoteStateError("cannot record the deployment under \(objects.url(prefix)): numbers keep being taken")
        }
        mutex.lock()
        runningDeployments[id] = (stack, token)
        mutex.unlock()
        return id
    }

    public func finishDeployment(id: Int64, result: String, summary: String) throws {
        mutex.lock()
        let running = runningDeployments.removeValue(forKey: id)
        mutex.unlock()
        guard let running else { throw StateError("no deployment with id \(id) was begun by this store (\(location))") }
        let key = location.deploymentKey(running.stack, id)
        try run { objects in
            guard let (bytes, _) = try await objects.get(key) else {
                throw StateError("deployment record \(objects.url(key)) is gone")
            }
            var (record, token) = try StoredObjects.deployment(bytes, from: objects.url(key))
            record.finishedAt = StateProcess.now()
            record.result = result
            record.summary = summary
            try await objects.put(key, StoredObjects.deploymentBody(record, token: token))
        }
    }

    /// The stack's runs, oldest first.
    public func history(stack: String) throws -> [DeploymentRecord] {
        let prefix = location.deploymentsPrefix(stack)
        let bodies = try run { objects in
            let keys = try await objects.keys(under: prefix).filter { Self.deploymentID($0) != nil }
            return try await Self.getAll(keys, objects: objects)
        }
        return try bodies.map { try StoredObjects.deployment($0.body, from: objects.url($0.key)).record }.sorted { $0.id < $1.id }
    }

    /// Adds a past run as it was (id, times, result): for `state migrate` into an empty stack.
    @discardableResult
    public func importDeployment(stack: String, _ record: DeploymentRecord) throws -> Int64 {
        let key = location.deploymentKey(stack, record.id)
        let body = StoredObjects.deploymentBody(record, token: Self.newToken())
        try run { try await $0.put(key, body) }
        return record.id
    }

    /// The id in a key `…/deployments/0000000000000000042.json`.
    static func deploymentID(_ key: String) -> Int64? {
        guard key.hasSuffix(".json"), let slash = key.lastIndex(of: "/") else { return nil }
        return Int64(key[key.index(after: slash)...].dropLast(5))
    }
}

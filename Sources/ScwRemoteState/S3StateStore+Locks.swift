// S3StateStore+Locks: one writer per stack. The lock object is created with a conditional put
// (If-None-Match: *, checked to be honoured); a lock left on this host by a dead pid is replaced
// with If-Match on the ETag read. A random token tells our own write (answer lost) from another's.

import ScwEngine
import ScwState

extension S3StateStore {
    private enum LockOutcome: Sendable {
        case taken(broken: LockInfo?)
        case refused(LockInfo)
    }

    @discardableResult
    public func lock(stack: String, info: LockInfo) throws -> LockInfo? {
        let token = Self.newToken()
        let key = location.lockKey(stack)
        let body = StoredObjects.lockBody(info, token: token)
        let localHost = StateProcess.hostName
        let outcome = try run { objects -> LockOutcome in
            for _ in 0..<8 {
                // A 412 after a lost answer may be our own lock: the token read back tells.
                if case .written = try await objects.put(key, body, ifAbsent: true) {
                    try await Self.checkConditionalWrites(objects, key: key, body: body)
                    return .taken(broken: nil)
                }
                guard let (bytes, etag) = try await objects.get(key) else { continue }   // released meanwhile
                let (held, heldToken) = try StoredObjects.lock(bytes, from: objects.url(key))
                if heldToken == token { return .taken(broken: nil) }
                let sameProcess = held.pid == info.pid && held.host == info.host
                // Only a lock from this host can be checked, and only a gone pid is stale.
                let stale = held.host == localHost && !StateProcess.isAlive(pid: held.pid)
                guard sameProcess || stale else { return .refused(held) }
                // Replace exactly the lock that was read; if it changed meanwhile, look again.
                if case .written = try await objects.put(key, body, ifAbsent: false, ifMatch: etag) {
                    return .taken(broken: sameProcess ? nil : held)
                }
            }
            throw RemoteStateError("cannot take the lock \(objects.url(key)): it keeps changing hands")
        }
        switch outcome {
        case .refused(let held):
            throw StackLockedError(stack: stack, lock: held)
        case .taken(let broken):
            mutex.lock()
            heldLocks[stack] = token
            mutex.unlock()
            return broken
        }
    }

    /// Deletes the lock if it is ours: the one this store took, or one of process `pid` on
    /// this host. Someone else's lock is left alone.
    public func unlock(stack: String, pid: Int32) throws {
        let key = location.lockKey(stack)
        mutex.lock()
        let mine = heldLocks.removeValue(forKey: stack)
        mutex.unlock()
        let localHost = StateProcess.hostName
        try run { objects in
            guard let (bytes, etag) = try await objects.get(key) else { return }
            let (held, heldToken) = try StoredObjects.lock(bytes, from: objects.url(key))
            let ours = (mine != nil && heldToken == mine) || (held.pid == pid && held.host == localHost)
            guard ours else { return }
            try await objects.delete(key, ifMatch: etag)
        }
    }

    public func forceUnlock(stack: String) throws -> LockInfo? {
        let key = location.lockKey(stack)
        return try run { objects in
            guard let (bytes, etag) = try await objects.get(key) else { return nil }
            // A lock too damaged to read is cleared all the same: that is what this is for.
            let held = try? StoredObjects.lock(bytes, from: objects.url(key)).info
            try await objects.delete(key, ifMatch: etag)
            return held ?? LockInfo(holder: "(unreadable lock)", pid: 0, host: "?", command: "?", acquiredAt: "?")
        }
    }

    public func currentLock(stack: String) throws -> LockInfo? {
        let key = location.lockKey(stack)
        return try run { objects in
            guard let (bytes, _) = try await objects.get(key) else { return nil }
            return try StoredObjects.lock(bytes, from: objects.url(key)).info
        }
    }

    /// A server that ignores `If-None-Match` would let two writers in: the same conditional put
    /// again must be refused (412). If it is not, the lock just written is removed and the
    /// run stops with an explanation.
    private static func checkConditionalWrites(_ objects: S3StateObjects, key: String, body: [UInt8]) async throws {
        if case .conditionFailed = try await objects.put(key, body, ifAbsent: true) { return }
        try await objects.delete(key)
        throw RemoteStateError("the S3 server behind \(objects.location) ignores conditional writes (If-None-Match: *), "
                               + "so it cannot keep one writer per stack: use Scaleway Object Storage or another server that honours them")
    }

    /// 128 random bits in hex.
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }
}

// RemoteStoreScenarios: the StateStore contract for S3StateStore, run against whatever S3 the
// TestS3 names (moto and the emulator): rows, outputs, history, secrets sealed at rest, locks
// (held, stale, forced, raced, taken through a lost answer), one request per write.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwRemoteState
import ScwState
import XCTest

struct RemoteStoreScenarios {
    let s3: TestS3

    static let alice = LockInfo(holder: "alice@laptop", pid: 4242, host: "laptop", command: "deploy", acquiredAt: "2026-01-31T12:00:00Z")
    static let bob = LockInfo(holder: "bob@ci-runner", pid: 77, host: "ci-runner", command: "destroy", acquiredAt: "2026-02-01T08:30:00Z")

    static let vpc = ResourceState(address: ResourceAddress(type: "Vpc", name: "main"), id: "fr-par/0b8a6e2c-1111", status: .created,
                                   inputs: ["region": .string("fr-par"), "tags": .list([.string("env:prod")]), "$odd": .int(3)],
                                   outputs: ["id": .string("0b8a6e2c-1111"), "ratio": .double(1.5), "none": .null],
                                   protect: true)
    static let network = ResourceState(address: ResourceAddress(type: "VpcPrivateNetwork", name: "app net/é"), id: "", status: .creating,
                                       inputs: ["subnets": .list([.string("10.0.1.0/24")]), "vpc": .string("fr-par/0b8a6e2c-1111")],
                                       dependencies: [ResourceAddress(type: "Vpc", name: "main")], retain: true)

    // MARK: rows and outputs

    func rowsAndOutputs() async throws {
        let bucket = try await s3.newBucket()
        let store = s3.store(bucket: bucket)
        XCTAssertEqual(try store.resources(stack: "prod"), [])
        XCTAssertEqual(try store.outputs(stack: "prod"), [:])
        XCTAssertEqual(try store.stacks(), [])
        XCTAssertTrue(try store.isEmpty(stack: "prod"))

        try store.put(stack: "prod", Self.network)
        try store.put(stack: "prod", Self.vpc)
        // Durable when put returns: another store (another process) reads it at once.
        let other = s3.store(bucket: bucket)
        XCTAssertEqual(try other.resources(stack: "prod"), [Self.vpc, Self.network])

        var created = Self.network
        created.id = "fr-par/9f00aa11-2222"
        created.status = .created
        created.outputs = ["ipv4_subnet": .map(["subnet": .string("10.0.1.0/24")])]
        try store.put(stack: "prod", created)
        XCTAssertEqual(try other.resources(stack: "prod"), [Self.vpc, created])

        try store.remove(stack: "prod", address: Self.vpc.address)
        try store.remove(stack: "prod", address: Self.vpc.address)   // removing what is gone is fine
        XCTAssertEqual(try other.resources(stack: "prod"), [created])

        let outputs: [String: Value] = ["ip": .string("51.15.0.1"), "ports": .list([.int(80), .int(443)])]
        try store.setOutputs(stack: "team a/dev", outputs)
        XCTAssertEqual(try other.outputs(stack: "team a/dev"), outputs)
        try store.setOutputs(stack: "team a/dev", ["ip": .string("51.15.0.2")])
        XCTAssertEqual(try other.outputs(stack: "team a/dev"), ["ip": .string("51.15.0.2")])

        // A stack holding only a lock has no state.
        try store.lock(stack: "only-locked", info: Self.alice)
        XCTAssertEqual(try other.stacks(), ["prod", "team a/dev"])
        XCTAssertTrue(try other.isEmpty(stack: "only-locked"))
        XCTAssertFalse(try other.isEmpty(stack: "prod"))
        try store.unlock(stack: "only-locked", pid: Self.alice.pid)

        // The layout: one object per row, names percent-encoded, under the prefix.
        let keys = Set(try await s3.rawObjects(bucket: bucket).map(\.key))
        XCTAssertEqual(keys, ["team/infra/prod/resources/VpcPrivateNetwork%2Fapp%20net%2F%C3%A9.json",
                              "team/infra/team%20a%2Fdev/outputs.json"])
        // Without secrets, no key material is made.
        XCTAssertFalse(keys.contains("team/infra/key.salt"))
    }

    /// Each put or remove is one request, whatever the number of rows (O(1)).
    func oneRequestPerWrite() async throws {
        let bucket = try await s3.newBucket()
        let transport = RecordingTransport()
        let store = s3.store(bucket: bucket, transport: transport)
        for i in 0..<40 {
            try store.put(stack: "big", ResourceState(address: ResourceAddress(type: "Vpc", name: "v\(i)"), id: "fr-par/\(i)"))
        }
        _ = transport.take()
        try store.put(stack: "big", ResourceState(address: ResourceAddress(type: "Vpc", name: "v7"), id: "fr-par/new"))
        let put = transport.take()
        XCTAssertEqual(put.count, 1, "\(put)")
        XCTAssertTrue(put.first?.hasPrefix("PUT ") == true && put.first?.hasSuffix("/big/resources/Vpc%252Fv7.json") == true, "\(put)")
        try store.remove(stack: "big", address: ResourceAddress(type: "Vpc", name: "v8"))
        let removed = transport.take()
        XCTAssertEqual(removed.count, 1, "\(removed)")
        XCTAssertTrue(removed.first?.hasPrefix("DELETE ") == true, "\(removed)")
        try store.setOutputs(stack: "big", ["n": .int(40)])
        XCTAssertEqual(transport.take().count, 1)
        XCTAssertEqual(try store.resources(stack: "big").count, 39)
    }

    // MARK: history

    func history() async throws {
        let bucket = try await s3.newBucket()
        let store = s3.store(bucket: bucket)
        let first = try store.beginDeployment(stack: "prod", command: "deploy")
        try store.finishDeployment(id: first, result: "succeeded", summary: "2 created, 0 updated, 0 replaced, 0 deleted, 0 failed")
        let crashed = try store.beginDeployment(stack: "prod", command: "deploy")   // never finished (a crash)
        let other = s3.store(bucket: bucket)
        let third = try other.beginDeployment(stack: "prod", command: "destroy")
        try other.finishDeployment(id: third, result: "failed", summary: "1 failed")
        XCTAssertEqual([first, crashed, third], [1, 2, 3])
        XCTAssertEqual(try other.beginDeployment(stack: "dev", command: "deploy"), 1, "numbers are per stack")

        let h = try store.history(stack: "prod")
        XCTAssertEqual(h.map(\.id), [1, 2, 3])
        XCTAssertEqual(h.map(\.command), ["deploy", "deploy", "destroy"])
        XCTAssertEqual(h.map(\.result), ["succeeded", nil, "failed"])
        XCTAssertEqual(h[0].summary, "2 created, 0 updated, 0 replaced, 0 deleted, 0 failed")
        XCTAssertNotNil(h[0].finishedAt)
        XCTAssertNil(h[1].finishedAt)
        XCTAssertThrowsError(try store.finishDeployment(id: 99, result: "succeeded", summary: ""))
        XCTAssertEqual(try store.stacks(), ["dev", "prod"])
    }

    // MARK: secrets

    func secretsSealedAtRest() async throws {
        let bucket = try await s3.newBucket()
        let store = s3.store(bucket: bucket, passphrase: "correct horse battery staple")
        var row = Self.vpc
        row.inputs["password"] = .secret(.string("hunter2-PLAINTEXT"))
        row.inputs["nested"] = .map(["k": .secret(.list([.string("deep-PLAINTEXT"), .int(7)]))])
        row.outputs["access_key"] = .secret(.string("api-PLAINTEXT"))
        let outputs: [String: Value] = ["dsn": .secret(.string("postgres://app:pw-PLAINTEXT@db")), "plain": .string("visible")]
        try store.put(stack: "prod", row)
        try store.setOutputs(stack: "prod", outputs)

        // At rest: no plaintext anywhere in the bucket; sealed markers instead.
        let raw = try await s3.rawObjects(bucket: bucket)
        for object in raw {
            XCTAssertFalse(object.body.contains("PLAINTEXT"), "plaintext secret in \(object.key): \(object.body)")
        }
        let rowBody = try XCTUnwrap(raw.first { $0.key.hasSuffix("/resources/Vpc%2Fmain.json") }?.body)
        XCTAssertEqual(rowBody.components(separatedBy: "\"$secret\"").count - 1, 3, rowBody)
        XCTAssertTrue(rowBody.contains("\"$$odd\""), "a $-key is escaped: \(rowBody)")
        XCTAssertTrue(try XCTUnwrap(raw.first { $0.key.hasSuffix("/outputs.json") }?.body).contains("\"visible\""))
        let salt = try XCTUnwrap(raw.first { $0.key == "team/infra/key.salt" }?.body, "the salt is an object under the prefix")
        XCTAssertTrue(salt.contains("pbkdf2-sha256") && salt.contains("\"check\""), salt)

        // The same passphrase opens them, from another store (another teammate).
        let teammate = s3.store(bucket: bucket, passphrase: "correct horse battery staple")
        XCTAssertEqual(try teammate.resources(stack: "prod"), [row])
        XCTAssertEqual(try teammate.outputs(stack: "prod"), outputs)

        // A wrong passphrase is reported as such, before anything is sealed with it.
        let wrong = s3.store(bucket: bucket, passphrase: "tr0ub4dor&3")
        XCTAssertThrowsError(try wrong.resources(stack: "prod")) { error in
            XCTAssertTrue("\(error)".contains("wrong SCWLUA_PASSPHRASE"), "\(error)")
        }
        XCTAssertThrowsError(try wrong.put(stack: "prod", row))
        XCTAssertEqual(try teammate.resources(stack: "prod"), [row], "a refused write changed nothing")

        // Without a passphrase: reading secrets asks for it; redacted reads, plain rows and export work.
        let none = s3.store(bucket: bucket)
        XCTAssertThrowsError(try none.resources(stack: "prod")) { error in
            XCTAssertTrue("\(error)".contains("without SCWLUA_PASSPHRASE: set it"), "\(error)")
        }
        XCTAssertThrowsError(try none.put(stack: "other", row)) { error in
            XCTAssertTrue("\(error)".contains("SCWLUA_PASSPHRASE"), "\(error)")
        }
        XCTAssertEqual(try none.resources(stack: "other"), [], "nothing written when a secret cannot be sealed")
        try none.put(stack: "other", Self.vpc)
        let redacted = try none.redactedResources(stack: "prod")
        XCTAssertEqual(redacted.first?.inputs["password"], .secret(.string("(sensitive)")))
        let export = try StateExport.exportJSON(store: none, stack: "prod")
        XCTAssertTrue(export.contains("(sensitive)") && !export.contains("PLAINTEXT"), export)
    }

    // MARK: locks

    func locks() async throws {
        let bucket = try await s3.newBucket()
        let a = s3.store(bucket: bucket)
        let b = s3.store(bucket: bucket)
        XCTAssertNil(try a.currentLock(stack: "prod"))
        XCTAssertNil(try a.lock(stack: "prod", info: Self.alice))
        XCTAssertThrowsError(try b.lock(stack: "prod", info: Self.bob)) { error in
            guard let locked = error as? StackLockedError else { return XCTFail("not StackLockedError: \(error)") }
            XCTAssertEqual(locked.lock, Self.alice)
            let text = locked.description
            for part in ["alice@laptop", "4242", "laptop", "`deploy`", "2026-01-31T12:00:00Z", "scwlua state unlock"] {
                XCTAssertTrue(text.contains(part), "'\(part)' missing from: \(text)")
            }
        }
        XCTAssertEqual(try b.currentLock(stack: "prod"), Self.alice)
        XCTAssertNil(try b.lock(stack: "dev", info: Self.bob), "stacks lock independently")
        try b.unlock(stack: "dev", pid: Self.bob.pid)

        try b.unlock(stack: "prod", pid: Self.bob.pid)
        XCTAssertEqual(try a.currentLock(stack: "prod"), Self.alice, "someone else's lock is left alone")
        var again = Self.alice
        again.acquiredAt = "2026-01-31T12:05:00Z"
        XCTAssertNil(try b.lock(stack: "prod", info: again), "the same process may take its lock again")
        // The lock is b's now; pid 4242 of another host is not this process: a leaves it.
        try a.unlock(stack: "prod", pid: Self.alice.pid)
        XCTAssertEqual(try a.currentLock(stack: "prod"), again)
        try b.unlock(stack: "prod", pid: Self.alice.pid)
        XCTAssertNil(try a.currentLock(stack: "prod"))

        // A lock left on this host by a dead process is broken, and reported.
        let host = StateProcess.hostName
        let dead = LockInfo(holder: "tester@\(host)", pid: 2_000_000_000, host: host, command: "deploy", acquiredAt: "2026-01-01T00:00:00Z")
        try a.lock(stack: "prod", info: dead)
        XCTAssertEqual(try b.lock(stack: "prod", info: Self.bob), dead)
        XCTAssertEqual(try a.currentLock(stack: "prod"), Self.bob)
        // A lock from another host cannot be checked: it holds.
        XCTAssertThrowsError(try a.lock(stack: "prod", info: Self.alice)) { XCTAssertTrue($0 is StackLockedError, "\($0)") }

        XCTAssertEqual(try a.forceUnlock(stack: "prod"), Self.bob)
        XCTAssertNil(try a.forceUnlock(stack: "prod"))
        XCTAssertNil(try b.currentLock(stack: "prod"))
        try b.unlock(stack: "prod", pid: Self.bob.pid)   // releasing a lock that was forced away is fine
    }

    /// Many stores race for one stack: exactly one wins, the others are told who.
    func lockRace() async throws {
        let bucket = try await s3.newBucket()
        let stores = (0..<8).map { _ in s3.store(bucket: bucket) }
        let outcomes = RaceOutcomes()
        DispatchQueue.concurrentPerform(iterations: stores.count) { i in
            let info = LockInfo(holder: "runner\(i)@ci", pid: Int32(1000 + i), host: "ci-\(i)", command: "deploy", acquiredAt: "2026-02-01T00:00:00Z")
            do {
                try stores[i].lock(stack: "prod", info: info)
                outcomes.add(winner: info)
            } catch let locked as StackLockedError {
                outcomes.add(refusedBy: locked.lock)
            } catch {
                outcomes.add(error: "\(error)")
            }
        }
        let (winners, refusals, errors) = outcomes.snapshot()
        XCTAssertEqual(errors, [])
        XCTAssertEqual(winners.count, 1, "winners: \(winners)")
        XCTAssertEqual(refusals.count, stores.count - 1)
        XCTAssertEqual(Set(refusals), Set(winners), "every refusal names the winner")
        XCTAssertEqual(try stores[0].currentLock(stack: "prod"), winners.first)
    }

    /// A conditional put whose answer is lost, retried, gets 412: the lock read back is ours.
    /// The same for a deployment record.
    func lostAnswers() async throws {
        let bucket = try await s3.newBucket()
        let transport = RecordingTransport()
        let store = s3.store(bucket: bucket, transport: transport)
        transport.dropNextAnswer { $0.method == "PUT" && $0.url.hasSuffix("/lock.json") }
        XCTAssertNil(try store.lock(stack: "prod", info: Self.alice))
        XCTAssertEqual(transport.dropped.count, 1, "the lock's answer was dropped")
        XCTAssertEqual(try store.currentLock(stack: "prod"), Self.alice)
        XCTAssertThrowsError(try s3.store(bucket: bucket).lock(stack: "prod", info: Self.bob)) { XCTAssertTrue($0 is StackLockedError) }

        transport.dropNextAnswer { $0.method == "PUT" && $0.url.contains("/deployments/") }
        XCTAssertEqual(try store.beginDeployment(stack: "prod", command: "deploy"), 1)
        XCTAssertEqual(transport.dropped.count, 2)
        try store.finishDeployment(id: 1, result: "succeeded", summary: "ok")
        XCTAssertEqual(try store.history(stack: "prod").map(\.result), ["succeeded"], "one record, not two")

        try store.unlock(stack: "prod", pid: Self.alice.pid)
        XCTAssertNil(try store.currentLock(stack: "prod"))
    }

    /// A server that ignores If-None-Match cannot keep one writer: the lock is refused, clearly,
    /// and not left behind.
    func ignoredConditionsAreDetected() async throws {
        let bucket = try await s3.newBucket()
        let transport = RecordingTransport()
        transport.dropConditions = true
        let store = s3.store(bucket: bucket, transport: transport)
        XCTAssertThrowsError(try store.lock(stack: "prod", info: Self.alice)) { error in
            XCTAssertTrue("\(error)".contains("ignores conditional writes"), "\(error)")
        }
        XCTAssertNil(try s3.store(bucket: bucket).currentLock(stack: "prod"))
    }

    /// A bucket that does not exist gives a message naming it and what to do.
    func missingBucket() throws {
        let store = s3.store(bucket: "no-such-state-bucket")
        XCTAssertThrowsError(try store.resources(stack: "prod")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("no-such-state-bucket") && text.contains("does not exist") && text.contains("create the bucket"), text)
        }
    }
}

/// What the racing lockers got.
final class RaceOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var winners: [LockInfo] = []
    private var refusals: [LockInfo] = []
    private var errors: [String] = []
    func add(winner: LockInfo) { lock.withLock { winners.append(winner) } }
    func add(refusedBy: LockInfo) { lock.withLock { refusals.append(refusedBy) } }
    func add(error: String) { lock.withLock { errors.append(error) } }
    func snapshot() -> ([LockInfo], [LockInfo], [String]) { lock.withLock { (winners, refusals, errors) } }
}

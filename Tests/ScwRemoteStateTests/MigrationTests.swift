// MigrationTests: StateMigration copies a stack local → S3 → local (rows with secrets, outputs,
// history) against moto and the emulator; a non-empty destination or a locked side refuses.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwRemoteState
import ScwState
import XCTest

struct MigrationScenarios {
    let s3: TestS3

    func roundTrip() async throws {
        let dir = NSTemporaryDirectory() + "scwlua-migrate-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let local = try SQLiteStateStore(directory: dir + "/a", environment: [:])
        var vpc = RemoteStoreScenarios.vpc
        vpc.inputs["password"] = .secret(.string("hunter2-PLAINTEXT"))
        let rows = [vpc, RemoteStoreScenarios.network]
        for r in rows { try local.put(stack: "prod", r) }
        let outputs: [String: Value] = ["dsn": .secret(.string("dsn-PLAINTEXT")), "ip": .string("51.15.0.1")]
        try local.setOutputs(stack: "prod", outputs)
        let d1 = try local.beginDeployment(stack: "prod", command: "deploy")
        try local.finishDeployment(id: d1, result: "succeeded", summary: "2 created")
        _ = try local.beginDeployment(stack: "prod", command: "deploy")   // crashed run
        let d3 = try local.beginDeployment(stack: "prod", command: "destroy")
        try local.finishDeployment(id: d3, result: "failed", summary: "1 failed")
        let history = try local.history(stack: "prod")

        let bucket = try await s3.newBucket()
        let remote = s3.store(bucket: bucket, passphrase: "team passphrase")
        let summary = try StateMigration.copy(stack: "prod", from: local, to: remote, sourceName: "local", destinationName: "remote")
        XCTAssertEqual(summary, StateMigration.Summary(resources: 2, outputs: 2, deployments: 3))
        let teammate = s3.store(bucket: bucket, passphrase: "team passphrase")
        XCTAssertEqual(try teammate.resources(stack: "prod"), try local.resources(stack: "prod"))
        XCTAssertEqual(try teammate.outputs(stack: "prod"), outputs)
        XCTAssertEqual(try teammate.history(stack: "prod"), history, "ids, times and results kept")
        XCTAssertNil(try teammate.currentLock(stack: "prod"), "the copy released its locks")
        XCTAssertNil(try local.currentLock(stack: "prod"))
        for object in try await s3.rawObjects(bucket: bucket) {
            XCTAssertFalse(object.body.contains("PLAINTEXT"), "plaintext secret in \(object.key)")
        }

        // Again into the same place: refused, nothing changed.
        XCTAssertThrowsError(try StateMigration.copy(stack: "prod", from: local, to: remote, sourceName: "local", destinationName: "remote")) {
            XCTAssertTrue("\($0)".contains("already has state"), "\($0)")
        }
        XCTAssertEqual(try teammate.history(stack: "prod").count, 3)

        // And back into a new local store.
        let back = try SQLiteStateStore(directory: dir + "/b", environment: [:])
        _ = try StateMigration.copy(stack: "prod", from: teammate, to: back, sourceName: "remote", destinationName: "local b")
        XCTAssertEqual(try back.resources(stack: "prod"), try local.resources(stack: "prod"))
        XCTAssertEqual(try back.outputs(stack: "prod"), outputs)
        let backHistory = try back.history(stack: "prod")
        XCTAssertEqual(backHistory.map(\.command), history.map(\.command))
        XCTAssertEqual(backHistory.map(\.startedAt), history.map(\.startedAt))
        XCTAssertEqual(backHistory.map(\.result), history.map(\.result))
        XCTAssertEqual(backHistory.map(\.summary), history.map(\.summary))
    }

    func lockedSidesRefuse() async throws {
        let dir = NSTemporaryDirectory() + "scwlua-migrate-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let local = try SQLiteStateStore(directory: dir, environment: [:])
        try local.put(stack: "prod", RemoteStoreScenarios.vpc)
        let bucket = try await s3.newBucket()
        let remote = s3.store(bucket: bucket)

        try remote.lock(stack: "prod", info: RemoteStoreScenarios.bob)
        XCTAssertThrowsError(try StateMigration.copy(stack: "prod", from: local, to: remote, sourceName: "l", destinationName: "r")) { error in
            XCTAssertTrue(error is StackLockedError && "\(error)".contains("bob@ci-runner"), "\(error)")
        }
        XCTAssertNil(try local.currentLock(stack: "prod"), "the source lock was released")
        XCTAssertTrue(try remote.isEmpty(stack: "prod"))
        _ = try remote.forceUnlock(stack: "prod")

        try local.lock(stack: "prod", info: RemoteStoreScenarios.bob)
        XCTAssertThrowsError(try StateMigration.copy(stack: "prod", from: local, to: remote, sourceName: "l", destinationName: "r")) {
            XCTAssertTrue($0 is StackLockedError, "\($0)")
        }
        XCTAssertTrue(try remote.isEmpty(stack: "prod"))
        XCTAssertThrowsError(try StateMigration.copy(stack: "nothing", from: local, to: remote, sourceName: "l", destinationName: "r")) {
            XCTAssertTrue("\($0)".contains("no state"), "\($0)")
        }
    }
}

final class MigrationMotoTests: XCTestCase {
    nonisolated(unsafe) private static var server: TestS3?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try TestS3.moto() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func scenarios() throws -> MigrationScenarios {
        if let skip = Self.startError as? XCTSkip { throw skip }
        return MigrationScenarios(s3: try XCTUnwrap(Self.server, "moto did not start: \(Self.startError.map { "\($0)" } ?? "?")"))
    }

    func testRoundTrip() async throws { try await scenarios().roundTrip() }
    func testLockedSidesRefuse() async throws { try await scenarios().lockedSidesRefuse() }
}

final class MigrationEmulatorTests: XCTestCase {
    nonisolated(unsafe) private static var server: TestS3?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try TestS3.emulator() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func scenarios() throws -> MigrationScenarios {
        MigrationScenarios(s3: try XCTUnwrap(Self.server, "the emulator did not start: \(Self.startError.map { "\($0)" } ?? "?")"))
    }

    func testRoundTrip() async throws { try await scenarios().roundTrip() }
    func testLockedSidesRefuse() async throws { try await scenarios().lockedSidesRefuse() }
}

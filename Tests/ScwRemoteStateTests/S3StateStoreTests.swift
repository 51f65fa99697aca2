// S3StateStoreTests: the remote store's contract (RemoteStoreScenarios) against moto's S3
// server, an implementation we did not write, and against the local emulator.

import Foundation
import XCTest

final class S3StateStoreMotoTests: XCTestCase {
    nonisolated(unsafe) private static var server: TestS3?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try TestS3.moto() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func scenarios() throws -> RemoteStoreScenarios {
        if let skip = Self.startError as? XCTSkip { throw skip }
        return RemoteStoreScenarios(s3: try XCTUnwrap(Self.server, "moto did not start: \(Self.startError.map { "\($0)" } ?? "?")"))
    }

    func testRowsAndOutputs() async throws { try await scenarios().rowsAndOutputs() }
    func testOneRequestPerWrite() async throws { try await scenarios().oneRequestPerWrite() }
    func testHistory() async throws { try await scenarios().history() }
    func testSecretsAreSealedAtRest() async throws { try await scenarios().secretsSealedAtRest() }
    func testLocks() async throws { try await scenarios().locks() }
    func testLockRaceHasOneWinner() async throws { try await scenarios().lockRace() }
    func testLostAnswersAreRecognisedAsOurs() async throws { try await scenarios().lostAnswers() }
    func testMissingBucket() throws { try scenarios().missingBucket() }
    /// Moto only: the test strips a signed header, which the emulator would rightly reject.
    func testServerIgnoringConditionalWritesIsDetected() async throws { try await scenarios().ignoredConditionsAreDetected() }
}

final class S3StateStoreEmulatorTests: XCTestCase {
    nonisolated(unsafe) private static var server: TestS3?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try TestS3.emulator() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func scenarios() throws -> RemoteStoreScenarios {
        RemoteStoreScenarios(s3: try XCTUnwrap(Self.server, "the emulator did not start: \(Self.startError.map { "\($0)" } ?? "?")"))
    }

    func testRowsAndOutputs() async throws { try await scenarios().rowsAndOutputs() }
    func testOneRequestPerWrite() async throws { try await scenarios().oneRequestPerWrite() }
    func testHistory() async throws { try await scenarios().history() }
    func testSecretsAreSealedAtRest() async throws { try await scenarios().secretsSealedAtRest() }
    func testLocks() async throws { try await scenarios().locks() }
    func testLockRaceHasOneWinner() async throws { try await scenarios().lockRace() }
    func testLostAnswersAreRecognisedAsOurs() async throws { try await scenarios().lostAnswers() }
    func testMissingBucket() throws { try scenarios().missingBucket() }
}

// MigrateCommandTests: `scwlua state migrate` with the built binary: local → bucket → local,
// after which plans are no-ops; against the emulator (deploys included) and against moto (the
// config from SCW_* variables, SCW_S3_ENDPOINT naming moto).

import Foundation
import ScalewayAPI
import XCTest

final class MigrateCommandTests: RemoteCLICase {
    func testMigrateToTheEmulatorsBucketAndBack() async throws {
        try startEmulator()
        let bucket = try await newBucket()
        let remote = "s3://\(bucket)/moved"
        stack = "app"
        expectSuccess(try deploy(nil), "deploy with local state")
        let before = try stateList(nil)
        XCTAssertEqual(Set(before.keys), Self.fleetAddresses)

        let moved = try scwlua(["state", "migrate", "--to", remote, "--stack", stack, "--from-state-dir", stateDir, "--endpoint", baseURL])
        expectSuccess(moved, "migrate to the bucket")
        XCTAssertTrue(moved.stdout.contains("10 resources") && moved.stdout.contains("1 deployments"), "\(moved)")
        XCTAssertEqual(try stateList(remote), before, "the rows, ids included, are in the bucket")
        let p = try plan(remote)
        XCTAssertTrue(p.succeeded && p.stdout.contains("No changes"), "plan on the migrated state: \(p)")
        expectSuccess(try deploy(remote), "deploy on the migrated state")
        try await assertConverged(remote, expected: Self.fleetAddresses, "after a deploy on the migrated state")

        let again = try scwlua(["state", "migrate", "--to", remote, "--stack", stack, "--state-dir", stateDir, "--endpoint", baseURL])
        expectFailure(again, "migrating into a stack that has state")
        XCTAssertTrue(again.stderr.contains("already has state"), "\(again)")

        let back = dir + "/state-back"
        let returned = try scwlua(["state", "migrate", "--to", "local", "--backend", remote, "--state-dir", back, "--stack", stack, "--endpoint", baseURL])
        expectSuccess(returned, "migrate back to local")
        XCTAssertEqual(try stateList(nil, stateDir: back), before)
        let h = try scwlua(["state", "history", "--stack", stack, "--state-dir", back])
        XCTAssertEqual(h.stdout.split(separator: "\n").count, 1, "the history came back (the no-change deploy recorded nothing): \(h)")
        let localPlan = try scwlua(["plan", "infra.lua", "--endpoint", baseURL, "--state-dir", back, "--stack", stack])
        XCTAssertTrue(localPlan.succeeded && localPlan.stdout.contains("No changes"), "\(localPlan)")

        let unlock = try scwlua(["state", "unlock", "--stack", stack, "--backend", remote, "--endpoint", baseURL])
        XCTAssertTrue(unlock.succeeded && unlock.stdout.contains("was not locked"), "\(unlock)")
    }
}

final class MigrateCommandMotoTests: RemoteCLICase {
    nonisolated(unsafe) private static var moto: TestS3?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { moto = try TestS3.moto() } catch { startError = error }
    }

    override class func tearDown() {
        moto?.stop()
        moto = nil
    }

    func testMigrateThroughMotoAndBack() async throws {
        if let skip = Self.startError as? XCTSkip { throw skip }
        let moto = try XCTUnwrap(Self.moto, "moto did not start: \(Self.startError.map { "\($0)" } ?? "?")")
        try startEmulator()
        stack = "svc"
        expectSuccess(try deploy(nil), "deploy with local state (on the emulator)")
        let before = try stateList(nil)
        let bucket = try await moto.newBucket()
        let remote = "s3://\(bucket)/through-moto"

        // The Scaleway config from the environment, S3 at moto.
        var env = environment
        env["SCW_ACCESS_KEY"] = moto.config.accessKey
        env["SCW_SECRET_KEY"] = moto.config.secretKey
        env["SCW_DEFAULT_PROJECT_ID"] = moto.config.defaultProjectID
        env["SCW_S3_ENDPOINT"] = moto.endpoint
        let location = ["--stack", stack, "--state-dir", stateDir]
        expectSuccess(try scwlua(["state", "migrate", "--to", remote] + location, env: env), "migrate to moto")
        let listed = try scwlua(["state", "list", "--backend", remote] + location, env: env)
        XCTAssertTrue(listed.succeeded, "\(listed)")
        XCTAssertEqual(listed.stdout.split(separator: "\n").count, 10, "\(listed)")
        for (address, id) in before { XCTAssertTrue(listed.stdout.contains("\(address)\t\(id)"), "\(address) missing: \(listed)") }
        let keys = try await moto.rawObjects(bucket: bucket).map(\.key)
        XCTAssertTrue(keys.contains("through-moto/svc/resources/Vpc%2Fvpc-fr-par.json"), "\(keys)")
        XCTAssertTrue(keys.contains("through-moto/svc/deployments/0000000000000000001.json"), "\(keys)")

        let back = dir + "/state-back"
        expectSuccess(try scwlua(["state", "migrate", "--to", "local", "--backend", remote, "--stack", stack, "--state-dir", back], env: env),
                      "migrate back from moto")
        XCTAssertEqual(try stateList(nil, stateDir: back), before)
    }
}

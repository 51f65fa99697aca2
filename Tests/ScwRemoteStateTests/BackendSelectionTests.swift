// BackendSelectionTests: parsing `s3://bucket/prefix?region=…`, the object key layout, and how
// a backend is chosen (SCWLUA_BACKEND, then scwlua.json beside the script, then local).

import Foundation
import ScwCore
import ScwLua
@testable import ScwRemoteState
import XCTest

final class BackendSelectionTests: XCTestCase {
    func testParsesLocations() throws {
        XCTAssertEqual(try S3StateLocation(parsing: "s3://my-state"), S3StateLocation(bucket: "my-state"))
        XCTAssertEqual(try S3StateLocation(parsing: "s3://my-state/team/infra/"), S3StateLocation(bucket: "my-state", prefix: "team/infra"))
        let l = try S3StateLocation(parsing: "s3://my.state/p?region=nl-ams")
        XCTAssertEqual(l, S3StateLocation(bucket: "my.state", prefix: "p", region: "nl-ams"))
        XCTAssertEqual(l.description, "s3://my.state/p?region=nl-ams")
        for bad in ["my-state", "s3://", "s3://AB/p", "s3://x/p", "s3://ok-bucket/p?zone=fr-par-1", "s3://ok-bucket?region="] {
            XCTAssertThrowsError(try S3StateLocation(parsing: bad), bad)
        }
    }

    func testKeyLayout() {
        let root = S3StateLocation(bucket: "b")
        XCTAssertEqual(root.saltKey, "key.salt")
        XCTAssertEqual(root.lockKey("prod"), "prod/lock.json")
        let l = S3StateLocation(bucket: "b", prefix: "team")
        XCTAssertEqual(l.saltKey, "team/key.salt")
        XCTAssertEqual(l.resourceKey("a/b", ResourceAddress(type: "Vpc", name: "main net")), "team/a%2Fb/resources/Vpc%2Fmain%20net.json")
        XCTAssertEqual(l.outputsKey("prod"), "team/prod/outputs.json")
        XCTAssertEqual(l.deploymentKey("prod", 42), "team/prod/deployments/0000000000000000042.json")
        XCTAssertEqual(S3StateStore.deploymentID(l.deploymentKey("prod", 42)), 42)
        XCTAssertEqual(S3StateLocation.decode("a%2Fb%20%C3%A9"), "a/b é")
        XCTAssertNil(S3StateLocation.decode("bad%2"))
    }

    func testChoosesEnvironmentThenProjectFileThenLocal() throws {
        let dir = NSTemporaryDirectory() + "scwlua-backend-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        XCTAssertEqual(try StateBackend.resolve(environment: [:], projectDirectory: dir), .local)
        try #"{"backend": "s3://team-state/infra?region=nl-ams"}"#.write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(try StateBackend.resolve(environment: [:], projectDirectory: dir),
                       .s3(S3StateLocation(bucket: "team-state", prefix: "infra", region: "nl-ams")))
        XCTAssertEqual(try StateBackend.resolve(environment: ["SCWLUA_BACKEND": "s3://other/x"], projectDirectory: dir),
                       .s3(S3StateLocation(bucket: "other", prefix: "x")), "the environment wins over the file")
        XCTAssertEqual(try StateBackend.resolve(environment: ["SCWLUA_BACKEND": "local"], projectDirectory: dir), .local)

        // Bad input is an error naming the file, never a silent fallback to local state.
        try #"{"backnd": "s3://team-state"}"#.write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateBackend.resolve(environment: [:], projectDirectory: dir)) { error in
            XCTAssertTrue("\(error)".contains("scwlua.json") && "\(error)".contains("did you mean 'backend'"), "\(error)")
        }
        try #"{"backend": "gs://x"}"#.write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateBackend.resolve(environment: [:], projectDirectory: dir)) { XCTAssertTrue("\($0)".contains("scwlua.json"), "\($0)") }
        try "{not json".write(toFile: dir + "/scwlua.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateBackend.resolve(environment: [:], projectDirectory: dir)) { XCTAssertTrue("\($0)".contains("not valid JSON"), "\($0)") }
        XCTAssertThrowsError(try StateBackend.resolve(environment: ["SCWLUA_BACKEND": "s3:/typo"], projectDirectory: dir)) {
            XCTAssertTrue("\($0)".contains("SCWLUA_BACKEND"), "\($0)")
        }
    }
}

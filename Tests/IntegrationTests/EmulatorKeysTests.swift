// EmulatorKeysTests: `scwlua emulator` started with a user's own key pair (SCW_ACCESS_KEY /
// SCW_SECRET_KEY, or --access-key / --secret-key) accepts it: the CLI pointed at it with
// SCW_API_URL deploys JSON-API resources and buckets (its S3 is on the same port) with those keys.

import Foundation
import ScwTestSupport
import XCTest

final class EmulatorKeysTests: IntegrationCase {
    static let access = "SCWABCDEFGHIJ12345KL"
    static let secret = "9f3a6c1e-2b7d-4e8f-a0c1-5d6e7f809a1b"
    static let project = "2c3d4e5f-6a7b-4c8d-9e0f-a1b2c3d4e5f6"

    /// Starts `scwlua emulator --port 0 ARGS`; returns it and the URL it printed.
    func startEmulator(_ args: [String], env: [String: String]) throws -> (CLI.Running, String) {
        let server = try CLI.start(["emulator", "--port", "0"] + args, in: dir, environment: env)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, server.isRunning {
            let text = (try? String(contentsOfFile: server.outPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on ") {
                let url = text[range.upperBound...].prefix { !$0.isWhitespace }
                if !url.isEmpty { return (server, String(url)) }
            }
            usleep(20_000)
        }
        let result = server.kill()
        throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "the emulator printed no URL: \(result)"])
    }

    /// `GET url/__emulator/resources`: the kinds held.
    func kinds(_ url: String) throws -> [String] {
        let data = try Data(contentsOf: URL(string: url + "/__emulator/resources")!)
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return ((json?["resources"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }.sorted()
    }

    func testTheCLIWorksAgainstTheEmulatorWithTheUsersOwnKeys() throws {
        var env = environment
        env["SCW_ACCESS_KEY"] = Self.access
        env["SCW_SECRET_KEY"] = Self.secret
        let (server, url) = try startEmulator([], env: env)
        defer { _ = server.kill() }
        env["SCW_API_URL"] = url
        env["SCW_DEFAULT_PROJECT_ID"] = Self.project
        try writeScript("""
        local scw = require "scaleway"
        local assets = scw.Bucket "assets" { name = "team-assets-\(UUID().uuidString.prefix(8).lowercased())" }
        scw.IamApplication "ci" {}
        return { bucket = assets.name }
        """)
        let deployed = try scwlua(["deploy", "infra.lua", "--yes"] + location, env: env)
        expectSuccess(deployed, "deploy with the user's keys against SCW_API_URL")
        XCTAssertEqual(try kinds(url), ["bucket", "iam_application"])
        expectSuccess(try scwlua(["destroy", "infra.lua", "--yes"] + location, env: env), "destroy")
        XCTAssertEqual(try kinds(url), [])
    }

    func testFlagsNameTheKeyPairAndAnotherKeyIsRefused() throws {
        let (server, url) = try startEmulator(["--access-key", Self.access, "--secret-key", Self.secret], env: environment)
        defer { _ = server.kill() }
        var env = environment
        env["SCW_API_URL"] = url
        env["SCW_DEFAULT_PROJECT_ID"] = Self.project
        env["SCW_ACCESS_KEY"] = Self.access
        env["SCW_SECRET_KEY"] = Self.secret
        try writeScript("""
        local scw = require "scaleway"
        scw.Bucket "assets" { name = "flag-assets-\(UUID().uuidString.prefix(8).lowercased())" }
        """)
        expectSuccess(try scwlua(["deploy", "infra.lua", "--yes"] + location, env: env), "deploy with the flagged keys")
        env["SCW_ACCESS_KEY"] = "SCWZZZZZZZZZZZZZZZZZ"
        stack = "other"
        let refused = try scwlua(["deploy", "infra.lua", "--yes"] + location, env: env)
        expectFailure(refused, "another key")
        XCTAssertTrue((refused.stdout + refused.stderr).contains("InvalidAccessKeyId"), "\(refused)")
        let half = try scwlua(["emulator", "--port", "0", "--access-key", Self.access])
        expectFailure(half, "--access-key without --secret-key")
        XCTAssertTrue(half.stderr.contains("go together"), half.stderr)
    }
}

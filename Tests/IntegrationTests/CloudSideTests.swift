// CloudSideTests: the cloud as it really is: changed behind scwlua's back (drift), reached with
// real credentials from the Scaleway config file and environment (pointed at the emulator with
// api_url / SCW_API_URL), and shared by two stacks deployed at the same moment.

import Foundation
import ScwTestSupport
import XCTest

final class CloudSideTests: IntegrationCase {
    static let accessKey = "SCWABCDEFGHIJ0123456"
    static let secretKey = "8d9a8c77-3c1e-4bb2-9d1f-5a7e0c6b2f41"
    static let projectID = "0b6f4a3e-2c1d-4e5f-8a9b-7c6d5e4f3a2b"

    /// Someone edits a tag in the console and deletes a network: refresh reports it, plan shows
    /// the way back, deploy restores the script's view.
    func testDriftIsReportedAndRepaired() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "deploy")
        let rows = Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0) })
        let vpc = try XCTUnwrap(rows["Vpc/main"])
        let data = try XCTUnwrap(rows["VpcPrivateNetwork/data"])

        let cloudVPC = try XCTUnwrap(try cloud.stackResources().first { $0.id == vpc.uuid })
        let edited = cloudVPC.tags.map { $0 == "env:dev" ? "env:hacked" : $0 }
        let tagsJSON = "[" + edited.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let patch = try cloud.api("PATCH", "/vpc/v2/regions/fr-par/vpcs/\(vpc.uuid)", body: "{\"tags\":\(tagsJSON)}")
        XCTAssertEqual(patch.status, 200, patch.text)
        let delete = try cloud.api("DELETE", "/vpc/v2/regions/fr-par/private-networks/\(data.uuid)")
        XCTAssertTrue((200..<300).contains(delete.status), delete.text)

        let refresh = expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh")
        XCTAssertFalse(refresh.stdout.contains("No drift"), "refresh missed the drift: \(refresh)")
        XCTAssertTrue(refresh.stdout.contains("VpcPrivateNetwork/data"), "refresh names the deleted network: \(refresh)")
        XCTAssertTrue(refresh.stdout.contains("Vpc/main"), "refresh names the edited VPC: \(refresh)")

        let p = expectSuccess(try plan(), "plan")
        XCTAssertEqual(p.stdout.planSymbol(for: "Vpc/main"), "~", p.description)
        XCTAssertTrue(p.stdout.contains("env:hacked"), "the plan shows the cloud's value: \(p)")
        XCTAssertEqual(p.stdout.planSymbol(for: "VpcPrivateNetwork/data"), "+", p.description)

        expectSuccess(try deploy(), "deploy repairing drift")
        let repaired = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "Vpc/main" })
        XCTAssertTrue(repaired.tags.contains("env:dev"), "\(repaired)")
        XCTAssertFalse(repaired.tags.contains("env:hacked"), "\(repaired)")
        try assertConverged(expected: LifecycleTests.all, "after repairing drift")
        try assertNoopPlan("after repairing drift")
        let calm = expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh after repair")
        XCTAssertTrue(calm.stdout.contains("No drift"), calm.description)
    }

    /// Credentials and defaults from a config file profile and from SCW_* variables, without
    /// --endpoint; the secret key never printed, even with --debug or when it is malformed.
    func testConfigFileAndEnvironmentCredentials() throws {
        try startCloud()
        try writeScript(Fixture.network())
        let configPath = dir + "/home/scw-config.yaml"
        try """
        active_profile: work
        profiles:
          work:
            access_key: \(Self.accessKey)
            secret_key: \(Self.secretKey)
            default_project_id: \(Self.projectID)
            default_region: fr-par
            api_url: \(cloud.baseURL)
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        var env = environment
        env["SCW_CONFIG_PATH"] = configPath

        let d = expectSuccess(try scwlua(["deploy", "infra.lua", "--yes", "--debug"] + location, env: env), "deploy with the config file")
        XCTAssertFalse(d.combined.contains(Self.secretKey), "the secret key was printed: \(d)")
        XCTAssertTrue(d.stderr.contains("api: POST"), "--debug logs API calls: \(d)")
        let projects = try projectIDs()
        XCTAssertEqual(projects, [Self.projectID], "resources go to the profile's default project")

        let nope = expectFailure(try scwlua(["plan", "infra.lua", "--profile", "nope"] + location, env: env), "--profile nope")
        XCTAssertTrue(nope.stderr.contains("nope"), nope.description)
        XCTAssertTrue(nope.stderr.contains("work"), "lists the profiles there are: \(nope)")

        // The environment overrides the file: a malformed secret key is refused, masked.
        var bad = env
        bad["SCW_SECRET_KEY"] = "hunter2-not-a-uuid-secret-key"
        try cloud.resetStats()
        let refused = expectFailure(try scwlua(["plan", "infra.lua"] + location, env: bad), "a malformed SCW_SECRET_KEY")
        XCTAssertTrue(refused.stderr.contains("secret key"), refused.description)
        XCTAssertTrue(refused.stderr.contains("SCW_SECRET_KEY"), "says where the bad value came from: \(refused)")
        XCTAssertFalse(refused.combined.contains("hunter2"), "the malformed secret was printed: \(refused)")
        XCTAssertEqual(try cloud.stats().requests, 0, "no API call with a bad config")

        // Environment only: no file at all.
        var envOnly = environment
        envOnly["SCW_ACCESS_KEY"] = Self.accessKey
        envOnly["SCW_SECRET_KEY"] = Self.secretKey
        envOnly["SCW_DEFAULT_PROJECT_ID"] = Self.projectID
        envOnly["SCW_API_URL"] = cloud.baseURL
        try cloud.resetStats()
        let p = expectSuccess(try scwlua(["plan", "infra.lua", "--debug"] + location, env: envOnly), "plan with SCW_* variables")
        XCTAssertTrue(p.stdout.contains("No changes"), p.description)
        XCTAssertFalse(p.combined.contains(Self.secretKey), p.description)
        XCTAssertGreaterThan(try cloud.stats().requests, 0, "the plan read the emulator at SCW_API_URL")
    }

    /// Two stacks deployed from one script and one state folder at the same time: both finish.
    func testTwoStacksDeployConcurrentlyFromOneStateFolder() throws {
        try startCloud(latencyMs: 100)
        try writeScript(Fixture.text("fleet.lua"))
        let runs = try ["blue", "green"].map { name in
            try CLI.start(["deploy", "infra.lua", "--endpoint", cloud.baseURL, "--state-dir", stateDir, "--stack", name, "--yes"],
                          in: dir, environment: environment)
        }
        let results = runs.map { $0.wait(timeout: 120) }
        for r in results { expectSuccess(r, "concurrent deploy") }
        for name in ["blue", "green"] {
            stack = name
            try assertConverged(expected: ResilienceTests.fleet, "stack \(name)")
        }
    }

    private func projectIDs() throws -> Set<String> {
        let json = try cloud.request("GET", "/__emulator/resources")
        let items = (json as? [String: Any])?["resources"] as? [[String: Any]] ?? []
        return Set(items.filter { ($0["tags"] as? [String] ?? []).contains("scwlua:stack=\(stack)") }.compactMap { $0["project_id"] as? String })
    }
}

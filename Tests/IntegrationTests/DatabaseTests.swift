// DatabaseTests: the managed database slice end to end: the built binary deploys
// `examples/app-with-database.lua` (an RdbInstance on a private network, a database, a user, a
// privilege, an ACL, and an Instance whose cloud-init holds the private endpoint and the user's
// password) against the emulator; then a no-op re-plan writes nothing, a setting changes in
// place, the volume grows in place (a shrink plans a replacement with its reason), a second
// database and user are added, and destroy leaves nothing. Also: kill -9 while the instance
// provisions (and while its users are made) then a re-run converges without duplicates; 30%
// 429 + 10% 503 through deploy and destroy; passwords never in clear anywhere a user looks.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest

final class DatabaseTests: ComputeCase {
    static let dbPassword = "Adm1n_pa55word!"
    static let appPassword = "App_pa55word!"
    static let reportsPassword = "Rep0rts_pa55word!"
    static let declared: Set<String> = ["VpcPrivateNetwork/data", "RdbInstance/main", "RdbDatabase/app", "RdbUser/app",
                                        "RdbPrivilege/app", "RdbAcl/office", "Instance/web"]

    static func script() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/app-with-database.lua"), encoding: .utf8)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        knobs = ["db_password": Self.dbPassword, "app_password": Self.appPassword]
    }

    // MARK: the RDB API, read behind scwlua's back

    func instance(_ uuid: String) throws -> [String: Any]? { try getJSON("/rdb/v1/regions/fr-par/instances/\(uuid)") }

    func names(_ uuid: String, _ collection: String) throws -> [String] {
        let body = try getJSON("/rdb/v1/regions/fr-par/instances/\(uuid)/\(collection)?page_size=100")
        return (body?[collection] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
    }

    func permission(_ uuid: String, user: String, database: String) throws -> String? {
        let body = try getJSON("/rdb/v1/regions/fr-par/instances/\(uuid)/privileges?user_name=\(user)&database_name=\(database)")
        return (body?["privileges"] as? [[String: Any]])?.first?["permission"] as? String
    }

    func setting(_ instance: [String: Any], _ name: String) -> String? {
        (instance["settings"] as? [[String: Any]] ?? []).first { $0["name"] as? String == name }?["value"] as? String
    }

    /// The stack and the cloud agree: one tagged cloud resource per urn and each in state,
    /// every row `created` with its cloud resource (databases and users looked up by name on
    /// their instance), no pending tag left, nothing untagged but what the API makes itself.
    func assertDatabaseConverged(_ context: String, databases: [String] = ["app"], users: [String] = ["admin", "app"],
                                 expected: Set<String> = DatabaseTests.declared, file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try rowsByAddress(file: file, line: line)
        XCTAssertEqual(Set(rows.keys), expected, "\(context): state addresses", file: file, line: line)
        let tagged = try cloud.stackResources(stack).filter { !Self.isRootVolume($0) }
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.urn ?? "(no urn)", default: []].append(r) }
        for (urn, list) in byURN where list.count != 1 {
            XCTFail("\(context): \(list.count) cloud resources for \(urn) (duplicates): \(list)", file: file, line: line)
        }
        for r in tagged where rows[r.urn ?? ""]?.uuid != r.id {
            XCTFail("\(context): cloud resource \(r) is not the one state holds (\(rows[r.urn ?? ""]?.description ?? "no row"))", file: file, line: line)
        }
        for r in tagged where r.tags.contains("scwlua:pending") {
            XCTFail("\(context): \(r) still carries the pending tag", file: file, line: line)
        }
        for row in rows.values where row.status != "created" {
            XCTFail("\(context): row left \(row.status): \(row)", file: file, line: line)
        }
        let main = try XCTUnwrap(rows["RdbInstance/main"], file: file, line: line)
        let db = try XCTUnwrap(try instance(main.uuid), "\(context): the instance is in the RDB API", file: file, line: line)
        XCTAssertEqual(db["status"] as? String, "ready", context, file: file, line: line)
        XCTAssertEqual(try names(main.uuid, "databases"), databases.sorted(), "\(context): databases", file: file, line: line)
        XCTAssertEqual(try names(main.uuid, "users"), users.sorted(), "\(context): users", file: file, line: line)
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "rdb_instance" }.count, 1, "\(context): one instance", file: file, line: line)
        XCTAssertEqual(try untaggedLeftovers(), [], "\(context): untagged cloud resources", file: file, line: line)
    }

    // MARK: 1. lifecycle

    func testAppWithDatabaseExampleLifecycle() throws {
        try startCloud(speed: 20)
        try writeScript(try Self.script())

        let d = expectSuccess(try deploy(knobArgs), "deploy")
        XCTAssertTrue(d.stdout.contains("Plan: 7 to create, 0 to update, 0 to replace, 0 to delete."), d.description)
        try assertDatabaseConverged("after deploy")
        let rows = try rowsByAddress()
        let main = try XCTUnwrap(rows["RdbInstance/main"])
        let db = try XCTUnwrap(try instance(main.uuid))
        XCTAssertEqual(db["engine"] as? String, "PostgreSQL-16")
        XCTAssertEqual(setting(db, "max_connections"), "200")
        XCTAssertEqual((db["volume"] as? [String: Any])?["size"] as? Int, 20_000_000_000)
        let endpoint = try XCTUnwrap((db["endpoints"] as? [[String: Any]])?.first)
        XCTAssertNotNil(endpoint["private_network"], "a private endpoint only")
        let privateIP = try XCTUnwrap(endpoint["ip"] as? String)
        XCTAssertEqual(try permission(main.uuid, user: "app", database: "app"), "all")
        let acls = try getJSON("/rdb/v1/regions/fr-par/instances/\(main.uuid)/acls")?["rules"] as? [[String: Any]]
        XCTAssertEqual(acls?.compactMap { $0["ip"] as? String }, ["203.0.113.0/24"])
        let out = try outputsJSON()
        XCTAssertEqual(out["dsn"] as? String, "postgres://app@\(privateIP):5432/app")
        XCTAssertEqual(out["cert"] as? String, "(sensitive)")
        let web = try XCTUnwrap(rows["Instance/web"])
        let cloudInit = try cloud.api("GET", "/instance/v1/zones/\(Self.zone)/servers/\(web.uuid)/user_data/cloud-init")
        XCTAssertTrue(cloudInit.text.contains("postgres://app:\(Self.appPassword)@\(privateIP):5432/app"),
                      "the server's cloud-init gets the endpoint and the password in clear (only the API sees it): \(cloudInit.text)")

        try assertNoChange("after deploy")

        // A setting, in place.
        knobs["max_connections"] = "300"
        let p1 = expectSuccess(try plan(knobArgs), "plan a setting")
        XCTAssertTrue(p1.stdout.contains("~ RdbInstance/main") && p1.stdout.contains("settings"), p1.description)
        XCTAssertTrue(p1.stdout.contains("0 to replace"), p1.description)
        expectSuccess(try deploy(knobArgs), "deploy a setting")
        XCTAssertEqual(try rowsByAddress()["RdbInstance/main"]?.uuid, main.uuid, "the same instance")
        XCTAssertEqual(setting(try XCTUnwrap(try instance(main.uuid)), "max_connections"), "300")
        try assertNoChange("after a setting")

        // The volume grows in place; a smaller size would replace the instance, and says why.
        knobs["volume_gb"] = "30"
        let p2 = expectSuccess(try plan(knobArgs), "plan a bigger volume")
        XCTAssertTrue(p2.stdout.contains("~ RdbInstance/main") && p2.stdout.contains("0 to replace"), p2.description)
        expectSuccess(try deploy(knobArgs), "deploy a bigger volume")
        XCTAssertEqual(try rowsByAddress()["RdbInstance/main"]?.uuid, main.uuid, "the same instance")
        XCTAssertEqual((try instance(main.uuid)?["volume"] as? [String: Any])?["size"] as? Int, 30_000_000_000)
        try assertNoChange("after growing the volume")
        knobs["volume_gb"] = "20"
        let p3 = expectSuccess(try plan(knobArgs), "plan a smaller volume")
        XCTAssertTrue(p3.stdout.contains("-/+ RdbInstance/main"), p3.description)
        XCTAssertTrue(p3.stdout.contains("volume_size_in_gb cannot shrink in place (30 GB → 20 GB)"), p3.description)
        knobs["volume_gb"] = "30"

        // A second database and user, with a read-only privilege.
        knobs["with_reports"] = "true"
        knobs["reports_password"] = Self.reportsPassword
        let d2 = expectSuccess(try deploy(knobArgs), "deploy a second database and user")
        XCTAssertTrue(d2.stdout.contains("Plan: 3 to create, 0 to update, 0 to replace, 0 to delete."), d2.description)
        try assertDatabaseConverged("after adding reports", databases: ["app", "reports"], users: ["admin", "analyst", "app"],
                                    expected: Self.declared.union(["RdbDatabase/reports", "RdbUser/analyst", "RdbPrivilege/analyst"]))
        XCTAssertEqual(try permission(main.uuid, user: "analyst", database: "reports"), "readonly")
        try assertNoChange("after adding reports")

        let gone = expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertTrue(gone.stdout.contains("10 deleted"), gone.description)
        XCTAssertEqual(try cloud.stackResources(stack), [], "destroy left tagged resources")
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "rdb_instance" }, [])
        XCTAssertEqual(try untaggedLeftovers(), [], "destroy left untagged resources (IPAM addresses, root volumes...)")
        XCTAssertEqual(try stateList(), [])
    }

    // MARK: 2. secrets

    func testPasswordsNeverAppearInClear() throws {
        try startCloud(speed: 20)
        try writeScript(try Self.script())
        var runs: [RunResult] = []
        let p = expectSuccess(try plan(knobArgs), "plan")
        XCTAssertTrue(p.stdout.contains("user_data          = { cloud-init = (sensitive) }") || p.stdout.contains("cloud-init = (sensitive)"),
                      "the user data that holds the password is (sensitive) in the plan: \(p)")
        runs.append(p)
        runs.append(expectSuccess(try plan(knobArgs + ["--json"]), "plan --json"))
        runs.append(expectSuccess(try deploy(knobArgs + ["--debug"]), "deploy --debug"))
        knobs["max_connections"] = "250"
        knobs["app_password"] = "N3w_app_pa55word!"
        runs.append(expectSuccess(try deploy(knobArgs + ["--json"]), "deploy --json (setting and password changed)"))
        runs.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        runs.append(expectSuccess(try scwlua(["state", "show", "RdbUser/app"] + location), "state show"))
        runs.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        runs.append(expectSuccess(try destroy(knobArgs + ["--debug"]), "destroy --debug"))
        let secrets = [Self.dbPassword, Self.appPassword, "N3w_app_pa55word!"]
        for r in runs {
            for secret in secrets {
                XCTAssertFalse(r.combined.contains(secret), "\(secret) leaked by `scwlua \(r.arguments.joined(separator: " "))`")
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDir)
        XCTAssertTrue(files.contains("state.db"), "\(files)")
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stateDir + "/" + name))
            for secret in secrets { XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) in the raw bytes of \(name)") }
        }
    }

    // MARK: 3. kill -9

    /// Kills the deploy while the instance provisions, then while its users are being made;
    /// each re-run finishes the same instance: no duplicate instance, database or user.
    func testKillDuringProvisioningAndUserCreationThenRerunConverges() throws {
        try startCloud(speed: 1)   // provisioning 3 s, initializing 2 s
        try writeScript(try Self.script())
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"] + knobArgs, in: dir, environment: environment)
        var instanceID: String?
        let deadline = Date().addingTimeInterval(30)
        while running.isRunning, Date() < deadline, instanceID == nil {
            instanceID = try cloud.stackResources(stack).first { $0.kind == "rdb_instance" }?.id
            if instanceID == nil { usleep(2_000) }
        }
        let killed = running.kill()
        XCTAssertFalse(killed.succeeded, "the deploy was killed, not finished")
        let id = try XCTUnwrap(instanceID, "the deploy made no instance before it ended")
        XCTAssertEqual(try instance(id)?["status"] as? String, "provisioning", "killed while the instance provisions")
        XCTAssertTrue(try cloud.stackResources(stack).contains { $0.id == id && $0.tags.contains("scwlua:pending") })
        expectSuccess(try deploy(knobArgs, timeout: 120), "re-run after the kill during provisioning")
        try assertDatabaseConverged("after the kill during provisioning and a re-run")
        XCTAssertEqual(try rowsByAddress()["RdbInstance/main"]?.uuid, id, "the re-run finished the instance the killed run made")
        try assertNoChange("after the kill during provisioning")

        // Kill while the users are made: a new user, on the same instance.
        knobs["with_reports"] = "true"
        knobs["reports_password"] = Self.reportsPassword
        let second = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"] + knobArgs, in: dir, environment: environment)
        let until = Date().addingTimeInterval(30)
        var sawUser = false
        while second.isRunning, Date() < until, !sawUser {
            sawUser = try names(id, "users").contains("analyst")
            if !sawUser { usleep(2_000) }
        }
        _ = second.kill()
        XCTAssertTrue(sawUser, "the analyst user was made before the kill")
        expectSuccess(try deploy(knobArgs, timeout: 120), "re-run after the kill during user creation")
        try assertDatabaseConverged("after the kill during user creation", databases: ["app", "reports"], users: ["admin", "analyst", "app"],
                                    expected: Self.declared.union(["RdbDatabase/reports", "RdbUser/analyst", "RdbPrivilege/analyst"]))
        try assertNoChange("after the kill during user creation")
        expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertEqual(try cloud.stackResources(stack), [])
        XCTAssertEqual(try untaggedLeftovers(), [])
    }

    // MARK: 4. faults

    /// 30% 429 and 10% 503 on every API request through the example's deploy and destroy.
    func testExampleThrough429And503() throws {
        let storm = FaultRates(rate429: 0.3, rate503: 0.1)
        try startCloud(faults: storm, speed: 50)
        try writeScript(try Self.script())
        var deployed = false
        for _ in 0..<4 where !deployed {
            let r = try deploy(knobArgs, timeout: 120)
            XCTAssertFalse(r.signaled || r.timedOut, "deploy crashed or hung: \(r)")
            deployed = r.succeeded
        }
        XCTAssertTrue(deployed, "deploy did not succeed through the storm in 4 runs")
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")
        cloud.setFaults(.none)
        try assertDatabaseConverged("after deploy through 429/503")
        try assertNoChange("after deploy through 429/503")
        cloud.setFaults(storm)
        var destroyed = false
        for _ in 0..<4 where !destroyed {
            let r = try destroy(knobArgs)
            XCTAssertFalse(r.signaled || r.timedOut, "destroy crashed or hung: \(r)")
            destroyed = r.succeeded
        }
        cloud.setFaults(.none)
        XCTAssertTrue(destroyed, "destroy did not succeed through the storm in 4 runs")
        XCTAssertEqual(try cloud.stackResources(stack), [])
        XCTAssertEqual(try untaggedLeftovers(), [])
        XCTAssertEqual(try stateList(), [])
    }
}

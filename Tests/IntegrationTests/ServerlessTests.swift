// ServerlessTests: the serverless slice end to end: the built binary deploys
// `examples/serverless.lua` (a function namespace with a secret, a function from a folder, a
// cron, a registry namespace, a container namespace and a container) against the emulator;
// a re-plan writes nothing (the folder zipped again byte for byte, even after its files are
// touched and rewritten in another order); an edited file redeploys the function in place with
// a new code hash; a changed secret is an in-place update shown as (sensitive); destroy leaves
// nothing. Also: kill -9 during namespace creation, during the upload and during the deploy,
// then re-runs converge with no duplicate; 30% 429 + 10% 503; secrets never in clear.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest

/// Kills a client the first time the emulator logs a request line containing a fragment.
final class RequestKill: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32 = 0
    private var fragment = ""
    private(set) var fired = false

    func arm(pid: Int32, on fragment: String) { lock.withLock { self.pid = pid; self.fragment = fragment; fired = false } }
    func disarm() { lock.withLock { pid = 0 } }
    var didFire: Bool { lock.withLock { fired } }

    /// Called by the emulator once per request, after processing it and before answering.
    func observe(_ line: String) {
        lock.withLock {
            if pid > 0, !fired, line.contains(fragment) {
                kill(pid, SIGKILL)
                fired = true
            }
        }
    }
}

final class ServerlessTests: ComputeCase {
    static let token = "tok3n-S3CRET-value"
    static let dsn = "postgres://app:Dsn-pa55word@db/app"
    static let declared: Set<String> = ["FunctionNamespace/api", "Function/hello", "FunctionCron/nightly",
                                        "RegistryNamespace/apps-registry", "ContainerNamespace/web", "Container/web"]
    let killer = RequestKill()

    static var examples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples")
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        knobs = ["token": Self.token, "dsn": Self.dsn]
        try writeScript(try String(contentsOf: Self.examples.appendingPathComponent("serverless.lua"), encoding: .utf8))
        try FileManager.default.copyItem(at: Self.examples.appendingPathComponent("functions"), to: URL(fileURLWithPath: dir + "/functions"))
    }

    var handlerPath: String { dir + "/functions/hello/handler.js" }

    // MARK: reads behind scwlua's back

    func list(_ path: String, _ key: String) throws -> [[String: Any]] {
        (try getJSON(path)?[key] as? [[String: Any]]) ?? []
    }

    /// State and cloud agree: every declared address `created` with its cloud resource, one
    /// cloud resource per address (tagged ones by urn, crons and registry namespaces by name),
    /// the function and container ready, the two namespaces' own registries and nothing else.
    func assertServerlessConverged(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try rowsByAddress(file: file, line: line)
        XCTAssertEqual(Set(rows.keys), Self.declared, "\(context): state addresses", file: file, line: line)
        for row in rows.values where row.status != "created" { XCTFail("\(context): row left \(row.status): \(row)", file: file, line: line) }
        let all = try cloud.resources()
        func count(_ kind: String) -> Int { all.filter { $0.kind == kind }.count }
        for kind in ["function_namespace", "function", "function_cron", "container_namespace", "container"] {
            XCTAssertEqual(count(kind), 1, "\(context): one \(kind): \(all)", file: file, line: line)
        }
        let registries = all.filter { $0.kind == "registry_namespace" }.map(\.name).sorted()
        XCTAssertEqual(registries.count, 3, "\(context): the script's registry and one per serverless namespace: \(registries)", file: file, line: line)
        XCTAssertEqual(registries.filter { !$0.hasPrefix("funcscw") }, ["apps-registry"], context, file: file, line: line)
        for r in all where ["function_namespace", "function", "container_namespace", "container"].contains(r.kind) {
            XCTAssertEqual(rows[r.urn ?? ""]?.uuid, r.id, "\(context): \(r) is the one state holds", file: file, line: line)
        }
        let fn = try XCTUnwrap(rows["Function/hello"], file: file, line: line)
        XCTAssertEqual(try getJSON("/functions/v1beta1/regions/fr-par/functions/\(fn.uuid)")?["status"] as? String, "ready", context, file: file, line: line)
        let app = try XCTUnwrap(rows["Container/web"], file: file, line: line)
        XCTAssertEqual(try getJSON("/containers/v1/regions/fr-par/containers/\(app.uuid)")?["status"] as? String, "ready", context, file: file, line: line)
        XCTAssertEqual(try list("/functions/v1beta1/regions/fr-par/crons?function_id=\(fn.uuid)", "crons").compactMap { $0["name"] as? String },
                       ["nightly"], context, file: file, line: line)
    }

    func writes(_ method: String) throws -> Int { try cloud.stats().byMethod[method] ?? 0 }

    // MARK: 1. lifecycle

    func testServerlessExampleLifecycle() throws {
        try startCloud(speed: 20)
        let d = expectSuccess(try deploy(knobArgs), "deploy")
        XCTAssertTrue(d.stdout.contains("Plan: 6 to create, 0 to update, 0 to replace, 0 to delete."), d.description)
        try assertServerlessConverged("after deploy")
        let out = try outputsJSON()
        let fnURL = try XCTUnwrap(out["fn_url"] as? String)
        XCTAssertTrue(fnURL.hasPrefix("https://api") && fnURL.hasSuffix("-hello.functions.fnc.fr-par.scw.cloud"), fnURL)
        XCTAssertEqual(out["registry"] as? String, "rg.fr-par.scw.cloud/apps-registry")
        let fn = try XCTUnwrap(try rowsByAddress()["Function/hello"])
        let firstHash = try XCTUnwrap(try functionCodeHash())

        // A re-plan writes nothing: the folder zips to the same bytes.
        try assertNoChange("after deploy")

        // The same files touched and written again in another order: still no change.
        let files = ["lib/greeting.js", "handler.js"].map { dir + "/functions/hello/" + $0 }
        let contents = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }
        for f in files { try FileManager.default.removeItem(atPath: f) }
        for (f, text) in zip(files, contents).reversed() {
            try text.write(toFile: f, atomically: false, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: f)
        }
        try assertNoChange("after touching and rewriting the function's files in another order")

        // An edited file: an in-place redeploy naming the new hash.
        try (contents[1] + "\n// v2\n").write(toFile: handlerPath, atomically: false, encoding: .utf8)
        let p = expectSuccess(try plan(knobArgs), "plan an edited function")
        XCTAssertTrue(p.stdout.contains("~ Function/hello"), p.description)
        XCTAssertTrue(p.stdout.contains("zip_hash") && p.stdout.contains(firstHash), p.description)
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), p.description)
        try cloud.resetStats()
        expectSuccess(try deploy(knobArgs), "deploy the edit")
        XCTAssertEqual(try writes("PUT"), 1, "one upload")
        XCTAssertEqual(try writes("POST"), 1, "one deploy")
        XCTAssertEqual(try rowsByAddress()["Function/hello"]?.uuid, fn.uuid, "the same function")
        let secondHash = try XCTUnwrap(try functionCodeHash())
        XCTAssertNotEqual(secondHash, firstHash, "the code hash changed")
        XCTAssertTrue(p.stdout.contains(secondHash), "the plan named the new hash: \(p)")
        try assertServerlessConverged("after the edit")
        try assertNoChange("after the edit")

        // A changed secret: in place, shown as (sensitive).
        knobs["token"] = "an0ther-S3CRET"
        let s = expectSuccess(try plan(knobArgs), "plan a changed secret")
        XCTAssertTrue(s.stdout.contains("~ FunctionNamespace/api"), s.description)
        XCTAssertTrue(s.stdout.contains("secret_environment_variables") && s.stdout.contains("(sensitive)"), s.description)
        XCTAssertTrue(s.stdout.contains("0 to replace"), s.description)
        XCTAssertFalse(s.combined.contains("an0ther-S3CRET") || s.combined.contains(Self.token), s.description)
        let namespaceID = try XCTUnwrap(try rowsByAddress()["FunctionNamespace/api"]?.uuid)
        expectSuccess(try deploy(knobArgs), "deploy a changed secret")
        XCTAssertEqual(try rowsByAddress()["FunctionNamespace/api"]?.uuid, namespaceID, "the same namespace")
        let keys = (try getJSON("/functions/v1beta1/regions/fr-par/namespaces/\(namespaceID)")?["secret_environment_variables"] as? [[String: Any]])?
            .compactMap { $0["key"] as? String }
        XCTAssertEqual(keys, ["API_TOKEN"])
        try assertNoChange("after the secret change")

        let gone = expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertTrue(gone.stdout.contains("6 deleted"), gone.description)
        XCTAssertEqual(try cloud.resources(), [], "destroy left resources (the namespaces' registries included)")
        XCTAssertEqual(try stateList(), [])
    }

    /// `code_hash` of Function/hello (the stack's one function) from `state export`.
    func functionCodeHash() throws -> String? {
        let r = expectSuccess(try scwlua(["state", "export"] + location), "state export")
        guard let range = r.stdout.range(of: #""code_hash"\s*:\s*"([0-9a-f]{64})""#, options: .regularExpression) else { return nil }
        return String(r.stdout[range].suffix(65).dropLast())
    }

    // MARK: 2. secrets

    func testSecretsNeverAppearInClear() throws {
        try startCloud(speed: 20)
        var runs: [RunResult] = []
        runs.append(expectSuccess(try plan(knobArgs), "plan"))
        runs.append(expectSuccess(try plan(knobArgs + ["--json"]), "plan --json"))
        runs.append(expectSuccess(try deploy(knobArgs + ["--debug"]), "deploy --debug"))
        knobs["token"] = "an0ther-S3CRET"
        knobs["dsn"] = "postgres://app:N3w-pa55word@db/app"
        runs.append(expectSuccess(try deploy(knobArgs + ["--json"]), "deploy --json (secrets changed)"))
        runs.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        for address in ["FunctionNamespace/api", "Container/web"] {
            runs.append(expectSuccess(try scwlua(["state", "show", address] + location), "state show \(address)"))
        }
        runs.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        runs.append(expectSuccess(try destroy(knobArgs + ["--debug"]), "destroy --debug"))
        let secrets = [Self.token, "Dsn-pa55word", "an0ther-S3CRET", "N3w-pa55word"]
        for r in runs {
            for secret in secrets { XCTAssertFalse(r.combined.contains(secret), "\(secret) leaked by `scwlua \(r.arguments.joined(separator: " "))`") }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDir)
        XCTAssertTrue(files.contains("state.db"), "\(files)")
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stateDir + "/" + name))
            for secret in secrets { XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) in the raw bytes of \(name)") }
        }
    }

    // MARK: 3. kill -9

    /// Runs a deploy, killed once the emulator processed a request whose log line has `fragment`.
    func deployKilled(on fragment: String, _ what: String) throws {
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"] + knobArgs, in: dir, environment: environment)
        killer.arm(pid: running.pid, on: fragment)
        let r = running.wait(timeout: 90)
        killer.disarm()
        XCTAssertFalse(r.timedOut, "\(what): the deploy hung: \(r)")
        XCTAssertTrue(killer.didFire, "\(what): the deploy never sent \(fragment): \(r)")
        XCTAssertFalse(r.succeeded, "\(what): killed, not finished")
    }

    func testKillDuringNamespaceCreationUploadAndDeployThenRerunsConverge() throws {
        try startCloud(speed: 2, log: { [killer] in killer.observe($0) })   // namespaces pending 1 s, builds 1 s

        // 1. while the function namespace is being made
        try deployKilled(on: "POST /functions/v1beta1/regions/fr-par/namespaces", "namespace creation")
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "function_namespace" }.count, 1)
        expectSuccess(try deploy(knobArgs, timeout: 120), "re-run after the kill during namespace creation")
        try assertServerlessConverged("after the kill during namespace creation")
        try assertNoChange("after the kill during namespace creation")

        // 2. right after the code was uploaded (before the deploy), on a code change
        try ("exports.handle = () => ({ statusCode: 200, body: 'v2' })\n").write(toFile: handlerPath, atomically: false, encoding: .utf8)
        try deployKilled(on: "PUT /serverless-upload/", "upload")
        expectSuccess(try deploy(knobArgs, timeout: 120), "re-run after the kill after the upload")
        try assertServerlessConverged("after the kill during the upload")
        try assertNoChange("after the kill during the upload")

        // 3. during the deploy (the build runs), on a fresh stack: the function is half-made
        expectSuccess(try destroy(knobArgs), "destroy before the deploy kill")
        try deployKilled(on: "/deploy 200", "deploy")
        let fn = try XCTUnwrap(try cloud.resources().first { $0.kind == "function" }, "the function was made before the kill")
        XCTAssertNotEqual(try getJSON("/functions/v1beta1/regions/fr-par/functions/\(fn.id)")?["status"] as? String, "ready",
                          "killed while the function builds")
        expectSuccess(try deploy(knobArgs, timeout: 120), "re-run after the kill during the deploy")
        try assertServerlessConverged("after the kill during the deploy")
        XCTAssertEqual(try rowsByAddress()["Function/hello"]?.uuid, fn.id, "the re-run finished the function the killed run made")
        try assertNoChange("after the kill during the deploy")
        expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertEqual(try cloud.resources(), [])
    }

    // MARK: 4. faults

    func testExampleThrough429And503() throws {
        let storm = FaultRates(rate429: 0.3, rate503: 0.1)
        try startCloud(faults: storm, speed: 50)
        var deployed = false
        for _ in 0..<4 where !deployed {
            let r = try deploy(knobArgs, timeout: 120)
            XCTAssertFalse(r.signaled || r.timedOut, "deploy crashed or hung: \(r)")
            deployed = r.succeeded
        }
        XCTAssertTrue(deployed, "deploy did not succeed through the storm in 4 runs")
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")
        cloud.setFaults(.none)
        try assertServerlessConverged("after deploy through 429/503")
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
        XCTAssertEqual(try cloud.resources(), [])
        XCTAssertEqual(try stateList(), [])
    }
}

// TeamAccessTests: the IAM and DNS slice end to end through the built binary: deploy
// `examples/team-access.lua` (application, policy, API key, SSH key, zone, records pointing at
// a flexible IP), re-plan with no write, change a record's TTL and data in place, sign S3
// requests with the key's secret (boto3) until destroy deletes it, keep the secret out of every
// output, and converge after a kill -9 between the API key's create and its state write.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class TeamAccessTests: IntegrationCase {
    static let addresses: Set<String> = [
        "IamApplication/ci", "IamPolicy/ci", "IamApiKey/ci", "IamSshKey/team", "InstanceIp/front", "DomainZone/app",
        "DomainRecord/www", "DomainRecord/api", "DomainRecord/mx", "DomainRecord/spf",
    ]

    static func exampleScript() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/team-access.lua"), encoding: .utf8)
    }

    /// `scwlua output --raw NAME`.
    func rawOutput(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = expectSuccess(try scwlua(["output", "--raw", name] + location), "output --raw \(name)", file: file, line: line)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Every IAM and DNS resource the emulator holds is in state (API keys, SSH keys, zones and
    /// records have no tags: matched by id; a zone's own NS records aside), once, and every row exists.
    func assertTeamConverged(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try stateList(file: file, line: line)
        XCTAssertEqual(Set(rows.map(\.address)), Self.addresses, "\(context): state", file: file, line: line)
        for row in rows { XCTAssertEqual(row.status, "created", "\(context): \(row)", file: file, line: line) }
        let ids = Set(rows.map(\.uuid))
        let held = try cloud.resources()
        var zoneNS: Set<String> = []
        for zone in held where zone.kind == "dns_zone" {
            let (_, text) = try cloud.api("GET", "/domain/v2beta1/dns-zones/\(zone.id)/records?type=NS&name=")
            let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            for r in json?["records"] as? [[String: Any]] ?? [] where (r["name"] as? String) == "" { zoneNS.insert(r["id"] as? String ?? "") }
        }
        for r in held where !zoneNS.contains(r.id) {
            XCTAssertTrue(ids.contains(r.id), "\(context): untracked cloud resource \(r)", file: file, line: line)
        }
        var kinds: [String: Int] = [:]
        for r in held where !zoneNS.contains(r.id) { kinds[r.kind, default: 0] += 1 }
        XCTAssertEqual(kinds, ["iam_application": 1, "iam_policy": 1, "iam_api_key": 1, "iam_ssh_key": 1, "ip": 1, "dns_zone": 1, "dns_record": 4],
                       "\(context): one cloud resource per declared one", file: file, line: line)
        let heldIDs = Set(held.map(\.id))
        for row in rows { XCTAssertTrue(heldIDs.contains(row.uuid), "\(context): \(row) is not in the cloud", file: file, line: line) }
    }

    /// Runs boto3 against the emulator with a key pair; returns (exit status, output).
    func boto3(_ code: String, access: String, secret: String) -> (status: Int32, output: String) {
        let script = """
        import sys, boto3, botocore
        from botocore.config import Config
        s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="fr-par", aws_access_key_id=sys.argv[2],
            aws_secret_access_key=sys.argv[3], config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
        def code(call):
            try:
                call()
            except botocore.exceptions.ClientError as e:
                return e.response["Error"]["Code"]
            return "OK"
        \(code)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, cloud.baseURL, access, secret]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in ["AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
                       "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"] { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func record(_ name: String) throws -> [String: Any]? {
        let (_, text) = try cloud.api("GET", "/domain/v2beta1/dns-zones/app.example.com/records?name=\(name)&type=unknown")
        return ((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["records"] as? [[String: Any]])?.first
    }

    func testDeployReplanChangeSignAndDestroy() throws {
        XCTAssertEqual(boto3Available(), true, "boto3 is not installed (scripts/setup.sh installs it)")
        try startCloud(speed: 10)
        try writeScript(Self.exampleScript())
        let first = expectSuccess(try deploy(["--debug"]), "deploy")
        try assertTeamConverged("after deploy")
        let access = try rawOutput("ci_access_key")
        let secret = try rawOutput("ci_secret_key")
        XCTAssertTrue(access.hasPrefix("SCW") && access.count == 20, access)
        XCTAssertEqual(secret.count, 36, "a secret key: \(secret.isEmpty ? "(empty)" : "(redacted)")")

        // Never in clear anywhere but `output --raw`.
        var seen = [("deploy --debug", first.stdout + first.stderr)]
        for args in [["plan", "infra.lua"] + target + ["--json"], ["plan", "infra.lua"] + target + ["--debug"], ["output"] + location,
                     ["output", "--json"] + location, ["output", "ci_secret_key"] + location, ["output", "ci_secret_key", "--json"] + location,
                     ["state", "show", "IamApiKey/ci"] + location, ["state", "export"] + location, ["refresh", "infra.lua"] + target] {
            let r = expectSuccess(try scwlua(args), args.joined(separator: " "))
            seen.append((args.prefix(3).joined(separator: " "), r.stdout + r.stderr))
        }
        let json = expectSuccess(try deploy(["--json"]), "deploy --json")
        seen.append(("deploy --json", json.stdout + json.stderr))
        for (what, text) in seen { XCTAssertFalse(text.contains(secret), "\(what) printed the secret key") }
        XCTAssertTrue(seen[4].1.contains("(sensitive)"), "plain output shows it as (sensitive)")
        for file in (try FileManager.default.contentsOfDirectory(atPath: stateDir)) {
            let bytes = FileManager.default.contents(atPath: stateDir + "/" + file) ?? Data()
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "state file \(file) holds the secret in clear")
        }

        try assertNoopPlan("after deploy")
        XCTAssertEqual(try rawOutput("ci_secret_key"), secret, "refreshes keep the secret")

        // The key signs S3 requests the emulator's Object Storage accepts.
        let signed = boto3("""
        s3.create_bucket(Bucket="ci-artifacts")
        s3.put_object(Bucket="ci-artifacts", Key="build.txt", Body=b"ok")
        assert s3.get_object(Bucket="ci-artifacts", Key="build.txt")["Body"].read() == b"ok"
        s3.delete_object(Bucket="ci-artifacts", Key="build.txt")
        s3.delete_bucket(Bucket="ci-artifacts")
        print("signed OK")
        """, access: access, secret: secret)
        XCTAssertEqual(signed.status, 0, signed.output)
        XCTAssertTrue(signed.output.contains("signed OK"), signed.output)
        let forged = boto3(#"print(code(lambda: s3.list_buckets()))"#, access: access, secret: "00000000-0000-4000-8000-000000000000")
        XCTAssertTrue(forged.output.contains("SignatureDoesNotMatch"), forged.output)

        // A record's TTL and data change in place: same id.
        let before = try XCTUnwrap(try record("www"))
        let change = ["--var", "ttl=600", "--var", "www_ip=192.0.2.44"]
        let p = expectSuccess(try plan(change), "plan the change")
        XCTAssertEqual(p.stdout.planSymbol(for: "DomainRecord/www"), "~", p.stdout)
        XCTAssertEqual(p.stdout.planSymbol(for: "DomainRecord/api"), "~", p.stdout)
        XCTAssertTrue(p.stdout.contains("0 to create, 2 to update, 0 to replace, 0 to delete"), p.stdout)
        expectSuccess(try deploy(change), "deploy the change")
        let after = try XCTUnwrap(try record("www"))
        XCTAssertEqual(after["id"] as? String, before["id"] as? String, "updated in place")
        XCTAssertEqual(after["ttl"] as? Int, 600)
        XCTAssertEqual(after["data"] as? String, "192.0.2.44")
        XCTAssertEqual(try record("api")?["ttl"] as? Int, 600)
        try cloud.resetStats()
        let again = expectSuccess(try plan(change), "re-plan")
        XCTAssertTrue(again.stdout.contains("No changes"), again.stdout)
        XCTAssertEqual(try cloud.stats().writes, 0)
        XCTAssertEqual(try rawOutput("ci_secret_key"), secret, "an update elsewhere keeps the secret")
        try assertTeamConverged("after the change")

        // Destroy leaves nothing; the deleted key's signature is refused.
        expectSuccess(try destroy(change), "destroy")
        XCTAssertEqual(try cloud.resources(), [], "destroy left resources behind")
        XCTAssertEqual(try stateList(), [])
        let refused = boto3(#"print(code(lambda: s3.list_buckets()))"#, access: access, secret: secret)
        XCTAssertTrue(refused.output.contains("InvalidAccessKeyId"), refused.output)
    }

    func testBadInputIsRefusedBeforeAnyWrite() throws {
        try startCloud(speed: 10)
        let base = try Self.exampleScript()
        let cases: [(String, String, String)] = [
            ("expires_at = \"2030-12-31T00:00:00Z\"", "expires_at = \"2020-01-01T00:00:00Z\"", "in the past"),
            ("permission_set_names = { \"ObjectStorageFullAccess\" }", "permission_set_names = { \"ObjectStorageFulAccess\" }", "unknown permission set"),
            ("application = ci,                                            -- a handle", "application = ci, user_id = \"0a0a0a0a-0000-4000-8000-00000000cafe\", -- a handle", "exactly one principal"),
            ("name = \"api\", type = \"CNAME\"", "name = \"@\", type = \"CNAME\"", "CNAME cannot be at the zone apex"),
            ("type = \"A\", data = vars.www_ip or front.address", "type = \"A\", data = \"www.example.com\"", "not an IPv4 address"),
            ("public_key = vars.ssh_key or \"ssh-ed25519 ", "public_key = vars.ssh_key or \"ssh-ed448 ", "public_key"),
        ]
        for (n, (needle, replacement, message)) in cases.enumerated() {
            stack = "bad\(n)"
            XCTAssertEqual(base.components(separatedBy: needle).count, 2, "the example should contain `\(needle)` once")
            try writeScript(base.replacingOccurrences(of: needle, with: replacement))
            try cloud.resetStats()
            let r = expectFailure(try deploy(), message)
            XCTAssertTrue((r.stdout + r.stderr).contains(message), "\(message): \(r)")
            XCTAssertTrue(r.stderr.contains("infra.lua:"), "located at the script line: \(r.stderr)")
            XCTAssertEqual(try cloud.stats().writes, 0, "\(message): a write before the refusal")
        }
    }

    func testKillBetweenTheKeyCreateAndTheStateWriteConverges() throws {
        let victim = Victim()
        // The emulator logs a request before sending its answer: killing then loses the answer.
        try startCloud(speed: 10, log: { line in
            if line.hasPrefix("POST /iam/v1alpha1/api-keys "), let pid = victim.take() { _ = Glibc.kill(pid, SIGKILL) }
        })
        try writeScript(Self.exampleScript())
        let running = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        victim.set(running.pid)
        let killed = running.wait(timeout: 60)
        XCTAssertTrue(killed.signaled, "the deploy should have been killed: \(killed)")
        let rows = Dictionary(try stateList().map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(rows["IamApiKey/ci"]?.status, "creating", "the intent was recorded, the key was not: \(rows)")
        let orphan = try XCTUnwrap(try cloud.resources().first { $0.kind == "iam_api_key" }, "the key was made")

        let p = expectSuccess(try plan(), "plan after the kill")
        XCTAssertEqual(p.stdout.planSymbol(for: "IamApiKey/ci"), "-/+", p.stdout)
        XCTAssertTrue(p.stdout.contains("secret key"), "the plan says why: \(p.stdout)")
        expectSuccess(try deploy(), "re-run after the kill")
        try assertTeamConverged("after the kill and a re-run")
        let access = try rawOutput("ci_access_key")
        XCTAssertNotEqual(access, orphan.id, "the key whose secret was lost is gone")
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "iam_api_key" }.map(\.id), [access], "no key left untracked")
        let signed = boto3(#"print(code(lambda: s3.list_buckets()))"#, access: access, secret: try rawOutput("ci_secret_key"))
        XCTAssertTrue(signed.output.contains("OK"), signed.output)
        try assertNoopPlan("after the re-run")
    }

    private func boto3Available() -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import boto3"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}

/// The pid to kill, handed over once.
final class Victim: @unchecked Sendable {
    private let lock = NSLock()
    private var pid: Int32?
    func set(_ p: Int32) { lock.withLock { pid = p } }
    func take() -> Int32? { lock.withLock { defer { pid = nil }; return pid } }
}

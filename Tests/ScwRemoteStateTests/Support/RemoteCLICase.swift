// RemoteCLICase: the base of the CLI tests with remote state: a temp folder with the script,
// an in-process emulator serving both the cloud API and S3 (the state bucket), and helpers
// that run the binary and check that the cloud and the remote state agree.

import Foundation
import ScwTestSupport
import ScalewayAPI
import ScwCore
import ScwEmulator
import XCTest

class RemoteCLICase: XCTestCase {
    private(set) var dir = ""
    private(set) var emulator: Emulator?
    var stack = "default"

    /// Ten resources (two VPCs, four private networks each): enough steps to be killed in.
    static let fleet = """
        local scw = require "scaleway"
        local outputs = {}
        for r, region in ipairs { "fr-par", "nl-ams" } do
          local vpc = scw.Vpc("vpc-" .. region, { region = region, tags = { "fleet" } })
          outputs["vpc_" .. r] = vpc.id
          for i = 1, 4 do
            local pn = scw.VpcPrivateNetwork(string.format("pn-%s-%d", region, i), {
              vpc = vpc, subnets = { string.format("10.%d.%d.0/24", r, i) }, tags = { "fleet" },
            })
            outputs[string.format("pn_%d_%d", r, i)] = pn.ipv4_subnet
          end
        end
        return outputs
        """
    static let fleetAddresses: Set<String> = Set(["fr-par", "nl-ams"].flatMap { region in
        ["Vpc/vpc-\(region)"] + (1...4).map { "VpcPrivateNetwork/pn-\(region)-\($0)" }
    })

    var baseURL: String { emulator?.baseURL ?? "" }
    var stateDir: String { dir + "/state" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try CLI.binary()
        dir = NSTemporaryDirectory() + "scwlua-remote-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        try Self.fleet.write(toFile: dir + "/infra.lua", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        emulator?.stop()
        emulator = nil
        if let run = testRun, run.failureCount == 0, run.unexpectedExceptionCount == 0 {
            try? FileManager.default.removeItem(atPath: dir)
        } else if !dir.isEmpty {
            print("ScwRemoteStateTests: kept \(dir) for inspection")
        }
        try super.tearDownWithError()
    }

    func startEmulator(latencyMs: Int = 0) throws {
        var options = EmulatorOptions()
        options.latencyMs = latencyMs
        let e = try Emulator(options: options)
        try e.start()
        emulator = e
    }

    /// S3 on the emulator with its local credentials.
    var s3: S3Client {
        var config = ScalewayConfig.local(baseURL: baseURL)
        config.s3Endpoint = baseURL
        return S3Client(config: config, transport: CurlTransport(), retry: .testing, timeout: 20)
    }

    /// A new bucket on the emulator.
    func newBucket() async throws -> String {
        let name = "state-" + UUID().uuidString.prefix(8).lowercased()
        try await s3.createBucket(S3Bucket(name: name, region: "fr-par"))
        return name
    }

    /// The body of an object on the emulator, nil when there is none.
    func object(_ bucket: String, _ key: String) async -> String? {
        guard let o = try? await s3.getObject(S3Bucket(name: bucket, region: "fr-par"), key: key) else { return nil }
        return String(decoding: o.body, as: UTF8.self)
    }

    /// What the binary sees: no SCW_* variables, no config file, a HOME of its own, no colour.
    var environment: [String: String] {
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": dir + "/home", "XDG_CONFIG_HOME": dir + "/home/.config", "SCW_CONFIG_PATH": dir + "/home/no-such-config.yaml",
            "USER": "tester", "NO_COLOR": "1", "LANG": "C.UTF-8",
        ]
        if let tmp = ProcessInfo.processInfo.environment["TMPDIR"] { env["TMPDIR"] = tmp }
        return env
    }

    @discardableResult
    func scwlua(_ arguments: [String], timeout: TimeInterval = 120, env: [String: String]? = nil) throws -> RunResult {
        try CLI.run(arguments, in: dir, environment: env ?? environment, timeout: timeout)
    }

    /// `--endpoint`, `--state-dir`, `--stack`, and `--backend` when given.
    func target(_ backend: String?) -> [String] {
        ["--endpoint", baseURL, "--state-dir", stateDir, "--stack", stack] + (backend.map { ["--backend", $0] } ?? [])
    }

    func deploy(_ backend: String?, _ extra: [String] = [], timeout: TimeInterval = 120) throws -> RunResult {
        try scwlua(["deploy", "infra.lua"] + target(backend) + ["--yes"] + extra, timeout: timeout)
    }

    func plan(_ backend: String?) throws -> RunResult {
        try scwlua(["plan", "infra.lua"] + target(backend))
    }

    /// `scwlua state list` rows: address → id.
    func stateList(_ backend: String?, stateDir: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [String: String] {
        let r = try scwlua(["state", "list", "--stack", stack, "--state-dir", stateDir ?? self.stateDir, "--endpoint", baseURL]
                           + (backend.map { ["--backend", $0] } ?? []))
        XCTAssertTrue(r.succeeded, "state list failed: \(r)", file: file, line: line)
        var rows: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            if f.count >= 3 { rows[f[0]] = f[1] + (f[2] == "created" ? "" : " (\(f[2]))") }
        }
        return rows
    }

    @discardableResult
    func expectSuccess(_ r: RunResult, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) -> RunResult {
        XCTAssertTrue(r.succeeded, "\(what) expected success: \(r)", file: file, line: line)
        return r
    }

    @discardableResult
    func expectFailure(_ r: RunResult, _ what: String = "", file: StaticString = #filePath, line: UInt = #line) -> RunResult {
        XCTAssertFalse(r.signaled || r.timedOut, "\(what) crashed or hung: \(r)", file: file, line: line)
        XCTAssertNotEqual(r.status, 0, "\(what) expected a non-zero exit: \(r)", file: file, line: line)
        return r
    }

    // MARK: the cloud

    struct CloudResource: CustomStringConvertible {
        let kind, id, name: String
        let tags: [String]
        func tag(_ key: String) -> String? { tags.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } }
        var description: String { "\(kind) \(id) \"\(name)\" \(tags)" }
    }

    /// Everything the emulator holds (its control API), buckets aside.
    func cloudResources() async throws -> [CloudResource] {
        let response = try await CurlTransport().send(HTTPRequest(method: "GET", url: baseURL + "/__emulator/resources"))
        guard response.status == 200, let items = try JSON.decode(bytes: response.body)["resources"]?.listValue else {
            throw ControlAPIError(description: "GET /__emulator/resources answered \(response.status): \(response.bodyText)")
        }
        return items.compactMap { item in
            let kind = item["kind"]?.stringValue ?? ""
            guard kind != "bucket" else { return nil }
            return CloudResource(kind: kind, id: item["id"]?.stringValue ?? "", name: item["name"]?.stringValue ?? "",
                                 tags: (item["tags"]?.listValue ?? []).compactMap(\.stringValue))
        }
    }

    /// The cloud and the (remote) state agree: one cloud resource per urn, every tagged cloud
    /// resource in state (nothing untracked), every row in the cloud and created, no untagged
    /// extras besides default VPCs, and exactly `expected`.
    func assertConverged(_ backend: String?, expected: Set<String>, _ context: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let all = try await cloudResources()
        let tagged = all.filter { $0.tag("scwlua:stack") == stack }
        let rows = try stateList(backend, file: file, line: line)
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.tag("scwlua:urn") ?? "(no urn)", default: []].append(r) }
        for (urn, list) in byURN where list.count != 1 {
            XCTFail("\(context): \(list.count) cloud resources for urn \(urn) (duplicates): \(list)", file: file, line: line)
        }
        let stateUUIDs = Set(rows.values.map { String($0.split(separator: "/").last ?? "") })
        for r in tagged where !stateUUIDs.contains(r.id) {
            XCTFail("\(context): untracked (orphan) cloud resource \(r); state: \(rows)", file: file, line: line)
        }
        XCTAssertEqual(Set(rows.keys), expected, "\(context): state addresses", file: file, line: line)
        XCTAssertEqual(Set(byURN.keys), expected, "\(context): cloud urns", file: file, line: line)
        XCTAssertEqual(Set(rows.values.filter { $0.contains("(") }), [], "\(context): rows not created", file: file, line: line)
        let extras = all.filter { $0.tag("scwlua:stack") == nil && !($0.kind == "vpc" && $0.name == "default" && $0.tags.isEmpty) }
        XCTAssertTrue(extras.isEmpty, "\(context): untagged cloud resources: \(extras)", file: file, line: line)
    }
}

struct ControlAPIError: Error, CustomStringConvertible {
    let description: String
}

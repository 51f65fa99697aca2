// KubernetesTests: the Kapsule slice end to end: the built binary deploys
// `examples/kubernetes.lua` (a private network, a cluster, a pool) against the emulator; a
// no-op re-plan writes nothing; the pool's size changes in place; a node type change makes the
// new pool ready before the old one goes; the cluster goes up one minor (a two-minor jump is
// planned as a replacement with its reason); `output kubeconfig --raw` is a kubeconfig naming
// the cluster's API URL; destroy leaves nothing, the private network last. Also: kill -9 while
// the cluster and then the pool are made, re-runs converge with no duplicate; 30% 429 + 10% 503;
// the kubeconfig's token never in clear anywhere but `output kubeconfig --raw`.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest

final class KubernetesTests: ComputeCase {
    static let declared: Set<String> = ["VpcPrivateNetwork/k8s", "K8sCluster/prod", "K8sPool/default"]
    let k8s = "/k8s/v1/regions/fr-par"

    static func script() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/kubernetes.lua"), encoding: .utf8)
    }

    // MARK: the Kapsule API, read behind scwlua's back

    func cluster(_ uuid: String) throws -> [String: Any]? { try getJSON("\(k8s)/clusters/\(uuid)") }
    func pool(_ uuid: String) throws -> [String: Any]? { try getJSON("\(k8s)/pools/\(uuid)") }

    func pools(ofCluster uuid: String) throws -> [[String: Any]] {
        try getJSON("\(k8s)/clusters/\(uuid)/pools")?["pools"] as? [[String: Any]] ?? []
    }

    func nodeStatuses(cluster: String, pool: String) throws -> [String] {
        (try getJSON("\(k8s)/clusters/\(cluster)/nodes?pool_id=\(pool)")?["nodes"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
    }

    /// The admin token the emulator put in the cluster's kubeconfig.
    func token(cluster uuid: String) throws -> String {
        let content = try XCTUnwrap(try getJSON("\(k8s)/clusters/\(uuid)/kubeconfig")?["content"] as? String)
        let yaml = String(decoding: try XCTUnwrap(Data(base64Encoded: content)), as: UTF8.self)
        let line = try XCTUnwrap(yaml.split(separator: "\n").first { $0.contains("token:") })
        return String(line.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// State and cloud agree: one cluster and one pool tagged with their urns, in state, the
    /// pool `ready` with `size` ready nodes of `nodeType`, nothing untagged left over.
    @discardableResult
    func assertKubernetesConverged(_ context: String, size: Int = 3, nodeType: String = "pro2_s",
                                   file: StaticString = #filePath, line: UInt = #line) throws -> (cluster: String, pool: String) {
        let rows = try rowsByAddress(file: file, line: line)
        XCTAssertEqual(Set(rows.keys), Self.declared, "\(context): state addresses", file: file, line: line)
        let tagged = try cloud.stackResources(stack)
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.urn ?? "(no urn)", default: []].append(r) }
        XCTAssertEqual(Set(byURN.keys), Self.declared, "\(context): tagged cloud resources", file: file, line: line)
        for (urn, list) in byURN where list.count != 1 {
            XCTFail("\(context): \(list.count) cloud resources for \(urn) (duplicates): \(list)", file: file, line: line)
        }
        for r in tagged where rows[r.urn ?? ""]?.uuid != r.id {
            XCTFail("\(context): cloud resource \(r) is not the one state holds", file: file, line: line)
        }
        for row in rows.values where row.status != "created" {
            XCTFail("\(context): row left \(row.status): \(row)", file: file, line: line)
        }
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "k8s_cluster" }.count, 1, "\(context): one cluster", file: file, line: line)
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "k8s_pool" }.count, 1, "\(context): one pool", file: file, line: line)
        XCTAssertEqual(try untaggedLeftovers(), [], "\(context): untagged cloud resources", file: file, line: line)
        let clusterID = try XCTUnwrap(rows["K8sCluster/prod"]?.uuid, file: file, line: line)
        let poolID = try XCTUnwrap(rows["K8sPool/default"]?.uuid, file: file, line: line)
        XCTAssertEqual(try cluster(clusterID)?["status"] as? String, "ready", "\(context): cluster", file: file, line: line)
        let p = try XCTUnwrap(try pool(poolID), file: file, line: line)
        XCTAssertEqual(p["status"] as? String, "ready", "\(context): pool", file: file, line: line)
        XCTAssertEqual(p["node_type"] as? String, nodeType, "\(context): node type", file: file, line: line)
        XCTAssertEqual(try nodeStatuses(cluster: clusterID, pool: poolID), Array(repeating: "ready", count: size), "\(context): nodes", file: file, line: line)
        return (clusterID, poolID)
    }

    // MARK: 1. lifecycle

    func testKubernetesExampleLifecycle() throws {
        let log = RequestLog()
        try startCloud(speed: 20, log: { log.add($0) })
        try writeScript(try Self.script())
        knobs = ["autoscaling": "false"]

        let d = expectSuccess(try deploy(knobArgs), "deploy")
        XCTAssertTrue(d.stdout.contains("Plan: 3 to create, 0 to update, 0 to replace, 0 to delete."), d.description)
        var (clusterID, poolID) = try assertKubernetesConverged("after deploy")
        let c = try XCTUnwrap(try cluster(clusterID))
        XCTAssertEqual(c["version"] as? String, "1.31.12", "1.31 is its latest patch")
        XCTAssertEqual((c["auto_upgrade"] as? [String: Any])?["enabled"] as? Bool, true)
        XCTAssertEqual((c["autoscaler_config"] as? [String: Any])?["scale_down_delay_after_add"] as? String, "10m")
        let pnID = try XCTUnwrap(try rowsByAddress()["VpcPrivateNetwork/k8s"]?.uuid)
        XCTAssertEqual(c["private_network_id"] as? String, pnID)
        let out = try outputsJSON()
        XCTAssertEqual(out["api"] as? String, c["cluster_url"] as? String)
        XCTAssertEqual(out["kubeconfig"] as? String, "(sensitive)")
        let nodes = try XCTUnwrap(out["nodes"] as? [[String: Any]], "\(out)")
        XCTAssertEqual(nodes.count, 3)
        XCTAssertTrue(nodes.allSatisfy { ($0["private_ip"] as? String)?.hasPrefix("10.30.") ?? false }, "\(nodes)")
        try assertNoChange("after deploy")

        // The kubeconfig, for kubectl: the one place the secret is printed.
        let raw = expectSuccess(try scwlua(["output", "kubeconfig", "--raw"] + location), "output kubeconfig --raw")
        try assertKubeconfig(raw.stdout, server: try XCTUnwrap(c["cluster_url"] as? String), token: try token(cluster: clusterID))

        // The size, in place.
        knobs["size"] = "4"
        let p1 = expectSuccess(try plan(knobArgs), "plan a bigger pool")
        XCTAssertEqual(p1.stdout.planSymbol(for: "K8sPool/default"), "~", p1.description)
        XCTAssertTrue(p1.stdout.contains("0 to replace"), p1.description)
        expectSuccess(try deploy(knobArgs), "deploy a bigger pool")
        XCTAssertEqual(try assertKubernetesConverged("after growing the pool", size: 4).pool, poolID, "the same pool")
        try assertNoChange("after growing the pool")

        // The node type: a new pool, ready before the old one goes.
        knobs["node_type"] = "PRO2-M"
        let p2 = expectSuccess(try plan(knobArgs), "plan a node type change")
        XCTAssertEqual(p2.stdout.planSymbol(for: "K8sPool/default"), "+/-", "create before destroy by default: \(p2)")
        let watcher = PoolWatcher(cloud: cloud, path: "\(k8s)/clusters/\(clusterID)/pools")
        watcher.start()
        expectSuccess(try deploy(knobArgs), "deploy a node type change")
        let snapshots = watcher.stop()
        let newPool = try assertKubernetesConverged("after the node type change", size: 4, nodeType: "pro2_m").pool
        XCTAssertNotEqual(newPool, poolID, "a new pool")
        let whileOldGoes = snapshots.filter { $0[poolID] == "deleting" || ($0[poolID] == nil && $0[newPool] != nil) }
        XCTAssertFalse(whileOldGoes.isEmpty, "the watcher saw the old pool go: \(snapshots.count) snapshots")
        for snapshot in whileOldGoes {
            XCTAssertEqual(snapshot[newPool], "ready", "the new pool is ready before the old one goes: \(snapshot)")
        }
        XCTAssertFalse(snapshots.contains { $0.isEmpty }, "the cluster never had no pool")
        poolID = newPool
        try assertNoChange("after the node type change")

        // One minor up, in place (the pool along); two would replace the cluster, and the plan says why.
        knobs["version"] = "1.33"
        let p3 = expectSuccess(try plan(knobArgs), "plan a two-minor jump")
        // Create-before-destroy: the pool that depends on it is replaced new-first, so it is too.
        XCTAssertEqual(p3.stdout.planSymbol(for: "K8sCluster/prod"), "+/-", p3.description)
        XCTAssertTrue(p3.stdout.contains("Kubernetes upgrades go one minor version at a time (1.31 → 1.33)"), p3.description)
        knobs["version"] = "1.32"
        let p4 = expectSuccess(try plan(knobArgs), "plan an upgrade")
        XCTAssertEqual(p4.stdout.planSymbol(for: "K8sCluster/prod"), "~", p4.description)
        XCTAssertTrue(p4.stdout.contains("0 to replace"), p4.description)
        expectSuccess(try deploy(knobArgs), "deploy an upgrade")
        (clusterID, poolID) = try assertKubernetesConverged("after the upgrade", size: 4, nodeType: "pro2_m")
        XCTAssertEqual(try cluster(clusterID)?["version"] as? String, "1.32.8")
        XCTAssertEqual(try pool(poolID)?["version"] as? String, "1.32.8", "the pool upgraded with the cluster")
        try assertNoChange("after the upgrade")

        // Destroy: everything goes, the private network only once the cluster is gone.
        let before = log.lines.count
        let gone = expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertTrue(gone.stdout.contains("3 deleted"), gone.description)
        XCTAssertEqual(try cloud.stackResources(stack), [], "destroy left tagged resources")
        XCTAssertEqual(try cloud.resources().filter { $0.kind.hasPrefix("k8s") }.count, 0)
        XCTAssertEqual(try untaggedLeftovers(), [], "destroy left untagged resources (node addresses...)")
        XCTAssertEqual(try stateList(), [])
        let lines = Array(log.lines.dropFirst(before))
        let clusterGone = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("GET \(k8s)/clusters/\(clusterID) 404") }, "\(lines)")
        let pnDeleted = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("DELETE /vpc/v2/regions/fr-par/private-networks/\(pnID) 204") }, "\(lines)")
        XCTAssertLessThan(clusterGone, pnDeleted, "the private network goes after the cluster")
        XCTAssertFalse(lines.contains { $0.hasPrefix("DELETE /vpc/v2/regions/fr-par/private-networks/\(pnID) 412") }, "never refused as in use")
    }

    /// A kubeconfig: YAML lines only, the cluster's server and token, a CA.
    func assertKubeconfig(_ text: String, server: String, token: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(text.hasPrefix("apiVersion: v1\n"), text, file: file, line: line)
        for key in ["kind: Config", "clusters:", "contexts:", "users:", "current-context: admin@prod", "server: \(server)", "token: \(token)"] {
            XCTAssertTrue(text.contains(key), "kubeconfig lacks '\(key)': \(text)", file: file, line: line)
        }
        let yamlLine = try NSRegularExpression(pattern: #"^( *)(- )?[A-Za-z-]+:( .*)?$"#)
        for l in text.split(separator: "\n").map(String.init) {
            let range = NSRange(l.startIndex..., in: l)
            XCTAssertNotNil(yamlLine.firstMatch(in: l, range: range), "not a YAML mapping line: '\(l)'", file: file, line: line)
        }
        let ca = text.split(separator: "\n").first { $0.contains("certificate-authority-data:") }.map { String($0.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespaces) }
        let pem = ca.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        XCTAssertTrue(pem?.hasPrefix("-----BEGIN CERTIFICATE-----") ?? false, "CA data is a base64 PEM", file: file, line: line)
    }

    // MARK: bad input

    /// Each refused at plan time with the script line, before any write.
    func testBadInputIsRefusedWithItsLocationBeforeAnyWrite() throws {
        try startCloud(speed: 20)
        let script = try Self.script()
        let cases: [(String, String, [String], String)] = [
            ("version = vars.version or \"1.31\"", "version = \"1.29\"", [], "unknown Kubernetes version '1.29'"),
            ("cni = \"cilium\"", "cni = \"cilium_native\"", [], "cni 'cilium_native' is not available with Kubernetes 1.31.12"),
            ("node_type = vars.node_type or \"PRO2-S\"", "node_type = \"DEV1-S\"", [], "node type DEV1-S is not offered for Kapsule pools"),
            ("max_size = autoscaling and 10 or nil", "max_size = 2", [], "min_size (3) is greater than max_size (2)"),
            ("min_size = autoscaling and 3 or nil", "min_size = 1", ["--var", "autoscaling=false"], "min_size and max_size bound the autoscaler"),
            ("  private_network_id = pn,\n", "", [], "K8sCluster needs 'private_network_id'"),
        ]
        for (needle, replacement, extra, message) in cases {
            try writeScript(replacing(needle, with: replacement, in: script))
            try cloud.resetStats()
            let r = expectFailure(try plan(extra), message)
            XCTAssertTrue(r.combined.contains(message), "\(message): \(r)")
            XCTAssertTrue(r.combined.contains("infra.lua:"), "located in the script: \(r)")
            XCTAssertEqual(try cloud.stats().writes, 0, "\(message): no write")
        }
    }

    // MARK: 2. secrets

    func testKubeconfigTokenNeverAppearsInClear() throws {
        try startCloud(speed: 20)
        try writeScript(try Self.script())
        var runs: [RunResult] = []
        runs.append(expectSuccess(try plan(), "plan"))
        runs.append(expectSuccess(try deploy(["--debug"]), "deploy --debug"))
        let clusterID = try XCTUnwrap(try rowsByAddress()["K8sCluster/prod"]?.uuid)
        let secret = try token(cluster: clusterID)
        XCTAssertGreaterThan(secret.count, 40)
        knobs["size"] = "4"
        runs.append(expectSuccess(try plan(knobArgs + ["--json"]), "plan --json"))
        runs.append(expectSuccess(try deploy(knobArgs + ["--json"]), "deploy --json"))
        let plain = expectSuccess(try scwlua(["output"] + location), "output")
        XCTAssertTrue(plain.stdout.contains("(sensitive)"), plain.description)
        runs.append(plain)
        let one = expectSuccess(try scwlua(["output", "kubeconfig"] + location), "output kubeconfig")
        XCTAssertEqual(one.stdout, "(sensitive)\n")
        runs.append(one)
        runs.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        runs.append(expectSuccess(try scwlua(["state", "show", "K8sCluster/prod"] + location), "state show"))
        runs.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        runs.append(expectSuccess(try scwlua(["output", "kubeconfig", "--json"] + location), "output kubeconfig --json"))
        let files = try FileManager.default.contentsOfDirectory(atPath: stateDir)
        XCTAssertTrue(files.contains("state.db"), "\(files)")
        for name in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stateDir + "/" + name))
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the token in the raw bytes of \(name)")
        }
        runs.append(expectSuccess(try destroy(knobArgs + ["--debug"]), "destroy --debug"))
        for r in runs {
            XCTAssertFalse(r.combined.contains(secret), "the token leaked by `scwlua \(r.arguments.joined(separator: " "))`")
        }
    }

    // MARK: 3. kill -9

    /// Kills the deploy while the cluster is being made, then the re-run while the pool is
    /// being made; the third run finishes both: no second cluster, no second pool.
    func testKillDuringClusterAndPoolCreationThenRerunConverges() throws {
        try startCloud(speed: 1)   // a cluster takes 3 s, each node 1 s
        try writeScript(try Self.script())
        let first = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        let clusterID = try waitFor(kind: "k8s_cluster", while: first)
        _ = first.kill()
        XCTAssertEqual(try cluster(clusterID)?["status"] as? String, "creating", "killed while the cluster is being made")

        let second = try CLI.start(["deploy", "infra.lua"] + target + ["--yes"], in: dir, environment: environment)
        let poolID = try waitFor(kind: "k8s_pool", while: second)
        _ = second.kill()
        XCTAssertEqual(try pool(poolID)?["status"] as? String, "scaling", "killed while the pool is being made")
        XCTAssertEqual(try cloud.resources().filter { $0.kind == "k8s_cluster" }.map(\.id), [clusterID], "the second run resumed the cluster")

        expectSuccess(try deploy([], timeout: 120), "re-run after the kills")
        let (c, p) = try assertKubernetesConverged("after two kills and a re-run")
        XCTAssertEqual(c, clusterID, "the cluster the first run made")
        XCTAssertEqual(p, poolID, "the pool the second run made")
        try assertNoChange("after the kills")
        expectSuccess(try destroy(), "destroy")
        XCTAssertEqual(try cloud.stackResources(stack), [])
        XCTAssertEqual(try untaggedLeftovers(), [])
    }

    /// The id of the first tagged resource of `kind` seen while `process` runs (bounded: 30 s).
    func waitFor(kind: String, while process: CLI.Running, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline {
            if let id = try cloud.stackResources(stack).first(where: { $0.kind == kind })?.id { return id }
            usleep(2_000)
        }
        let id = try cloud.stackResources(stack).first { $0.kind == kind }?.id
        return try XCTUnwrap(id, "no \(kind) made before the deploy ended", file: file, line: line)
    }

    // MARK: 4. faults

    /// 30% 429 and 10% 503 on every API request through the example's deploy and destroy.
    func testExampleThrough429And503() throws {
        let storm = FaultRates(rate429: 0.3, rate503: 0.1)
        try startCloud(faults: storm, speed: 50)
        try writeScript(try Self.script())
        var deployed = false
        for _ in 0..<4 where !deployed {
            let r = try deploy([], timeout: 120)
            XCTAssertFalse(r.signaled || r.timedOut, "deploy crashed or hung: \(r)")
            deployed = r.succeeded
        }
        XCTAssertTrue(deployed, "deploy did not succeed through the storm in 4 runs")
        XCTAssertGreaterThan(try cloud.stats().faultsInjected, 0, "no fault was injected: the test proves nothing")
        cloud.setFaults(.none)
        try assertKubernetesConverged("after deploy through 429/503")
        try assertNoChange("after deploy through 429/503")
        cloud.setFaults(storm)
        var destroyed = false
        for _ in 0..<4 where !destroyed {
            let r = try destroy()
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

/// Polls a cluster's pools (every 5 ms, on its own thread) and keeps each distinct
/// `pool id → status` snapshot, until stopped.
final class PoolWatcher: @unchecked Sendable {
    private let cloud: Cloud
    private let path: String
    private let lock = NSLock()
    private var snapshots: [[String: String]] = []
    private var running = true
    private let done = DispatchSemaphore(value: 0)

    init(cloud: Cloud, path: String) {
        self.cloud = cloud
        self.path = path
    }

    func start() {
        Thread.detachNewThread { [self] in
            let deadline = Date().addingTimeInterval(120)
            while lock.withLock({ running }), Date() < deadline {
                if let answer = try? cloud.api("GET", path), answer.status == 200,
                   let body = try? JSONSerialization.jsonObject(with: Data(answer.text.utf8)) as? [String: Any],
                   let pools = body["pools"] as? [[String: Any]] {
                    var snapshot: [String: String] = [:]
                    for p in pools { if let id = p["id"] as? String { snapshot[id] = p["status"] as? String ?? "" } }
                    lock.withLock { if snapshots.last != snapshot { snapshots.append(snapshot) } }
                }
                usleep(5_000)
            }
            done.signal()
        }
    }

    func stop() -> [[String: String]] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { snapshots }
    }
}

/// Emulator request lines (`METHOD target status Nms`), in order.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [String] = []
    func add(_ line: String) { lock.withLock { all.append(line) } }
    var lines: [String] { lock.withLock { all } }
}

// Conformance of the Kapsule emulator: replays every k8s-*.jsonl cassette (its VPC and IPAM
// calls included) against a fresh, fast emulator, recorded ids and node names rewritten to the
// emulator's, checking statuses, key sets (top level and nested), the values that do not depend
// on time or randomness, the versions list and the kubeconfig.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class K8sConformanceTests: XCTestCase {
    func testK8sCassettes() throws {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("k8s-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertEqual(files, ["k8s-cluster-basic.jsonl", "k8s-cluster-pool-kubelet-args.jsonl"])
        var replayed = 0
        for file in files {
            replayed += try K8sReplay(file: dir.appendingPathComponent(file)).run()
        }
        XCTAssertEqual(replayed, 45 + 65, "every recorded interaction replayed")
    }
}

/// Replays one cassette. A recorded transient status the emulator has already left is accepted;
/// a recorded settled status (or 404) the emulator has not reached yet is polled for (GETs only).
final class K8sReplay {
    static let transient: Set<String> = ["creating", "updating", "deleting", "scaling", "upgrading"]
    /// Values compared wherever both sides have them (and are in the same status).
    static let compared = ["name", "tags", "type", "version", "cni", "region", "project_id", "organization_id", "description",
                           "node_type", "autoscaling", "size", "min_size", "max_size", "container_runtime", "autohealing", "kubelet_args",
                           "zone", "root_volume_type", "root_volume_size", "public_ip_disabled", "upgrade_policy", "feature_gates",
                           "admission_plugins", "apiserver_cert_sans", "pod_cidr", "service_cidr", "service_dns_ip",
                           "acl_available", "auto_upgrade", "total_count", "content_type", "message", "resource", "conditions", "is_ipv6"]
    /// Fields the API added or dropped between the two recordings (2025-10 and 2026-07): the
    /// emulator serves the newer shape, so the older recording differs there.
    static let olderShape: Set<String> = ["new_images_enabled", "skip_nodes_with_local_storage", "log_level"]

    let name: String
    let url: URL
    let harness: EmulatorHarness
    var ids: [String: String] = [:]
    var tolerated: Set<String> = []

    init(file: URL) throws {
        url = file
        name = file.lastPathComponent
        harness = try EmulatorHarness { $0.speed = 100 }
        if name == "k8s-cluster-pool-kubelet-args.jsonl" { tolerated = Self.olderShape }
    }

    func run() throws -> Int {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        for (index, line) in lines.enumerated() { try replay(try JSONValue.parse(String(line)), at: index + 1) }
        return lines.count
    }

    private func replay(_ interaction: JSONValue, at index: Int) throws {
        let method = try XCTUnwrap(interaction["method"]?.stringValue)
        let target = mapped(try XCTUnwrap(interaction["url"]?.stringValue).replacingOccurrences(of: "https://api.scaleway.com", with: ""))
        let body = interaction["request_body"].flatMap { $0.isNull ? nil : rewrite($0).encoded() }
        let at = "\(name) #\(index) \(method) \(target)"
        let recordedStatus = try XCTUnwrap(interaction["status"]?.intValue)
        let recorded = interaction["response_body"] ?? .null
        let recordedState = recorded["status"]?.stringValue

        var response = try harness.call(method, target, body)
        let wantsFinal = recordedStatus == 404 || recordedState.map { !K8sReplay.transient.contains($0) } ?? false
        if method == "GET", wantsFinal {
            let deadline = Date().addingTimeInterval(5)
            while response.status == 200, let now = response.json?["status"]?.stringValue, K8sReplay.transient.contains(now), Date() < deadline {
                usleep(5_000)
                response = try harness.call(method, target, body)
            }
        }
        if method == "GET", recordedState == "deleting", response.status == 404 { return }   // the delete already finished here
        XCTAssertEqual(response.status, recordedStatus, "\(at): \(response.text)")
        guard response.status == recordedStatus else { return }
        guard case .object(let recordedFields) = recorded else {
            XCTAssertTrue(response.body.isEmpty, "\(at): expected an empty body, got \(response.text)")
            return
        }
        XCTAssertEqual(response.header("Content-Type"), "application/json", at)
        guard let emulated = response.json, case .object(let emulatedFields) = emulated else {
            XCTFail("\(at): body is not a JSON object: \(response.text)")
            return
        }
        XCTAssertEqual(keys(emulatedFields), keys(recordedFields), "\(at): top-level keys")
        if let rs = recordedState, let es = emulated["status"]?.stringValue, rs != es {
            XCTAssertTrue(K8sReplay.transient.contains(rs), "\(at): status \(es), recorded \(rs)")
        }
        let sameStatus = recordedState == emulated["status"]?.stringValue
        learn(recorded, emulated)
        if let versions = recorded["versions"]?.arrayValue {
            checkVersions(versions, emulated["versions"]?.arrayValue ?? [], at: at)
        } else {
            compare(recorded, emulated, at: at, depth: 0, valuesToo: sameStatus)
        }
        if recordedFields["content_type"] != nil { try checkKubeconfig(emulated, at: at) }
        if let rid = recorded["resource_id"]?.stringValue {
            XCTAssertEqual(emulated["resource_id"]?.stringValue, ids[rid] ?? rid, "\(at): resource_id")
        }
    }

    /// Keys compared: the older recording's known differences left out, and the `region` the
    /// VPC API added to subnet objects in 2026 (the VPC emulator serves the older shape).
    private func keys(_ fields: [String: JSONValue]) -> Set<String> {
        let all = Set(fields.keys).subtracting(tolerated)
        return fields["subnet"] != nil ? all.subtracting(["region"]) : all
    }

    private func compare(_ recorded: JSONValue, _ emulated: JSONValue, at: String, depth: Int, valuesToo: Bool) {
        guard depth < 4 else { return }
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            if depth > 0, r["DiskPressure"] == nil { XCTAssertEqual(keys(e), keys(r), "\(at): keys at depth \(depth)") }
            if valuesToo {
                for key in K8sReplay.compared where r[key] != nil && e[key] != nil && !(key == "resource" && r[key]?.objectValue != nil) {   // an IP's NIC: random MAC
                    XCTAssertEqual(rewrite(e[key]!), rewrite(r[key]!), "\(at): value of \(key)")
                }
                for key in ["cluster_id", "pool_id", "private_network_id", "vpc_id", "id"] {
                    if let rv = r[key]?.stringValue, let ev = e[key]?.stringValue, let known = ids[rv] { XCTAssertEqual(ev, known, "\(at): \(key)") }
                }
            }
            for (key, value) in r { if let other = e[key] { compare(value, other, at: "\(at) .\(key)", depth: depth + 1, valuesToo: valuesToo) } }
        case (.array(let r), .array(let e)) where r.contains(where: { $0.objectValue != nil }):
            if valuesToo { XCTAssertEqual(e.count, r.count, "\(at): item count") }
            for (a, b) in zip(r, e) { compare(a, b, at: at, depth: depth, valuesToo: valuesToo) }
        default:
            break
        }
    }

    /// Every recorded minor is offered (its latest patch or a newer one), each version shaped
    /// like the recorded ones, with the recorded CNIs and admission plugins.
    private func checkVersions(_ recorded: [JSONValue], _ emulated: [JSONValue], at: String) {
        let recordedKeys = Set(recorded.first?.objectValue?.keys ?? [:].keys)
        for v in emulated { XCTAssertEqual(Set(v.objectValue?.keys ?? [:].keys), recordedKeys, "\(at): version keys") }
        for r in recorded {
            let name = r["name"]?.stringValue ?? ""
            let minor = name.split(separator: ".").prefix(2).joined(separator: ".")
            guard let e = emulated.first(where: { ($0["name"]?.stringValue ?? "").hasPrefix(minor + ".") }) else {
                XCTFail("\(at): minor \(minor) not offered")
                continue
            }
            XCTAssertTrue(K8sCatalogue.version(named: name) != nil, "\(at): \(name) accepted")
            XCTAssertEqual(e["available_cnis"], r["available_cnis"], "\(at): CNIs of \(minor)")
            XCTAssertEqual(e["available_admission_plugins"], r["available_admission_plugins"], "\(at): admission plugins of \(minor)")
            XCTAssertEqual(e["available_kubelet_args"], r["available_kubelet_args"], "\(at): kubelet args of \(minor)")
            let gates = Set(e["available_feature_gates"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            XCTAssertTrue(Set(r["available_feature_gates"]?.arrayValue?.compactMap(\.stringValue) ?? []).isSubset(of: gates), "\(at): gates of \(minor)")
        }
    }

    /// base64 YAML naming the cluster (its URL as server) and a token.
    private func checkKubeconfig(_ emulated: JSONValue, at: String) throws {
        XCTAssertEqual(emulated["name"]?.stringValue, "kubeconfig", at)
        let content = try XCTUnwrap(emulated["content"]?.stringValue, at)
        let yaml = try XCTUnwrap(Data(base64Encoded: content).map { String(decoding: $0, as: UTF8.self) }, "\(at): content is base64")
        let cluster = try XCTUnwrap(at.split(separator: "/").first { Clock.isUUID(String($0)) }.map(String.init), at)
        XCTAssertTrue(yaml.contains("server: https://\(cluster).api.k8s.fr-par.scw.cloud:6443\n"), "\(at): \(yaml)")
        XCTAssertNotNil(yaml.range(of: "\n    token: [A-Za-z0-9]{40,}$", options: .regularExpression), "\(at): token")
        XCTAssertTrue(yaml.hasPrefix("apiVersion: v1\nclusters:\n"), at)
    }

    /// Ids (UUIDs) and node names seen on both sides, to rewrite later URLs and bodies.
    private func learn(_ recorded: JSONValue, _ emulated: JSONValue) {
        switch (recorded, emulated) {
        case (.string(let r), .string(let e)) where Clock.isUUID(r) && Clock.isUUID(e):
            if let known = ids[r] { XCTAssertEqual(e, known, "\(name): id \(r) mapped twice") } else { ids[r] = e }
        case (.object(let r), .object(let e)):
            if r["pool_id"] != nil, r["provider_id"] != nil, let rn = r["name"]?.stringValue, let en = e["name"]?.stringValue { ids[rn] = en }
            for (key, value) in r where key != "resource_id" { if let other = e[key] { learn(value, other) } }
        case (.array(let r), .array(let e)):
            for (a, b) in zip(r, e) { learn(a, b) }
        default:
            break
        }
    }

    private func mapped(_ text: String) -> String {
        var out = text
        for (recorded, emulated) in ids where recorded != emulated { out = out.replacingOccurrences(of: recorded, with: emulated) }
        return out
    }

    private func rewrite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(ids[s] ?? s)
        case .array(let items): return .array(items.map(rewrite))
        case .object(let fields): return .object(fields.mapValues(rewrite))
        default: return value
        }
    }
}

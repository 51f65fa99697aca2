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
        let (files, replayed) = try ConformanceReplay.replayAll({ $0.hasPrefix("k8s-") }, rules: K8sReplay.rules)
        XCTAssertEqual(files, ["k8s-cluster-basic.jsonl", "k8s-cluster-pool-kubelet-args.jsonl"])
        XCTAssertEqual(replayed, 45 + 65, "every recorded interaction replayed")
    }
}

/// How Kapsule cassettes are replayed. A recorded transient status the emulator has already left
/// is accepted; a recorded settled status (or 404) the emulator has not reached yet is polled for
/// (GETs only).
enum K8sReplay {
    /// Fields the API added or dropped between the two recordings (2025-10 and 2026-07): the
    /// emulator serves the newer shape, so the older recording differs there.
    static let olderShape: Set<String> = ["new_images_enabled", "skip_nodes_with_local_storage", "log_level"]

    static func rules(for file: String) -> ReplayRules {
        let tolerated: Set<String> = file == "k8s-cluster-pool-kubelet-args.jsonl" ? olderShape : []
        return ReplayRules(
            transient: ["creating", "updating", "deleting", "scaling", "upgrading"],
            contentTypeOfEmptyBodies: false,
            // The versions list is checked by `checkVersions` instead.
            comparesBody: { $0["versions"]?.arrayValue == nil },
            // The older recording's known differences left out, and the `region` the VPC API
            // added to subnet objects in 2026 (the VPC emulator serves the older shape).
            keys: { fields in
                let all = Set(fields.keys).subtracting(tolerated)
                return fields["subnet"] != nil ? all.subtracting(["region"]) : all
            },
            checksNestedKeys: { $0["DiskPressure"] == nil },
            // Values compared wherever both sides have them (and are in the same status).
            compared: ["name", "tags", "type", "version", "cni", "region", "project_id", "organization_id", "description",
                       "node_type", "autoscaling", "size", "min_size", "max_size", "container_runtime", "autohealing", "kubelet_args",
                       "zone", "root_volume_type", "root_volume_size", "public_ip_disabled", "upgrade_policy", "feature_gates",
                       "admission_plugins", "apiserver_cert_sans", "pod_cidr", "service_cidr", "service_dns_ip",
                       "acl_available", "auto_upgrade", "total_count", "content_type", "message", "resource", "conditions", "is_ipv6"],
            compareValue: { replay, key, r, e, at in
                if key == "resource", r.objectValue != nil { return }   // an IP's NIC: random MAC
                XCTAssertEqual(replay.rewrite(e), replay.rewrite(r), "\(at): value of \(key)")
            },
            checkObject: { replay, r, e, at in
                for key in ["cluster_id", "pool_id", "private_network_id", "vpc_id", "id"] {
                    if let rv = r[key]?.stringValue, let ev = e[key]?.stringValue, let known = replay.ids[rv] { XCTAssertEqual(ev, known, "\(at): \(key)") }
                }
            },
            // Node names are learnt like ids (they name nodes in later URLs).
            learnObject: { r, e, ids in
                if r["pool_id"] != nil, r["provider_id"] != nil, let rn = r["name"]?.stringValue, let en = e["name"]?.stringValue { ids[rn] = en }
            },
            learnsFirst: true,
            extra: { _, interaction, emulated in
                if let versions = interaction.recorded["versions"]?.arrayValue {
                    checkVersions(versions, emulated["versions"]?.arrayValue ?? [], at: interaction.at)
                }
                if interaction.recorded["content_type"] != nil { try checkKubeconfig(emulated, at: interaction.at) }
            })
    }

    /// Every recorded minor is offered (its latest patch or a newer one), each version shaped
    /// like the recorded ones, with the recorded CNIs and admission plugins.
    static func checkVersions(_ recorded: [JSONValue], _ emulated: [JSONValue], at: String) {
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
    static func checkKubeconfig(_ emulated: JSONValue, at: String) throws {
        XCTAssertEqual(emulated["name"]?.stringValue, "kubeconfig", at)
        let content = try XCTUnwrap(emulated["content"]?.stringValue, at)
        let yaml = try XCTUnwrap(Data(base64Encoded: content).map { String(decoding: $0, as: UTF8.self) }, "\(at): content is base64")
        let cluster = try XCTUnwrap(at.split(separator: "/").first { Clock.isUUID(String($0)) }.map(String.init), at)
        XCTAssertTrue(yaml.contains("server: https://\(cluster).api.k8s.fr-par.scw.cloud:6443\n"), "\(at): \(yaml)")
        XCTAssertNotNil(yaml.range(of: "\n    token: [A-Za-z0-9]{40,}$", options: .regularExpression), "\(at): token")
        XCTAssertTrue(yaml.hasPrefix("apiVersion: v1\nclusters:\n"), at)
    }
}

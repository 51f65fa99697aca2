// Kapsule emulator behaviour beyond the recordings: create checks (version, CNI per version,
// private network), nodes appearing one at a time as a pool grows (with IPAM addresses), the
// kubeconfig, upgrades forward one minor at a time (pools along), busy refusals, the private
// network held while the cluster lives, cluster delete taking its pools, and --speed.

import Foundation
import XCTest
@testable import ScwEmulator

final class K8sBehaviourTests: XCTestCase {
    let base = "/k8s/v1/regions/fr-par"

    func network(_ h: EmulatorHarness) throws -> String {
        let pn = try h.expect(200, "POST", "/vpc/v2/regions/fr-par/private-networks", #"{"name":"k8s"}"#)
        return try XCTUnwrap(pn["id"]?.stringValue)
    }

    func cluster(_ h: EmulatorHarness, pn: String, version: String = "1.34.6", cni: String = "cilium") throws -> String {
        let c = try h.expect(200, "POST", base + "/clusters",
                             #"{"name":"prod","version":"\#(version)","cni":"\#(cni)","private_network_id":"\#(pn)","tags":["a"]}"#)
        XCTAssertEqual(c["status"]?.stringValue, "creating")
        return try XCTUnwrap(c["id"]?.stringValue)
    }

    /// Polls `path` until its status is `status` (bounded: 5 s), returning every status seen.
    @discardableResult
    func wait(_ h: EmulatorHarness, _ path: String, for status: String, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(5)
        var last = try h.expect(200, "GET", path)
        while last["status"]?.stringValue != status, Date() < deadline {
            usleep(5_000)
            last = try h.expect(200, "GET", path)
        }
        XCTAssertEqual(last["status"]?.stringValue, status, path, file: file, line: line)
        return last
    }

    func argument(_ body: JSONValue) -> String? { body["details"]?.arrayValue?.first?["argument_name"]?.stringValue }

    func testCreateChecksVersionCNIAndPrivateNetwork() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let pn = try network(h)
        let unknown = try h.expect(400, "POST", base + "/clusters", #"{"version":"1.29.1","cni":"cilium","private_network_id":"\#(pn)"}"#)
        XCTAssertEqual(argument(unknown), "version")
        XCTAssertEqual(unknown["type"]?.stringValue, "invalid_arguments")
        let cni = try h.expect(400, "POST", base + "/clusters", #"{"version":"1.33.10","cni":"cilium_native","private_network_id":"\#(pn)"}"#)
        XCTAssertEqual(argument(cni), "cni")
        let noPN = try h.expect(400, "POST", base + "/clusters", #"{"version":"1.34.6","cni":"cilium"}"#)
        XCTAssertEqual(argument(noPN), "private_network_id")
        let gate = try h.expect(400, "POST", base + "/clusters", #"{"version":"1.34.6","cni":"cilium","private_network_id":"\#(pn)","feature_gates":["Nope"]}"#)
        XCTAssertEqual(argument(gate), "feature_gates")
        let missing = try h.expect(404, "GET", base + "/clusters/" + UUID().uuidString.lowercased())
        XCTAssertEqual(missing["resource"]?.stringValue, "cluster")
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources?kind=k8s_cluster")["resources"]?.arrayValue?.count, 0, "nothing made")
    }

    func testPoolGrowsNodeByNodeWithAddressesAndKubeconfig() throws {
        let h = try EmulatorHarness { $0.speed = 10 }
        let pn = try network(h)
        let id = try cluster(h, pn: pn)
        let busy = try h.expect(409, "POST", base + "/clusters/\(id)/pools", #"{"name":"p","node_type":"PRO2-XXS","size":1}"#)
        XCTAssertEqual(busy["type"]?.stringValue, "transient_state")
        try wait(h, base + "/clusters/\(id)", for: "pool_required")
        let small = try h.expect(400, "POST", base + "/clusters/\(id)/pools", #"{"name":"p","node_type":"DEV1-S","size":1}"#)
        XCTAssertEqual(argument(small), "node_type")
        let bounds = try h.expect(400, "POST", base + "/clusters/\(id)/pools", #"{"name":"p","node_type":"pro2_xxs","size":1,"autoscaling":true,"min_size":3,"max_size":2}"#)
        XCTAssertEqual(argument(bounds), "min_size")
        let pool = try h.expect(200, "POST", base + "/clusters/\(id)/pools", #"{"name":"default","node_type":"pro2_xxs","size":3,"zone":"fr-par-2"}"#)
        XCTAssertEqual(pool["status"]?.stringValue, "scaling")
        XCTAssertEqual(pool["version"]?.stringValue, "1.34.6")
        let poolID = try XCTUnwrap(pool["id"]?.stringValue)
        let patchBusy = try h.expect(409, "PATCH", base + "/pools/\(poolID)", #"{"size":4}"#)
        XCTAssertEqual(patchBusy["current_state"]?.stringValue, "scaling")

        var counts: [Int] = []
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let nodes = try h.expect(200, "GET", base + "/clusters/\(id)/nodes?pool_id=\(poolID)&status=unknown")
            let n = nodes["nodes"]?.arrayValue?.count ?? 0
            if counts.last != n { counts.append(n) }
            if try h.expect(200, "GET", base + "/pools/\(poolID)")["status"]?.stringValue == "ready" { break }
            usleep(10_000)
        }
        XCTAssertEqual(counts.last, 3)
        XCTAssertTrue(counts.count >= 3 && counts == counts.sorted(), "nodes appear one at a time: \(counts)")
        let nodes = try h.expect(200, "GET", base + "/clusters/\(id)/nodes?pool_id=\(poolID)")["nodes"]?.arrayValue ?? []
        XCTAssertEqual(nodes.compactMap { $0["status"]?.stringValue }, ["ready", "ready", "ready"])
        XCTAssertTrue(nodes.allSatisfy { $0["provider_id"]?.stringValue?.hasPrefix("scaleway://instance/fr-par-2/") == true })
        let name = try XCTUnwrap(nodes.first?["name"]?.stringValue)
        XCTAssertTrue(name.hasPrefix("scw-prod-default-"), name)
        let ips = try h.expect(200, "GET", "/ipam/v1/regions/fr-par/ips?resource_name=\(name)&resource_type=unknown_type")
        XCTAssertEqual(ips["total_count"]?.intValue, 2, "an IPv4 and an IPv6 address on the cluster's network")
        XCTAssertEqual(try h.expect(200, "GET", base + "/clusters/\(id)")["status"]?.stringValue, "ready")

        let kube = try h.expect(200, "GET", base + "/clusters/\(id)/kubeconfig")
        let yaml = String(decoding: Data(base64Encoded: kube["content"]?.stringValue ?? "") ?? Data(), as: UTF8.self)
        XCTAssertTrue(yaml.contains("server: https://\(id).api.k8s.fr-par.scw.cloud:6443"), yaml)
        XCTAssertEqual(yaml, try h.expect(200, "GET", base + "/clusters/\(id)/kubeconfig")["content"].flatMap { $0.stringValue }
            .flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }, "the same token every time")

        // Shrinking removes nodes (and their addresses).
        XCTAssertEqual(try h.expect(200, "PATCH", base + "/pools/\(poolID)", #"{"size":1}"#)["status"]?.stringValue, "scaling")
        try wait(h, base + "/pools/\(poolID)", for: "ready")
        XCTAssertEqual(try h.expect(200, "GET", base + "/clusters/\(id)/nodes")["total_count"]?.intValue, 1)
        XCTAssertEqual(try h.expect(200, "GET", "/ipam/v1/regions/fr-par/ips?private_network_id=\(pn)")["total_count"]?.intValue, 2)
    }

    func testUpgradesGoForwardOneMinorAtATimeWithPools() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let pn = try network(h)
        let id = try cluster(h, pn: pn, version: "1.33.10")
        try wait(h, base + "/clusters/\(id)", for: "pool_required")
        let pool = try h.expect(200, "POST", base + "/clusters/\(id)/pools", #"{"name":"default","node_type":"PRO2-XXS","size":1}"#)
        let poolID = try XCTUnwrap(pool["id"]?.stringValue)
        try wait(h, base + "/pools/\(poolID)", for: "ready")
        XCTAssertEqual(try h.expect(200, "GET", base + "/clusters/\(id)")["upgrade_available"], .bool(true))
        let available = try h.expect(200, "GET", base + "/clusters/\(id)/available-versions")["versions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(available, ["1.34.6"])
        XCTAssertEqual(argument(try h.expect(400, "POST", base + "/clusters/\(id)/upgrade", #"{"version":"1.35.3","upgrade_pools":true}"#)), "version")
        XCTAssertEqual(argument(try h.expect(400, "POST", base + "/clusters/\(id)/upgrade", #"{"version":"1.32.8","upgrade_pools":true}"#)), "version")
        let up = try h.expect(200, "POST", base + "/clusters/\(id)/upgrade", #"{"version":"1.34.6","upgrade_pools":true}"#)
        XCTAssertEqual(up["status"]?.stringValue, "updating")
        XCTAssertEqual(try h.expect(200, "GET", base + "/pools/\(poolID)")["status"]?.stringValue, "upgrading")
        let done = try wait(h, base + "/pools/\(poolID)", for: "ready")
        XCTAssertEqual(done["version"]?.stringValue, "1.34.6")
        try wait(h, base + "/clusters/\(id)", for: "ready")
    }

    func testPrivateNetworkHeldUntilTheClusterIsGone() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let pn = try network(h)
        let id = try cluster(h, pn: pn)
        try wait(h, base + "/clusters/\(id)", for: "pool_required")
        let pool = try h.expect(200, "POST", base + "/clusters/\(id)/pools", #"{"name":"default","node_type":"PRO2-XXS","size":2}"#)
        let poolID = try XCTUnwrap(pool["id"]?.stringValue)
        try wait(h, base + "/pools/\(poolID)", for: "ready")
        let refused = try h.expect(412, "DELETE", "/vpc/v2/regions/fr-par/private-networks/\(pn)")
        XCTAssertEqual(refused["precondition"]?.stringValue, "resource_still_in_use")
        let deleting = try h.expect(200, "DELETE", base + "/clusters/\(id)?with_additional_resources=true")
        XCTAssertEqual(deleting["status"]?.stringValue, "deleting")
        let deadline = Date().addingTimeInterval(5)
        while try h.call("GET", base + "/clusters/\(id)").status != 404, Date() < deadline { usleep(5_000) }
        XCTAssertEqual(try h.expect(404, "GET", base + "/pools/\(poolID)")["resource"]?.stringValue, "pool")
        XCTAssertEqual(try h.expect(200, "GET", "/ipam/v1/regions/fr-par/ips")["total_count"]?.intValue, 0, "node addresses freed")
        try h.expect(204, "DELETE", "/vpc/v2/regions/fr-par/private-networks/\(pn)")
    }

    func testSpeedScalesTransientStates() throws {
        for (speed, expected) in [(1.0, "creating"), (50.0, "pool_required")] {
            let h = try EmulatorHarness { $0.speed = speed }
            let id = try cluster(h, pn: try network(h))
            usleep(300_000)
            XCTAssertEqual(try h.expect(200, "GET", base + "/clusters/\(id)")["status"]?.stringValue, expected, "speed \(speed)")
        }
    }
}

// Kubernetes resources against the in-process emulator: a cluster on a private network (version
// `1.33` resolved, kubeconfig a secret naming the API URL), a pool with its nodes and their
// addresses, read back without drift; size in place (ignored while autoscaling); an upgrade by
// one minor in place (pools along) and what replaces instead (a downgrade, two minors); bad
// input refused before any write; an interrupted create found half-made and resumed.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEmulator
import ScwEngine
@testable import ScwResources

final class K8sResourceTests: XCTestCase {
    var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator(speed: 100) }
    override func tearDown() { cloud.stop() }

    private var clusters: K8sClusterResource { K8sClusterResource(env: cloud.env) }
    private var pools: K8sPoolResource { K8sPoolResource(env: cloud.env) }
    private var api: K8sAPI { K8sAPI(client: cloud.env.client) }

    private func writes() async throws -> Int {
        try await cloud.env.client.call("GET", "/__emulator/stats")["writes"]?.intValue.map(Int.init) ?? -1
    }

    private func network() async throws -> String {
        let (pn, _) = try await cloud.create(VpcPrivateNetworkResource(env: cloud.env), ["subnets": .list([.string("10.30.0.0/20")])],
                                             context: cloud.context("VpcPrivateNetwork", "k8s"))
        return pn.id
    }

    private func clusterProps(pn: String, _ extra: [String: Value] = [:]) -> [String: Value] {
        var props: [String: Value] = [
            "version": .string("1.33"), "cni": .string("cilium"), "private_network_id": .string(pn),
            "delete_additional_resources": .bool(true), "tags": .list([.string("env:test")]),
            "auto_upgrade": .map(["enable": .bool(true), "maintenance_window_start_hour": .int(3), "maintenance_window_day": .string("sunday")]),
            "autoscaler_config": .map(["scale_down_delay_after_add": .string("5m"), "estimator": .string("binpacking"),
                                       "scale_down_utilization_threshold": .int(1)]),
        ]
        for (k, v) in extra { props[k] = v }
        return props
    }

    func testClusterAndPoolLifecycle() async throws {
        let pn = try await network()
        let cctx = cloud.context("K8sCluster", "prod")
        let (cluster, cinputs) = try await cloud.create(clusters, clusterProps(pn: pn), context: cctx)
        XCTAssertEqual(cluster.outputs["version"], .string("1.33.10"), "1.33 resolves to its latest patch")
        XCTAssertEqual(cluster.outputs["status"], .string("pool_required"))
        let url = try XCTUnwrap(cluster.outputs["apiserver_url"]?.stringValue)
        let kube = try XCTUnwrap(cluster.outputs["kubeconfig"])
        XCTAssertTrue(kube.isSensitive, "the kubeconfig is a secret")
        XCTAssertEqual(kube.revealed["host"]?.stringValue, url)
        XCTAssertTrue(kube.revealed["config_file"]?.stringValue?.contains("server: \(url)") ?? false)
        XCTAssertEqual(kube.revealed["token"]?.stringValue?.count, 56)
        try await cloud.assertNoDrift(clusters, id: cluster.id, inputs: cinputs, context: cctx)
        let raw = try await api.getCluster(region: "fr-par", id: uuidPart(cluster.id))
        XCTAssertEqual(raw.autoscalerConfig["scale_down_delay_after_add"], .string("5m"))
        XCTAssertEqual(raw.maintenanceDay, "sunday")
        XCTAssertEqual(Set(raw.tags), ["env:test", "scwlua:stack=compute-test", "scwlua:urn=K8sCluster/prod"])

        let pctx = cloud.context("K8sPool", "default")
        let poolProps: [String: Value] = ["cluster_id": .string(cluster.id), "node_type": .string("PRO2-XXS"), "size": .int(2),
                                          "kubelet_args": .map(["maxPods": .string("110")]),
                                          "upgrade_policy": .map(["max_surge": .int(1), "max_unavailable": .int(0)])]
        let (pool, pinputs) = try await cloud.create(pools, poolProps, context: pctx)
        XCTAssertEqual(pool.outputs["status"], .string("ready"))
        let nodes = try XCTUnwrap(pool.outputs["nodes"]?.listValue)
        XCTAssertEqual(nodes.count, 2)
        XCTAssertTrue(nodes.allSatisfy { $0["status"] == .string("ready") && ($0["private_ip"]?.stringValue?.hasPrefix("10.30.") ?? false) }, "\(nodes)")
        let nodeType = try await api.getPool(region: "fr-par", id: uuidPart(pool.id)).nodeType
        XCTAssertEqual(nodeType, "pro2_xxs", "sent in the API's spelling")
        try await cloud.assertNoDrift(pools, id: pool.id, inputs: pinputs, context: pctx)
        let clusterStatus = try await api.getCluster(region: "fr-par", id: uuidPart(cluster.id)).status
        XCTAssertEqual(clusterStatus, "ready")

        // Size in place.
        var bigger = pinputs
        bigger["size"] = .int(3)
        let grown = try await pools.update(id: pool.id, from: pinputs, to: bigger, context: pctx)
        XCTAssertEqual(grown["nodes"]?.listValue?.count, 3)
        XCTAssertEqual(grown["id"], .string(pool.id), "the same pool")
        try await cloud.assertNoDrift(pools, id: pool.id, inputs: bigger, context: pctx)

        // Autoscaling on: the declared size no longer matters.
        var autoscaled = try pools.normalize(poolProps.merging(["autoscaling": .bool(true), "min_size": .int(1), "max_size": .int(5), "size": .int(3)]) { $1 }, context: pctx)
        _ = try await pools.update(id: pool.id, from: bigger, to: autoscaled, context: pctx)
        let before = try await writes()
        autoscaled["size"] = .int(4)
        try await cloud.assertNoDrift(pools, id: pool.id, inputs: autoscaled, context: pctx)
        _ = try await pools.update(id: pool.id, from: autoscaled, to: autoscaled, context: pctx)
        let writesAfterNoop = try await writes()
        XCTAssertEqual(writesAfterNoop, before, "a size change while autoscaling writes nothing")

        // One minor up in place, the pool along; what cannot be done in place says why.
        XCTAssertNil(clusters.replacementReason(prop: "version", old: .string("1.33"), new: .string("1.34"), inputs: cinputs))
        XCTAssertEqual(clusters.replacementReason(prop: "version", old: .string("1.33"), new: .string("1.35"), inputs: cinputs),
                       "Kubernetes upgrades go one minor version at a time (1.33 → 1.35); upgrade to 1.34 first to keep this cluster")
        XCTAssertEqual(clusters.replacementReason(prop: "version", old: .string("1.33"), new: .string("1.32"), inputs: cinputs),
                       "Kubernetes cannot be downgraded in place (1.33 → 1.32)")
        var upgraded = cinputs
        upgraded["version"] = .string("1.34")
        let after = try await clusters.update(id: cluster.id, from: cinputs, to: upgraded, context: cctx)
        XCTAssertEqual(after["version"], .string("1.34.6"))
        let poolVersion = try await api.getPool(region: "fr-par", id: uuidPart(pool.id)).version
        XCTAssertEqual(poolVersion, "1.34.6", "pools upgraded along")
        try await cloud.assertNoDrift(clusters, id: cluster.id, inputs: upgraded, context: cctx)

        try await pools.delete(id: pool.id, inputs: autoscaled, context: pctx)
        try await clusters.delete(id: cluster.id, inputs: upgraded, context: cctx)
        let left = try await cloud.resources().compactMap { $0["kind"]?.stringValue }.filter { $0.hasPrefix("k8s") || $0 == "ipam_ip" }
        XCTAssertEqual(left, [], "cluster, pool and node addresses gone")
        try await VpcPrivateNetworkResource(env: cloud.env).delete(id: pn, inputs: [:], context: cloud.context("VpcPrivateNetwork", "k8s"))
    }

    func testBadInputIsRefusedBeforeAnyWrite() async throws {
        let pn = try await network()
        let cctx = cloud.context("K8sCluster", "prod")
        let before = try await writes()
        await assertDiagnostic(["unknown Kubernetes version '1.29'", "available: 1.35, 1.34"]) {
            try await self.clusters.validate(try self.clusters.normalize(self.clusterProps(pn: pn, ["version": .string("1.29")]), context: cctx), context: cctx)
        }
        await assertDiagnostic(["cni 'cilium_native' is not available with Kubernetes 1.33.10"]) {
            _ = try await self.cloud.create(self.clusters, self.clusterProps(pn: pn, ["cni": .string("cilium_native")]), context: cctx)
        }
        await assertDiagnostic(["feature_gates: 'Nope'"]) {
            _ = try await self.cloud.create(self.clusters, self.clusterProps(pn: pn, ["feature_gates": .list([.string("Nope")])]), context: cctx)
        }
        await assertDiagnostic(["version must be a Kubernetes minor"]) {
            _ = try self.clusters.normalize(self.clusterProps(pn: pn, ["version": .string("v1.31")]), context: cctx)
        }
        let pctx = cloud.context("K8sPool", "default")
        let cluster = "fr-par/" + UUID().uuidString.lowercased()
        await assertDiagnostic(["min_size (4) is greater than max_size (2)"]) {
            _ = try self.pools.normalize(["cluster_id": .string(cluster), "node_type": .string("PRO2-S"), "size": .int(3), "autoscaling": .bool(true),
                                          "min_size": .int(4), "max_size": .int(2)], context: pctx)
        }
        await assertDiagnostic(["min_size and max_size bound the autoscaler"]) {
            _ = try self.pools.normalize(["cluster_id": .string(cluster), "node_type": .string("PRO2-S"), "size": .int(3), "min_size": .int(1)], context: pctx)
        }
        await assertDiagnostic(["node type DEV1-S is not offered for Kapsule pools in fr-par-1"]) {
            try await self.pools.validate(try self.pools.normalize(["cluster_id": .string(cluster), "node_type": .string("DEV1-S"), "size": .int(1)], context: pctx), context: pctx)
        }
        await assertDiagnostic(["zone nl-ams-1 is not in the cluster's region fr-par"]) {
            _ = try self.pools.normalize(["cluster_id": .string(cluster), "node_type": .string("PRO2-S"), "size": .int(1), "zone": .string("nl-ams-1")], context: pctx)
        }
        let writesAfterRefusals = try await writes()
        XCTAssertEqual(writesAfterRefusals, before, "nothing written")
    }

    func testAnInterruptedClusterCreateIsFoundHalfMadeAndResumed() async throws {
        cloud.stop()
        cloud = try ComputeEmulator(speed: 5)   // creating lasts 0.6 s: found while still being made
        let pn = try await network()
        let cctx = cloud.context("K8sCluster", "prod")
        let inputs = try clusters.normalize(clusterProps(pn: pn), context: cctx)
        // The POST went through, then the process died.
        let body = try K8sClusterResource.createBody(inputs, version: "1.33.10", tags: OwnershipTags.withOwnership(["env:test"], context: cctx), context: cctx)
        let made = try await api.createCluster(region: "fr-par", body: body)
        let found = try await clusters.find(inputs: inputs, context: cctx)
        XCTAssertEqual(found.map(\.id), ["fr-par/\(made.id)"])
        XCTAssertEqual(found.first?.halfMade, true, "still creating: half-made")
        let resumed = try await clusters.create(inputs, context: cctx)
        XCTAssertEqual(resumed.id, "fr-par/\(made.id)", "the same cluster, not a second one")
        let awaited6 = try await cloud.resources(kind: "k8s_cluster").count
        XCTAssertEqual(awaited6, 1)
        let awaited7 = try await clusters.find(inputs: inputs, context: cctx).first?.halfMade
        XCTAssertEqual(awaited7, false)
    }

    /// A create-before-destroy makes the new half while the old one, with the same ownership
    /// tags, is still there and finished: the create must make a new one, never take the old.
    func testAReplacementNeverTakesTheFinishedOldHalf() async throws {
        let pn = try await network()
        let cctx = cloud.context("K8sCluster", "prod")
        let (old, cinputs) = try await cloud.create(clusters, clusterProps(pn: pn), context: cctx)
        let pctx = cloud.context("K8sPool", "default")
        let (oldPool, pinputs) = try await cloud.create(pools, ["cluster_id": .string(old.id), "node_type": .string("PRO2-XXS"), "size": .int(1)], context: pctx)
        var bigger = pinputs
        bigger["root_volume_size_in_gb"] = .int(40)
        let newPool = try await pools.create(bigger, context: pctx)
        XCTAssertNotEqual(newPool.id, oldPool.id, "a second pool, not the old one")
        let poolCount = try await api.listPools(region: "fr-par", clusterID: uuidPart(old.id)).count
        XCTAssertEqual(poolCount, 2)
        let newCluster = try await clusters.create(cinputs, context: cctx)
        XCTAssertNotEqual(newCluster.id, old.id, "a second cluster, not the old one")
    }
}

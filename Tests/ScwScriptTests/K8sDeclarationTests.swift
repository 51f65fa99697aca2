// The issue's Kubernetes script declares as written (handles where ids are expected, nested
// tables, the kubeconfig reference), the short aliases `cluster` and `private_network` work,
// and giving an alias with its prop is refused with the script line.

import XCTest
import ScwCore
@testable import ScwScript

final class K8sDeclarationTests: XCTestCase {
    func testTheIssueScriptDeclares() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "k8s" { subnets = { "10.30.0.0/20" } }
        local cluster = scw.K8sCluster "prod" {
          version = "1.31", cni = "cilium", private_network_id = pn,
          auto_upgrade = { enable = true, maintenance_window_start_hour = 3, maintenance_window_day = "sunday" },
          autoscaler_config = { scale_down_delay_after_add = "10m", estimator = "binpacking" },
          delete_additional_resources = true,
          tags = { "env:prod" },
        }
        local pool = scw.K8sPool "default" {
          cluster_id = cluster, node_type = "PRO2-S", size = 3,
          autoscaling = true, min_size = 3, max_size = 10, autohealing = true,
          kubelet_args = { maxPods = "110" },
          upgrade_policy = { max_surge = 1, max_unavailable = 0 },
          wait_for_pool_ready = true,
        }
        return { api = cluster.apiserver_url, kubeconfig = cluster.kubeconfig, nodes = pool.nodes }
        """)
        let byName = Dictionary(program.declarations.map { ($0.address.description, $0) }, uniquingKeysWith: { a, _ in a })
        let cluster = try XCTUnwrap(byName["K8sCluster/prod"])
        XCTAssertEqual(cluster.props["private_network_id"]?.references.map(\.address.description), ["VpcPrivateNetwork/k8s"])
        XCTAssertEqual(cluster.props["auto_upgrade"]?["maintenance_window_day"], .string("sunday"))
        let pool = try XCTUnwrap(byName["K8sPool/default"])
        XCTAssertEqual(pool.props["cluster_id"]?.references.map(\.address.description), ["K8sCluster/prod"])
        XCTAssertEqual(pool.props["kubelet_args"], .map(["maxPods": .string("110")]))
        XCTAssertTrue(pool.dependencies.contains(ResourceAddress(type: "K8sCluster", name: "prod")))
        XCTAssertEqual(program.outputs["kubeconfig"]?.references.map(\.description), ["K8sCluster/prod.kubeconfig"])
    }

    func testShortAliases() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "k8s" {}
        local cluster = scw.K8sCluster "prod" { version = "latest", cni = "cilium", private_network = pn, delete_additional_resources = false }
        scw.K8sPool "default" { cluster = cluster, node_type = "PRO2-S", size = 1 }
        """)
        let pool = try XCTUnwrap(program.declarations.first { $0.address.type == "K8sPool" })
        XCTAssertNotNil(pool.props["cluster_id"])
        let cluster = try XCTUnwrap(program.declarations.first { $0.address.type == "K8sCluster" })
        XCTAssertNotNil(cluster.props["private_network_id"])
    }

    func testAliasWithItsPropIsRefused() {
        let e = scriptError("""
        local scw = require "scaleway"
        local c = scw.K8sCluster "prod" { version = "1.31", cni = "cilium", private_network_id = "fr-par/x", delete_additional_resources = true }
        scw.K8sPool "default" { cluster = c, cluster_id = c, node_type = "PRO2-S", size = 1 }
        """)
        XCTAssertTrue(e.contains("infra.lua:3:"), e)
        XCTAssertTrue(e.contains("same prop"), e)
    }
}

// K8sCassetteTests: the recorded k8s-* cassettes, two ways. Every response body decodes (the
// Kapsule ones into the K8s models, the VPC and IPAM ones into theirs, errors into APIError);
// and replaying each cassette's Kapsule calls through K8sAPI (inputs taken from the recorded
// request) sends exactly the recorded method, path and JSON body.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class K8sCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        let files = try Cassettes.files(prefix: "k8s-")
        XCTAssertEqual(files.count, 2)
        var decoded = 0
        for file in files {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                let last = String(x.path.split(separator: "/").last!)
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    let resource = x.path.contains("/pools/") ? "pool" : x.path.contains("/clusters/") ? "cluster" : "private_network"
                    XCTAssertEqual(e.kind, .notFound(resource: resource, resourceID: last), context)
                } else if x.responseBody == .null {
                    XCTAssertEqual(x.status, 204, context)
                } else if x.path.hasPrefix("/vpc/") {
                    if x.path.contains("/private-networks") { _ = try PrivateNetwork(json: x.responseBody) } else { _ = try VPC(json: x.responseBody) }
                } else if x.path.hasPrefix("/ipam/") {
                    let ips = try x.responseBody["ips"]!.listValue!.map { try IPAMIP(json: $0) }
                    XCTAssertEqual(ips.map(\.isIPv6), [true, false], context)
                    XCTAssertEqual(ips.last?.address, "172.18.80.3/22", context)
                } else if x.path.hasSuffix("/versions") {
                    let versions = try x.responseBody["versions"]!.listValue!.map { try K8sVersion(json: $0) }
                    XCTAssertTrue(versions.allSatisfy { $0.availableCNIs.contains("cilium") && $0.availableKubeletArgs["maxPods"] == "uint16" }, context)
                    XCTAssertTrue(versions.contains { $0.minor == "1.34" }, context)
                } else if x.path.hasSuffix("/kubeconfig") {
                    let kube = try K8sKubeconfig(json: x.responseBody)
                    let cluster = x.path.split(separator: "/")[5]
                    XCTAssertEqual(kube.field("server"), "https://\(cluster).api.k8s.fr-par.scw.cloud:6443", context)
                    XCTAssertEqual(kube.field("token")?.count, 56, context)
                    XCTAssertNotNil(kube.field("certificate-authority-data"), context)
                } else if x.path.hasSuffix("/pools") && x.method == "GET" {
                    XCTAssertEqual(try x.responseBody["pools"]!.listValue!.map { try K8sPool(json: $0) }.count, 0, context)
                } else if x.path.hasSuffix("/nodes") {
                    let nodes = try x.responseBody["nodes"]!.listValue!.map { try K8sNode(json: $0) }
                    XCTAssertEqual(nodes.map(\.status), ["ready"], context)
                    XCTAssertEqual(nodes.first?.publicIPv4, "163.172.149.221", context)
                } else if x.path.contains("/pools") {
                    let pool = try K8sPool(json: x.responseBody)
                    XCTAssertEqual(pool.nodeType, "pro2_xxs", context)
                    XCTAssertEqual(pool.kubeletArgs["maxPods"].map { ["1337", "50"].contains($0) }, true, context)
                    XCTAssertEqual(pool.rootVolumeSize, 20_000_000_000, context)
                    XCTAssertEqual(pool.zone, "fr-par-1", context)
                } else {
                    let cluster = try K8sCluster(json: x.responseBody)
                    XCTAssertEqual(cluster.clusterURL, "https://\(cluster.id).api.k8s.fr-par.scw.cloud:6443", context)
                    XCTAssertTrue(["creating", "pool_required", "ready", "updating", "deleting"].contains(cluster.status), context)
                    XCTAssertNotNil(cluster.privateNetworkID, context)
                    XCTAssertEqual(cluster.autoscalerConfig["estimator"]?.stringValue, "binpacking", context)
                    XCTAssertEqual(cluster.maintenanceDay, "any", context)
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 45 + 65)
    }

    /// The SDK of the older recording (2025-10) did not send these two autoscaler fields yet.
    static let olderAutoscalerFields: Set<String> = ["skip_nodes_with_local_storage", "log_level"]

    func testReplayingThroughK8sAPISendsTheRecordedRequests() async throws {
        var replayed = 0
        for file in try Cassettes.files(prefix: "k8s-") {
            let interactions = try Cassettes.load(file).filter { $0.path.hasPrefix("/k8s/") }
            let transport = ReplayTransport(interactions)
            let api = K8sAPI(client: .testing(transport, retry: .none))
            for x in interactions {
                do {
                    try await drive(api, x)
                    XCTAssertLessThan(x.status, 400, "\(x.method) \(x.path) should have failed")
                } catch let e as APIError {
                    XCTAssertEqual(e.status, x.status)
                    XCTAssertTrue(e.isNotFound)
                }
            }
            XCTAssertEqual(transport.sent.count, interactions.count)
            let older = file.hasSuffix("k8s-cluster-pool-kubelet-args.jsonl")
            for (x, request) in zip(interactions, transport.sent) {
                let name = "\(file.split(separator: "/").last!) \(x.method) \(x.path)"
                XCTAssertEqual(request.method, x.method, name)
                let sent = Interaction(method: "", url: request.url, requestBody: .null, status: 0, responseBody: .null, responseHeaders: [:])
                XCTAssertEqual(sent.path, x.path, name)
                if x.method == "DELETE", x.path.contains("/clusters/") {
                    XCTAssertTrue(request.url.hasSuffix("?with_additional_resources=false"), request.url)
                }
                var sentBody: Value = try request.body.map { try JSON.decode(bytes: $0) } ?? .null
                if older, x.method == "POST", x.path.hasSuffix("/clusters"), var body = sentBody.mapValue, var autoscaler = body["autoscaler_config"]?.mapValue {
                    for key in Self.olderAutoscalerFields { autoscaler.removeValue(forKey: key) }
                    body["autoscaler_config"] = .map(autoscaler)
                    sentBody = .map(body)
                }
                XCTAssertEqual(sentBody, x.requestBody, "request body differs for \(name):\n sent \(JSON.encode(sentBody))\n recorded \(JSON.encode(x.requestBody))")
                replayed += 1
            }
        }
        XCTAssertEqual(replayed, 32 + 47, "every Kapsule call of both recordings")
    }

    /// Calls the K8sAPI method matching a recorded interaction, with the recorded inputs.
    private func drive(_ api: K8sAPI, _ x: Interaction) async throws {
        let parts = x.path.split(separator: "/").map(String.init)   // k8s v1 regions fr-par <collection> [id] [sub]
        let region = parts[3]
        let id = parts.count > 5 ? parts[5] : ""
        let b = x.requestBody
        func strings(_ key: String) -> [String] { b[key]?.listValue?.compactMap(\.stringValue) ?? [] }
        switch (x.method, parts[4], parts.count > 6 ? parts[6] : nil, parts.count) {
        case ("GET", "versions", nil, 5): _ = try await api.listVersions(region: region)
        case ("POST", "clusters", nil, 5):
            var autoscaler = K8sAPI.AutoscalerConfig()
            autoscaler.expendablePodsPriorityCutoff = b["autoscaler_config"]?["expendable_pods_priority_cutoff"]?.intValue
            let body = K8sAPI.createClusterBody(
                projectID: b["project_id"]!.stringValue!, type: b["type"]!.stringValue!, name: b["name"]!.stringValue!,
                description: b["description"]!.stringValue!, tags: strings("tags"), version: b["version"]!.stringValue!,
                cni: b["cni"]!.stringValue!, autoscaler: autoscaler, featureGates: strings("feature_gates"),
                admissionPlugins: strings("admission_plugins"), apiserverCertSANs: strings("apiserver_cert_sans"),
                privateNetworkID: b["private_network_id"]!.stringValue!)
            _ = try await api.createCluster(region: region, body: body)
        case ("GET", "clusters", nil, 6): _ = try await api.getCluster(region: region, id: id)
        case ("PATCH", "clusters", nil, 6):
            let body = K8sAPI.updateClusterBody(description: b["description"]?.stringValue, autoscaler: K8sAPI.AutoscalerConfig(),
                                                autoUpgrade: K8sAPI.AutoUpgrade(), openIDConnect: K8sAPI.OpenIDConnect())
            _ = try await api.updateCluster(region: region, id: id, body: body)
        case ("DELETE", "clusters", nil, 6): _ = try await api.deleteCluster(region: region, id: id, withAdditionalResources: false)
        case ("POST", "clusters", "upgrade"?, 7):
            _ = try await api.upgradeCluster(region: region, id: id, version: b["version"]!.stringValue!, upgradePools: b["upgrade_pools"]!.boolValue!)
        case ("GET", "clusters", "kubeconfig"?, 7): _ = try await api.getKubeconfig(region: region, id: id)
        case ("GET", "clusters", "pools"?, 7): _ = try await api.listPools(region: region, clusterID: id)
        case ("GET", "clusters", "nodes"?, 7):
            let poolID = x.url.split(separator: "&").first { $0.hasPrefix("pool_id=") }.map { String($0.dropFirst("pool_id=".count)) }
            _ = try await api.listNodes(region: region, clusterID: id, poolID: poolID)
        case ("POST", "clusters", "pools"?, 7):
            let body = K8sAPI.createPoolBody(
                name: b["name"]!.stringValue!, nodeType: b["node_type"]!.stringValue!, autoscaling: b["autoscaling"]!.boolValue!,
                size: b["size"]!.intValue!, minSize: b["min_size"]?.intValue, maxSize: b["max_size"]?.intValue,
                containerRuntime: b["container_runtime"]!.stringValue!, autohealing: b["autohealing"]!.boolValue!, tags: strings("tags"),
                kubeletArgs: (b["kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue), zone: b["zone"]!.stringValue!,
                rootVolumeType: b["root_volume_type"]!.stringValue!, publicIPDisabled: b["public_ip_disabled"]!.boolValue!)
            _ = try await api.createPool(region: region, clusterID: id, body: body)
        case ("GET", "pools", nil, 6): _ = try await api.getPool(region: region, id: id)
        case ("PATCH", "pools", nil, 6):
            let body = K8sAPI.updatePoolBody(kubeletArgs: (b["kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue),
                                             upgradePolicy: (maxUnavailable: nil, maxSurge: nil))
            _ = try await api.updatePool(region: region, id: id, body: body)
        case ("DELETE", "pools", nil, 6): _ = try await api.deletePool(region: region, id: id)
        default: XCTFail("no K8sAPI call for \(x.method) \(x.path)")
        }
    }

    func testRequestBodiesOfCallsNotRecorded() {
        var autoscaler = K8sAPI.AutoscalerConfig()
        autoscaler.scaleDownDelayAfterAdd = "10m"
        autoscaler.estimator = "binpacking"
        XCTAssertEqual(JSON.encode(K8sAPI.updateClusterBody(tags: ["a"], autoUpgrade: .init(enable: true, startHour: 3, day: "sunday"))),
                       #"{"auto_upgrade":{"enable":true,"maintenance_window":{"day":"sunday","start_hour":3}},"tags":["a"]}"#)
        let body = K8sAPI.updateClusterBody(autoscaler: autoscaler)
        XCTAssertEqual(body["autoscaler_config"]?["scale_down_delay_after_add"], .string("10m"))
        XCTAssertEqual(body["autoscaler_config"]?["expander"], .string("unknown_expander"))
        XCTAssertEqual(JSON.encode(K8sAPI.updatePoolBody(size: 4)), #"{"size":4}"#)
        XCTAssertEqual(JSON.encode(K8sAPI.updatePoolBody(upgradePolicy: (maxUnavailable: 0, maxSurge: 1))),
                       #"{"upgrade_policy":{"max_surge":1,"max_unavailable":0}}"#)
    }
}

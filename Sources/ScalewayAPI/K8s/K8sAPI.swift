// K8sAPI: the Kubernetes Kapsule service (K8s v1, regional): versions, node types, clusters
// (create, get, list, patch, upgrade, set-type, kubeconfig, available versions, delete), pools
// (create, get, list, patch, upgrade, delete) and nodes. Request bodies are what the recorded
// cassettes show the real API accepted (ENDPOINTS.md section 8).

import ScwCore

/// Typed calls to `/k8s/v1/regions/{region}`.
public struct K8sAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) {
        self.client = client
    }

    private func base(_ region: String) -> String { "/k8s/v1/regions/\(region)" }
    private func clusterPath(_ region: String, _ id: String) -> String { "\(base(region))/clusters/\(id)" }
    private func poolPath(_ region: String, _ id: String) -> String { "\(base(region))/pools/\(id)" }

    // MARK: catalogue

    public func listVersions(region: String) async throws -> [K8sVersion] {
        let answer = try await client.call("GET", "\(base(region))/versions")
        return try FieldReader(answer, what: "versions answer").objects("versions") { try K8sVersion(json: $0, what: $1) }
    }

    public func listNodeTypes(region: String) async throws -> [K8sNodeType] {
        try await client.listAll("\(base(region))/node-types", itemsKey: "node_types", style: .pageSize)
            .map { try K8sNodeType(json: $0) }
    }

    // MARK: bodies

    /// The cluster autoscaler's settings; nil fields are left to the API (`null`, or the
    /// `unknown_*` zero value for enums, as the SDK sends them).
    public struct AutoscalerConfig: Sendable, Equatable {
        public var scaleDownDisabled: Bool?
        public var scaleDownDelayAfterAdd: String?
        public var estimator: String?
        public var expander: String?
        public var ignoreDaemonsetsUtilization: Bool?
        public var balanceSimilarNodeGroups: Bool?
        public var expendablePodsPriorityCutoff: Int64?
        public var scaleDownUnneededTime: String?
        public var scaleDownUtilizationThreshold: Double?
        public var maxGracefulTerminationSec: Int64?

        public init() {}

        /// `forCreate` sends the SDK's zero values for its non-pointer fields (as recorded).
        func json(forCreate: Bool) -> Value {
            func opt<T>(_ v: T?, _ f: (T) -> Value) -> Value { v.map(f) ?? .null }
            return .map([
                "scale_down_disabled": opt(scaleDownDisabled, Value.bool),
                "scale_down_delay_after_add": opt(scaleDownDelayAfterAdd, Value.string),
                "estimator": .string(estimator ?? "unknown_estimator"),
                "expander": .string(expander ?? "unknown_expander"),
                "ignore_daemonsets_utilization": opt(ignoreDaemonsetsUtilization, Value.bool),
                "balance_similar_node_groups": opt(balanceSimilarNodeGroups, Value.bool),
                "expendable_pods_priority_cutoff": forCreate ? .int(expendablePodsPriorityCutoff ?? 0) : opt(expendablePodsPriorityCutoff, Value.int),
                "scale_down_unneeded_time": opt(scaleDownUnneededTime, Value.string),
                "scale_down_utilization_threshold": opt(scaleDownUtilizationThreshold, Value.double),
                "max_graceful_termination_sec": forCreate ? .int(maxGracefulTerminationSec ?? 0) : opt(maxGracefulTerminationSec, Value.int),
                "skip_nodes_with_local_storage": forCreate ? .bool(false) : .null,
                "log_level": .null,
            ])
        }
    }

    /// Auto upgrade: nil fields unchanged.
    public struct AutoUpgrade: Sendable, Equatable {
        public var enable: Bool?
        public var startHour: Int64?
        public var day: String?

        public init(enable: Bool? = nil, startHour: Int64? = nil, day: String? = nil) {
            self.enable = enable
            self.startHour = startHour
            self.day = day
        }

        var json: Value {
            let window: Value = startHour == nil && day == nil ? .null
                : .map(["start_hour": startHour.map(Value.int) ?? .null, "day": .string(day ?? "any")])
            return .map(["enable": enable.map(Value.bool) ?? .null, "maintenance_window": window])
        }
    }

    /// OpenID Connect: nil fields unchanged.
    public struct OpenIDConnect: Sendable, Equatable {
        public var issuerURL: String?
        public var clientID: String?
        public var usernameClaim: String?
        public var usernamePrefix: String?
        public var groupsClaim: [String]?
        public var groupsPrefix: String?
        public var requiredClaim: [String]?

        public init() {}

        var json: Value {
            func s(_ v: String?) -> Value { v.map(Value.string) ?? .null }
            func l(_ v: [String]?) -> Value { v.map { .list($0.map(Value.string)) } ?? .null }
            return .map(["issuer_url": s(issuerURL), "client_id": s(clientID), "username_claim": s(usernameClaim),
                         "username_prefix": s(usernamePrefix), "groups_claim": l(groupsClaim), "groups_prefix": s(groupsPrefix),
                         "required_claim": l(requiredClaim)])
        }
    }

    /// The body of `POST /clusters` (`pools: null`: pools are made on their own). `type` ""
    /// means `kapsule`; auto upgrade and OpenID Connect are left out when nil.
    public static func createClusterBody(projectID: String, type: String, name: String, description: String, tags: [String],
                                         version: String, cni: String, autoscaler: AutoscalerConfig, autoUpgrade: AutoUpgrade? = nil,
                                         featureGates: [String], admissionPlugins: [String], apiserverCertSANs: [String],
                                         openIDConnect: OpenIDConnect? = nil, privateNetworkID: String) -> Value {
        var body: [String: Value] = [
            "project_id": .string(projectID), "type": .string(type), "name": .string(name), "description": .string(description),
            "tags": .list(tags.map(Value.string)), "version": .string(version), "cni": .string(cni), "pools": .null,
            "autoscaler_config": autoscaler.json(forCreate: true), "feature_gates": .list(featureGates.map(Value.string)),
            "admission_plugins": .list(admissionPlugins.map(Value.string)), "apiserver_cert_sans": .list(apiserverCertSANs.map(Value.string)),
            "private_network_id": .string(privateNetworkID),
        ]
        if let autoUpgrade { body["auto_upgrade"] = autoUpgrade.json }
        if let openIDConnect { body["open_id_connect_config"] = openIDConnect.json }
        return .map(body)
    }

    /// The body of `PATCH /clusters/{id}`: only the fields given.
    public static func updateClusterBody(description: String? = nil, tags: [String]? = nil, autoscaler: AutoscalerConfig? = nil,
                                         autoUpgrade: AutoUpgrade? = nil, openIDConnect: OpenIDConnect? = nil,
                                         featureGates: [String]? = nil, admissionPlugins: [String]? = nil,
                                         apiserverCertSANs: [String]? = nil) -> Value {
        var body: [String: Value] = [:]
        if let description { body["description"] = .string(description) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let autoscaler { body["autoscaler_config"] = autoscaler.json(forCreate: false) }
        if let autoUpgrade { body["auto_upgrade"] = autoUpgrade.json }
        if let openIDConnect { body["open_id_connect_config"] = openIDConnect.json }
        if let featureGates { body["feature_gates"] = .list(featureGates.map(Value.string)) }
        if let admissionPlugins { body["admission_plugins"] = .list(admissionPlugins.map(Value.string)) }
        if let apiserverCertSANs { body["apiserver_cert_sans"] = .list(apiserverCertSANs.map(Value.string)) }
        return .map(body)
    }

    // MARK: clusters

    /// Creates a cluster (answers `creating`). A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createCluster(region: String, body: Value) async throws -> K8sCluster {
        try K8sCluster(json: try await client.call("POST", "\(base(region))/clusters", body: body))
    }

    /// One cluster; a missing one throws ``APIError`` with `isNotFound`.
    public func getCluster(region: String, id: String) async throws -> K8sCluster {
        try K8sCluster(json: try await client.call("GET", clusterPath(region, id)))
    }

    /// Every cluster matching the filters (all pages); `tags` matches clusters having any of them.
    public func listClusters(region: String, tags: [String]? = nil, name: String? = nil, projectID: String? = nil) async throws -> [K8sCluster] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project_id", projectID)) }
        for tag in tags ?? [] { query.append(("tags", tag)) }
        query.append(("status", "unknown"))
        return try await client.listAll("\(base(region))/clusters", itemsKey: "clusters", query: query, style: .pageSize)
            .map { try K8sCluster(json: $0) }
    }

    public func updateCluster(region: String, id: String, body: Value) async throws -> K8sCluster {
        try K8sCluster(json: try await client.call("PATCH", clusterPath(region, id), body: body))
    }

    /// Upgrades the control plane (and the pools with `upgradePools`) to `version`. Safe to repeat.
    public func upgradeCluster(region: String, id: String, version: String, upgradePools: Bool) async throws -> K8sCluster {
        let body: Value = .map(["version": .string(version), "upgrade_pools": .bool(upgradePools)])
        return try K8sCluster(json: try await client.call("POST", "\(clusterPath(region, id))/upgrade", body: body, idempotent: true))
    }

    /// Moves the control plane to another offer (`kapsule-dedicated-8`). Safe to repeat.
    public func setClusterType(region: String, id: String, type: String) async throws -> K8sCluster {
        try K8sCluster(json: try await client.call("POST", "\(clusterPath(region, id))/set-type", body: .map(["type": .string(type)]), idempotent: true))
    }

    /// Versions the cluster may be upgraded to.
    public func listAvailableVersions(region: String, id: String) async throws -> [K8sVersion] {
        let answer = try await client.call("GET", "\(clusterPath(region, id))/available-versions")
        return try FieldReader(answer, what: "available versions answer").objects("versions") { try K8sVersion(json: $0, what: $1) }
    }

    /// The cluster's kubeconfig (its admin token inside: keep it secret).
    public func getKubeconfig(region: String, id: String) async throws -> K8sKubeconfig {
        try K8sKubeconfig(json: try await client.call("GET", "\(clusterPath(region, id))/kubeconfig"))
    }

    /// Starts the delete (answers the cluster `deleting`; then 404). `withAdditionalResources`
    /// also deletes the volumes and load balancers the cluster made.
    public func deleteCluster(region: String, id: String, withAdditionalResources: Bool) async throws -> K8sCluster {
        try K8sCluster(json: try await client.call("DELETE", clusterPath(region, id),
                                                   query: [("with_additional_resources", withAdditionalResources ? "true" : "false")]))
    }

    // MARK: pools

    /// The body of `POST /clusters/{id}/pools`; nil optional fields are left out.
    public static func createPoolBody(name: String, nodeType: String, autoscaling: Bool, size: Int64, minSize: Int64?, maxSize: Int64?,
                                      containerRuntime: String, autohealing: Bool, tags: [String], kubeletArgs: [String: String],
                                      upgradePolicy: (maxUnavailable: Int64?, maxSurge: Int64?)? = nil, zone: String,
                                      rootVolumeType: String, rootVolumeSizeBytes: Int64? = nil, publicIPDisabled: Bool,
                                      placementGroupID: String? = nil) -> Value {
        var body: [String: Value] = [
            "name": .string(name), "node_type": .string(nodeType), "autoscaling": .bool(autoscaling), "size": .int(size),
            "container_runtime": .string(containerRuntime), "autohealing": .bool(autohealing), "tags": .list(tags.map(Value.string)),
            "kubelet_args": .map(kubeletArgs.mapValues(Value.string)), "zone": .string(zone), "root_volume_type": .string(rootVolumeType),
            "public_ip_disabled": .bool(publicIPDisabled),
        ]
        if let minSize { body["min_size"] = .int(minSize) }
        if let maxSize { body["max_size"] = .int(maxSize) }
        if let upgradePolicy { body["upgrade_policy"] = policy(upgradePolicy) }
        if let rootVolumeSizeBytes { body["root_volume_size"] = .int(rootVolumeSizeBytes) }
        if let placementGroupID { body["placement_group_id"] = .string(placementGroupID) }
        return .map(body)
    }

    private static func policy(_ p: (maxUnavailable: Int64?, maxSurge: Int64?)) -> Value {
        .map(["max_unavailable": p.maxUnavailable.map(Value.int) ?? .null, "max_surge": p.maxSurge.map(Value.int) ?? .null])
    }

    /// The body of `PATCH /pools/{id}`: only the fields given.
    public static func updatePoolBody(autoscaling: Bool? = nil, size: Int64? = nil, minSize: Int64? = nil, maxSize: Int64? = nil,
                                      autohealing: Bool? = nil, tags: [String]? = nil, kubeletArgs: [String: String]? = nil,
                                      upgradePolicy: (maxUnavailable: Int64?, maxSurge: Int64?)? = nil) -> Value {
        var body: [String: Value] = [:]
        if let autoscaling { body["autoscaling"] = .bool(autoscaling) }
        if let size { body["size"] = .int(size) }
        if let minSize { body["min_size"] = .int(minSize) }
        if let maxSize { body["max_size"] = .int(maxSize) }
        if let autohealing { body["autohealing"] = .bool(autohealing) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let kubeletArgs { body["kubelet_args"] = .map(kubeletArgs.mapValues(Value.string)) }
        if let upgradePolicy { body["upgrade_policy"] = policy(upgradePolicy) }
        return .map(body)
    }

    /// Creates a pool (answers `scaling`). A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createPool(region: String, clusterID: String, body: Value) async throws -> K8sPool {
        try K8sPool(json: try await client.call("POST", "\(clusterPath(region, clusterID))/pools", body: body))
    }

    public func getPool(region: String, id: String) async throws -> K8sPool {
        try K8sPool(json: try await client.call("GET", poolPath(region, id)))
    }

    /// Every pool of a cluster, oldest first.
    public func listPools(region: String, clusterID: String, name: String? = nil) async throws -> [K8sPool] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        query.append(("status", "unknown"))
        return try await client.listAll("\(clusterPath(region, clusterID))/pools", itemsKey: "pools", query: query, style: .pageSize)
            .map { try K8sPool(json: $0) }
    }

    public func updatePool(region: String, id: String, body: Value) async throws -> K8sPool {
        try K8sPool(json: try await client.call("PATCH", poolPath(region, id), body: body))
    }

    /// Upgrades a pool's nodes to `version` (at most its cluster's). Safe to repeat.
    public func upgradePool(region: String, id: String, version: String) async throws -> K8sPool {
        try K8sPool(json: try await client.call("POST", "\(poolPath(region, id))/upgrade", body: .map(["version": .string(version)]), idempotent: true))
    }

    /// Starts the delete (answers the pool `deleting`; then 404).
    public func deletePool(region: String, id: String) async throws -> K8sPool {
        try K8sPool(json: try await client.call("DELETE", poolPath(region, id)))
    }

    // MARK: nodes

    /// The nodes of a cluster, or of one of its pools.
    public func listNodes(region: String, clusterID: String, poolID: String? = nil) async throws -> [K8sNode] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let poolID { query.append(("pool_id", poolID)) }
        query.append(("status", "unknown"))
        return try await client.listAll("\(clusterPath(region, clusterID))/nodes", itemsKey: "nodes", query: query, style: .pageSize)
            .map { try K8sNode(json: $0) }
    }
}

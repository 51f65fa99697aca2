// K8sModels: typed views of the Kapsule API's objects (versions, node types, clusters with
// their autoscaler and auto-upgrade settings, pools, nodes, kubeconfig), decoded with errors
// naming the missing or mistyped field.

import Foundation
import ScwCore

/// A Kubernetes version a region offers, with what clusters of it may use.
public struct K8sVersion: Sendable {
    public var name: String
    public var label: String
    public var availableCNIs: [String]
    public var availableContainerRuntimes: [String]
    public var availableFeatureGates: [String]
    public var availableAdmissionPlugins: [String]
    /// Kubelet argument → its type (`uint16`, `enum:none|static`...).
    public var availableKubeletArgs: [String: String]
    public var endOfLifeAt: String?

    public init(json: Value, what: String = "K8sVersion") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        label = try r.optionalString("label") ?? name
        availableCNIs = try r.strings("available_cnis")
        availableContainerRuntimes = try r.strings("available_container_runtimes")
        availableFeatureGates = try r.strings("available_feature_gates")
        availableAdmissionPlugins = try r.strings("available_admission_plugins")
        availableKubeletArgs = (r.fields["available_kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue)
        endOfLifeAt = try r.optionalString("end_of_life_at")
    }

    /// `1.34.6` → `1.34`.
    public var minor: String { K8sVersion.minor(of: name) }

    public static func minor(of version: String) -> String { version.split(separator: ".").prefix(2).joined(separator: ".") }

    /// The numbers of `1.34.6` (missing parts are 0), for ordering.
    public static func numbers(_ version: String) -> [Int] {
        var parts = version.split(separator: ".").map { Int($0) ?? 0 }
        while parts.count < 3 { parts.append(0) }
        return parts
    }
}

/// A node type Kapsule pools may use (`pro2_xxs`).
public struct K8sNodeType: Sendable {
    public var name: String
    public var stockStatus: String
    public var memory: Int64

    public init(json: Value, what: String = "K8sNodeType") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        stockStatus = try r.optionalString("stock_status") ?? "unknown"
        memory = try r.int("memory", default: 0)
    }
}

/// A Kapsule cluster.
public struct K8sCluster: Sendable {
    public var id: String
    public var name: String
    public var type: String
    public var status: String
    public var version: String
    public var cni: String
    public var region: String
    public var projectID: String
    public var organizationID: String?
    public var description: String
    public var tags: [String]
    public var clusterURL: String
    public var dnsWildcard: String
    public var privateNetworkID: String?
    public var upgradeAvailable: Bool
    public var featureGates: [String]
    public var admissionPlugins: [String]
    public var apiserverCertSANs: [String]
    /// The autoscaler settings as served (`scale_down_delay_after_add`, `estimator`...).
    public var autoscalerConfig: [String: Value]
    public var autoUpgradeEnabled: Bool
    public var maintenanceStartHour: Int64
    public var maintenanceDay: String
    /// The OpenID Connect settings as served (empty strings when unset).
    public var openIDConnectConfig: [String: Value]
    public var createdAt: String?

    public init(json: Value, what: String = "K8sCluster") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        type = try r.optionalString("type") ?? "kapsule"
        status = try r.string("status")
        version = try r.string("version")
        cni = try r.optionalString("cni") ?? ""
        region = try r.string("region")
        projectID = try r.string("project_id")
        organizationID = try r.optionalString("organization_id")
        description = try r.optionalString("description") ?? ""
        tags = try r.strings("tags")
        clusterURL = try r.optionalString("cluster_url") ?? ""
        dnsWildcard = try r.optionalString("dns_wildcard") ?? ""
        privateNetworkID = try r.optionalString("private_network_id")
        upgradeAvailable = try r.bool("upgrade_available", default: false)
        featureGates = try r.strings("feature_gates")
        admissionPlugins = try r.strings("admission_plugins")
        apiserverCertSANs = try r.strings("apiserver_cert_sans")
        autoscalerConfig = r.fields["autoscaler_config"]?.mapValue ?? [:]
        let upgrade = try FieldReader(r.fields["auto_upgrade"] ?? .map([:]), what: "\(what).auto_upgrade")
        autoUpgradeEnabled = try upgrade.bool("enabled", default: false)
        let window = try FieldReader(upgrade.fields["maintenance_window"] ?? .map([:]), what: "\(what).auto_upgrade.maintenance_window")
        maintenanceStartHour = try window.int("start_hour", default: 0)
        maintenanceDay = try window.optionalString("day") ?? "any"
        openIDConnectConfig = r.fields["open_id_connect_config"]?.mapValue ?? [:]
        createdAt = try r.optionalString("created_at")
    }
}

/// A pool of identical nodes in a cluster.
public struct K8sPool: Sendable {
    public var id: String
    public var clusterID: String
    public var name: String
    public var status: String
    public var version: String
    public var nodeType: String
    public var autoscaling: Bool
    public var size: Int64
    public var minSize: Int64
    public var maxSize: Int64
    public var containerRuntime: String
    public var autohealing: Bool
    public var tags: [String]
    public var placementGroupID: String?
    public var kubeletArgs: [String: String]
    public var maxUnavailable: Int64
    public var maxSurge: Int64
    public var zone: String
    public var rootVolumeType: String
    /// Bytes.
    public var rootVolumeSize: Int64?
    public var publicIPDisabled: Bool
    public var region: String
    public var securityGroupID: String?

    public init(json: Value, what: String = "K8sPool") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        clusterID = try r.string("cluster_id")
        name = try r.string("name")
        status = try r.string("status")
        version = try r.optionalString("version") ?? ""
        nodeType = try r.string("node_type")
        autoscaling = try r.bool("autoscaling", default: false)
        size = try r.int("size", default: 0)
        minSize = try r.int("min_size", default: 0)
        maxSize = try r.int("max_size", default: 0)
        containerRuntime = try r.optionalString("container_runtime") ?? "containerd"
        autohealing = try r.bool("autohealing", default: false)
        tags = try r.strings("tags")
        placementGroupID = try r.optionalString("placement_group_id")
        kubeletArgs = (r.fields["kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue)
        let policy = try FieldReader(r.fields["upgrade_policy"] ?? .map([:]), what: "\(what).upgrade_policy")
        maxUnavailable = try policy.int("max_unavailable", default: 1)
        maxSurge = try policy.int("max_surge", default: 0)
        zone = try r.string("zone")
        rootVolumeType = try r.optionalString("root_volume_type") ?? "default_volume_type"
        rootVolumeSize = try r.optionalInt("root_volume_size")
        publicIPDisabled = try r.bool("public_ip_disabled", default: false)
        region = try r.string("region")
        securityGroupID = try r.optionalString("security_group_id")
    }
}

/// A node of a pool.
public struct K8sNode: Sendable {
    public var id: String
    public var poolID: String
    public var name: String
    public var status: String
    public var publicIPv4: String?
    public var publicIPv6: String?
    public var providerID: String?
    public var errorMessage: String?

    public init(json: Value, what: String = "K8sNode") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        poolID = try r.string("pool_id")
        name = try r.string("name")
        status = try r.string("status")
        publicIPv4 = try r.optionalString("public_ip_v4")
        publicIPv6 = try r.optionalString("public_ip_v6")
        providerID = try r.optionalString("provider_id")
        errorMessage = try r.optionalString("error_message")
    }
}

/// A cluster's kubeconfig (`GET /clusters/{id}/kubeconfig`), decoded from base64. It holds the
/// cluster's admin token: callers keep it a secret.
public struct K8sKubeconfig: Sendable {
    public var yaml: String

    public init(json: Value, what: String = "K8sKubeconfig") throws {
        let r = try FieldReader(json, what: what)
        let content = try r.string("content")
        guard let data = Data(base64Encoded: content) else {
            throw DecodeError(what: what, field: "content", problem: "is not base64")
        }
        yaml = String(decoding: data, as: UTF8.self)
    }

    /// The value of the first `key: value` line (quotes removed), e.g. `server`, `token`,
    /// `certificate-authority-data`.
    public func field(_ key: String) -> String? {
        for line in yaml.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(key + ":") else { continue }
            var value = trimmed.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

// K8sCluster outputs (the kubeconfig as one secret table: config_file, host, token,
// cluster_ca_certificate) and what the cloud says of the declared props, for drift: the
// version in the form declared (a minor matches any of its patches), nested settings on the
// declared keys only.

import ScalewayAPI
import ScwCore
import ScwEngine

extension K8sClusterResource {
    func outputs(_ cluster: K8sCluster) async throws -> [String: Value] {
        let kubeconfig = try await api.getKubeconfig(region: cluster.region, id: cluster.id)
        return Self.outputs(cluster, kubeconfig: kubeconfig)
    }

    static func outputs(_ cluster: K8sCluster, kubeconfig: K8sKubeconfig) -> [String: Value] {
        let secret: Value = .secret(.map([
            "config_file": .string(kubeconfig.yaml),
            "host": .string(kubeconfig.field("server") ?? cluster.clusterURL),
            "token": .string(kubeconfig.field("token") ?? ""),
            "cluster_ca_certificate": .string(kubeconfig.field("certificate-authority-data") ?? ""),
        ]))
        return [
            "id": .string(K8sShared.id(region: cluster.region, uuid: cluster.id)),
            "name": .string(cluster.name),
            "apiserver_url": .string(cluster.clusterURL),
            "wildcard_dns": .string(cluster.dnsWildcard),
            "status": .string(cluster.status),
            "version": .string(cluster.version),
            "upgrade_available": .bool(cluster.upgradeAvailable),
            "kubeconfig": secret,
            "private_network_id": cluster.privateNetworkID.map { .string(K8sShared.id(region: cluster.region, uuid: $0)) } ?? .null,
            "type": .string(cluster.type),
            "cni": .string(cluster.cni),
            "region": .string(cluster.region),
            "project_id": .string(cluster.projectID),
            "organization_id": cluster.organizationID.map(Value.string) ?? .null,
            "created_at": cluster.createdAt.map(Value.string) ?? .null,
        ]
    }

    static func observed(_ cluster: K8sCluster, declared: [String: Value], versions: [K8sVersion]?) -> [String: Value] {
        var out: [String: Value] = [
            "name": .string(cluster.name),
            "type": .string(cluster.type),
            "version": .string(K8sShared.declaredForm(of: cluster.version, declared: declared["version"]?.stringValue, versions: versions)),
            "cni": .string(cluster.cni),
            "description": .string(cluster.description),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(cluster.tags)),
            "feature_gates": .list(cluster.featureGates.map(Value.string)),
            "admission_plugins": .list(cluster.admissionPlugins.map(Value.string)),
            "apiserver_cert_sans": .list(cluster.apiserverCertSANs.map(Value.string)),
            "region": .string(cluster.region),
            "project_id": .string(cluster.projectID),
        ]
        if let pn = cluster.privateNetworkID {
            let declaredPN = declared["private_network_id"]?.stringValue
            out["private_network_id"] = .string(declaredPN.flatMap { LocalizedID(parsing: $0, defaultLocality: cluster.region)?.uuid == pn ? $0 : nil }
                                                ?? K8sShared.id(region: cluster.region, uuid: pn))
        }
        if let wanted = declared["auto_upgrade"]?.mapValue {
            var have: [String: Value] = [
                "enable": .bool(cluster.autoUpgradeEnabled), "maintenance_window_start_hour": .int(cluster.maintenanceStartHour),
                "maintenance_window_day": .string(cluster.maintenanceDay),
            ]
            for key in have.keys where wanted[key] == nil { have.removeValue(forKey: key) }
            out["auto_upgrade"] = .map(have)
        }
        if let wanted = declared["autoscaler_config"]?.mapValue {
            var have: [String: Value] = [:]
            for (tf, apiName) in autoscalerNames where wanted[tf] != nil {
                let served = cluster.autoscalerConfig[apiName] ?? .null
                have[tf] = same(served, wanted[tf]!) ? wanted[tf]! : served
            }
            out["autoscaler_config"] = .map(have)
        }
        if let wanted = declared["open_id_connect_config"]?.mapValue {
            var have: [String: Value] = [:]
            for key in wanted.keys { have[key] = cluster.openIDConnectConfig[key] ?? .null }
            out["open_id_connect_config"] = .map(have)
        }
        if let flag = declared["delete_additional_resources"] { out["delete_additional_resources"] = flag }   // not kept by the API
        return out
    }
}

// K8sPool outputs (its nodes with their public and private addresses, the private one from
// IPAM as the provider reads it) and what the cloud says of the declared props, for drift: the
// node type in the spelling declared, the size as declared while the autoscaler owns it.

import ScalewayAPI
import ScwCore
import ScwEngine

extension K8sPoolResource {
    func outputs(_ pool: K8sPool) async throws -> [String: Value] {
        let nodes = try await api.listNodes(region: pool.region, clusterID: pool.clusterID, poolID: pool.id)
        var listed: [Value] = []
        for node in nodes {
            let ips = try await IPAMAPI(client: env.client).listIPs(region: pool.region, resourceName: node.name)
            let v4 = ips.first { !$0.isIPv6 }?.address.split(separator: "/").first.map(String.init)
            listed.append(.map([
                "name": .string(node.name), "status": .string(node.status),
                "public_ip": node.publicIPv4.map(Value.string) ?? .null, "private_ip": v4.map(Value.string) ?? .null,
            ]))
        }
        return [
            "id": .string(K8sShared.id(region: pool.region, uuid: pool.id)),
            "name": .string(pool.name),
            "status": .string(pool.status),
            "version": .string(pool.version),
            "current_size": .int(Int64(nodes.count)),
            "nodes": .list(listed),
            "cluster_id": .string(K8sShared.id(region: pool.region, uuid: pool.clusterID)),
            "zone": .string(pool.zone),
            "region": .string(pool.region),
        ]
    }

    static func observed(_ pool: K8sPool, declared: [String: Value]) -> [String: Value] {
        let declaredType = declared["node_type"]?.stringValue
        var out: [String: Value] = [
            "name": .string(pool.name),
            "node_type": .string(declaredType.flatMap { K8sShared.apiNodeType($0) == K8sShared.apiNodeType(pool.nodeType) ? $0 : nil } ?? pool.nodeType),
            "autoscaling": .bool(pool.autoscaling),
            "autohealing": .bool(pool.autohealing),
            "container_runtime": .string(pool.containerRuntime),
            "kubelet_args": .map(pool.kubeletArgs.mapValues(Value.string)),
            "public_ip_disabled": .bool(pool.publicIPDisabled),
            "zone": .string(pool.zone),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(pool.tags)),
            "region": .string(pool.region),
        ]
        // While the autoscaler owns the size, the declared one stands (as Terraform does).
        out["size"] = pool.autoscaling ? (declared["size"] ?? .int(pool.size)) : .int(pool.size)
        if pool.autoscaling {
            if declared["min_size"]?.intValue != nil { out["min_size"] = .int(pool.minSize) }
            if declared["max_size"]?.intValue != nil { out["max_size"] = .int(pool.maxSize) }
        }
        if let text = declared["cluster_id"]?.stringValue {
            out["cluster_id"] = LocalizedID(parsing: text, defaultLocality: pool.region)?.uuid == pool.clusterID ? .string(text)
                : .string(K8sShared.id(region: pool.region, uuid: pool.clusterID))
        }
        if let wanted = declared["upgrade_policy"]?.mapValue {
            var have: [String: Value] = [:]
            if wanted["max_surge"] != nil { have["max_surge"] = .int(pool.maxSurge) }
            if wanted["max_unavailable"] != nil { have["max_unavailable"] = .int(pool.maxUnavailable) }
            out["upgrade_policy"] = .map(have)
        }
        if let declaredType = declared["root_volume_type"]?.stringValue {
            out["root_volume_type"] = declaredType == "default_volume_type" || declaredType == pool.rootVolumeType ? .string(declaredType) : .string(pool.rootVolumeType)
        }
        if declared["root_volume_size_in_gb"]?.intValue != nil, let bytes = pool.rootVolumeSize { out["root_volume_size_in_gb"] = .int(bytes / 1_000_000_000) }
        if declared["placement_group_id"]?.stringValue != nil { out["placement_group_id"] = pool.placementGroupID.map(Value.string) ?? .null }
        if let wait = declared["wait_for_pool_ready"] { out["wait_for_pool_ready"] = wait }   // not kept by the API
        return out
    }
}

// Kapsule nodes: kept inside their pool's record (meta `nodes`), they appear one at a time as a
// pool grows (`creating`, then `ready`), go as it shrinks, and each holds addresses on the
// cluster's private network booked in IPAM under the node's name (as the real nodes' NICs do).

import Foundation

enum K8sNodes {
    static func nodes(_ pool: Record) -> [JSONValue] { pool.meta["nodes"]?.arrayValue ?? [] }

    /// Adds or removes nodes (newest go first) until the pool has `count`; nodes already
    /// there that were still booting are ready now.
    static func resize(_ pool: inout Record, to count: Int, in state: inout CloudState) {
        var list = nodes(pool).map { node -> JSONValue in
            guard node["status"]?.stringValue == K8sStatus.creating else { return node }
            return ready(node)
        }
        while list.count > count, let last = list.popLast() {
            IPAMService.release(nicID: nicID(last), in: &state)
        }
        while list.count < count {
            list.append(make(pool: pool, in: &state))
        }
        pool.meta["nodes"] = .array(list)
    }

    /// Every node of the pool in `status` (conditions follow).
    static func markAll(_ pool: inout Record, status: String) {
        pool.meta["nodes"] = .array(nodes(pool).map { status == K8sStatus.ready ? ready($0) : with($0, status: status) })
    }

    /// Frees the addresses of every node of the pool.
    static func releaseAll(_ pool: Record, in state: inout CloudState) {
        for node in nodes(pool) { IPAMService.release(nicID: nicID(node), in: &state) }
    }

    /// The node as served (its NIC id is the emulator's own business).
    static func render(_ node: JSONValue) -> JSONValue {
        guard var fields = node.objectValue else { return node }
        fields.removeValue(forKey: "_nic_id")
        return .object(fields)
    }

    private static func nicID(_ node: JSONValue) -> String { node["_nic_id"]?.stringValue ?? "" }

    private static func with(_ node: JSONValue, status: String) -> JSONValue {
        guard var fields = node.objectValue else { return node }
        fields["status"] = .string(status)
        fields["updated_at"] = .string(Clock.timestamp())
        return .object(fields)
    }

    private static func ready(_ node: JSONValue) -> JSONValue {
        guard var fields = with(node, status: K8sStatus.ready).objectValue else { return node }
        fields["conditions"] = .object(["DiskPressure": .string("False"), "MemoryPressure": .string("False"),
                                        "PIDPressure": .string("False"), "Ready": .string("True")])
        return .object(fields)
    }

    /// `scw-<cluster>-<pool>-<id prefix>` as the API names them (names cut to 17 characters).
    private static func make(pool: Record, in state: inout CloudState) -> JSONValue {
        let clusterID = pool.body["cluster_id"]?.stringValue ?? ""
        let cluster = state.get(K8sService.clusterKind, clusterID)
        let id = Clock.uuid()
        let name = "scw-\(String((cluster?.name ?? "cluster").prefix(17)))-\(String(pool.name.prefix(17)))-\(id.prefix(6))"
        let zone = pool.zone ?? "fr-par-1"
        let nicID = Clock.uuid()
        if let pnID = cluster?.body["private_network_id"]?.stringValue, let pn = state.get(VPCService.privateNetworkKind, pnID) {
            let mac = "02:00:00:" + (0..<3).map { _ in String(format: "%02X", Int.random(in: 0...255)) }.joined(separator: ":")
            _ = IPAMService.allocate(nicID: nicID, macAddress: mac, serverName: name, project: cluster?.projectID ?? "", network: pn, in: &state)
        }
        let publicIP = pool.body["public_ip_disabled"]?.boolValue == true ? JSONValue.null
            : .string("51.158.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))")
        let now = Clock.timestamp()
        return .object([
            "region": .string(pool.region), "id": .string(id), "cluster_id": .string(clusterID), "created_at": .string(now),
            "updated_at": .string(now), "pool_id": .string(pool.id), "status": .string(K8sStatus.creating), "conditions": .object([:]),
            "name": .string(name), "public_ip_v4": publicIP, "public_ip_v6": .null,
            "provider_id": .string("scaleway://instance/\(zone)/\(Clock.uuid())"), "error_message": .string(""),
            "_nic_id": .string(nicID),
        ])
    }
}

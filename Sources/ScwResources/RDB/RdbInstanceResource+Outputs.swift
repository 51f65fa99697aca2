// RdbInstance outputs (endpoints, certificate, versions...) and what the cloud says of the
// declared props, for drift: settings are compared on the declared keys only (the engine
// reports many more), the private network as declared when it is the same network.

import ScalewayAPI
import ScwCore
import ScwEngine

extension RdbInstanceResource {
    func outputs(_ instance: RDBInstance) async throws -> [String: Value] {
        let certificate = try await api.getCertificate(region: instance.region, id: instance.id)
        return Self.outputs(instance, certificatePEM: certificate.pem)
    }

    static func outputs(_ instance: RDBInstance, certificatePEM: String) -> [String: Value] {
        let pub = instance.publicEndpoint
        let priv = instance.privateEndpoint
        return [
            "id": .string(LocalizedID(locality: instance.region, uuid: instance.id).description),
            "name": .string(instance.name),
            "status": .string(instance.status),
            "engine": .string(instance.engine),
            "node_type": .string(instance.nodeType),
            "endpoint_ip": pub?.ip.map(Value.string) ?? .null,
            "endpoint_port": pub?.port.map(Value.int) ?? .null,
            "private_ip": priv?.ip.map(Value.string) ?? .null,
            "private_port": priv?.port.map(Value.int) ?? .null,
            "certificate": .secret(.string(certificatePEM)),
            "read_replicas": .list(instance.readReplicas),
            "upgradable_versions": .list(instance.upgradableVersions.map(Value.string)),
            "volume_type": .string(instance.volumeType),
            "volume_size_in_gb": .int(instance.volumeSize / RdbShared.gb),
            "settings": .map(Dictionary(instance.settings.map { ($0.name, Value.string($0.value)) }, uniquingKeysWith: { a, _ in a })),
            "region": .string(instance.region),
            "project_id": .string(instance.projectID),
            "organization_id": instance.organizationID.map(Value.string) ?? .null,
            "created_at": instance.createdAt.map(Value.string) ?? .null,
        ]
    }

    static func observed(_ instance: RDBInstance, declared: [String: Value]) -> [String: Value] {
        let have = Dictionary(instance.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let declaredSettings = declared["settings"]?.mapValue ?? [:]
        var settings: [String: Value] = [:]
        for key in declaredSettings.keys { settings[key] = have[key].map(Value.string) ?? .null }
        var out: [String: Value] = [
            "name": .string(instance.name),
            "engine": declared["engine"]?.stringValue.flatMap { $0.lowercased() == instance.engine.lowercased() ? .string($0) : nil }
                ?? .string(instance.engine),
            "node_type": .string(instance.nodeType.lowercased()),
            "is_ha_cluster": .bool(instance.isHACluster),
            "disable_backup": .bool(instance.backupDisabled),
            "backup_same_region": .bool(instance.backupSameRegion),
            "volume_type": .string(instance.volumeType),
            "settings": .map(settings),
            "encryption_at_rest": .bool(instance.encryptionEnabled),
            "load_balancer": .bool(instance.publicEndpoint != nil),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(instance.tags).filter { $0 != pendingTag }),
            "region": .string(instance.region),
            "project_id": .string(instance.projectID),
        ]
        if instance.volumeType != "lssd" { out["volume_size_in_gb"] = .int(instance.volumeSize / RdbShared.gb) }
        if declared["backup_schedule_frequency"]?.intValue != nil, let f = instance.backupFrequency { out["backup_schedule_frequency"] = .int(f) }
        if declared["backup_schedule_retention"]?.intValue != nil, let r = instance.backupRetention { out["backup_schedule_retention"] = .int(r) }
        if let endpoint = instance.privateEndpoint, let pn = endpoint.privateNetworkID {
            let declaredPN = declared["private_network"]
            let declaredID = declaredPN?["pn_id"]?.stringValue
            var value: [String: Value] = [
                "pn_id": .string(declaredID.flatMap { LocalizedID(parsing: $0, defaultLocality: instance.region)?.uuid == pn ? $0 : nil }
                                 ?? LocalizedID(locality: instance.region, uuid: pn).description),
            ]
            if endpoint.provisioningMode == "static" {
                value["ip_net"] = endpoint.serviceIP.map(Value.string) ?? .null
            } else if declaredPN?["enable_ipam"] != nil {
                value["enable_ipam"] = .bool(true)
            }
            if declaredPN?["enable_ipam"]?.boolValue == false, endpoint.provisioningMode != "static" { value["enable_ipam"] = .bool(true) }
            out["private_network"] = .map(value)
        } else {
            out["private_network"] = .null
        }
        return out
    }
}

// Instance outputs (what scripts read: IPs, private IPs from IPAM, NICs, volumes, state) and the
// observed props (how the cloud has what the script declared, for drift). Ids the script gave are
// echoed as given when they match, so `zone/uuid` and bare UUIDs do not read as changes.

import ScalewayAPI
import ScwCore
import ScwEngine

extension InstanceServerResource {
    /// Outputs of a server, reading its root volume size and its private NICs' IPAM addresses.
    func outputs(_ server: InstanceServer) async throws -> [String: Value] {
        Self.outputs(server, rootSizeGB: try await rootVolumeSize(server), privateIPs: try await privateIPs(server))
    }

    /// The IPAM addresses of every private NIC (none asked for when the server has no NIC).
    func privateIPs(_ server: InstanceServer) async throws -> [IPAMIP] {
        let region = Locality.region(ofZone: server.zone) ?? server.zone
        var ips: [IPAMIP] = []
        for nic in server.privateNICs {
            ips += try await ipam.listIPs(region: region, resourceID: nic.id, resourceType: "instance_private_nic")
        }
        return ips
    }

    /// `private_ips` (`{ id, address }` without the prefix length, IPv4 first, NIC order kept)
    /// and `private_ip` (the first IPv4).
    static func privateIPOutputs(_ ips: [IPAMIP]) -> (first: Value, all: Value) {
        let ordered = ips.filter { !$0.isIPv6 } + ips.filter(\.isIPv6)
        let first = ordered.first { !$0.isIPv6 }.map { Value.string($0.host) } ?? .null
        return (first, .list(ordered.map { .map(["id": .string($0.id), "address": .string($0.host)]) }))
    }

    static func outputs(_ s: InstanceServer, rootSizeGB: Int64?, privateIPs: [IPAMIP] = []) -> [String: Value] {
        let privateAddresses = privateIPOutputs(privateIPs)
        let region = Locality.region(ofZone: s.zone) ?? s.zone
        let publicIPs: [Value] = s.publicIPs.map { ip in
            .map(["id": .string(ip.id), "address": ip.address.map(Value.string) ?? .null, "family": ip.family.map(Value.string) ?? .null])
        }
        let v4 = s.publicIPs.first { $0.family == "inet" || ($0.family == nil && $0.address?.contains(":") == false) }?.address
        let nics: [Value] = s.privateNICs.map { nic in
            .map(["id": .string(nic.id), "private_network_id": .string(LocalizedID(locality: region, uuid: nic.privateNetworkID).description),
                  "mac_address": nic.macAddress.map(Value.string) ?? .null])
        }
        let root: Value = s.rootVolume.map { v in
            .map(["volume_id": .string(InstanceShared.zonalID(s.zone, v.id)), "volume_type": .string(v.volumeType),
                  "size": rootSizeGB.map(Value.int) ?? .null])
        } ?? .null
        let volumes: [Value] = s.volumes.map { v in
            .map(["id": .string(InstanceShared.zonalID(s.zone, v.id)), "volume_type": .string(v.volumeType), "boot": .bool(v.boot)])
        }
        return [
            "id": .string(InstanceShared.zonalID(s.zone, s.id)),
            "name": .string(s.name),
            "type": .string(s.commercialType),
            "image_id": s.imageID.map(Value.string) ?? .null,
            "state": .string(scriptState(s.state)),
            "hostname": s.hostname.map(Value.string) ?? .null,
            "arch": s.arch.map(Value.string) ?? .null,
            "public_ip": v4.map(Value.string) ?? .null,
            "public_ips": .list(publicIPs),
            "private_ip": privateAddresses.first,
            "private_ips": privateAddresses.all,
            "private_nics": .list(nics),
            "security_group_id": s.securityGroup.map { .string(InstanceShared.zonalID(s.zone, $0.id)) } ?? .null,
            "root_volume": root,
            "volumes": .list(volumes),
            "zone": .string(s.zone),
            "project_id": .string(s.projectID),
            "organization_id": s.organizationID.map(Value.string) ?? .null,
            "created_at": s.creationDate.map(Value.string) ?? .null,
        ]
    }

    /// How the cloud has the declared props. `userData` is nil when it was not read.
    static func observed(_ s: InstanceServer, rootSizeGB: Int64?, userData: [String: Value]?, declared: [String: Value]) -> [String: Value] {
        let region = Locality.region(ofZone: s.zone) ?? s.zone
        var out: [String: Value] = [
            "name": .string(s.name),
            "type": .string(s.commercialType),
            "zone": .string(s.zone),
            "project_id": .string(s.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(s.tags)),
            "dynamic_ip": .bool(s.dynamicIPRequired),
            "state": .string(scriptState(s.state)),
            "protected": .bool(s.protected),
        ]
        if let boot = s.bootType { out["boot_type"] = .string(boot) }
        if let image = declared["image"]?.stringValue, isImageID(image), let actual = s.imageID {
            out["image"] = .string(InstanceShared.uuid(image) == actual ? image : actual)
        }
        if declared["security_group_id"]?.stringValue != nil {
            out["security_group_id"] = echo(declared["security_group_id"], actual: s.securityGroup.map { [$0.id] } ?? [], locality: s.zone).first ?? .null
        }
        if declared["placement_group_id"]?.stringValue != nil {
            out["placement_group_id"] = echo(declared["placement_group_id"], actual: s.placementGroup.map { [$0.id] } ?? [], locality: s.zone).first ?? .null
        }
        let flexible = s.publicIPs.filter { !$0.dynamic }.map(\.id)
        var rest = flexible
        if let ipText = declared["ip_id"]?.stringValue {
            let uuid = InstanceShared.uuid(ipText)
            out["ip_id"] = flexible.contains(uuid) ? .string(ipText) : .null
            rest.removeAll { $0 == uuid }
        }
        if declared["ips"] != nil || !rest.isEmpty { out["ips"] = .list(echo(declared["ips"], actual: rest, locality: s.zone)) }
        if declared["additional_volumes"] != nil {
            out["additional_volumes"] = .list(echo(declared["additional_volumes"], actual: s.volumes.filter { $0.index != "0" }.map(\.id), locality: s.zone, ordered: true))
        }
        if declared["private_networks"] != nil {
            out["private_networks"] = .list(echo(declared["private_networks"], actual: s.privateNICs.map(\.privateNetworkID), locality: region))
        }
        if let userData { out["user_data"] = .map(userData) }
        var root: [String: Value] = ["delete_on_termination": declared["root_volume"]?["delete_on_termination"] ?? .bool(true)]
        root["volume_type"] = s.rootVolume.map { .string($0.volumeType) } ?? declared["root_volume"]?["volume_type"]
        if declared["root_volume"]?["size"] != nil { root["size"] = rootSizeGB.map(Value.int) ?? declared["root_volume"]?["size"] }
        out["root_volume"] = .map(root)
        return out
    }

    /// The actual ids, written as the script wrote them where they match (declared order
    /// first, unless `ordered`), then the others as `<locality>/<uuid>`.
    static func echo(_ declared: Value?, actual: [String], locality: String, ordered: Bool = false) -> [Value] {
        let texts = InstanceShared.idTexts(declared)
        let byUUID = Dictionary(texts.map { (InstanceShared.uuid($0), $0) }, uniquingKeysWith: { a, _ in a })
        let spelled = { (uuid: String) -> Value in .string(byUUID[uuid] ?? LocalizedID(locality: locality, uuid: uuid).description) }
        if ordered { return actual.map(spelled) }
        let actualSet = Set(actual)
        let matched = texts.map(InstanceShared.uuid).filter(actualSet.contains)
        return (matched + actual.filter { !matched.contains($0) }).map(spelled)
    }
}

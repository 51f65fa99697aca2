// LoadBalancer: a load balancer (LB API, zonal), like `scaleway_lb`. The type is checked against
// the zone's LB types before any write and changed in place by migrate; waits cover the LB and
// its instances; private networks are in +Networks.swift. A create is tagged pending until its
// networks are attached, so a crash mid-way is resumed by the next run rather than adopted half-made.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct LoadBalancerResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let privateNetworkFields: [PropSpec] = [
        PropSpec("private_network_id", .resourceID(types: ["VpcPrivateNetwork"]), required: true,
                 doc: "The private network (`private_network = handle` also works)."),
        PropSpec("ipam", .bool, doc: "Address from IPAM (the network's DHCP/IPAM pool)."),
        PropSpec("dhcp_config", .bool, doc: "Address by DHCP (the default when no other config is given)."),
        PropSpec("static_config", .list(.string), doc: "Fixed addresses in the network."),
    ]

    public static let schema = ResourceSchema(
        typeName: "LoadBalancer",
        doc: "A load balancer with its flexible IPs and private networks; serve traffic with LbBackend and LbFrontend.",
        locality: .zonal,
        props: [
            CommonProps.name(),
            PropSpec("type", .string, required: true,
                     doc: "Commercial type, e.g. `LB-S`, `LB-GP-M` (checked against the zone's types). Changed in place by a migration."),
            PropSpec("ip_ids", .list(.resourceID(types: ["LbIp"])), change: .replace,
                     doc: "LbIp handles or ids (at most one IPv4 and one IPv6). Without them a flexible IPv4 is assigned."),
            PropSpec("assign_flexible_ip", .bool, change: .replace, doc: "Assign a new flexible IPv4 (default: when `ip_ids` is empty)."),
            PropSpec("assign_flexible_ipv6", .bool, change: .replace, default: .bool(false), doc: "Also assign a new flexible IPv6."),
            PropSpec("description", .string, default: .string(""), doc: "Free text."),
            PropSpec("ssl_compatibility_level", .string, default: .string("ssl_compatibility_level_intermediate"),
                     allowed: LBAPIValues.sslLevels, doc: "TLS ciphers offered to clients."),
            PropSpec("private_networks", .list(.object(privateNetworkFields)),
                     doc: "Private networks to attach: `{ private_network = pn, ipam = true }`, `{ ..., static_config = { \"10.0.0.5\" } }` or DHCP (default)."),
            CommonProps.zone,
            CommonProps.projectID,
            CommonProps.tags,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("type", .string, doc: "As the API spells it (`lb-s`)."),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("ip_address", .string, doc: "The first IPv4 address."),
            OutputSpec("ipv6_address", .string, doc: "The first IPv6 address, if any."),
            OutputSpec("ip_ids", .list(.string), doc: "Every flexible IP (`<zone>/<uuid>`)."),
            OutputSpec("private_ips", .list(.map(.string)), doc: "One per private network address: `{ private_network_id, address }`."),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
        ])

    var api: LBAPI { LBAPI(client: env.client) }

    // MARK: normalize and validate

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        try InstanceShared.normalizeZone(&out, env: env, context: context, zonalRefs: ["ip_ids"])
        if let type = out["type"]?.stringValue { out["type"] = .string(type.uppercased()) }
        for (key, value) in [("description", Value.string("")), ("ssl_compatibility_level", .string("ssl_compatibility_level_intermediate")),
                             ("assign_flexible_ipv6", .bool(false)), ("ip_ids", .list([]))] where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        out["private_networks"] = try Self.normalizeNetworks(out["private_networks"], zone: out["zone"]?.stringValue, context: context)
        let ips = InstanceShared.idTexts(out["ip_ids"]).map(InstanceShared.uuid)
        if Set(ips).count != ips.count { throw Diagnostic("ip_ids: the same IP is given twice", at: .resource(context.address)) }
        return out
    }

    /// The type against the zone's LB types, before any write.
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        guard let zone = inputs["zone"]?.stringValue, let type = inputs["type"]?.stringValue else { return }
        try await checkType(type, zone: zone, context: context)
    }

    func checkType(_ type: String, zone: String, context: ProviderContext) async throws {
        let types = try await LbTypeCatalogue.shared.types(zone: zone, api: api)
        guard types.contains(where: { $0.name.caseInsensitiveCompare(type) == .orderedSame }) else {
            let names = types.map(\.name)
            let hint = Suggest.closest(to: type, in: names).map { "did you mean '\($0)'?" } ?? "types in \(zone): \(names.joined(separator: ", "))"
            throw Diagnostic("type: unknown load balancer type '\(type)' in \(zone)", at: .resource(context.address), hint: hint)
        }
    }

    // MARK: create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        let type = try i.requireString("type")
        try await checkType(type, zone: zone, context: context)
        let timeout = LbShared.timeout(context.timeouts.create)
        let userTags = i.strings("tags") ?? []
        let lb: LoadBalancer
        if let pending = try await api.listLBs(zone: zone, tags: [OwnershipTags.urnTag(context), InstanceShared.pendingTag])
            .first(where: { OwnershipTags.owned($0.tags, by: context) && $0.tags.contains(InstanceShared.pendingTag) && $0.status != "to_delete" }) {
            context.phase("resuming the load balancer an interrupted create made")
            lb = pending
        } else {
            let ips = InstanceShared.idTexts(inputs["ip_ids"]).map(InstanceShared.uuid)
            let body = LBAPI.createLBBody(
                projectID: try i.requireString("project_id"), name: try i.requireString("name"), description: i.string("description") ?? "",
                ipID: nil, ipIDs: ips, tags: OwnershipTags.withOwnership(userTags, context: context) + [InstanceShared.pendingTag],
                type: type, sslCompatibilityLevel: i.string("ssl_compatibility_level") ?? "ssl_compatibility_level_intermediate",
                assignFlexibleIP: i.bool("assign_flexible_ip") ?? (ips.isEmpty ? true : nil),
                assignFlexibleIPv6: i.bool("assign_flexible_ipv6") == true ? true : nil)
            context.phase("creating")
            lb = try await CreateCall.run { try await api.createLB(zone: zone, body: body) }
        }
        // From here the LB exists, tagged pending: `find` skips it, a rerun's create resumes it.
        try await LbShared.waitSettled(api, zone: zone, id: lb.id, timeout: timeout, interval: env.pollInterval, context: context)
        try await syncNetworks(zone: zone, lbID: lb.id, wanted: Self.networks(inputs["private_networks"]), timeout: timeout, context: context)
        context.phase("finishing")
        let done = try await api.updateLB(zone: zone, id: lb.id, body: LBAPI.updateLBBody(
            name: try i.requireString("name"), description: i.string("description") ?? "",
            tags: OwnershipTags.withOwnership(userTags, context: context),
            sslCompatibilityLevel: i.string("ssl_compatibility_level") ?? "ssl_compatibility_level_intermediate"))
        let settled = try await LbShared.waitSettled(api, zone: zone, id: done.id, timeout: timeout, interval: env.pollInterval, context: context)
        return CreateResult(id: LbShared.zonalID(zone, lb.id), outputs: try await outputs(settled))
    }

    // MARK: read

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let lb: LoadBalancer
        do {
            lb = try await api.getLB(zone: lid.locality, id: lid.uuid)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
        if lb.status == "to_delete" { return nil }
        let attachments = try await api.listPrivateNetworks(zone: lid.locality, lbID: lid.uuid)
        var observed: [String: Value] = [
            "name": .string(lb.name), "description": .string(lb.description), "zone": .string(lb.zone), "project_id": .string(lb.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(lb.tags)), "ssl_compatibility_level": .string(lb.sslCompatibilityLevel),
            "private_networks": Self.observedNetworks(attachments, declared: inputs["private_networks"], region: Locality.region(ofZone: lb.zone) ?? lb.zone),
        ]
        if lb.status != "migrating" { observed["type"] = .string(lb.type.uppercased()) }
        return ReadResult(outputs: try await outputs(lb, attachments: attachments), observed: observed, ownerStack: OwnershipTags.stack(of: lb.tags))
    }

    // MARK: update

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let zone = lid.locality
        let i = Inputs(new, context.address)
        let timeout = LbShared.timeout(context.timeouts.update)
        var lb = try await LbShared.waitSettled(api, zone: zone, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        if let type = i.string("type"), type.caseInsensitiveCompare(lb.type) != .orderedSame {
            try await checkType(type, zone: zone, context: context)
            context.phase("migrating to \(type)")
            _ = try await api.migrateLB(zone: zone, id: lid.uuid, type: type)
            lb = try await LbShared.waitSettled(api, zone: zone, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        }
        let fields = ["name", "description", "tags", "ssl_compatibility_level"]
        if fields.contains(where: { old[$0] != new[$0] }) {
            _ = try await api.updateLB(zone: zone, id: lid.uuid, body: LBAPI.updateLBBody(
                name: try i.requireString("name"), description: i.string("description") ?? "",
                tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context),
                sslCompatibilityLevel: i.string("ssl_compatibility_level") ?? "ssl_compatibility_level_intermediate"))
            lb = try await LbShared.waitSettled(api, zone: zone, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        }
        if old["private_networks"] != new["private_networks"] {
            try await syncNetworks(zone: zone, lbID: lid.uuid, wanted: Self.networks(new["private_networks"]), timeout: timeout, context: context)
            lb = try await api.getLB(zone: zone, id: lid.uuid)
        }
        return try await outputs(lb)
    }

    // MARK: delete

    /// Waits for the LB, detaches its private networks, deletes it keeping the flexible IPs of
    /// `ip_ids` (`release_ip=false`: LbIp resources own them; an IP the API assigned is
    /// released with it), and waits until it is gone.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let zone = lid.locality
        let timeout = LbShared.timeout(context.timeouts.delete)
        do {
            let lb = try await api.getLB(zone: zone, id: lid.uuid)
            if lb.status != "to_delete" {
                try await LbShared.waitSettled(api, zone: zone, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
                try await syncNetworks(zone: zone, lbID: lid.uuid, wanted: [], timeout: timeout, context: context)
                context.phase("deleting")
                // IPs of `ip_ids` belong to LbIp resources and stay; one the API assigned goes with the LB.
                try await api.deleteLB(zone: zone, id: lid.uuid, releaseIP: InstanceShared.idTexts(inputs["ip_ids"]).isEmpty)
            }
            try await LbShared.waitGone(api, zone: zone, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    // MARK: find

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        var out: [CreateResult] = []
        for lb in try await api.listLBs(zone: zone, tags: [OwnershipTags.urnTag(context)])
        where OwnershipTags.owned(lb.tags, by: context) && !lb.tags.contains(InstanceShared.pendingTag) && lb.status != "to_delete" {
            out.append(CreateResult(id: LbShared.zonalID(zone, lb.id), outputs: try await outputs(lb)))
        }
        return out
    }

    // MARK: outputs

    func outputs(_ lb: LoadBalancer, attachments: [LbPrivateNetwork]? = nil) async throws -> [String: Value] {
        let region = Locality.region(ofZone: lb.zone) ?? lb.zone
        let networks: [LbPrivateNetwork]
        if let attachments { networks = attachments } else { networks = try await api.listPrivateNetworks(zone: lb.zone, lbID: lb.id) }
        var privateIPs: [Value] = []
        let ipam = IPAMAPI(client: env.client)
        for network in networks {
            let pn = Value.string(LocalizedID(locality: region, uuid: network.privateNetworkID).description)
            for address in network.staticAddresses { privateIPs.append(.map(["private_network_id": pn, "address": .string(address)])) }
            for ipamID in network.ipamIDs {
                guard let ip = try? await ipam.getIP(region: region, id: ipamID), !ip.isIPv6 else { continue }
                privateIPs.append(.map(["private_network_id": pn, "address": .string(ip.host)]))
            }
        }
        return [
            "id": .string(LbShared.zonalID(lb.zone, lb.id)),
            "name": .string(lb.name),
            "type": .string(lb.type),
            "status": .string(lb.status),
            "ip_address": lb.ips.first { !$0.isIPv6 }.map { .string($0.ipAddress) } ?? .null,
            "ipv6_address": lb.ips.first { $0.isIPv6 }.map { .string($0.ipAddress) } ?? .null,
            "ip_ids": .list(lb.ips.map { .string(LbShared.zonalID(lb.zone, $0.id)) }),
            "private_ips": .list(privateIPs),
            "zone": .string(lb.zone),
            "project_id": .string(lb.projectID),
        ]
    }
}

/// Enumerations of the LB API used in schemas.
enum LBAPIValues {
    static let sslLevels = ["ssl_compatibility_level_intermediate", "ssl_compatibility_level_modern", "ssl_compatibility_level_old"]
}

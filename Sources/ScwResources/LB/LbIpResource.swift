// LbIp: a load balancer flexible IP (LB API, zonal), like `scaleway_lb_ip`. Given to a
// LoadBalancer through its `ip_ids`; deleted after the LB that used it (the LB is deleted with
// `release_ip=false`), retrying while the LB is still going away.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct LbIpResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "LbIp",
        doc: "A flexible public IP for load balancers (IPv4, or IPv6 with `is_ipv6`); give it to a LoadBalancer with `ip_ids`.",
        locality: .zonal,
        props: [
            CommonProps.zone,
            CommonProps.projectID,
            PropSpec("is_ipv6", .bool, change: .replace, default: .bool(false), doc: "An IPv6 address instead of an IPv4 one."),
            PropSpec("reverse", .string, doc: "Reverse DNS name; defaults to `a-b-c-d.lb.<region>.scw.cloud`."),
            CommonProps.tags,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("ip_address", .string),
            OutputSpec("lb_id", .string, doc: "The load balancer using it (`<zone>/<uuid>`), if any."),
            OutputSpec("reverse", .string),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
        ])

    var api: LBAPI { LBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        out["name"] = nil   // LB IPs have no name
        try InstanceShared.normalizeZone(&out, env: env, context: context)
        if out["is_ipv6"] == nil || out["is_ipv6"] == .null { out["is_ipv6"] = .bool(false) }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        let ip = try await CreateCall.run {
            try await api.createIP(zone: zone, projectID: i.string("project_id"), isIPv6: i.bool("is_ipv6") ?? false,
                                   tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context), reverse: i.string("reverse"))
        }
        return CreateResult(id: LbShared.zonalID(zone, ip.id), outputs: Self.outputs(ip))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let ip = try await api.getIP(zone: lid.locality, id: lid.uuid)
            var observed: [String: Value] = [
                "zone": .string(ip.zone), "project_id": .string(ip.projectID), "is_ipv6": .bool(ip.isIPv6),
                "tags": CommonProps.tagsValue(OwnershipTags.userTags(ip.tags)),
            ]
            if inputs["reverse"]?.stringValue != nil { observed["reverse"] = .string(ip.reverse) }
            return ReadResult(outputs: Self.outputs(ip), observed: observed, ownerStack: OwnershipTags.stack(of: ip.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let i = Inputs(new, context.address)
        // A reverse removed from the script goes back to the default ("" asks the API for it).
        let reverse = i.string("reverse") ?? (old["reverse"]?.stringValue != nil ? "" : nil)
        let ip = try await api.updateIP(zone: lid.locality, id: lid.uuid, reverse: reverse,
                                        tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
        return Self.outputs(ip)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        // Still held (412) while the LB that used it finishes going away.
        try await Deletion.deleteRetryingWhileInUse(what: "LB IP \(id)", timeout: LbShared.timeout(context.timeouts.delete),
                                                    interval: env.pollInterval, context: context) {
            try await api.deleteIP(zone: lid.locality, id: lid.uuid)
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        return try await api.listIPs(zone: zone, tags: [OwnershipTags.urnTag(context)]).filter { OwnershipTags.owned($0.tags, by: context) }
            .map { CreateResult(id: LbShared.zonalID(zone, $0.id), outputs: Self.outputs($0)) }
    }

    static func outputs(_ ip: LbIP) -> [String: Value] {
        [
            "id": .string(LbShared.zonalID(ip.zone, ip.id)),
            "ip_address": .string(ip.ipAddress),
            "lb_id": ip.lbID.map { .string(LbShared.zonalID(ip.zone, $0)) } ?? .null,
            "reverse": .string(ip.reverse),
            "zone": .string(ip.zone),
            "project_id": .string(ip.projectID),
        ]
    }
}

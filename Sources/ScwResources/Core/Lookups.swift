// Lookups: how `scw.lookup.Type { name = ..., filters }` finds existing resources, per type
// (by id every type can: see ResourceProvider.lookup). Names match exactly; other filters are
// compared with what the resource has. Read only.

import ScalewayAPI
import ScwCore
import ScwEngine

enum LookupQuery {
    /// The query's name, and its other filters (the keys the matcher compares).
    static func name(_ query: [String: Value]) -> String? { query["name"]?.revealed.stringValue }

    /// The query's region (or the zone's region), else the default.
    static func region(_ query: [String: Value], env: ScalewayEnvironment) -> String {
        query["region"]?.stringValue ?? query["zone"]?.stringValue.map { String($0.split(separator: "-").prefix(2).joined(separator: "-")) } ?? env.defaultRegion
    }

    static func zone(_ query: [String: Value], env: ScalewayEnvironment) -> String {
        query["zone"]?.stringValue ?? env.defaultZone
    }

    /// Keeps the candidates whose outputs agree with every filter the query gives besides
    /// `id`, `name`, `region` and `zone` (compared by value; ids also by their UUID part).
    static func matching(_ candidates: [CreateResult], _ query: [String: Value]) -> [CreateResult] {
        let filters = query.filter { !["id", "name", "region", "zone"].contains($0.key) }
        return candidates.filter { c in
            filters.allSatisfy { key, wanted in
                guard let have = c.outputs[key] else { return false }
                if have == wanted.revealed { return true }
                if let a = have.stringValue, let b = wanted.revealed.stringValue {
                    return a.split(separator: "/").last == b.split(separator: "/").last
                }
                return false
            }
        }
    }
}

extension VpcResource {
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let region = LookupQuery.region(query, env: env)
        let found = try await api.listVPCs(region: region, name: name).filter { $0.name == name }
        return LookupQuery.matching(found.map { CreateResult(id: LocalizedID(locality: $0.region, uuid: $0.id).description, outputs: Self.outputs($0)) }, query)
    }
}

extension VpcPrivateNetworkResource {
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let region = LookupQuery.region(query, env: env)
        let vpc = query["vpc_id"]?.stringValue.map { String($0.split(separator: "/").last ?? "") }
        let found = try await api.listPrivateNetworks(region: region, vpcID: vpc, name: name).filter { $0.name == name }
        return LookupQuery.matching(found.map { CreateResult(id: LocalizedID(locality: $0.region, uuid: $0.id).description, outputs: Self.outputs($0)) },
                                    query.filter { $0.key != "vpc_id" })
    }
}

extension InstanceServerResource {
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let zone = LookupQuery.zone(query, env: env)
        var out: [CreateResult] = []
        for server in try await api.listServers(zone: zone, name: name) where server.name == name {
            out.append(CreateResult(id: InstanceShared.zonalID(zone, server.id), outputs: try await outputs(server)))
        }
        return LookupQuery.matching(out, query)
    }
}

extension SecurityGroupResource {
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let zone = LookupQuery.zone(query, env: env)
        let found = try await api.listSecurityGroups(zone: zone).filter { $0.name == name }
        return LookupQuery.matching(found.map { CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0)) }, query)
    }
}

extension InstanceVolumeResource {
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let zone = LookupQuery.zone(query, env: env)
        let found = try await api.listVolumes(zone: zone).filter { $0.name == name }
        return LookupQuery.matching(found.map { CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0)) }, query)
    }
}

extension InstanceIpResource {
    /// By `address` (the IP itself) or id: flexible IPs have no name.
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let address = query["address"]?.revealed.stringValue else { return try await lookupByID(query, context: context) }
        let zone = LookupQuery.zone(query, env: env)
        let found = try await api.listIPs(zone: zone).filter { $0.address == address || $0.prefix == address }
        return found.map { CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0)) }
    }
}

extension BucketResource {
    /// A bucket's name is its id within its region.
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = LookupQuery.name(query) else { return try await lookupByID(query, context: context) }
        let bucket = S3Bucket(name: name, region: LookupQuery.region(query, env: env), projectID: query["project_id"]?.stringValue)
        guard try await env.s3.headBucket(bucket) != nil else { return [] }
        return [CreateResult(id: Self.id(bucket), outputs: outputs(bucket))]
    }
}

/// `scw.lookup.Image { label = "ubuntu_noble", zone = "fr-par-2" }`: a public image's id for a
/// zone (and a commercial type, for its architecture), as the marketplace resolves labels.
public struct ImageLookup: LookupProvider {
    let env: ScalewayEnvironment
    public init(env: ScalewayEnvironment) { self.env = env }

    public static let schema = ResourceSchema(
        typeName: "Image", doc: "A public Instance image, looked up by label (`scw.lookup.Image { label = ... }`).", locality: .zonal,
        props: [
            PropSpec("label", .string, required: true, doc: "The marketplace label, e.g. `ubuntu_noble`."),
            PropSpec("zone", .string, format: .zone, doc: "The zone; defaults to the configured zone."),
            PropSpec("commercial_type", .string, default: .string("DEV1-S"), doc: "A type the image must boot on (picks the architecture)."),
            PropSpec("type", .string, default: .string("instance_sbs"), allowed: ["instance_sbs", "instance_local"], doc: "The root volume kind."),
        ],
        outputs: [OutputSpec("id", .string, doc: "The image UUID."), OutputSpec("label", .string), OutputSpec("zone", .string), OutputSpec("arch", .string)])

    public var schema: ResourceSchema { Self.schema }

    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let label = query["label"]?.stringValue else { throw Diagnostic("Image lookups take a label, e.g. { label = \"ubuntu_noble\" }") }
        let zone = LookupQuery.zone(query, env: env)
        let image = try await MarketplaceAPI(client: env.client).resolveImage(
            zone: zone, label: label, commercialType: query["commercial_type"]?.stringValue ?? "DEV1-S", type: query["type"]?.stringValue ?? "instance_sbs")
        guard let image else { return [] }
        return [CreateResult(id: image.id, outputs: ["id": .string(image.id), "label": .string(label), "zone": .string(zone),
                                                    "arch": image.arch.map(Value.string) ?? .null])]
    }
}

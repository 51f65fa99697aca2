// VpcPrivateNetwork: a private network in a VPC (VPC API v2, regional). Subnets are set at
// create time only (a change replaces); without subnets the API allocates an IPv4 /22 and
// an IPv6 /64. Its region follows its VPC's unless given.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct VpcPrivateNetworkResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "VpcPrivateNetwork",
        doc: "A private network inside a VPC, with IPv4 and IPv6 subnets.",
        locality: .regional,
        props: [
            CommonProps.name(),
            PropSpec("vpc_id", .resourceID(types: ["Vpc"]), change: .replace,
                     doc: "The VPC (a Vpc handle or its id; `vpc = handle` also works). Defaults to the project's default VPC."),
            PropSpec("subnets", .list(.string), change: .replace, format: .cidr,
                     doc: "IPv4 and/or IPv6 CIDRs, e.g. `{ \"10.0.1.0/24\" }`. Allocated by Scaleway when unset."),
            CommonProps.region,
            CommonProps.projectID,
            CommonProps.tags,
            PropSpec("enable_default_route_propagation", .bool, default: .bool(false),
                     doc: "Propagate the default route (internet gateway) into this network."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("vpc_id", .string),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("subnets", .list(.string), doc: "Every subnet, as CIDRs."),
            OutputSpec("ipv4_subnet", .string, doc: "The IPv4 subnet (CIDR)."),
            OutputSpec("ipv6_subnet", .string, doc: "The IPv6 subnet (CIDR), when there is one."),
            OutputSpec("dhcp_enabled", .bool),
            OutputSpec("created_at", .string),
        ])

    var api: VPCAPI { VPCAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        if out["enable_default_route_propagation"] == nil { out["enable_default_route_propagation"] = .bool(false) }
        let vpc = out["vpc_id"] ?? .null
        if out["region"] == nil || out["region"] == .null {
            // Follow the VPC: unknown while the VPC is being (re)created.
            if vpc.containsUnknown {
                out["region"] = .unknown
            } else if let text = vpc.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["region"] = .string(lid.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = vpc.stringValue, let lid = LocalizedID(parsing: text), text.contains("/"),
           let region = out["region"]?.stringValue, lid.region != region {
            throw Diagnostic("region \(region) differs from its VPC's region \(lid.region)", at: .resource(context.address))
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let name = try i.requireString("name")
        let pn = try await CreateCall.run {
            try await api.createPrivateNetwork(
                region: region, name: name, projectID: i.string("project_id"),
                tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context),
                subnets: i.isSet("subnets") ? i.strings("subnets") : nil,
                vpcID: i.string("vpc_id").map { LocalizedID(parsing: $0, defaultLocality: region)?.uuid ?? $0 },
                defaultRoutePropagationEnabled: i.bool("enable_default_route_propagation") ?? false)
        }
        return CreateResult(id: LocalizedID(locality: region, uuid: pn.id).description, outputs: Self.outputs(pn))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return nil }
        do {
            let pn = try await api.getPrivateNetwork(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(pn), observed: Self.observed(pn, declared: inputs), ownerStack: OwnershipTags.stack(of: pn.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let i = Inputs(new, context.address)
        var pn = try await api.getPrivateNetwork(region: lid.region, id: lid.uuid)
        // One PATCH of the fields that differ from the network's, none when they all match.
        let name = UpdateFields.changed(i.string("name"), from: pn.name)
        let tags = UpdateFields.tags(i, current: pn.tags, context: context)
        let propagation = UpdateFields.changed(i.bool("enable_default_route_propagation"), from: pn.defaultRoutePropagationEnabled)
        if name != nil || tags != nil || propagation != nil {
            pn = try await api.updatePrivateNetwork(region: lid.region, id: lid.uuid, name: name, tags: tags, defaultRoutePropagationEnabled: propagation)
        }
        return Self.outputs(pn)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return }
        try await Deletion.deleteRetryingWhileInUse(what: "private network \(id)", timeout: context.timeouts.delete ?? 30, interval: env.pollInterval, context: context) {
            try await api.deletePrivateNetwork(region: lid.region, id: lid.uuid)
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        let found = try await api.listPrivateNetworks(region: region, tags: [OwnershipTags.urnTag(context)], vpcID: nil, projectID: nil)
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0))
        }
    }

    /// Every private network of the stack in a region and project, by the stack's tag, 100 a
    /// page; drift is judged against each row's own inputs, as `read` does.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        let api = self.api
        return try await BatchRead.run(rows, defaultLocality: env.defaultRegion) { scope, scopeRows in
            let declared = BatchRead.inputsByUUID(scopeRows, defaultLocality: scope.locality)
            let found = try await api.listPrivateNetworks(region: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
            return Dictionary(found.map { ($0.id, ReadResult(outputs: Self.outputs($0), observed: Self.observed($0, declared: declared[$0.id] ?? [:]))) },
                              uniquingKeysWith: { a, _ in a })
        }
    }

    static func outputs(_ pn: PrivateNetwork) -> [String: Value] {
        let cidrs = pn.subnets.map(\.subnet)
        var out: [String: Value] = [
            "id": .string(LocalizedID(locality: pn.region, uuid: pn.id).description),
            "name": .string(pn.name),
            "vpc_id": .string(LocalizedID(locality: pn.region, uuid: pn.vpcID).description),
            "region": .string(pn.region),
            "project_id": .string(pn.projectID),
            "subnets": .list(cidrs.map(Value.string)),
            "dhcp_enabled": .bool(pn.dhcpEnabled),
            "created_at": pn.createdAt.map(Value.string) ?? .null,
        ]
        if let v4 = cidrs.first(where: { !$0.contains(":") }) { out["ipv4_subnet"] = .string(v4) }
        if let v6 = cidrs.first(where: { $0.contains(":") }) { out["ipv6_subnet"] = .string(v6) }
        return out
    }

    /// How the cloud has the props. Subnets are only compared when the script sets them:
    /// then the declared ones must all be there.
    static func observed(_ pn: PrivateNetwork, declared: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [
            "name": .string(pn.name),
            "region": .string(pn.region),
            "project_id": .string(pn.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(pn.tags)),
            "enable_default_route_propagation": .bool(pn.defaultRoutePropagationEnabled),
        ]
        if let wanted = declared["subnets"]?.listValue?.compactMap(\.stringValue) {
            let have = Set(pn.subnets.map(\.subnet))
            // The API adds an IPv6 /64 next to an IPv4-only request: not drift.
            out["subnets"] = wanted.allSatisfy(have.contains) ? .list(wanted.map(Value.string)) : .list(pn.subnets.map { .string($0.subnet) })
        }
        if let vpc = declared["vpc_id"]?.stringValue {
            let lid = LocalizedID(parsing: vpc, defaultLocality: pn.region)
            out["vpc_id"] = lid?.uuid == pn.vpcID ? .string(vpc) : .string(LocalizedID(locality: pn.region, uuid: pn.vpcID).description)
        }
        return out
    }
}

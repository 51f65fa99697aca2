// Vpc: a Scaleway VPC (VPC API v2, regional). No status and no waiting: create, patch and
// delete answer at once. Custom routes propagation is a one-way switch.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct VpcResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "Vpc",
        doc: "A Virtual Private Cloud: a regional container for private networks.",
        locality: .regional,
        props: [
            CommonProps.name(),
            CommonProps.region,
            CommonProps.projectID,
            CommonProps.tags,
            PropSpec("enable_custom_routes_propagation", .bool,
                     doc: "Propagate custom routes between the VPC's private networks (new VPCs have it on). Once on, it cannot be turned off."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("is_default", .bool),
            OutputSpec("routing_enabled", .bool),
            OutputSpec("custom_routes_propagation_enabled", .bool),
            OutputSpec("created_at", .string),
        ])

    var api: VPCAPI { VPCAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        if out["region"] == nil || out["region"] == .null { out["region"] = .string(env.defaultRegion) }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let name = try i.requireString("name")
        var vpc = try await CreateCall.run {
            try await api.createVPC(region: region, name: name, projectID: i.string("project_id"),
                                    tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context), enableRouting: true)
        }
        if i.bool("enable_custom_routes_propagation") == true, !vpc.customRoutesPropagationEnabled {
            vpc = try await api.enableCustomRoutesPropagation(region: region, id: vpc.id)
        }
        return CreateResult(id: LocalizedID(locality: region, uuid: vpc.id).description, outputs: Self.outputs(vpc))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return nil }
        do {
            let vpc = try await api.getVPC(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(vpc), observed: Self.observed(vpc), ownerStack: OwnershipTags.stack(of: vpc.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let i = Inputs(new, context.address)
        let wantsPropagation = i.bool("enable_custom_routes_propagation")
        var vpc = try await api.getVPC(region: lid.region, id: lid.uuid)
        if wantsPropagation == false, vpc.customRoutesPropagationEnabled {
            throw Diagnostic("enable_custom_routes_propagation cannot be turned off once on (the API has no such call)",
                             at: .resource(context.address), hint: "set it back to true, or replace the VPC")
        }
        // Name and tags by one PATCH, only when one of them differs from the VPC's.
        let name = UpdateFields.changed(i.string("name"), from: vpc.name)
        let tags = UpdateFields.tags(i, current: vpc.tags, context: context)
        if name != nil || tags != nil {
            vpc = try await api.updateVPC(region: lid.region, id: lid.uuid, name: name, tags: tags)
        }
        if wantsPropagation == true, !vpc.customRoutesPropagationEnabled {
            vpc = try await api.enableCustomRoutesPropagation(region: lid.region, id: lid.uuid)
        }
        return Self.outputs(vpc)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return }
        try await Deletion.deleteRetryingWhileInUse(what: "VPC \(id)", timeout: context.timeouts.delete ?? 60, interval: env.pollInterval, context: context) {
            try await api.deleteVPC(region: lid.region, id: lid.uuid)
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        let found = try await api.listVPCs(region: region, tags: [OwnershipTags.urnTag(context)], projectID: nil, name: nil)
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0))
        }
    }

    /// Every VPC of the stack in a region and project, by the stack's tag, 100 a page.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        let api = self.api
        return try await BatchRead.run(rows, defaultLocality: env.defaultRegion) { scope, _ in
            let found = try await api.listVPCs(region: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
            return Dictionary(found.map { ($0.id, ReadResult(outputs: Self.outputs($0), observed: Self.observed($0))) }, uniquingKeysWith: { a, _ in a })
        }
    }

    static func outputs(_ vpc: VPC) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: vpc.region, uuid: vpc.id).description),
            "name": .string(vpc.name),
            "region": .string(vpc.region),
            "project_id": .string(vpc.projectID),
            "organization_id": vpc.organizationID.map(Value.string) ?? .null,
            "is_default": .bool(vpc.isDefault),
            "routing_enabled": .bool(vpc.routingEnabled),
            "custom_routes_propagation_enabled": .bool(vpc.customRoutesPropagationEnabled),
            "created_at": vpc.createdAt.map(Value.string) ?? .null,
        ]
    }

    static func observed(_ vpc: VPC) -> [String: Value] {
        [
            "name": .string(vpc.name),
            "region": .string(vpc.region),
            "project_id": .string(vpc.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(vpc.tags)),
            "enable_custom_routes_propagation": .bool(vpc.customRoutesPropagationEnabled),
        ]
    }
}

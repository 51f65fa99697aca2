// IamApplication: a non-human IAM principal (global). API keys and policies name it. Tagged
// with the ownership tags, so an interrupted create is found again by them.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct IamApplicationResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "IamApplication",
        doc: "An IAM application: a principal for machines (CI, services) that API keys and policies belong to.",
        locality: .global,
        props: [
            CommonProps.name(),
            PropSpec("description", .string, default: .string(""), doc: "Free text."),
            CommonProps.tags,
            PropSpec("organization_id", .string, change: .replace, format: .uuid, doc: "Organization; defaults to the configured one."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The application's UUID."),
            OutputSpec("name", .string),
            OutputSpec("description", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("editable", .bool),
            OutputSpec("created_at", .string),
            OutputSpec("updated_at", .string),
        ])

    var api: IAMAPI { IAMAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["description"] == nil || out["description"] == .null { out["description"] = .string("") }
        if out["tags"] == nil || out["tags"] == .null { out["tags"] = .list([]) }
        for tag in out["tags"]?.listValue?.compactMap(\.stringValue) ?? [] where tag.hasPrefix(OwnershipTags.prefix) {
            throw Diagnostic("tag '\(tag)' uses the reserved prefix '\(OwnershipTags.prefix)'", at: .resource(context.address))
        }
        if out["organization_id"] == nil || out["organization_id"] == .null {
            guard let org = IamShared.organization(env) else {
                throw Diagnostic("no organization: set organization_id, or default_organization_id in the Scaleway config", at: .resource(context.address))
            }
            out["organization_id"] = .string(org)
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let app = try await CreateCall.run {
            try await api.createApplication(name: try i.requireString("name"), organizationID: try i.requireString("organization_id"),
                                            description: i.string("description") ?? "",
                                            tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
        }
        return CreateResult(id: app.id, outputs: Self.outputs(app))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        do {
            let app = try await api.getApplication(id: id)
            return ReadResult(outputs: Self.outputs(app), observed: Self.observed(app), ownerStack: OwnershipTags.stack(of: app.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let i = Inputs(new, context.address)
        let app = try await api.updateApplication(id: id, name: i.string("name"), description: i.string("description") ?? "",
                                                  tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
        return Self.outputs(app)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        do { try await api.deleteApplication(id: id) } catch let error as APIError where error.isNotFound { return }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        let found = try await api.listApplications(organizationID: inputs["organization_id"]?.stringValue, tag: OwnershipTags.urnTag(context))
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map { CreateResult(id: $0.id, outputs: Self.outputs($0)) }
    }

    static func outputs(_ app: IAMApplication) -> [String: Value] {
        [
            "id": .string(app.id), "name": .string(app.name), "description": .string(app.description),
            "organization_id": .string(app.organizationID), "editable": .bool(app.editable),
            "created_at": app.createdAt.map(Value.string) ?? .null, "updated_at": app.updatedAt.map(Value.string) ?? .null,
        ]
    }

    static func observed(_ app: IAMApplication) -> [String: Value] {
        ["name": .string(app.name), "description": .string(app.description), "organization_id": .string(app.organizationID),
         "tags": CommonProps.tagsValue(OwnershipTags.userTags(app.tags))]
    }
}

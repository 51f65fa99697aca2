// RegistryNamespace: a Container Registry namespace (Registry API v1, regional), where images
// are pushed (`endpoint/name:tag`). Its name follows the registry's rules (checked before any
// write) and is unique per region, so it is also how a namespace is found again after a crash
// (registry namespaces carry no tags). Deleting one that still holds images is refused with
// the images named.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RegistryNamespaceResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "RegistryNamespace",
        doc: "A Container Registry namespace: push images to `endpoint/<image>:<tag>`.",
        locality: .regional,
        props: [
            CommonProps.name("Name; defaults to the resource's name in the script. 4 to 54 lowercase letters, digits or hyphens, unique in the region; a change replaces the namespace.")
                .replacing(),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("is_public", .bool, default: .bool(false), doc: "Anyone may pull its images."),
            CommonProps.region,
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("endpoint", .string, doc: "`rg.<region>.scw.cloud/<name>`: prefix image names with it."),
            OutputSpec("image_count", .int),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
        ])

    var api: RegistryAPI { RegistryAPI(client: env.client) }

    /// The registry's naming rules; nil when `name` follows them.
    static func nameProblem(_ name: String) -> String? {
        let ok = (4...54).contains(name.count) && name.first != "-" && name.last != "-"
            && name.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "-") && $0.isASCII }
        return ok ? nil : "must be 4 to 54 lowercase letters, digits or hyphens, starting and ending with a letter or digit, got \"\(name)\""
    }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["project_id"] == nil || out["project_id"] == .null {
            guard let project = env.defaultProjectID else {
                throw Diagnostic("no project: set project_id, scw.defaults { project_id = ... }, or default_project_id in the Scaleway config",
                                 at: .resource(context.address))
            }
            out["project_id"] = .string(project)
        }
        ServerlessShared.fillDefaults(&out, ["region": .string(env.defaultRegion), "description": .string(""), "is_public": .bool(false)])
        if let name = out["name"]?.stringValue, let problem = Self.nameProblem(name) {
            throw Diagnostic("name \(problem)", at: .resource(context.address))
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let name = try i.requireString("name")
        let project = try i.requireString("project_id")
        var namespace: RegistryNamespace
        if let resumed = try await named(region: region, name: name, project: project) {
            context.phase("resuming the namespace an interrupted create made")
            namespace = resumed
        } else {
            let body = RegistryAPI.createNamespaceBody(name: name, description: i.string("description") ?? "", projectID: project,
                                                       isPublic: i.bool("is_public") ?? false)
            context.phase("creating")
            namespace = try await CreateCall.run { try await api.createNamespace(region: region, body: body) }
        }
        namespace = try await change(region: region, current: namespace, inputs: inputs, context: context)
        return CreateResult(id: LocalizedID(locality: region, uuid: namespace.id).description, outputs: Self.outputs(namespace))
    }

    private func named(region: String, name: String, project: String) async throws -> RegistryNamespace? {
        try await api.listNamespaces(region: region, name: name).first { $0.name == name && $0.projectID == project && $0.status != "deleting" }
    }

    private func change(region: String, current: RegistryNamespace, inputs: [String: Value], context: ProviderContext) async throws -> RegistryNamespace {
        let description = UpdateFields.changed(inputs["description"]?.stringValue, from: current.description)
        let isPublic = UpdateFields.changed(inputs["is_public"]?.boolValue, from: current.isPublic)
        guard description != nil || isPublic != nil else { return current }
        context.phase("updating")
        return try await api.updateNamespace(region: region, id: current.id,
                                             body: RegistryAPI.updateNamespaceBody(description: description, isPublic: isPublic))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let ns = try await api.getNamespace(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(ns), observed: [
                "name": .string(ns.name), "description": .string(ns.description), "is_public": .bool(ns.isPublic),
                "region": .string(ns.region), "project_id": .string(ns.projectID),
            ])
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let current = try await api.getNamespace(region: lid.region, id: lid.uuid)
        return Self.outputs(try await change(region: lid.region, current: current, inputs: new, context: context))
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        do {
            let current = try await api.getNamespace(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                context.phase("deleting")
                do {
                    try await api.deleteNamespace(region: lid.region, id: lid.uuid)
                } catch let error as APIError where error.status == 412 || error.status == 409 {
                    let images = (try? await api.listImages(region: lid.region, namespaceID: lid.uuid)) ?? []
                    let names = images.map { "\($0.name)" + ($0.tags.isEmpty ? "" : ":" + $0.tags.joined(separator: ",")) }
                    throw Diagnostic("registry namespace \(current.name) still holds \(images.isEmpty ? "images" : "\(images.count) image(s): \(names.joined(separator: ", "))"); it cannot be deleted",
                                     at: .resource(context.address), hint: "delete the images first (scw registry image delete), or keep it with lifecycle = { retain = true }")
                }
            }
            try await ServerlessShared.waitGone(what: "registry namespace \(context.address.name)", timeout: context.timeouts.delete ?? ServerlessShared.namespaceTimeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await api.getNamespace(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// The namespace of this name in the project (names are unique per region: the name is the marker).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue, let name = inputs["name"]?.stringValue,
              let project = inputs["project_id"]?.stringValue, let ns = try await named(region: region, name: name, project: project) else { return [] }
        return [CreateResult(id: LocalizedID(locality: region, uuid: ns.id).description, outputs: Self.outputs(ns))]
    }

    static func outputs(_ ns: RegistryNamespace) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: ns.region, uuid: ns.id).description), "name": .string(ns.name), "endpoint": .string(ns.endpoint),
            "image_count": .int(ns.imageCount), "region": .string(ns.region), "project_id": .string(ns.projectID),
            "organization_id": .string(ns.organizationID),
        ]
    }
}

// ContainerNamespace: a Serverless Containers namespace (Containers API v1, regional), waited
// for until ready. Secret environment variables are sent (v1 takes them as a map) and never
// read back. Tagged with its owner; a namespace not yet ready is reported half-made and the
// next create waits for it instead of making another.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct ContainerNamespaceResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "ContainerNamespace",
        doc: "A Serverless Containers namespace: holds containers and their shared environment. Waited for until ready.",
        locality: .regional,
        props: [
            CommonProps.name("Name; defaults to the resource's name in the script. Lowercase letters, digits and hyphens; a change replaces the namespace.")
                .replacing(),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("environment_variables", .map(.string), default: .map([:]), doc: "Environment variables every container of the namespace gets."),
            PropSpec("secret_environment_variables", .map(.string), default: .map([:]), sensitive: true,
                     doc: "Secret environment variables (secret: sent to the API, never read back, never printed, encrypted in state). Changed in place."),
            CommonProps.tags,
            CommonProps.region,
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
        ])

    var api: ContainersAPI { ContainersAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        ServerlessShared.fillDefaults(&out, ["region": .string(env.defaultRegion), "description": .string(""),
                                             "environment_variables": .map([:]), "secret_environment_variables": .secret(.map([:]))])
        if let name = out["name"]?.stringValue, let problem = ServerlessShared.nameProblem(name, max: 34) {
            throw Diagnostic("name \(problem)", at: .resource(context.address))
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let api = self.api
        var namespace: ContainerNamespace
        var resumed = false
        if let found = try await owned(region: region, context: context).first {
            context.phase("resuming the namespace an interrupted create made")
            namespace = found
            resumed = true
        } else {
            let body = ContainersAPI.createNamespaceBody(
                projectID: try i.requireString("project_id"), name: try i.requireString("name"), description: i.string("description"),
                environmentVariables: ServerlessShared.stringMap(inputs["environment_variables"]),
                secrets: ServerlessShared.secretMap(inputs["secret_environment_variables"]),
                tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
            context.phase("creating")
            namespace = try await CreateCall.run { try await api.createNamespace(region: region, body: body) }
        }
        namespace = try await waitReady(region: region, id: namespace.id, context: context)
        namespace = try await applyChanges(region: region, current: namespace, inputs: inputs, sendSecrets: resumed, context: context)
        return CreateResult(id: LocalizedID(locality: region, uuid: namespace.id).description, outputs: Self.outputs(namespace))
    }

    func waitReady(region: String, id: String, context: ProviderContext) async throws -> ContainerNamespace {
        let api = self.api
        return try await ServerlessShared.waitSettled(what: "container namespace \(context.address.name)", timeout: ServerlessShared.namespaceTimeout,
                                                      interval: env.pollInterval, context: context) {
            let ns = try await api.getNamespace(region: region, id: id)
            return (ns, ns.status, nil)
        }
    }

    private func applyChanges(region: String, current: ContainerNamespace, inputs: [String: Value], sendSecrets: Bool,
                              context: ProviderContext) async throws -> ContainerNamespace {
        let i = Inputs(inputs, context.address)
        let description = UpdateFields.changed(i.string("description"), from: current.description)
        let envChange = UpdateFields.changed(ServerlessShared.stringMap(inputs["environment_variables"]), from: current.environmentVariables)
        let tags = UpdateFields.tags(i, current: current.tags, context: context)
        let secrets = sendSecrets ? ServerlessShared.secretMap(inputs["secret_environment_variables"]) : nil
        guard description != nil || envChange != nil || tags != nil || secrets != nil else { return current }
        context.phase("updating")
        _ = try await api.updateNamespace(region: region, id: current.id,
                                          body: ContainersAPI.updateNamespaceBody(description: description, environmentVariables: envChange,
                                                                                  secrets: secrets, tags: tags))
        return try await waitReady(region: region, id: current.id, context: context)
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let ns = try await api.getNamespace(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(ns), observed: [
                "name": .string(ns.name), "description": .string(ns.description), "region": .string(ns.region),
                "project_id": .string(ns.projectID), "environment_variables": .map(ns.environmentVariables.mapValues(Value.string)),
                "tags": CommonProps.tagsValue(OwnershipTags.userTags(ns.tags)),
            ])
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let current = try await waitReady(region: lid.region, id: lid.uuid, context: context)
        return Self.outputs(try await applyChanges(region: lid.region, current: current, inputs: new,
                                                   sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context))
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        let timeout = context.timeouts.delete ?? ServerlessShared.namespaceTimeout
        do {
            let current = try await api.getNamespace(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                if ServerlessShared.transient.contains(current.status) {
                    _ = try await ServerlessShared.waitSettled(what: "container namespace \(context.address.name)", timeout: timeout,
                                                               interval: env.pollInterval, context: context, acceptError: true) {
                        let ns = try await api.getNamespace(region: lid.region, id: lid.uuid)
                        return (ns, ns.status, nil)
                    }
                }
                context.phase("deleting")
                try await api.deleteNamespace(region: lid.region, id: lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "container namespace \(context.address.name)", timeout: timeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await api.getNamespace(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    private func owned(region: String, context: ProviderContext) async throws -> [ContainerNamespace] {
        try await api.listNamespaces(region: region).filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        return try await owned(region: region, context: context).map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0), halfMade: $0.status != "ready")
        }
    }

    static func outputs(_ ns: ContainerNamespace) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: ns.region, uuid: ns.id).description), "name": .string(ns.name), "status": .string(ns.status),
            "region": .string(ns.region), "project_id": .string(ns.projectID), "organization_id": .string(ns.organizationID),
        ]
    }
}

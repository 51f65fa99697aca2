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
        props: Namespaces.props(holding: "container"),
        outputs: Namespaces.outputSpecs())

    var api: ContainersAPI { ContainersAPI(client: env.client) }

    typealias Namespaces = ServerlessNamespaces<ContainerNamespace>

    var namespaces: Namespaces {
        let api = self.api
        return Namespaces(what: "container namespace", get: { try await api.getNamespace(region: $0, id: $1) },
                          list: { try await api.listNamespaces(region: $0) }, remove: { _ = try await api.deleteNamespace(region: $0, id: $1) })
    }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        try Namespaces.normalize(inputs, env: env, context: context)
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
        // Declared timeouts are honoured as for function namespaces.
        try await namespaces.waitSettled(region: region, id: id, timeout: context.timeouts.create ?? context.timeouts.update ?? ServerlessShared.namespaceTimeout,
                                         env: env, context: context)
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
        try await namespaces.read(id: id, env: env, outputs: Self.outputs)
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let current = try await waitReady(region: lid.region, id: lid.uuid, context: context)
        return Self.outputs(try await applyChanges(region: lid.region, current: current, inputs: new,
                                                   sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context))
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        try await namespaces.delete(id: id, env: env, context: context)
    }

    private func owned(region: String, context: ProviderContext) async throws -> [ContainerNamespace] {
        try await namespaces.owned(region: region, context: context)
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        try await namespaces.find(inputs: inputs, context: context, outputs: Self.outputs)
    }

    static func outputs(_ ns: ContainerNamespace) -> [String: Value] { Namespaces.outputs(ns) }
}

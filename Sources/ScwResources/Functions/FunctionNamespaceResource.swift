// FunctionNamespace: a Serverless Functions namespace (Functions API v1beta1, regional), waited
// for until ready (it then has its registry). Secret environment variables are sent and never
// read back. Tagged with its owner, so a create cut short is found again: a namespace not yet
// ready is reported half-made, and the next create waits for it instead of making another.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct FunctionNamespaceResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "FunctionNamespace",
        doc: "A Serverless Functions namespace: holds functions, their shared environment and a registry. Waited for until ready.",
        locality: .regional,
        props: Namespaces.props(holding: "function"),
        outputs: Namespaces.outputSpecs([
            OutputSpec("registry_endpoint", .string, doc: "The namespace's registry, e.g. `rg.fr-par.scw.cloud/funcscwapi1x2y3z4w`."),
            OutputSpec("registry_namespace_id", .string),
        ]))

    var api: FunctionsAPI { FunctionsAPI(client: env.client) }

    typealias Namespaces = ServerlessNamespaces<FunctionNamespace>

    var namespaces: Namespaces {
        let api = self.api
        return Namespaces(what: "function namespace", get: { try await api.getNamespace(region: $0, id: $1) },
                          list: { try await api.listNamespaces(region: $0) }, remove: { _ = try await api.deleteNamespace(region: $0, id: $1) })
    }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        try Namespaces.normalize(inputs, env: env, context: context)
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let api = self.api
        let timeout = context.timeouts.create ?? ServerlessShared.namespaceTimeout
        var namespace: FunctionNamespace
        var resumedOne = false
        if let resumed = try await owned(region: region, context: context).first {
            context.phase("resuming the namespace an interrupted create made")
            namespace = resumed
            resumedOne = true
        } else {
            let body = FunctionsAPI.createNamespaceBody(
                name: try i.requireString("name"), projectID: try i.requireString("project_id"), description: i.string("description"),
                environmentVariables: ServerlessShared.stringMap(inputs["environment_variables"]),
                secrets: ServerlessShared.secretMap(inputs["secret_environment_variables"]).map { (key: $0.key, value: Optional($0.value)) },
                tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
            context.phase("creating")
            namespace = try await CreateCall.run { try await api.createNamespace(region: region, body: body) }
        }
        namespace = try await waitReady(region: region, id: namespace.id, timeout: timeout, context: context)
        // A resumed namespace may have been made from other inputs: bring it in line (secrets always sent).
        namespace = try await applyChanges(region: region, current: namespace, inputs: inputs, sendSecrets: resumedOne, context: context)
        return CreateResult(id: LocalizedID(locality: region, uuid: namespace.id).description, outputs: Self.outputs(namespace))
    }

    func waitReady(region: String, id: String, timeout: Double, context: ProviderContext) async throws -> FunctionNamespace {
        try await namespaces.waitSettled(region: region, id: id, timeout: timeout, env: env, context: context)
    }

    /// PATCHes what differs from the cloud (secrets when asked), then waits for ready again.
    private func applyChanges(region: String, current: FunctionNamespace, inputs: [String: Value], sendSecrets: Bool,
                              context: ProviderContext) async throws -> FunctionNamespace {
        let i = Inputs(inputs, context.address)
        let env = ServerlessShared.stringMap(inputs["environment_variables"])
        let wanted = ServerlessShared.secretMap(inputs["secret_environment_variables"])
        var secrets: [(key: String, value: Value?)]?
        if sendSecrets {
            secrets = wanted.map { (key: $0.key, value: Optional($0.value)) }
                + current.secretKeys.filter { wanted[$0] == nil }.map { (key: $0, value: nil) }
        }
        let description = UpdateFields.changed(i.string("description"), from: current.description)
        let envChange = UpdateFields.changed(env, from: current.environmentVariables)
        let tags = UpdateFields.tags(i, current: current.tags, context: context)
        guard description != nil || envChange != nil || tags != nil || !(secrets?.isEmpty ?? true) else { return current }
        context.phase("updating")
        let body = FunctionsAPI.updateNamespaceBody(description: description, environmentVariables: envChange, secrets: secrets, tags: tags)
        _ = try await api.updateNamespace(region: region, id: current.id, body: body)
        return try await waitReady(region: region, id: current.id, timeout: context.timeouts.update ?? ServerlessShared.namespaceTimeout, context: context)
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        try await namespaces.read(id: id, env: env, outputs: Self.outputs)
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let timeout = context.timeouts.update ?? ServerlessShared.namespaceTimeout
        let current = try await waitReady(region: lid.region, id: lid.uuid, timeout: timeout, context: context)
        let ns = try await applyChanges(region: lid.region, current: current, inputs: new,
                                        sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context)
        return Self.outputs(ns)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        try await namespaces.delete(id: id, env: env, context: context)
    }

    private func owned(region: String, context: ProviderContext) async throws -> [FunctionNamespace] {
        try await namespaces.owned(region: region, context: context)
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        try await namespaces.find(inputs: inputs, context: context, outputs: Self.outputs)
    }

    static func outputs(_ ns: FunctionNamespace) -> [String: Value] {
        Namespaces.outputs(ns).merging([
            "registry_endpoint": .string(ns.registryEndpoint), "registry_namespace_id": .string(ns.registryNamespaceID),
        ]) { _, new in new }
    }
}

extension PropSpec {
    /// The same prop, changed by replacing the resource.
    func replacing() -> PropSpec {
        var copy = self
        copy.change = .replace
        return copy
    }
}

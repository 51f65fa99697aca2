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
        props: [
            CommonProps.name("Name; defaults to the resource's name in the script. Lowercase letters, digits and hyphens; a change replaces the namespace.")
                .replacing(),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("environment_variables", .map(.string), default: .map([:]), doc: "Environment variables every function of the namespace gets."),
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
            OutputSpec("registry_endpoint", .string, doc: "The namespace's registry, e.g. `rg.fr-par.scw.cloud/funcscwapi1x2y3z4w`."),
            OutputSpec("registry_namespace_id", .string),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
        ])

    var api: FunctionsAPI { FunctionsAPI(client: env.client) }

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
        let api = self.api
        return try await ServerlessShared.waitSettled(what: "function namespace \(context.address.name)", timeout: timeout,
                                                      interval: env.pollInterval, context: context) {
            let ns = try await api.getNamespace(region: region, id: id)
            return (ns, ns.status, ns.errorMessage)
        }
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
        let timeout = context.timeouts.update ?? ServerlessShared.namespaceTimeout
        let current = try await waitReady(region: lid.region, id: lid.uuid, timeout: timeout, context: context)
        let ns = try await applyChanges(region: lid.region, current: current, inputs: new,
                                        sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context)
        return Self.outputs(ns)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        let timeout = context.timeouts.delete ?? ServerlessShared.namespaceTimeout
        do {
            let current = try await api.getNamespace(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                if ServerlessShared.transient.contains(current.status) {
                    _ = try await ServerlessShared.waitSettled(what: "function namespace \(context.address.name)", timeout: timeout,
                                                               interval: env.pollInterval, context: context, acceptError: true) {
                        let ns = try await api.getNamespace(region: lid.region, id: lid.uuid)
                        return (ns, ns.status, ns.errorMessage)
                    }
                }
                context.phase("deleting")
                try await api.deleteNamespace(region: lid.region, id: lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "function namespace \(context.address.name)", timeout: timeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await api.getNamespace(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// Namespaces carrying this resource's ownership tags (not being deleted).
    private func owned(region: String, context: ProviderContext) async throws -> [FunctionNamespace] {
        try await api.listNamespaces(region: region).filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        return try await owned(region: region, context: context).map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0), halfMade: $0.status != "ready")
        }
    }

    static func outputs(_ ns: FunctionNamespace) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: ns.region, uuid: ns.id).description), "name": .string(ns.name), "status": .string(ns.status),
            "registry_endpoint": .string(ns.registryEndpoint), "registry_namespace_id": .string(ns.registryNamespaceID),
            "region": .string(ns.region), "project_id": .string(ns.projectID), "organization_id": .string(ns.organizationID),
        ]
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

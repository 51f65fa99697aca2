// What the FunctionNamespace and ContainerNamespace resources share: their props, their common
// outputs, normalize, the wait for a namespace to settle, read, delete (waiting out a transient
// status first, then until gone) and finding the namespaces an interrupted create made (by
// their ownership tags). Create and update stay in each resource: the two APIs take secrets
// differently (v1beta1 a list where a null value deletes, v1 a map).

import ScalewayAPI
import ScwCore
import ScwEngine

/// A namespace as the Functions and Containers APIs answer it.
protocol ServerlessNamespaceModel: Sendable {
    var id: String { get }
    var name: String { get }
    var description: String { get }
    var status: String { get }
    var environmentVariables: [String: String] { get }
    var tags: [String] { get }
    var region: String { get }
    var projectID: String { get }
    var organizationID: String { get }
    /// The API's explanation of an `error` status (the Containers API gives none).
    var statusMessage: String? { get }
}

extension FunctionNamespace: ServerlessNamespaceModel {
    var statusMessage: String? { errorMessage }
}

extension ContainerNamespace: ServerlessNamespaceModel {
    var statusMessage: String? { nil }
}

/// The namespace calls of one API, and what its namespaces are called in messages.
struct ServerlessNamespaces<Namespace: ServerlessNamespaceModel>: Sendable {
    /// "function namespace", "container namespace".
    let what: String
    let get: @Sendable (_ region: String, _ id: String) async throws -> Namespace
    let list: @Sendable (_ region: String) async throws -> [Namespace]
    let remove: @Sendable (_ region: String, _ id: String) async throws -> Void

    /// The props of both namespace resources; `holder` is what the namespace holds ("function").
    static func props(holding holder: String) -> [PropSpec] {
        [
            CommonProps.name("Name; defaults to the resource's name in the script. Lowercase letters, digits and hyphens; a change replaces the namespace.")
                .replacing(),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("environment_variables", .map(.string), default: .map([:]), doc: "Environment variables every \(holder) of the namespace gets."),
            PropSpec("secret_environment_variables", .map(.string), default: .map([:]), sensitive: true,
                     doc: "Secret environment variables (secret: sent to the API, never read back, never printed, encrypted in state). Changed in place."),
            CommonProps.tags,
            CommonProps.region,
            CommonProps.projectID,
        ]
    }

    /// The outputs of both namespace resources, with `extra` after `status`.
    static func outputSpecs(_ extra: [OutputSpec] = []) -> [OutputSpec] {
        [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("status", .string, doc: "`ready` once applied."),
        ] + extra + [
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
        ]
    }

    /// The values of `outputSpecs()` (without the extra ones).
    static func outputs(_ ns: Namespace) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: ns.region, uuid: ns.id).description), "name": .string(ns.name), "status": .string(ns.status),
            "region": .string(ns.region), "project_id": .string(ns.projectID), "organization_id": .string(ns.organizationID),
        ]
    }

    static func normalize(_ inputs: [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        ServerlessShared.fillDefaults(&out, ["region": .string(env.defaultRegion), "description": .string(""),
                                             "environment_variables": .map([:]), "secret_environment_variables": .secret(.map([:]))])
        if let name = out["name"]?.stringValue, let problem = ServerlessShared.nameProblem(name, max: 34) {
            throw Diagnostic("name \(problem)", at: .resource(context.address))
        }
        return out
    }

    /// Polls the namespace until it leaves the transient statuses; `error` ends the wait with a
    /// diagnostic unless `acceptError`.
    func waitSettled(region: String, id: String, timeout: Double, env: ScalewayEnvironment, context: ProviderContext,
                     acceptError: Bool = false) async throws -> Namespace {
        let get = self.get
        return try await ServerlessShared.waitSettled(what: "\(what) \(context.address.name)", timeout: timeout, interval: env.pollInterval,
                                                      context: context, acceptError: acceptError) {
            let ns = try await get(region, id)
            return (ns, ns.status, ns.statusMessage)
        }
    }

    /// The namespace's outputs and the props as the cloud has them; nil when it is gone.
    func read(id: String, env: ScalewayEnvironment, outputs: (Namespace) -> [String: Value]) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let ns = try await get(lid.region, lid.uuid)
            return ReadResult(outputs: outputs(ns), observed: [
                "name": .string(ns.name), "description": .string(ns.description), "region": .string(ns.region),
                "project_id": .string(ns.projectID), "environment_variables": .map(ns.environmentVariables.mapValues(Value.string)),
                "tags": CommonProps.tagsValue(OwnershipTags.userTags(ns.tags)),
            ])
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// Deletes the namespace (after what is under way settles) and waits until it is gone.
    func delete(id: String, env: ScalewayEnvironment, context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let get = self.get
        let timeout = context.timeouts.delete ?? ServerlessShared.namespaceTimeout
        do {
            let current = try await get(lid.region, lid.uuid)
            if current.status != "deleting" {
                if ServerlessShared.transient.contains(current.status) {
                    _ = try await waitSettled(region: lid.region, id: lid.uuid, timeout: timeout, env: env, context: context, acceptError: true)
                }
                context.phase("deleting")
                try await remove(lid.region, lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "\(what) \(context.address.name)", timeout: timeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await get(lid.region, lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// Namespaces carrying this resource's ownership tags (not being deleted).
    func owned(region: String, context: ProviderContext) async throws -> [Namespace] {
        try await list(region).filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
    }

    /// The namespaces an interrupted create made (half-made while not ready).
    func find(inputs: [String: Value], context: ProviderContext, outputs: (Namespace) -> [String: Value]) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        return try await owned(region: region, context: context).map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: outputs($0), halfMade: $0.status != "ready")
        }
    }
}

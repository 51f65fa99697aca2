// Container: a serverless container (Containers API v1) running a registry image. A change of
// image or configuration is one PATCH (the API redeploys) and a wait for `ready`; `error`
// (the image cannot be pulled, the app does not listen) reports the API's message. Limits,
// scale and the health check are checked before any write. Tagged with its owner; one not
// `ready` is reported half-made and the next create finishes it.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct ContainerResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let healthCheckFields: [PropSpec] = [
        PropSpec("http", .object([PropSpec("path", .string, required: true, doc: "Path answered with 2xx when healthy, e.g. `/healthz`.")]),
                 doc: "Check with an HTTP GET: `{ path = \"/healthz\" }`."),
        PropSpec("tcp", .bool, doc: "Check by opening a TCP connection to the port (the default when `http` is not given)."),
        PropSpec("failure_threshold", .int, range: 1...50, doc: "Failed checks before the instance is restarted (default 30)."),
        PropSpec("interval", .string, format: .duration, doc: "Time between checks, e.g. `10s` (default 10s)."),
    ]

    public static let schema = ResourceSchema(
        typeName: "Container",
        doc: "A serverless container running a registry image; a change of image or configuration redeploys it in place and waits for ready.",
        locality: .regional,
        props: [
            PropSpec("namespace_id", .resourceID(types: ["ContainerNamespace"]), required: true, change: .replace,
                     doc: "The namespace (a ContainerNamespace handle or `<region>/<uuid>`; `namespace = handle` also works)."),
            CommonProps.name("Name; defaults to the resource's name in the script. A change replaces the container.").replacing(),
            PropSpec("registry_image", .string, required: true, doc: "The image, e.g. `rg.fr-par.scw.cloud/apps/web:1.4.2` or `nginx:1.29-alpine`."),
            PropSpec("port", .int, default: .int(8080), range: 1...65_535, doc: "The port the app listens on."),
            PropSpec("cpu_limit", .int, default: .int(1000), range: 70...6000, doc: "vCPU in thousandths (mvCPU): 1000 = one vCPU."),
            PropSpec("memory_limit", .int, default: .int(2048), range: 128...32_768, doc: "Memory in MB."),
            PropSpec("min_scale", .int, default: .int(0), range: 0...50, doc: "Instances kept running."),
            PropSpec("max_scale", .int, default: .int(5), range: 1...50, doc: "Most instances; not below min_scale."),
            PropSpec("privacy", .string, default: .string("public"), allowed: ["public", "private"], doc: "`public` or `private` (calls need a token)."),
            PropSpec("protocol", .string, default: .string("http1"), allowed: ["http1", "h2c"], doc: "`http1` or `h2c` (HTTP/2 cleartext)."),
            PropSpec("http_option", .string, default: .string("enabled"), allowed: ["enabled", "redirected"],
                     doc: "`enabled` (HTTP and HTTPS) or `redirected` (HTTPS only)."),
            PropSpec("timeout", .string, default: .string("300s"), format: .duration, doc: "Longest a request may take, e.g. `300s` (at most 1h)."),
            PropSpec("max_concurrency", .int, default: .int(50), range: 1...80, doc: "Requests one instance takes at once before scaling out."),
            PropSpec("health_check", .object(healthCheckFields), doc: "Liveness check: `{ http = { path = \"/healthz\" }, failure_threshold = 3, interval = \"10s\" }`."),
            PropSpec("sandbox", .string, default: .string("v2"), allowed: ["v1", "v2"], doc: "Execution environment."),
            PropSpec("command", .list(.string), doc: "Overrides the image's entry point command."),
            PropSpec("args", .list(.string), doc: "Arguments given to the command."),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("environment_variables", .map(.string), default: .map([:]), doc: "Environment variables."),
            PropSpec("secret_environment_variables", .map(.string), default: .map([:]), sensitive: true,
                     doc: "Secret environment variables (secret: sent to the API, never read back, never printed, encrypted in state). Changed in place."),
            PropSpec("deploy", .bool, default: .bool(true), doc: "Wait for the container to run after each change (false: return once the API accepted it)."),
            CommonProps.tags,
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("namespace_id", .string),
            OutputSpec("domain_name", .string, doc: "Where the container answers (the public endpoint without `https://`)."),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("error_message", .string, doc: "Why the last deploy failed (empty when ready)."),
            OutputSpec("region", .string),
        ])

    var api: ContainersAPI { ContainersAPI(client: env.client) }
    static let mb: Int64 = 1_000_000

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try ServerlessShared.regionFromParent(inputs, parent: "namespace_id", env: env, context: context)
        ServerlessShared.fillDefaults(&out, [
            "name": .string(context.address.name), "port": .int(8080), "cpu_limit": .int(1000), "memory_limit": .int(2048),
            "min_scale": .int(0), "max_scale": .int(5), "privacy": .string("public"), "protocol": .string("http1"),
            "http_option": .string("enabled"), "timeout": .string("300s"), "max_concurrency": .int(50), "sandbox": .string("v2"),
            "description": .string(""), "environment_variables": .map([:]), "secret_environment_variables": .secret(.map([:])),
            "deploy": .bool(true), "tags": .list([]),
        ])
        if let name = out["name"]?.stringValue, let problem = ServerlessShared.nameProblem(name, max: 34) {
            throw Diagnostic("name \(problem)", at: .resource(context.address))
        }
        try ServerlessShared.checkScale(out, context: context)
        if let image = out["registry_image"]?.stringValue, image.isEmpty || image.contains(" ") {
            throw Diagnostic("registry_image \"\(image)\" is not an image reference", at: .resource(context.address))
        }
        if let timeout = out["timeout"]?.stringValue, let seconds = DurationText.seconds(timeout), seconds < 1 || seconds > 3600 {
            throw Diagnostic("timeout \(timeout) is outside 1s to 1h", at: .resource(context.address))
        }
        if let check = out["health_check"], check != .null, check["http"] != nil, check["http"] != .null, check["tcp"]?.boolValue == true {
            throw Diagnostic("health_check: give http or tcp, not both", at: .resource(context.address))
        }
        if let tags = out["tags"]?.listValue, tags.contains(where: { $0.stringValue?.hasPrefix(OwnershipTags.prefix) ?? false }) {
            throw Diagnostic("tags starting with '\(OwnershipTags.prefix)' are reserved", at: .resource(context.address))
        }
        return out
    }

    /// The liveness probe the health check asks for (nil: the API's default TCP check).
    static func probe(_ check: Value?) -> Value? {
        guard let check, check != .null else { return nil }
        var probe: [String: Value] = [
            "failure_threshold": .int(check["failure_threshold"]?.intValue ?? 30),
            "interval": .string(ServerlessShared.apiDuration(check["interval"]?.stringValue) ?? "10s"), "timeout": .string("1s"),
        ]
        if let path = check["http"]?["path"]?.stringValue { probe["http"] = .map(["path": .string(path)]) } else { probe["tcp"] = .map([:]) }
        return .map(probe)
    }

    /// Everything the inputs declare, as the API takes it.
    static func fullSpec(_ inputs: [String: Value]) -> ContainersAPI.ContainerSpec {
        var spec = ContainersAPI.ContainerSpec()
        spec.image = inputs["registry_image"]?.stringValue
        spec.port = inputs["port"]?.intValue
        spec.minScale = inputs["min_scale"]?.intValue
        spec.maxScale = inputs["max_scale"]?.intValue
        spec.memoryLimitBytes = inputs["memory_limit"]?.intValue.map { $0 * mb }
        spec.mvcpuLimit = inputs["cpu_limit"]?.intValue
        spec.timeout = ServerlessShared.apiDuration(inputs["timeout"]?.stringValue)
        spec.privacy = inputs["privacy"]?.stringValue
        spec.protocol = inputs["protocol"]?.stringValue
        spec.sandbox = inputs["sandbox"]?.stringValue
        spec.httpsConnectionsOnly = inputs["http_option"]?.stringValue == "redirected"
        spec.description = inputs["description"]?.stringValue
        spec.environmentVariables = ServerlessShared.stringMap(inputs["environment_variables"])
        spec.secrets = ServerlessShared.secretMap(inputs["secret_environment_variables"])
        spec.command = inputs["command"]?.listValue?.compactMap(\.stringValue)
        spec.args = inputs["args"]?.listValue?.compactMap(\.stringValue)
        spec.livenessProbe = probe(inputs["health_check"])
        spec.scalingOption = inputs["max_concurrency"]?.intValue.map { .map(["concurrent_requests_threshold": .int($0)]) }
        return spec
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let namespaceID = try ServerlessShared.parentUUID(inputs, "namespace_id", context: context)
        let api = self.api
        var container: Container
        if let resumed = try await owned(region: region, namespaceID: namespaceID, context: context).first {
            context.phase("resuming the container an interrupted create made")
            container = try await waitSettled(region: region, id: resumed.id, acceptError: true, context: context)
            container = try await patch(region: region, current: container, inputs: inputs, sendSecrets: true, context: context)
        } else {
            var spec = Self.fullSpec(inputs)
            spec.tags = OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context)
            let body = ContainersAPI.createContainerBody(namespaceID: namespaceID, name: try i.requireString("name"), spec: spec)
            context.phase("creating")
            container = try await CreateCall.run { try await api.createContainer(region: region, body: body) }
        }
        if i.bool("deploy") ?? true {
            container = try await waitSettled(region: region, id: container.id, context: context)
        }
        return CreateResult(id: LocalizedID(locality: region, uuid: container.id).description, outputs: Self.outputs(container))
    }

    func waitSettled(region: String, id: String, acceptError: Bool = false, context: ProviderContext) async throws -> Container {
        let api = self.api
        return try await ServerlessShared.waitSettled(what: "container \(context.address.name)", timeout: context.timeouts.create ?? ServerlessShared.containerTimeout,
                                                      interval: env.pollInterval, context: context, acceptError: acceptError) {
            let c = try await api.getContainer(region: region, id: id)
            return (c, c.status, c.errorMessage)
        }
    }

    /// One PATCH of what differs from the cloud (the API redeploys); nothing sent when nothing differs.
    private func patch(region: String, current: Container, inputs: [String: Value], sendSecrets: Bool,
                       context: ProviderContext) async throws -> Container {
        let wanted = Self.fullSpec(inputs)
        var spec = ContainersAPI.ContainerSpec()
        spec.image = UpdateFields.changed(wanted.image, from: current.image)
        spec.port = UpdateFields.changed(wanted.port, from: current.port)
        spec.minScale = UpdateFields.changed(wanted.minScale, from: current.minScale)
        spec.maxScale = UpdateFields.changed(wanted.maxScale, from: current.maxScale)
        spec.memoryLimitBytes = UpdateFields.changed(wanted.memoryLimitBytes, from: current.memoryLimitBytes)
        spec.mvcpuLimit = UpdateFields.changed(wanted.mvcpuLimit, from: current.mvcpuLimit)
        spec.timeout = UpdateFields.changed(wanted.timeout, from: current.timeout)
        spec.privacy = UpdateFields.changed(wanted.privacy, from: current.privacy)
        spec.protocol = UpdateFields.changed(wanted.protocol, from: current.protocol)
        spec.sandbox = UpdateFields.changed(wanted.sandbox, from: current.sandbox)
        spec.httpsConnectionsOnly = UpdateFields.changed(wanted.httpsConnectionsOnly, from: current.httpsConnectionsOnly)
        spec.description = UpdateFields.changed(wanted.description, from: current.description)
        spec.environmentVariables = UpdateFields.changed(wanted.environmentVariables, from: current.environmentVariables)
        spec.command = UpdateFields.changed(wanted.command, from: current.command)
        spec.args = UpdateFields.changed(wanted.args, from: current.args)
        spec.livenessProbe = wanted.livenessProbe.flatMap { $0 == current.livenessProbe ? nil : $0 }
        spec.scalingOption = wanted.scalingOption.flatMap { $0 == current.scalingOption ? nil : $0 }
        spec.tags = UpdateFields.tags(Inputs(inputs, context.address), current: current.tags, context: context)
        if sendSecrets { spec.secrets = wanted.secrets ?? [:] }
        let body = ContainersAPI.updateContainerBody(spec)
        guard body != ContainersAPI.updateContainerBody(ContainersAPI.ContainerSpec()) else { return current }   // nothing differs
        context.phase("updating")
        return try await api.updateContainer(region: region, id: current.id, body: body)
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let c = try await api.getContainer(region: lid.region, id: lid.uuid)
            var observed: [String: Value] = [
                "name": .string(c.name), "registry_image": .string(c.image), "port": .int(c.port), "cpu_limit": .int(c.mvcpuLimit),
                "memory_limit": .int(c.memoryLimitBytes / Self.mb), "min_scale": .int(c.minScale), "max_scale": .int(c.maxScale),
                "privacy": .string(c.privacy), "protocol": .string(c.protocol), "sandbox": .string(c.sandbox),
                "http_option": .string(c.httpsConnectionsOnly ? "redirected" : "enabled"), "description": .string(c.description),
                "environment_variables": .map(c.environmentVariables.mapValues(Value.string)),
                "tags": CommonProps.tagsValue(OwnershipTags.userTags(c.tags)), "region": .string(c.region),
            ]
            if let declared = inputs["timeout"]?.stringValue, ServerlessShared.apiDuration(declared) == c.timeout {
                observed["timeout"] = .string(declared)
            } else {
                observed["timeout"] = .string(c.timeout)
            }
            return ReadResult(outputs: Self.outputs(c), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        var c = try await waitSettled(region: lid.region, id: lid.uuid, acceptError: true, context: context)
        c = try await patch(region: lid.region, current: c, inputs: new, sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context)
        if new["deploy"]?.boolValue ?? true {
            c = try await waitSettled(region: lid.region, id: lid.uuid, context: context)
        }
        return Self.outputs(c)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        do {
            let current = try await api.getContainer(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                if ServerlessShared.transient.contains(current.status) {
                    _ = try await waitSettled(region: lid.region, id: lid.uuid, acceptError: true, context: context)
                }
                context.phase("deleting")
                try await api.deleteContainer(region: lid.region, id: lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "container \(context.address.name)", timeout: context.timeouts.delete ?? ServerlessShared.containerTimeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await api.getContainer(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    private func owned(region: String, namespaceID: String, context: ProviderContext) async throws -> [Container] {
        do {
            return try await api.listContainers(region: region, namespaceID: namespaceID)
                .filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue, let text = inputs["namespace_id"]?.stringValue,
              let ns = LocalizedID(parsing: text, defaultLocality: region) else { return [] }
        return try await owned(region: region, namespaceID: ns.uuid, context: context).map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0), halfMade: $0.status != "ready")
        }
    }

    static func outputs(_ c: Container) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: c.region, uuid: c.id).description), "name": .string(c.name),
            "namespace_id": .string(LocalizedID(locality: c.region, uuid: c.namespaceID).description),
            "domain_name": .string(c.domainName), "status": .string(c.status), "error_message": .string(c.errorMessage ?? ""),
            "region": .string(c.region),
        ]
    }
}

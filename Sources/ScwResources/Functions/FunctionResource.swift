// Function: a serverless function (Functions API v1beta1) and its code. The code is a folder
// (`source`, zipped deterministically by scwlua) or an archive (`zip_file`); its SHA-256 is the
// `zip_hash` prop, computed at plan time, so unchanged code plans nothing and changed code
// plans an in-place redeploy naming the new hash. Code goes up through the upload URL the API
// hands out, then deploy, then the wait for `ready` (a failed build reports the API's message).
// Runtime, memory and scale are checked before any write.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct FunctionResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let memoryLimits: [Int64] = [128, 256, 512, 1024, 2048, 3072, 4096]

    public static let schema = ResourceSchema(
        typeName: "Function",
        doc: "A serverless function with its code: `source` (a folder scwlua zips deterministically) or `zip_file`, uploaded, deployed and waited for until ready.",
        locality: .regional,
        props: [
            PropSpec("namespace_id", .resourceID(types: ["FunctionNamespace"]), required: true, change: .replace,
                     doc: "The namespace (a FunctionNamespace handle or `<region>/<uuid>`; `namespace = handle` also works)."),
            CommonProps.name("Name; defaults to the resource's name in the script. A change replaces the function.").replacing(),
            PropSpec("runtime", .string, required: true,
                     doc: "Runtime, e.g. `node22`, `python313`, `go124` (checked against the region's runtimes before any write)."),
            PropSpec("handler", .string, doc: "Entry point, e.g. `handler.handle` (file `handler.js` for node, `handler.py` for python). Defaults to `handler.handle` (`Handle` for go)."),
            PropSpec("privacy", .string, default: .string("public"), allowed: ["public", "private"], doc: "`public` or `private` (calls need a token)."),
            PropSpec("min_scale", .int, default: .int(0), range: 0...50, doc: "Instances kept running."),
            PropSpec("max_scale", .int, default: .int(20), range: 1...50, doc: "Most instances; not below min_scale."),
            PropSpec("memory_limit", .int, default: .int(256), range: 128...4096,
                     doc: "Memory in MB: 128, 256, 512, 1024, 2048, 3072 or 4096 (the CPU share follows)."),
            PropSpec("timeout", .string, default: .string("300s"), format: .duration, doc: "Longest a call may run, e.g. `30s`, `5m` (at most 15 minutes)."),
            PropSpec("http_option", .string, default: .string("enabled"), allowed: ["enabled", "redirected"],
                     doc: "`enabled` (HTTP and HTTPS) or `redirected` (HTTP redirected to HTTPS)."),
            PropSpec("sandbox", .string, default: .string("v2"), allowed: ["v1", "v2"], doc: "Execution environment."),
            PropSpec("description", .string, default: .string(""), doc: "Description."),
            PropSpec("environment_variables", .map(.string), default: .map([:]), doc: "Environment variables."),
            PropSpec("secret_environment_variables", .map(.string), default: .map([:]), sensitive: true,
                     doc: "Secret environment variables (secret: sent to the API, never read back, never printed, encrypted in state). Changed in place."),
            PropSpec("source", .string, doc: "A folder (relative to the script) zipped by scwlua: the same files give the same bytes, whatever their order or timestamps."),
            PropSpec("zip_file", .string, doc: "A zip archive (relative to the script), uploaded as it is. Give `source` or `zip_file`, not both."),
            PropSpec("zip_hash", .string,
                     doc: "Computed by scwlua: the SHA-256 of the code archive. A change redeploys the function in place (setting it is refused)."),
            CommonProps.tags,
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("namespace_id", .string),
            OutputSpec("domain_name", .string, doc: "Where the function answers, e.g. `apiab12cd34-hello.functions.fnc.fr-par.scw.cloud`."),
            OutputSpec("cpu_limit", .int, changesWith: ["memory_limit"], doc: "mvCPU, following memory_limit."),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("code_hash", .string, changesWith: ["zip_hash"], doc: "SHA-256 of the deployed archive."),
            OutputSpec("region", .string),
        ])

    var api: FunctionsAPI { FunctionsAPI(client: env.client) }

    // MARK: Normalize and validate

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        if inputs["zip_hash"] != nil, inputs["zip_hash"] != .null {
            throw Diagnostic("zip_hash is computed by scwlua from the code; do not set it", at: .resource(context.address))
        }
        var out = try ServerlessShared.regionFromParent(inputs, parent: "namespace_id", env: env, context: context)
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        ServerlessShared.fillDefaults(&out, [
            "privacy": .string("public"), "min_scale": .int(0), "max_scale": .int(20), "memory_limit": .int(256), "timeout": .string("300s"),
            "http_option": .string("enabled"), "sandbox": .string("v2"), "description": .string(""), "environment_variables": .map([:]),
            "secret_environment_variables": .secret(.map([:])), "tags": .list([]),
        ])
        if out["handler"] == nil || out["handler"] == .null, let runtime = out["runtime"]?.stringValue {
            out["handler"] = .string(runtime.hasPrefix("go") ? "Handle" : runtime.hasPrefix("rust") ? "handler" : "handler.handle")
        }
        if let name = out["name"]?.stringValue, let problem = ServerlessShared.nameProblem(name, max: 34) {
            throw Diagnostic("name \(problem)", at: .resource(context.address))
        }
        if let memory = out["memory_limit"]?.intValue, !Self.memoryLimits.contains(memory) {
            throw Diagnostic("memory_limit \(memory) MB is not offered", at: .resource(context.address),
                             hint: "one of \(Self.memoryLimits.map(String.init).joined(separator: ", "))")
        }
        try ServerlessShared.checkScale(out, context: context)
        if let timeout = out["timeout"]?.stringValue, let seconds = DurationText.seconds(timeout), seconds < 1 || seconds > 900 {
            throw Diagnostic("timeout \(timeout) is outside 1s to 15m", at: .resource(context.address))
        }
        if let tags = out["tags"]?.listValue, tags.contains(where: { $0.stringValue?.hasPrefix(OwnershipTags.prefix) ?? false }) {
            throw Diagnostic("tags starting with '\(OwnershipTags.prefix)' are reserved", at: .resource(context.address))
        }
        if let code = try FunctionCode.load(out, baseDirectory: env.baseDirectory, context: context, readable: { try env.checkReadable($0, prop: $1, given: $2, context: context) }) {
            out["zip_hash"] = .string(code.hash)
        } else {
            out["zip_hash"] = .null
        }
        return out
    }

    /// The runtime exists in the region (not end of life): checked before any write.
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        guard let region = inputs["region"]?.stringValue, let runtime = inputs["runtime"]?.stringValue else { return }
        let runtimes = try await api.listRuntimes(region: region)
        let usable = runtimes.filter { $0.status != "end_of_life" }
        guard usable.contains(where: { $0.name == runtime }) else {
            let names = usable.map(\.name)
            let hint = Suggest.closest(to: runtime, in: names).map { "did you mean '\($0)'?" } ?? "available: \(names.joined(separator: ", "))"
            throw Diagnostic("runtime '\(runtime)' is not offered in \(region)", at: .resource(context.address), hint: hint)
        }
    }

    // MARK: Create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let namespaceID = try ServerlessShared.parentUUID(inputs, "namespace_id", context: context)
        try await validate(inputs, context: context)
        let code = try loadCode(inputs, context: context)
        let api = self.api
        var function: ServerlessFunction
        if let resumed = try await owned(region: region, namespaceID: namespaceID, context: context).first {
            context.phase("resuming the function an interrupted create made")
            function = try await waitSettled(region: region, id: resumed.id, acceptError: true, context: context)
            function = try await patch(region: region, current: function, inputs: inputs, sendSecrets: true, context: context)
        } else {
            let body = FunctionsAPI.createFunctionBody(name: try i.requireString("name"), namespaceID: namespaceID,
                                                       spec: Self.spec(inputs, tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context)))
            context.phase("creating")
            function = try await CreateCall.run { try await api.createFunction(region: region, body: body) }
        }
        if let code { function = try await deploy(region: region, id: function.id, code: code, context: context) }
        return CreateResult(id: LocalizedID(locality: region, uuid: function.id).description, outputs: Self.outputs(function, codeHash: code?.hash))
    }

    /// The code as planned; refuses code that changed since the plan (its hash differs).
    private func loadCode(_ inputs: [String: Value], context: ProviderContext) throws -> FunctionCode? {
        let code = try FunctionCode.load(inputs, baseDirectory: env.baseDirectory, context: context, readable: { try env.checkReadable($0, prop: $1, given: $2, context: context) })
        if let planned = inputs["zip_hash"]?.stringValue, let code, code.hash != planned {
            throw Diagnostic("the function's code changed since the plan (zip_hash \(planned.prefix(12))… is now \(code.hash.prefix(12))…)",
                             at: .resource(context.address), hint: "plan again")
        }
        return code
    }

    /// Upload through the URL the API hands out, deploy, wait for ready.
    private func deploy(region: String, id: String, code: FunctionCode, context: ProviderContext) async throws -> ServerlessFunction {
        context.phase("uploading \(code.bytes.count) bytes")
        try await api.uploadCode(region: region, id: id, zip: code.bytes)
        context.phase("deploying")
        _ = try await api.deployFunction(region: region, id: id)
        return try await waitSettled(region: region, id: id, context: context)
    }

    func waitSettled(region: String, id: String, acceptError: Bool = false, context: ProviderContext) async throws -> ServerlessFunction {
        let api = self.api
        return try await ServerlessShared.waitSettled(what: "function \(context.address.name)", timeout: context.timeouts.create ?? ServerlessShared.functionTimeout,
                                                      interval: env.pollInterval, context: context, acceptError: acceptError) {
            let fn = try await api.getFunction(region: region, id: id)
            return (fn, fn.status, fn.errorMessage)
        }
    }

    static func spec(_ inputs: [String: Value], tags: [String]?) -> FunctionsAPI.FunctionSpec {
        let i = inputs
        return FunctionsAPI.FunctionSpec(
            runtime: i["runtime"]?.stringValue, handler: i["handler"]?.stringValue, privacy: i["privacy"]?.stringValue,
            minScale: i["min_scale"]?.intValue, maxScale: i["max_scale"]?.intValue, memoryLimit: i["memory_limit"]?.intValue,
            timeout: ServerlessShared.apiDuration(i["timeout"]?.stringValue), httpOption: i["http_option"]?.stringValue,
            sandbox: i["sandbox"]?.stringValue, description: i["description"]?.stringValue,
            environmentVariables: ServerlessShared.stringMap(i["environment_variables"]),
            secrets: ServerlessShared.secretMap(i["secret_environment_variables"]).map { (key: $0.key, value: Optional($0.value)) }, tags: tags)
    }

    /// One PATCH of what differs from the cloud (secrets when asked: the new set, removed keys as
    /// null), then the wait for the redeploy it starts. Nothing sent when nothing differs.
    private func patch(region: String, current: ServerlessFunction, inputs: [String: Value], sendSecrets: Bool,
                       context: ProviderContext) async throws -> ServerlessFunction {
        let i = Inputs(inputs, context.address)
        var spec = FunctionsAPI.FunctionSpec()
        spec.runtime = UpdateFields.changed(i.string("runtime"), from: current.runtime)
        spec.handler = UpdateFields.changed(i.string("handler"), from: current.handler)
        spec.privacy = UpdateFields.changed(i.string("privacy"), from: current.privacy)
        spec.minScale = UpdateFields.changed(inputs["min_scale"]?.intValue, from: current.minScale)
        spec.maxScale = UpdateFields.changed(inputs["max_scale"]?.intValue, from: current.maxScale)
        spec.memoryLimit = UpdateFields.changed(inputs["memory_limit"]?.intValue, from: current.memoryLimit)
        spec.timeout = UpdateFields.changed(ServerlessShared.apiDuration(i.string("timeout")), from: current.timeout)
        spec.httpOption = UpdateFields.changed(i.string("http_option"), from: current.httpOption)
        spec.sandbox = UpdateFields.changed(i.string("sandbox"), from: current.sandbox)
        spec.description = UpdateFields.changed(i.string("description"), from: current.description)
        spec.environmentVariables = UpdateFields.changed(ServerlessShared.stringMap(inputs["environment_variables"]), from: current.environmentVariables)
        spec.tags = UpdateFields.tags(i, current: current.tags, context: context)
        if sendSecrets {
            let wanted = ServerlessShared.secretMap(inputs["secret_environment_variables"])
            let list = wanted.map { (key: $0.key, value: Optional($0.value)) } + current.secretKeys.filter { wanted[$0] == nil }.map { (key: $0, value: nil) }
            if !list.isEmpty { spec.secrets = list }
        }
        let body = FunctionsAPI.updateFunctionBody(spec)
        guard body != FunctionsAPI.updateFunctionBody(FunctionsAPI.FunctionSpec()) else { return current }   // nothing differs
        context.phase("updating")
        _ = try await api.updateFunction(region: region, id: current.id, body: body)
        return try await waitSettled(region: region, id: current.id, acceptError: true, context: context)
    }

    // MARK: Read, update, delete

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let fn = try await api.getFunction(region: lid.region, id: lid.uuid)
            var observed: [String: Value] = [
                "name": .string(fn.name), "runtime": .string(fn.runtime), "handler": .string(fn.handler), "privacy": .string(fn.privacy),
                "min_scale": .int(fn.minScale), "max_scale": .int(fn.maxScale), "memory_limit": .int(fn.memoryLimit),
                "http_option": .string(fn.httpOption), "sandbox": .string(fn.sandbox), "description": .string(fn.description),
                "environment_variables": .map(fn.environmentVariables.mapValues(Value.string)),
                "tags": CommonProps.tagsValue(OwnershipTags.userTags(fn.tags)), "region": .string(fn.region),
            ]
            if let declared = inputs["timeout"]?.stringValue, ServerlessShared.apiDuration(declared) == fn.timeout {
                observed["timeout"] = .string(declared)   // the same duration, written as the script writes it
            } else {
                observed["timeout"] = .string(fn.timeout)
            }
            return ReadResult(outputs: Self.outputs(fn, codeHash: inputs["zip_hash"]?.stringValue), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let code = try loadCode(new, context: context)
        try await validate(new, context: context)
        var fn = try await waitSettled(region: lid.region, id: lid.uuid, acceptError: true, context: context)
        fn = try await patch(region: lid.region, current: fn, inputs: new, sendSecrets: ServerlessShared.secretsChanged(old: old, new: new), context: context)
        let codeChanged = old["zip_hash"]?.stringValue != new["zip_hash"]?.stringValue
        if let code, codeChanged || fn.status != "ready" {
            fn = try await deploy(region: lid.region, id: lid.uuid, code: code, context: context)
        } else if fn.status == "error" {
            throw Diagnostic("function \(context.address.name) failed: error" + (fn.errorMessage.map { ": \($0)" } ?? ""), at: .resource(context.address))
        }
        return Self.outputs(fn, codeHash: code?.hash)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        let timeout = context.timeouts.delete ?? ServerlessShared.functionTimeout
        do {
            let current = try await api.getFunction(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                if ServerlessShared.transient.contains(current.status) {
                    _ = try await waitSettled(region: lid.region, id: lid.uuid, acceptError: true, context: context)
                }
                context.phase("deleting")
                try await api.deleteFunction(region: lid.region, id: lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "function \(context.address.name)", timeout: timeout, interval: env.pollInterval, context: context) {
                _ = try await api.getFunction(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    // MARK: Find

    private func owned(region: String, namespaceID: String, context: ProviderContext) async throws -> [ServerlessFunction] {
        do {
            return try await api.listFunctions(region: region, namespaceID: namespaceID)
                .filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    /// Functions carrying this resource's tags; one not `ready` (cut short before or during its
    /// upload or deploy) is half-made: the next create finishes it.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue, let text = inputs["namespace_id"]?.stringValue,
              let ns = LocalizedID(parsing: text, defaultLocality: region) else { return [] }
        return try await owned(region: region, namespaceID: ns.uuid, context: context).map {
            CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0, codeHash: nil),
                         halfMade: $0.status != "ready")
        }
    }

    static func outputs(_ fn: ServerlessFunction, codeHash: String?) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: fn.region, uuid: fn.id).description), "name": .string(fn.name),
            "namespace_id": .string(LocalizedID(locality: fn.region, uuid: fn.namespaceID).description),
            "domain_name": .string(fn.domainName), "cpu_limit": .int(fn.cpuLimit), "status": .string(fn.status),
            "code_hash": codeHash.map(Value.string) ?? .null, "region": .string(fn.region),
        ]
    }
}

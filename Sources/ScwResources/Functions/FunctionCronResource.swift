// FunctionCron: a schedule that calls a function with JSON args (Functions API v1beta1 crons).
// The schedule is checked before any write. Crons carry no tags: after a crash one is found
// again by its name on its function.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct FunctionCronResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "FunctionCron",
        doc: "A cron trigger: calls a function on a schedule with JSON args.",
        locality: .regional,
        props: [
            PropSpec("function_id", .resourceID(types: ["Function"]), required: true, change: .replace,
                     doc: "The function (a Function handle or `<region>/<uuid>`; `function = handle` also works)."),
            PropSpec("schedule", .string, required: true, doc: "Cron syntax, five fields: `0 3 * * *` (checked before any write)."),
            PropSpec("args", .map(.any), default: .map([:]), doc: "A JSON object passed to the function."),
            CommonProps.name("Name; defaults to the resource's name in the script (how the cron is found again after a crash)."),
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("function_id", .string),
            OutputSpec("region", .string),
        ])

    var api: FunctionsAPI { FunctionsAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try ServerlessShared.regionFromParent(inputs, parent: "function_id", env: env, context: context)
        ServerlessShared.fillDefaults(&out, ["name": .string(context.address.name), "args": .map([:])])
        if let schedule = out["schedule"]?.stringValue, let problem = CronSchedule.problem(schedule) {
            throw Diagnostic("schedule: \(problem)", at: .resource(context.address))
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let functionID = try ServerlessShared.parentUUID(inputs, "function_id", context: context)
        let name = try i.requireString("name")
        let api = self.api
        var cron: FunctionCron
        if let resumed = try await api.listCrons(region: region, functionID: functionID).first(where: { $0.name == name && $0.status != "deleting" }) {
            context.phase("resuming the cron an interrupted create made")
            cron = try await api.updateCron(region: region, id: resumed.id, schedule: try i.requireString("schedule"),
                                            args: inputs["args"]?.revealed ?? .map([:]), name: nil)
        } else {
            let body = FunctionsAPI.createCronBody(functionID: functionID, schedule: try i.requireString("schedule"),
                                                   args: inputs["args"]?.revealed ?? .map([:]), name: name)
            context.phase("creating")
            cron = try await CreateCall.run { try await api.createCron(region: region, body: body) }
        }
        cron = try await waitReady(region: region, id: cron.id, context: context)
        return CreateResult(id: LocalizedID(locality: region, uuid: cron.id).description, outputs: Self.outputs(cron, region: region))
    }

    private func waitReady(region: String, id: String, context: ProviderContext) async throws -> FunctionCron {
        let api = self.api
        return try await ServerlessShared.waitSettled(what: "cron \(context.address.name)", timeout: ServerlessShared.namespaceTimeout,
                                                      interval: env.pollInterval, context: context) {
            let cron = try await api.getCron(region: region, id: id)
            return (cron, cron.status, nil)
        }
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let cron = try await api.getCron(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(cron, region: lid.region),
                              observed: ["schedule": .string(cron.schedule), "args": cron.args, "name": .string(cron.name)])
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let current = try await waitReady(region: lid.region, id: lid.uuid, context: context)
        let schedule = UpdateFields.changed(new["schedule"]?.stringValue, from: current.schedule)
        let args = UpdateFields.changed(new["args"]?.revealed, from: current.args)
        let name = UpdateFields.changed(new["name"]?.stringValue, from: current.name)
        guard schedule != nil || args != nil || name != nil else { return Self.outputs(current, region: lid.region) }
        context.phase("updating")
        _ = try await api.updateCron(region: lid.region, id: lid.uuid, schedule: schedule, args: args, name: name)
        return Self.outputs(try await waitReady(region: lid.region, id: lid.uuid, context: context), region: lid.region)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = ServerlessShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let api = self.api
        do {
            let current = try await api.getCron(region: lid.region, id: lid.uuid)
            if current.status != "deleting" {
                context.phase("deleting")
                try await api.deleteCron(region: lid.region, id: lid.uuid)
            }
            try await ServerlessShared.waitGone(what: "cron \(context.address.name)", timeout: ServerlessShared.namespaceTimeout,
                                                interval: env.pollInterval, context: context) {
                _ = try await api.getCron(region: lid.region, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// The cron of this name on the function (the name is its marker: crons carry no tags).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue, let text = inputs["function_id"]?.stringValue,
              let fn = LocalizedID(parsing: text, defaultLocality: region), let name = inputs["name"]?.stringValue else { return [] }
        do {
            return try await api.listCrons(region: region, functionID: fn.uuid).filter { $0.name == name && $0.status != "deleting" }.map {
                CreateResult(id: LocalizedID(locality: region, uuid: $0.id).description, outputs: Self.outputs($0, region: region),
                             halfMade: $0.status != "ready")
            }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    static func outputs(_ cron: FunctionCron, region: String) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: region, uuid: cron.id).description), "name": .string(cron.name),
            "status": .string(cron.status), "function_id": .string(LocalizedID(locality: region, uuid: cron.functionID).description),
            "region": .string(region),
        ]
    }
}

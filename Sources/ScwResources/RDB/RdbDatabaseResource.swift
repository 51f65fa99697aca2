// RdbDatabase: a logical database inside an RdbInstance. Created and deleted through the
// instance's queue (the instance must be ready before and after). Databases carry no tags:
// after a crash one is found again by its name on its instance.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RdbDatabaseResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "RdbDatabase",
        doc: "A database inside an RdbInstance. Its id is `<region>/<instance uuid>/<name>`.",
        locality: .regional,
        props: [
            PropSpec("instance_id", .resourceID(types: ["RdbInstance"]), required: true, change: .replace,
                     doc: "The instance (an RdbInstance handle or `<region>/<uuid>`; `instance = handle` also works)."),
            CommonProps.name("Database name; defaults to the resource's name in the script. A change replaces the database."),
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<instance uuid>/<name>`"),
            OutputSpec("name", .string),
            OutputSpec("instance_id", .string),
            OutputSpec("owner", .string),
            OutputSpec("managed", .bool),
            OutputSpec("size", .int, doc: "Bytes."),
            OutputSpec("region", .string),
        ])

    var api: RDBAPI { RDBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try RdbShared.normalizeChild(inputs, env: env, context: context)
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if let name = out["name"]?.stringValue, let problem = RdbShared.objectNameProblem(name) {
            throw Diagnostic("name: \(problem)", at: .resource(context.address))
        }
        if name(out).map(["postgres", "template0", "template1", "rdb", "mysql", "sys"].contains) == true {
            throw Diagnostic("name '\(name(out)!)' is reserved by the engine", at: .resource(context.address))
        }
        return out
    }

    private func name(_ inputs: [String: Value]) -> String? { inputs["name"]?.stringValue }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let (region, instance) = try RdbShared.parent(inputs, env: env, context: context)
        let name = try Inputs(inputs, context.address).requireString("name")
        let api = self.api
        let database = try await RdbShared.changing(api, region: region, id: instance, timeout: context.timeouts.create ?? RdbShared.defaultTimeout,
                                                    interval: env.pollInterval, context: context) { () -> RDBDatabase in
            if let existing = try await api.listDatabases(region: region, instanceID: instance, name: name).first(where: { $0.name == name }) {
                return existing   // made by an interrupted run (databases carry no tags: the name is the mark)
            }
            context.phase("creating")
            return try await RdbShared.createChild {
                try await api.createDatabase(region: region, instanceID: instance, name: name)
            } lookUp: {
                try await api.listDatabases(region: region, instanceID: instance, name: name).first(where: { $0.name == name })
            }
        }
        return CreateResult(id: RdbShared.childID(region: region, instance: instance, name: name),
                            outputs: Self.outputs(database, region: region, instance: instance))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let (region, instance, name) = RdbShared.child(id) else { return nil }
        do {
            guard let database = try await api.listDatabases(region: region, instanceID: instance, name: name).first(where: { $0.name == name }) else {
                return nil
            }
            var observed: [String: Value] = ["name": .string(database.name), "region": .string(region)]
            observed["instance_id"] = RdbShared.sameInstance(inputs["instance_id"], region: region, uuid: instance)
            return ReadResult(outputs: Self.outputs(database, region: region, instance: instance), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let (region, instance, name) = RdbShared.child(id),
              let database = try await api.listDatabases(region: region, instanceID: instance, name: name).first(where: { $0.name == name }) else {
            throw Diagnostic("database \(id) does not exist", at: .resource(context.address))
        }
        return Self.outputs(database, region: region, instance: instance)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let (region, instance, name) = RdbShared.child(id) else { return }
        let api = self.api
        do {
            try await RdbShared.changing(api, region: region, id: instance, timeout: context.timeouts.delete ?? RdbShared.defaultTimeout,
                                         interval: env.pollInterval, context: context) {
                do {
                    try await api.deleteDatabase(region: region, instanceID: instance, name: name)
                } catch let error as APIError where error.isNotFound {
                    return
                }
            }
        } catch let diagnostic as Diagnostic where diagnostic.message.contains("does not exist (any more)") {
            return   // the instance went, and the database with it
        }
    }

    /// No tags: the database of this name on the declared instance, if there is one.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = inputs["name"]?.stringValue, let text = inputs["instance_id"]?.stringValue,
              let (region, instance) = RdbShared.instance(text, defaultRegion: inputs["region"]?.stringValue ?? env.defaultRegion) else { return [] }
        do {
            return try await api.listDatabases(region: region, instanceID: instance, name: name).filter { $0.name == name }.map {
                CreateResult(id: RdbShared.childID(region: region, instance: instance, name: name), outputs: Self.outputs($0, region: region, instance: instance))
            }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    static func outputs(_ database: RDBDatabase, region: String, instance: String) -> [String: Value] {
        [
            "id": .string(RdbShared.childID(region: region, instance: instance, name: database.name)),
            "name": .string(database.name),
            "instance_id": .string(LocalizedID(locality: region, uuid: instance).description),
            "owner": .string(database.owner),
            "managed": .bool(database.managed),
            "size": .int(database.size),
            "region": .string(region),
        ]
    }
}

extension RdbShared {
    /// A create inside an instance: a lost answer is settled by looking the object up by name
    /// (it has no tags); a definite refusal other than "busy" means nothing was made. A busy
    /// refusal (409 transient_state) is left for ``changing`` to wait out and retry.
    static func createChild<T: Sendable>(_ call: () async throws -> T, lookUp: () async throws -> T?) async throws -> T {
        do {
            return try await call()
        } catch let error as AmbiguousWriteError {
            if let made = try await lookUp() { return made }
            throw AmbiguousCreateError(detail: String(describing: error))
        } catch let error as APIError where (400..<500).contains(error.status) && !error.isTransientState {
            throw CreateRefusedError(error)
        }
    }

    /// `fr-par/<instance>/<name>` → its parts.
    static func child(_ id: String) -> (region: String, instance: String, name: String)? {
        let parts = id.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3 else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    /// The declared instance id when it names this instance (kept as written), else the actual one.
    static func sameInstance(_ declared: Value?, region: String, uuid: String) -> Value {
        if let text = declared?.stringValue, instance(text, defaultRegion: region)?.uuid == uuid { return .string(text) }
        return .string(LocalizedID(locality: region, uuid: uuid).description)
    }

    /// Database and user names: a letter or underscore, then up to 62 letters, digits, `_` or `-`.
    static func objectNameProblem(_ name: String) -> String? {
        guard let first = name.first, name.count <= 63, first.isLetter || first == "_",
              name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" }) else {
            return "'\(name)' must start with a letter or '_' and hold at most 63 letters, digits, '_' or '-'"
        }
        return nil
    }
}

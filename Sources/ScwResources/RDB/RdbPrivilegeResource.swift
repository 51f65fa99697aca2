// RdbPrivilege: a user's permission on a database of the same RdbInstance (readonly,
// readwrite, all, custom, none), set in place; deleting it sets `none`. A database or user of
// another instance is refused before any write. Setting a permission is idempotent, so a
// crashed create is simply set again.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RdbPrivilegeResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let permissions = ["readonly", "readwrite", "all", "custom", "none"]

    public static let schema: ResourceSchema = {
        var schema = baseSchema
        schema.sameParent = [.init("database_name", parent: "instance_id"), .init("user_name", parent: "instance_id")]
        return schema
    }()

    static let baseSchema = ResourceSchema(
        typeName: "RdbPrivilege",
        doc: "A user's permission on a database (both of the same RdbInstance). Deleting it revokes it (`none`).",
        locality: .regional,
        props: [
            PropSpec("instance_id", .resourceID(types: ["RdbInstance"]), required: true, change: .replace,
                     doc: "The instance (an RdbInstance handle or `<region>/<uuid>`; `instance = handle` also works)."),
            PropSpec("user_name", .resourceID(types: ["RdbUser"]), required: true, change: .replace,
                     doc: "The user: an RdbUser handle (`user = handle` also works) or a user name."),
            PropSpec("database_name", .resourceID(types: ["RdbDatabase"]), required: true, change: .replace,
                     doc: "The database: an RdbDatabase handle (`database = handle` also works) or a database name."),
            PropSpec("permission", .string, required: true, allowed: permissions, doc: "`readonly`, `readwrite`, `all`, `custom` or `none`."),
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<instance uuid>/<database>/<user>`"),
            OutputSpec("user_name", .string),
            OutputSpec("database_name", .string),
            OutputSpec("permission", .string),
            OutputSpec("instance_id", .string),
            OutputSpec("region", .string),
        ])

    var api: RDBAPI { RDBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        let out = try RdbShared.normalizeChild(inputs, env: env, context: context)
        try Self.checkSameInstance(out, context: context)
        return out
    }

    /// A database or user given by handle (`<region>/<instance>/<name>`) must be of `instance_id`.
    static func checkSameInstance(_ inputs: [String: Value], context: ProviderContext) throws {
        guard let instance = inputs["instance_id"]?.stringValue, let parent = RdbShared.instance(instance, defaultRegion: "") else { return }
        for key in ["database_name", "user_name"] {
            guard let text = inputs[key]?.stringValue, let owner = RdbShared.child(text) else { continue }
            if owner.instance != parent.uuid {
                throw Diagnostic("\(key) '\(owner.name)' belongs to instance \(owner.region)/\(owner.instance), not to \(instance)",
                                 at: .resource(context.address), hint: "a privilege joins a user and a database of the same instance")
            }
        }
    }

    private struct Target {
        var region: String
        var instance: String
        var user: String
        var database: String
        var id: String { "\(region)/\(instance)/\(database)/\(user)" }
    }

    private func target(_ inputs: [String: Value], context: ProviderContext) throws -> Target {
        let (region, instance) = try RdbShared.parent(inputs, env: env, context: context)
        let i = Inputs(inputs, context.address)
        return Target(region: region, instance: instance, user: RdbShared.lastName(try i.requireString("user_name")),
                      database: RdbShared.lastName(try i.requireString("database_name")))
    }

    private static func target(id: String) -> Target? {
        let parts = id.split(separator: "/", maxSplits: 3).map(String.init)
        guard parts.count == 4 else { return nil }
        return Target(region: parts[0], instance: parts[1], user: parts[3], database: parts[2])
    }

    private func set(_ t: Target, _ permission: String, timeout: Double, context: ProviderContext) async throws -> RDBPrivilege {
        let api = self.api
        return try await RdbShared.changing(api, region: t.region, id: t.instance, timeout: timeout, interval: env.pollInterval, context: context) {
            context.phase("granting \(permission)")
            return try await api.setPrivilege(region: t.region, instanceID: t.instance, userName: t.user, databaseName: t.database, permission: permission)
        }
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        try Self.checkSameInstance(inputs, context: context)
        let t = try target(inputs, context: context)
        let privilege = try await set(t, inputs["permission"]?.stringValue ?? "none", timeout: context.timeouts.create ?? RdbShared.defaultTimeout, context: context)
        return CreateResult(id: t.id, outputs: Self.outputs(privilege, t))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let t = Self.target(id: id) else { return nil }
        do {
            guard let privilege = try await api.listPrivileges(region: t.region, instanceID: t.instance, userName: t.user, databaseName: t.database)
                .first(where: { $0.userName == t.user && $0.databaseName == t.database }) else { return nil }
            var observed: [String: Value] = ["permission": .string(privilege.permission), "region": .string(t.region),
                                             "instance_id": RdbShared.sameInstance(inputs["instance_id"], region: t.region, uuid: t.instance)]
            for (key, name) in [("user_name", t.user), ("database_name", t.database)] {
                observed[key] = inputs[key]?.stringValue.map { RdbShared.lastName($0) == name ? Value.string($0) : .string(name) } ?? .string(name)
            }
            return ReadResult(outputs: Self.outputs(privilege, t), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let t = Self.target(id: id) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let privilege = try await set(t, new["permission"]?.stringValue ?? "none", timeout: context.timeouts.update ?? RdbShared.defaultTimeout, context: context)
        return Self.outputs(privilege, t)
    }

    /// Revokes (`none`); a user, database or instance already gone leaves nothing to revoke.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let t = Self.target(id: id) else { return }
        do {
            _ = try await set(t, "none", timeout: context.timeouts.delete ?? RdbShared.defaultTimeout, context: context)
        } catch let error as APIError where error.isNotFound {
            return
        } catch let diagnostic as Diagnostic where diagnostic.message.contains("does not exist (any more)") {
            return
        }
    }

    /// A permission already granted on this pair, reported half-made: a deploy sets it again
    /// (idempotent), a destroy revokes it.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let t = try? target(inputs, context: context) else { return [] }
        do {
            return try await api.listPrivileges(region: t.region, instanceID: t.instance, userName: t.user, databaseName: t.database)
                .filter { $0.userName == t.user && $0.databaseName == t.database && $0.permission != "none" }
                .map { CreateResult(id: t.id, outputs: Self.outputs($0, t), halfMade: true) }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    private static func outputs(_ privilege: RDBPrivilege, _ t: Target) -> [String: Value] {
        [
            "id": .string(t.id), "user_name": .string(privilege.userName), "database_name": .string(privilege.databaseName),
            "permission": .string(privilege.permission), "instance_id": .string(LocalizedID(locality: t.region, uuid: t.instance).description),
            "region": .string(t.region),
        ]
    }
}

// RdbUser: a database user of an RdbInstance, with a secret password (checked against the
// API's policy before any write, changed in place) and an admin flag. Users carry no tags:
// after a crash one is found again by its name on its instance (and given its password again).

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RdbUserResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "RdbUser",
        doc: "A database user of an RdbInstance. Its id is `<region>/<instance uuid>/<name>`.",
        locality: .regional,
        props: [
            PropSpec("instance_id", .resourceID(types: ["RdbInstance"]), required: true, change: .replace,
                     doc: "The instance (an RdbInstance handle or `<region>/<uuid>`; `instance = handle` also works)."),
            CommonProps.name("User name; defaults to the resource's name in the script. A change replaces the user."),
            PropSpec("password", .string, required: true, sensitive: true,
                     doc: "Secret: 8 to 128 characters with a digit, an upper and a lower case letter and a special character. Changed in place."),
            PropSpec("is_admin", .bool, default: .bool(false), doc: "Grant the admin role."),
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<instance uuid>/<name>`"),
            OutputSpec("name", .string),
            OutputSpec("instance_id", .string),
            OutputSpec("is_admin", .bool),
            OutputSpec("region", .string),
        ])

    var api: RDBAPI { RDBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try RdbShared.normalizeChild(inputs, env: env, context: context)
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["is_admin"] == nil || out["is_admin"] == .null { out["is_admin"] = .bool(false) }
        if let name = out["name"]?.stringValue, let problem = RdbShared.objectNameProblem(name) {
            throw Diagnostic("name: \(problem)", at: .resource(context.address))
        }
        if let password = RdbShared.plainString(out, "password"), let problem = RdbShared.passwordProblem(password) {
            throw Diagnostic("password: \(problem)", at: .resource(context.address))
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let (region, instance) = try RdbShared.parent(inputs, env: env, context: context)
        let name = try Inputs(inputs, context.address).requireString("name")
        let password = inputs["password"] ?? .null
        let admin = inputs["is_admin"]?.boolValue ?? false
        let api = self.api
        let user = try await RdbShared.changing(api, region: region, id: instance, timeout: context.timeouts.create ?? RdbShared.defaultTimeout,
                                                interval: env.pollInterval, context: context) { () -> RDBUser in
            if try await api.listUsers(region: region, instanceID: instance, name: name).contains(where: { $0.name == name }) {
                // Made by an interrupted run: its password may not be this one, so set it again.
                return try await api.updateUser(region: region, instanceID: instance, name: name, password: password, isAdmin: admin)
            }
            context.phase("creating")
            return try await RdbShared.createChild {
                try await api.createUser(region: region, instanceID: instance, name: name, password: password, isAdmin: admin)
            } lookUp: {
                try await api.listUsers(region: region, instanceID: instance, name: name).first(where: { $0.name == name })
            }
        }
        return CreateResult(id: RdbShared.childID(region: region, instance: instance, name: name), outputs: Self.outputs(user, region: region, instance: instance))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let (region, instance, name) = RdbShared.child(id) else { return nil }
        do {
            guard let user = try await api.listUsers(region: region, instanceID: instance, name: name).first(where: { $0.name == name }) else { return nil }
            let observed: [String: Value] = [
                "name": .string(user.name), "is_admin": .bool(user.isAdmin), "region": .string(region),
                "instance_id": RdbShared.sameInstance(inputs["instance_id"], region: region, uuid: instance),
            ]
            return ReadResult(outputs: Self.outputs(user, region: region, instance: instance), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let (region, instance, name) = RdbShared.child(id) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let password = Diff.same(old["password"] ?? .null, new["password"] ?? .null) ? nil : new["password"]
        let admin = new["is_admin"]?.boolValue
        let api = self.api
        let user = try await RdbShared.changing(api, region: region, id: instance, timeout: context.timeouts.update ?? RdbShared.defaultTimeout,
                                                interval: env.pollInterval, context: context) {
            context.phase(password == nil ? "updating" : "changing the password")
            return try await api.updateUser(region: region, instanceID: instance, name: name, password: password, isAdmin: admin)
        }
        return Self.outputs(user, region: region, instance: instance)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let (region, instance, name) = RdbShared.child(id) else { return }
        let api = self.api
        do {
            try await RdbShared.changing(api, region: region, id: instance, timeout: context.timeouts.delete ?? RdbShared.defaultTimeout,
                                         interval: env.pollInterval, context: context) {
                do {
                    try await api.deleteUser(region: region, instanceID: instance, name: name)
                } catch let error as APIError where error.isNotFound {
                    return
                }
            }
        } catch let diagnostic as Diagnostic where diagnostic.message.contains("does not exist (any more)") {
            return
        }
    }

    /// No tags: the user of this name on the declared instance, reported half-made (nothing
    /// tells whether its password is the declared one): a deploy's create finds it by name and
    /// sets the password again; a destroy deletes it.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let name = inputs["name"]?.stringValue, let text = inputs["instance_id"]?.stringValue,
              let (region, instance) = RdbShared.instance(text, defaultRegion: inputs["region"]?.stringValue ?? env.defaultRegion) else { return [] }
        do {
            return try await api.listUsers(region: region, instanceID: instance, name: name).filter { $0.name == name }.map {
                CreateResult(id: RdbShared.childID(region: region, instance: instance, name: name), outputs: Self.outputs($0, region: region, instance: instance),
                             halfMade: true)
            }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    static func outputs(_ user: RDBUser, region: String, instance: String) -> [String: Value] {
        [
            "id": .string(RdbShared.childID(region: region, instance: instance, name: user.name)),
            "name": .string(user.name),
            "instance_id": .string(LocalizedID(locality: region, uuid: instance).description),
            "is_admin": .bool(user.isAdmin),
            "region": .string(region),
        ]
    }
}

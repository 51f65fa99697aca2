// IamApiKey: an API key of an application or a user (global; its id is the access key). The
// secret key is shown by the API only in the answer to the create: it becomes a sensitive
// output (sealed in state, never printed) that reads and updates leave as it was. API keys
// have no tags, so the ownership marker ends the description; an interrupted create is found
// by it and replaced (its secret was lost with the crash).

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

public struct IamApiKeyResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "IamApiKey",
        doc: "An IAM API key (access key and secret key) of an application or a user. The secret key is returned once, at creation.",
        locality: .global,
        props: [
            PropSpec("application_id", .resourceID(types: ["IamApplication"]), change: .replace,
                     doc: "The application that owns the key (give this or `user_id`)."),
            PropSpec("user_id", .string, change: .replace, format: .uuid, doc: "The user that owns the key (give this or `application_id`)."),
            PropSpec("description", .string, default: .string(""), doc: "Free text (at most 150 characters)."),
            PropSpec("expires_at", .string, change: .replace, doc: "When the key stops working (RFC 3339, in the future). Changing it replaces the key."),
            PropSpec("default_project_id", .string, format: .uuid, doc: "The project the key acts in by default; the organization's default project when absent."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The access key."),
            OutputSpec("access_key", .string),
            OutputSpec("secret_key", .string, sensitive: true, doc: "The secret key: known from the create only, kept in state (sealed)."),
            OutputSpec("application_id", .string),
            OutputSpec("user_id", .string),
            OutputSpec("description", .string),
            OutputSpec("default_project_id", .string),
            OutputSpec("expires_at", .string),
            OutputSpec("creation_ip", .string),
            OutputSpec("created_at", .string),
        ])

    static let lostSecret = "an interrupted create made this key but its secret key (shown only then) was never recorded: it is deleted and made again"

    var api: IAMAPI { IAMAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let at = Diagnostic.Place.resource(context.address)
        func given(_ key: String) -> Bool { out[key] != nil && out[key] != .null }
        switch (given("application_id"), given("user_id")) {
        case (true, true): throw Diagnostic("give application_id or user_id, not both: a key has one owner", at: at)
        case (false, false): throw Diagnostic("application_id or user_id is required: the key's owner", at: at)
        default: break
        }
        if out["description"] == nil || out["description"] == .null { out["description"] = .string("") }
        if let description = out["description"]?.stringValue {
            if description.contains("[\(OwnershipTags.prefix)") {
                throw Diagnostic("description cannot hold '[\(OwnershipTags.prefix)': it is reserved for the ownership marker", at: at)
            }
            if description.count > 150 { throw Diagnostic("description is longer than 150 characters", at: at) }
        }
        if let text = out["expires_at"]?.stringValue, IamShared.parseTimestamp(text) == nil {
            throw Diagnostic("expires_at '\(text)' is not an RFC 3339 timestamp", at: at, hint: "e.g. 2027-12-31T00:00:00Z")
        }
        return out
    }

    /// The expiry must lie ahead when a key is to be made (checked at plan time, before any write).
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        if let text = inputs["expires_at"]?.stringValue, let date = IamShared.parseTimestamp(text), date <= Date() {
            throw Diagnostic("expires_at \(text) is in the past", at: .resource(context.address), hint: "give a time in the future")
        }
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let application = IamShared.id(inputs["application_id"]), user = IamShared.id(inputs["user_id"])
        let description = IamShared.markedDescription(i.string("description") ?? "", context: context)
        // The answer of a lost create held the only copy of its secret: whatever it made is deleted
        // (found by the marker) and the create tried again, never adopted.
        for attempt in 1...3 {
            do {
                let key = try await api.createAPIKey(applicationID: application, userID: user, description: description,
                                                     expiresAt: i.string("expires_at"), defaultProjectID: i.string("default_project_id"))
                return CreateResult(id: key.accessKey, outputs: Self.outputs(key))
            } catch let error as AmbiguousWriteError {
                context.phase("answer lost; deleting any key it made")
                for key in try await owned(application: application, user: user, context: context) {
                    try await delete(id: key.accessKey, inputs: inputs, context: context)
                }
                if attempt == 3 { throw error }
            } catch let error as APIError where (400..<500).contains(error.status) {
                throw CreateRefusedError(error)
            }
        }
        throw Diagnostic("create failed", at: .resource(context.address))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        do {
            let key = try await api.getAPIKey(accessKey: id)
            return ReadResult(outputs: Self.outputs(key), observed: Self.observed(key, declared: inputs))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let i = Inputs(new, context.address)
        let key = try await api.updateAPIKey(accessKey: id, description: IamShared.markedDescription(i.string("description") ?? "", context: context),
                                             defaultProjectID: i.string("default_project_id"))
        return Self.outputs(key)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        do { try await api.deleteAPIKey(accessKey: id) } catch let error as APIError where error.isNotFound { return }
    }

    /// Keys of this owner whose description carries this resource's marker.
    private func owned(application: String?, user: String?, context: ProviderContext) async throws -> [IAMAPIKey] {
        guard application != nil || user != nil else { return [] }
        let keys = try await api.listAPIKeys(applicationID: application, userID: user, description: IamShared.marker(context))
        return keys.filter { IamShared.marked($0.description, by: context) }
    }

    /// A key made by an interrupted create is reported, to be replaced: its secret is lost.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        try await owned(application: IamShared.id(inputs["application_id"]), user: IamShared.id(inputs["user_id"]), context: context).map {
            CreateResult(id: $0.accessKey, outputs: Self.outputs($0), replaceReason: Self.lostSecret)
        }
    }

    /// Outputs; `secret_key` only when the answer carries it (the create), sealed as a secret.
    static func outputs(_ key: IAMAPIKey) -> [String: Value] {
        var out: [String: Value] = [
            "id": .string(key.accessKey), "access_key": .string(key.accessKey),
            "application_id": key.applicationID.map(Value.string) ?? .null, "user_id": key.userID.map(Value.string) ?? .null,
            "description": .string(IamShared.userDescription(key.description)),
            "default_project_id": key.defaultProjectID.map(Value.string) ?? .null, "expires_at": key.expiresAt.map(Value.string) ?? .null,
            "creation_ip": key.creationIP.map(Value.string) ?? .null, "created_at": key.createdAt.map(Value.string) ?? .null,
        ]
        if let secret = key.secretKey { out["secret_key"] = .secret(.string(secret)) }
        return out
    }

    static func observed(_ key: IAMAPIKey, declared: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [
            "application_id": key.applicationID.map(Value.string) ?? .null, "user_id": key.userID.map(Value.string) ?? .null,
            "description": .string(IamShared.userDescription(key.description)),
        ]
        if declared["default_project_id"]?.stringValue != nil { out["default_project_id"] = key.defaultProjectID.map(Value.string) ?? .null }
        // The API writes the expiry back in its own format: the same instant is no change.
        if let wanted = declared["expires_at"]?.stringValue, let have = key.expiresAt,
           let a = IamShared.parseTimestamp(wanted), let b = IamShared.parseTimestamp(have), abs(a.timeIntervalSince(b)) < 1 {
            out["expires_at"] = .string(wanted)
        } else {
            out["expires_at"] = key.expiresAt.map(Value.string) ?? .null
        }
        return out
    }
}

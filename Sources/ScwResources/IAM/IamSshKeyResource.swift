// IamSshKey: an SSH public key of a project (IAM, global). The key is checked before any write
// (ed25519, RSA or ECDSA; base64 that decodes to a key of the type named). Like Terraform, the
// key is sent as written (trailing newline trimmed) and a read-back without the comment is no
// change. The same key cannot be registered twice in a project, so a key is found again by it.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

public struct IamSshKeyResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let keyTypes = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    public static let schema = ResourceSchema(
        typeName: "IamSshKey",
        doc: "An SSH public key, installed on the project's new Instances.",
        locality: .global,
        props: [
            CommonProps.name(),
            PropSpec("public_key", .string, required: true, change: .replace,
                     doc: "`ssh-ed25519 ...`, `ssh-rsa ...` or `ecdsa-sha2-nistp256 ...` (the comment after the key is optional)."),
            PropSpec("disabled", .bool, default: .bool(false), doc: "A disabled key is kept but not installed on new Instances."),
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The key's UUID."),
            OutputSpec("name", .string),
            OutputSpec("public_key", .string, doc: "As the API keeps it (without the comment)."),
            OutputSpec("fingerprint", .string, doc: "`256 MD5:xx:... (ssh-ed25519)`"),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("disabled", .bool),
            OutputSpec("created_at", .string),
        ])

    var api: IAMAPI { IAMAPI(client: env.client) }

    /// `type base64` of a key line (comment dropped), or the reason it is not a supported key.
    static func keyProblem(_ text: String) -> String? {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count >= 2 else { return "expected \"<type> <base64 key> [comment]\"" }
        guard keyTypes.contains(fields[0]) else { return "unsupported key type '\(fields[0])' (use \(keyTypes.joined(separator: ", ")))" }
        guard let blob = Data(base64Encoded: fields[1]), blob.count > 4 else { return "the key part is not valid base64" }
        let bytes = Array(blob)
        let length = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - 4, String(decoding: bytes[4..<4 + length], as: UTF8.self) == fields[0] else {
            return "the key data is not a \(fields[0]) key"
        }
        return nil
    }

    /// The key without its comment: what the API keeps.
    static func stripped(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).prefix(2).joined(separator: " ")
    }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["disabled"] == nil || out["disabled"] == .null { out["disabled"] = .bool(false) }
        if let key = out["public_key"]?.stringValue {
            let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = Self.keyProblem(trimmed) {
                throw Diagnostic("public_key: \(problem)", at: .resource(context.address), hint: "give the contents of a .pub file")
            }
            out["public_key"] = .string(trimmed)
        }
        if out["project_id"] == nil || out["project_id"] == .null {
            guard let project = env.defaultProjectID else {
                throw Diagnostic("no project: set project_id, scw.defaults { project_id = ... }, or default_project_id in the Scaleway config",
                                 at: .resource(context.address))
            }
            out["project_id"] = .string(project)
        }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        var key = try await CreateCall.run {
            try await api.createSSHKey(name: try i.requireString("name"), publicKey: try i.requireString("public_key"),
                                       projectID: try i.requireString("project_id"))
        }
        if i.bool("disabled") == true { key = try await api.updateSSHKey(id: key.id, disabled: true) }   // as the provider does
        return CreateResult(id: key.id, outputs: Self.outputs(key))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        do {
            let key = try await api.getSSHKey(id: id)
            return ReadResult(outputs: Self.outputs(key), observed: Self.observed(key, declared: inputs))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let i = Inputs(new, context.address)
        let key = try await api.updateSSHKey(id: id, name: old["name"] != new["name"] ? i.string("name") : nil,
                                             disabled: old["disabled"] != new["disabled"] ? (i.bool("disabled") ?? false) : nil)
        return Self.outputs(key)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        do { try await api.deleteSSHKey(id: id) } catch let error as APIError where error.isNotFound { return }
    }

    /// The project's key with the same key data (the API refuses a key twice in a project).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let project = inputs["project_id"]?.stringValue, let wanted = inputs["public_key"]?.stringValue else { return [] }
        return try await api.listSSHKeys(projectID: project).filter { Self.stripped($0.publicKey) == Self.stripped(wanted) }
            .map { CreateResult(id: $0.id, outputs: Self.outputs($0)) }
    }

    static func outputs(_ key: IAMSSHKey) -> [String: Value] {
        ["id": .string(key.id), "name": .string(key.name), "public_key": .string(key.publicKey), "fingerprint": .string(key.fingerprint),
         "project_id": .string(key.projectID), "organization_id": key.organizationID.map(Value.string) ?? .null,
         "disabled": .bool(key.disabled), "created_at": key.createdAt.map(Value.string) ?? .null]
    }

    /// The declared key when only its comment differs from what the API kept.
    static func observed(_ key: IAMSSHKey, declared: [String: Value]) -> [String: Value] {
        let wanted = declared["public_key"]?.stringValue
        let publicKey = wanted.map { stripped($0) == stripped(key.publicKey) ? $0 : key.publicKey } ?? key.publicKey
        return ["name": .string(key.name), "public_key": .string(publicKey), "disabled": .bool(key.disabled), "project_id": .string(key.projectID)]
    }
}

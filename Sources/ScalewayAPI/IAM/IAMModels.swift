// IAMModels: typed views of the IAM API's objects (application, API key, policy and rule,
// permission set, SSH key, user), decoded with errors naming the missing or mistyped field.

import ScwCore

/// An IAM application: a non-human principal that API keys and policies belong to.
public struct IAMApplication: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var organizationID: String
    public var tags: [String]
    public var editable: Bool
    public var apiKeyCount: Int64
    public var createdAt: String?
    public var updatedAt: String?
    public var raw: Value

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IAMApplication")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        organizationID = try r.string("organization_id")
        tags = try r.strings("tags")
        editable = try r.bool("editable", default: true)
        apiKeyCount = try r.int("nb_api_keys", default: 0)
        createdAt = try r.optionalString("created_at")
        updatedAt = try r.optionalString("updated_at")
        raw = json
    }
}

/// An API key. `secretKey` is only set in the answer to its creation; `raw` never holds it.
public struct IAMAPIKey: Sendable {
    public var accessKey: String
    public var secretKey: String?
    public var description: String
    public var applicationID: String?
    public var userID: String?
    public var defaultProjectID: String?
    public var expiresAt: String?
    public var creationIP: String?
    public var editable: Bool
    public var createdAt: String?
    public var updatedAt: String?
    public var raw: Value

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IAMAPIKey")
        accessKey = try r.string("access_key")
        secretKey = try r.optionalString("secret_key")
        description = try r.optionalString("description") ?? ""
        applicationID = try r.optionalString("application_id")
        userID = try r.optionalString("user_id")
        defaultProjectID = try r.optionalString("default_project_id")
        expiresAt = try r.optionalString("expires_at")
        creationIP = try r.optionalString("creation_ip")
        editable = try r.bool("editable", default: true)
        createdAt = try r.optionalString("created_at")
        updatedAt = try r.optionalString("updated_at")
        var fields = r.fields
        fields["secret_key"] = nil
        raw = .map(fields)
    }
}

/// What a policy grants: permission sets on projects, or on the whole organization.
public struct IAMRuleSpec: Sendable, Equatable, Hashable {
    public var permissionSetNames: [String]
    public var projectIDs: [String]?
    public var organizationID: String?

    public init(permissionSetNames: [String], projectIDs: [String]? = nil, organizationID: String? = nil) {
        self.permissionSetNames = permissionSetNames
        self.projectIDs = projectIDs
        self.organizationID = organizationID
    }

    /// `{"permission_set_names":[...],"project_ids":[...]}` or with `organization_id`.
    public var body: Value {
        var b: [String: Value] = ["permission_set_names": .list(permissionSetNames.map(Value.string))]
        if let projectIDs { b["project_ids"] = .list(projectIDs.map(Value.string)) }
        if let organizationID { b["organization_id"] = .string(organizationID) }
        return .map(b)
    }
}

/// A rule as the API holds it.
public struct IAMRule: Sendable {
    public var id: String
    public var spec: IAMRuleSpec
    public var scopeType: String?

    public init(json: Value, what: String = "IAMRule") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        let projects = try r.fields["project_ids"].map { _ in try r.strings("project_ids") }
        spec = IAMRuleSpec(permissionSetNames: try r.strings("permission_set_names"), projectIDs: projects,
                           organizationID: try r.optionalString("organization_id"))
        scopeType = try r.optionalString("permission_sets_scope_type")
    }
}

/// Who a policy applies to.
public enum IAMPrincipal: Sendable, Equatable {
    case application(String)
    case user(String)
    case group(String)
    case none

    /// The field a create or update body carries.
    var field: (String, Value) {
        switch self {
        case .application(let id): return ("application_id", .string(id))
        case .user(let id): return ("user_id", .string(id))
        case .group(let id): return ("group_id", .string(id))
        case .none: return ("no_principal", .bool(true))
        }
    }
}

/// An IAM policy (its rules are read with ``IAMAPI/listRules(policyID:)``).
public struct IAMPolicy: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var organizationID: String
    public var tags: [String]
    public var principal: IAMPrincipal
    public var ruleCount: Int64
    public var createdAt: String?
    public var raw: Value

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IAMPolicy")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        organizationID = try r.string("organization_id")
        tags = try r.strings("tags")
        if let a = try r.optionalString("application_id") { principal = .application(a) }
        else if let u = try r.optionalString("user_id") { principal = .user(u) }
        else if let g = try r.optionalString("group_id") { principal = .group(g) }
        else { principal = .none }
        ruleCount = try r.int("nb_rules", default: 0)
        createdAt = try r.optionalString("created_at")
        raw = json
    }
}

/// A permission set of the catalogue (`ObjectStorageFullAccess`...).
public struct IAMPermissionSet: Sendable {
    public var id: String
    public var name: String
    /// `projects` or `organization`.
    public var scopeType: String
    public var description: String

    public init(json: Value, what: String = "IAMPermissionSet") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        scopeType = try r.optionalString("scope_type") ?? "projects"
        description = try r.optionalString("description") ?? ""
    }
}

/// An SSH key of a project (the API drops the comment of the key given).
public struct IAMSSHKey: Sendable {
    public var id: String
    public var name: String
    public var publicKey: String
    public var fingerprint: String
    public var projectID: String
    public var organizationID: String?
    public var disabled: Bool
    public var createdAt: String?
    public var raw: Value

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IAMSSHKey")
        id = try r.string("id")
        name = try r.string("name")
        publicKey = try r.string("public_key")
        fingerprint = try r.optionalString("fingerprint") ?? ""
        projectID = try r.string("project_id")
        organizationID = try r.optionalString("organization_id")
        disabled = try r.bool("disabled", default: false)
        createdAt = try r.optionalString("created_at")
        raw = json
    }
}

/// A user of the organization.
public struct IAMUser: Sendable {
    public var id: String
    public var email: String
    public var organizationID: String
    public var type: String?

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IAMUser")
        id = try r.string("id")
        email = try r.optionalString("email") ?? ""
        organizationID = try r.string("organization_id")
        type = try r.optionalString("type")
    }
}

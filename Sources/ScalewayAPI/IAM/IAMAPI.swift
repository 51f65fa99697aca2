// IAMAPI: the IAM v1alpha1 service (global): applications, API keys, policies and rules,
// permission sets, SSH keys, users. Request bodies are what the recorded cassettes show the
// real API accepted (ENDPOINTS.md section 9).

import ScwCore

/// Typed calls to `/iam/v1alpha1`.
public struct IAMAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) { self.client = client }

    private let base = "/iam/v1alpha1"

    // MARK: applications

    public static func createApplicationBody(name: String, organizationID: String, description: String, tags: [String]) -> Value {
        .map(["name": .string(name), "organization_id": .string(organizationID), "description": .string(description),
              "tags": .list(tags.map(Value.string))])
    }

    /// A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createApplication(name: String, organizationID: String, description: String = "", tags: [String] = []) async throws -> IAMApplication {
        let body = IAMAPI.createApplicationBody(name: name, organizationID: organizationID, description: description, tags: tags)
        return try IAMApplication(json: try await client.call("POST", "\(base)/applications", body: body))
    }

    public func getApplication(id: String) async throws -> IAMApplication {
        try IAMApplication(json: try await client.call("GET", "\(base)/applications/\(id)"))
    }

    public func listApplications(organizationID: String? = nil, name: String? = nil, tag: String? = nil) async throws -> [IAMApplication] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let organizationID { query.append(("organization_id", organizationID)) }
        if let name { query.append(("name", name)) }
        if let tag { query.append(("tag", tag)) }
        return try await client.listAll("\(base)/applications", itemsKey: "applications", query: query, style: .pageSize).map { try IAMApplication(json: $0) }
    }

    public static func updateApplicationBody(name: String?, description: String?, tags: [String]?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let description { body["description"] = .string(description) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        return .map(body)
    }

    public func updateApplication(id: String, name: String? = nil, description: String? = nil, tags: [String]? = nil) async throws -> IAMApplication {
        try IAMApplication(json: try await client.call("PATCH", "\(base)/applications/\(id)",
                                                       body: IAMAPI.updateApplicationBody(name: name, description: description, tags: tags)))
    }

    /// Deletes an application and its API keys (204).
    public func deleteApplication(id: String) async throws {
        _ = try await client.call("DELETE", "\(base)/applications/\(id)")
    }

    // MARK: API keys

    /// `{"application_id"|"user_id", "description"}` plus `expires_at` and `default_project_id` when given.
    public static func createAPIKeyBody(applicationID: String?, userID: String?, description: String, expiresAt: String?,
                                        defaultProjectID: String?) -> Value {
        var body: [String: Value] = ["description": .string(description)]
        if let applicationID { body["application_id"] = .string(applicationID) }
        if let userID { body["user_id"] = .string(userID) }
        if let expiresAt { body["expires_at"] = .string(expiresAt) }
        if let defaultProjectID { body["default_project_id"] = .string(defaultProjectID) }
        return .map(body)
    }

    /// Creates a key; its `secretKey` is in this answer only. A POST: an ambiguous failure
    /// throws ``AmbiguousWriteError``.
    public func createAPIKey(applicationID: String? = nil, userID: String? = nil, description: String = "", expiresAt: String? = nil,
                             defaultProjectID: String? = nil) async throws -> IAMAPIKey {
        let body = IAMAPI.createAPIKeyBody(applicationID: applicationID, userID: userID, description: description, expiresAt: expiresAt,
                                           defaultProjectID: defaultProjectID)
        return try IAMAPIKey(json: try await client.call("POST", "\(base)/api-keys", body: body))
    }

    public func getAPIKey(accessKey: String) async throws -> IAMAPIKey {
        try IAMAPIKey(json: try await client.call("GET", "\(base)/api-keys/\(accessKey)"))
    }

    public func listAPIKeys(applicationID: String? = nil, userID: String? = nil, description: String? = nil) async throws -> [IAMAPIKey] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let applicationID { query.append(("application_id", applicationID)) }
        if let userID { query.append(("user_id", userID)) }
        if let description { query.append(("description", description)) }
        return try await client.listAll("\(base)/api-keys", itemsKey: "api_keys", query: query, style: .pageSize).map { try IAMAPIKey(json: $0) }
    }

    public static func updateAPIKeyBody(description: String?, defaultProjectID: String?) -> Value {
        var body: [String: Value] = [:]
        if let description { body["description"] = .string(description) }
        if let defaultProjectID { body["default_project_id"] = .string(defaultProjectID) }
        return .map(body)
    }

    public func updateAPIKey(accessKey: String, description: String? = nil, defaultProjectID: String? = nil) async throws -> IAMAPIKey {
        try IAMAPIKey(json: try await client.call("PATCH", "\(base)/api-keys/\(accessKey)",
                                                  body: IAMAPI.updateAPIKeyBody(description: description, defaultProjectID: defaultProjectID)))
    }

    public func deleteAPIKey(accessKey: String) async throws {
        _ = try await client.call("DELETE", "\(base)/api-keys/\(accessKey)")
    }

    // MARK: policies and rules

    public static func createPolicyBody(name: String, description: String, organizationID: String, tags: [String], principal: IAMPrincipal,
                                        rules: [IAMRuleSpec]) -> Value {
        var body: [String: Value] = [
            "name": .string(name), "description": .string(description), "organization_id": .string(organizationID),
            "tags": .list(tags.map(Value.string)), "rules": .list(rules.map(\.body)),
        ]
        let (key, value) = principal.field
        body[key] = value
        return .map(body)
    }

    /// A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createPolicy(name: String, description: String = "", organizationID: String, tags: [String] = [], principal: IAMPrincipal,
                             rules: [IAMRuleSpec]) async throws -> IAMPolicy {
        let body = IAMAPI.createPolicyBody(name: name, description: description, organizationID: organizationID, tags: tags,
                                           principal: principal, rules: rules)
        return try IAMPolicy(json: try await client.call("POST", "\(base)/policies", body: body))
    }

    public func getPolicy(id: String) async throws -> IAMPolicy {
        try IAMPolicy(json: try await client.call("GET", "\(base)/policies/\(id)"))
    }

    public func listPolicies(organizationID: String? = nil, tag: String? = nil) async throws -> [IAMPolicy] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let organizationID { query.append(("organization_id", organizationID)) }
        if let tag { query.append(("tag", tag)) }
        return try await client.listAll("\(base)/policies", itemsKey: "policies", query: query, style: .pageSize).map { try IAMPolicy(json: $0) }
    }

    public static func updatePolicyBody(name: String?, description: String?, tags: [String]?, principal: IAMPrincipal?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let description { body["description"] = .string(description) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let principal { let (k, v) = principal.field; body[k] = v }
        return .map(body)
    }

    public func updatePolicy(id: String, name: String? = nil, description: String? = nil, tags: [String]? = nil,
                             principal: IAMPrincipal? = nil) async throws -> IAMPolicy {
        try IAMPolicy(json: try await client.call("PATCH", "\(base)/policies/\(id)",
                                                  body: IAMAPI.updatePolicyBody(name: name, description: description, tags: tags, principal: principal)))
    }

    public func deletePolicy(id: String) async throws {
        _ = try await client.call("DELETE", "\(base)/policies/\(id)")
    }

    public func listRules(policyID: String) async throws -> [IAMRule] {
        try await client.listAll("\(base)/rules", itemsKey: "rules", query: [("policy_id", policyID)], style: .pageSize)
            .enumerated().map { try IAMRule(json: $1, what: "IAMRule[\($0)]") }
    }

    /// Replaces every rule of a policy (PUT: safe to repeat).
    public func setRules(policyID: String, rules: [IAMRuleSpec]) async throws -> [IAMRule] {
        let body: Value = .map(["policy_id": .string(policyID), "rules": .list(rules.map(\.body))])
        let answer = try await client.call("PUT", "\(base)/rules", body: body)
        return try FieldReader(answer, what: "PUT /rules answer").objects("rules") { try IAMRule(json: $0, what: $1) }
    }

    /// The permission-set catalogue of an organization.
    public func listPermissionSets(organizationID: String) async throws -> [IAMPermissionSet] {
        try await client.listAll("\(base)/permission-sets", itemsKey: "permission_sets",
                                 query: [("organization_id", organizationID), ("order_by", "created_at_asc")], style: .pageSize)
            .enumerated().map { try IAMPermissionSet(json: $1, what: "IAMPermissionSet[\($0)]") }
    }

    // MARK: SSH keys

    public static func createSSHKeyBody(name: String, publicKey: String, projectID: String) -> Value {
        .map(["name": .string(name), "public_key": .string(publicKey), "project_id": .string(projectID)])
    }

    /// A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createSSHKey(name: String, publicKey: String, projectID: String) async throws -> IAMSSHKey {
        try IAMSSHKey(json: try await client.call("POST", "\(base)/ssh-keys",
                                                  body: IAMAPI.createSSHKeyBody(name: name, publicKey: publicKey, projectID: projectID)))
    }

    public func getSSHKey(id: String) async throws -> IAMSSHKey {
        try IAMSSHKey(json: try await client.call("GET", "\(base)/ssh-keys/\(id)"))
    }

    public func listSSHKeys(projectID: String? = nil, name: String? = nil) async throws -> [IAMSSHKey] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let projectID { query.append(("project_id", projectID)) }
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base)/ssh-keys", itemsKey: "ssh_keys", query: query, style: .pageSize).map { try IAMSSHKey(json: $0) }
    }

    public static func updateSSHKeyBody(name: String?, disabled: Bool?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let disabled { body["disabled"] = .bool(disabled) }
        return .map(body)
    }

    public func updateSSHKey(id: String, name: String? = nil, disabled: Bool? = nil) async throws -> IAMSSHKey {
        try IAMSSHKey(json: try await client.call("PATCH", "\(base)/ssh-keys/\(id)", body: IAMAPI.updateSSHKeyBody(name: name, disabled: disabled)))
    }

    public func deleteSSHKey(id: String) async throws {
        _ = try await client.call("DELETE", "\(base)/ssh-keys/\(id)")
    }

    // MARK: users

    public func listUsers(organizationID: String? = nil) async throws -> [IAMUser] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let organizationID { query.append(("organization_id", organizationID)) }
        return try await client.listAll("\(base)/users", itemsKey: "users", query: query, style: .pageSize).map { try IAMUser(json: $0) }
    }
}

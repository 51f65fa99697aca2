// InstanceAPI+SecurityGroups: security groups and their rules. Rules are always set as one
// list (`PUT /rules`); the answer holds every rule, the non-editable ones Scaleway adds too.

import ScwCore

extension InstanceAPI {
    /// The body of `POST /security_groups`: `description` and `tags` only when given.
    public static func createSecurityGroupBody(name: String, projectID: String, description: String?, stateful: Bool,
                                               inboundDefaultPolicy: String, outboundDefaultPolicy: String,
                                               enableDefaultSecurity: Bool, tags: [String]) -> Value {
        var body: [String: Value] = [
            "name": .string(name),
            "project": .string(projectID),
            "stateful": .bool(stateful),
            "inbound_default_policy": .string(inboundDefaultPolicy),
            "outbound_default_policy": .string(outboundDefaultPolicy),
            "enable_default_security": .bool(enableDefaultSecurity),
        ]
        if let description { body["description"] = .string(description) }
        if !tags.isEmpty { body["tags"] = tagsValue(tags) }
        return .map(body)
    }

    /// Creates a security group. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createSecurityGroup(zone: String, name: String, projectID: String? = nil, description: String? = nil,
                                    stateful: Bool = true, inboundDefaultPolicy: String = "accept", outboundDefaultPolicy: String = "accept",
                                    enableDefaultSecurity: Bool = true, tags: [String] = []) async throws -> SecurityGroup {
        let body = Self.createSecurityGroupBody(name: name, projectID: try project(projectID), description: description, stateful: stateful,
                                                inboundDefaultPolicy: inboundDefaultPolicy, outboundDefaultPolicy: outboundDefaultPolicy,
                                                enableDefaultSecurity: enableDefaultSecurity, tags: tags)
        let answer = try await client.call("POST", "\(base(zone))/security_groups", body: body)
        return try SecurityGroup(json: Self.unwrap(answer, "security_group", what: "POST /security_groups answer"))
    }

    /// One security group; a missing one throws ``APIError`` with `isNotFound`.
    public func getSecurityGroup(zone: String, id: String) async throws -> SecurityGroup {
        let answer = try await client.call("GET", "\(base(zone))/security_groups/\(id)")
        return try SecurityGroup(json: Self.unwrap(answer, "security_group", what: "GET /security_groups/{id} answer"))
    }

    /// Every security group matching the filters (all pages).
    public func listSecurityGroups(zone: String, tags: [String] = [], projectID: String? = nil) async throws -> [SecurityGroup] {
        var query: [(String, String)] = []
        if let projectID { query.append(("project", projectID)) }
        if !tags.isEmpty { query.append(("tags", tags.joined(separator: ","))) }
        return try await client.listAll("\(base(zone))/security_groups", itemsKey: "security_groups", query: query, style: .perPage)
            .map { try SecurityGroup(json: $0) }
    }

    /// The body of `PATCH /security_groups/{id}`: only the fields given; `description`
    /// `.null` clears it.
    public static func updateSecurityGroupBody(name: String? = nil, description: Value? = nil, stateful: Bool? = nil,
                                               inboundDefaultPolicy: String? = nil, outboundDefaultPolicy: String? = nil,
                                               enableDefaultSecurity: Bool? = nil, tags: [String]? = nil) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let description { body["description"] = description }
        if let stateful { body["stateful"] = .bool(stateful) }
        if let inboundDefaultPolicy { body["inbound_default_policy"] = .string(inboundDefaultPolicy) }
        if let outboundDefaultPolicy { body["outbound_default_policy"] = .string(outboundDefaultPolicy) }
        if let enableDefaultSecurity { body["enable_default_security"] = .bool(enableDefaultSecurity) }
        if let tags { body["tags"] = tagsValue(tags) }
        return .map(body)
    }

    /// Changes a security group with a body from ``updateSecurityGroupBody(name:description:stateful:inboundDefaultPolicy:outboundDefaultPolicy:enableDefaultSecurity:tags:)``.
    public func updateSecurityGroup(zone: String, id: String, body: Value) async throws -> SecurityGroup {
        let answer = try await client.call("PATCH", "\(base(zone))/security_groups/\(id)", body: body)
        return try SecurityGroup(json: Self.unwrap(answer, "security_group", what: "PATCH /security_groups/{id} answer"))
    }

    /// The body of `PUT /security_groups/{id}/rules`: the editable rules, in order.
    public static func setRulesBody(_ rules: [SecurityGroupRule], zone: String) -> Value {
        .map(["rules": .list(rules.map { $0.requestBody(zone: zone) })])
    }

    /// Replaces every editable rule of a group; returns all its rules (non-editable ones too).
    public func setRules(zone: String, securityGroupID: String, rules: [SecurityGroupRule]) async throws -> [SecurityGroupRule] {
        let answer = try await client.call("PUT", "\(base(zone))/security_groups/\(securityGroupID)/rules", body: Self.setRulesBody(rules, zone: zone))
        return try FieldReader(answer, what: "PUT /rules answer").objects("rules") { try SecurityGroupRule(json: $0, what: $1) }
    }

    /// Every rule of a group (all pages), the non-editable ones too.
    public func listRules(zone: String, securityGroupID: String) async throws -> [SecurityGroupRule] {
        try await client.listAll("\(base(zone))/security_groups/\(securityGroupID)/rules", itemsKey: "rules", style: .perPage)
            .map { try SecurityGroupRule(json: $0) }
    }

    /// Deletes a security group (204). While servers use it the API answers 409 `conflict`
    /// ("Group is in use").
    public func deleteSecurityGroup(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/security_groups/\(id)")
    }
}

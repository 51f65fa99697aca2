// RDBAPI: the Managed Database service (RDB v1, regional): engines, node types, instances
// (create, get, list, patch, upgrade, settings, certificate, endpoints, delete), and the
// databases, users, privileges and ACL rules inside an instance. Request bodies are what the
// recorded cassettes show the real API accepted (ENDPOINTS.md section 5).

import ScwCore

/// Typed calls to `/rdb/v1/regions/{region}`.
public struct RDBAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) {
        self.client = client
    }

    private func base(_ region: String) -> String { "/rdb/v1/regions/\(region)" }
    private func instancePath(_ region: String, _ id: String) -> String { "\(base(region))/instances/\(id)" }

    // MARK: catalogue

    /// Every engine with its versions and settings.
    public func listEngines(region: String) async throws -> [RDBEngine] {
        try await client.listAll("\(base(region))/database-engines", itemsKey: "engines", style: .pageSize).map { try RDBEngine(json: $0) }
    }

    /// Every node type of the region.
    public func listNodeTypes(region: String) async throws -> [RDBNodeType] {
        try await client.listAll("\(base(region))/node-types", itemsKey: "node_types", style: .pageSize).map { try RDBNodeType(json: $0) }
    }

    // MARK: instances

    /// One endpoint to make: public (`{"load_balancer":{}}`) or on a private network, its
    /// address from IPAM or a static `service_ip` (`10.0.0.5/24`).
    public enum EndpointSpec: Sendable, Equatable {
        case publicEndpoint
        case privateNetwork(id: String, serviceIP: String?)

        public var json: Value {
            switch self {
            case .publicEndpoint:
                return .map(["load_balancer": .map([:])])
            case .privateNetwork(let id, let serviceIP):
                var pn: [String: Value] = ["private_network_id": .string(id)]
                if let serviceIP { pn["service_ip"] = .string(serviceIP) } else { pn["ipam_config"] = .map([:]) }
                return .map(["private_network": .map(pn)])
            }
        }
    }

    /// The body of `POST /instances`, every field the provider sends (the password stays a
    /// secret inside the Value until the client sends it). `initEndpoints` nil sends `null`
    /// (one public endpoint); `volumeSize` in bytes (0 for lssd).
    public static func createInstanceBody(projectID: String, name: String, engine: String, userName: String, password: Value,
                                          nodeType: String, isHACluster: Bool, disableBackup: Bool, tags: [String],
                                          initSettings: [(String, String)]?, volumeType: String, volumeSize: Int64,
                                          initEndpoints: [EndpointSpec]?, backupSameRegion: Bool, encryption: Bool) -> Value {
        .map([
            "project_id": .string(projectID), "name": .string(name), "engine": .string(engine), "user_name": .string(userName),
            "password": password, "node_type": .string(nodeType), "is_ha_cluster": .bool(isHACluster), "disable_backup": .bool(disableBackup),
            "tags": .list(tags.map(Value.string)),
            "init_settings": initSettings.map { .list($0.map { .map(["name": .string($0.0), "value": .string($0.1)]) }) } ?? .null,
            "volume_type": .string(volumeType), "volume_size": .int(volumeSize),
            "init_endpoints": initEndpoints.map { .list($0.map(\.json)) } ?? .null,
            "backup_same_region": .bool(backupSameRegion), "encryption": .map(["enabled": .bool(encryption)]),
        ])
    }

    /// Creates an instance (answers `provisioning`). A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createInstance(region: String, body: Value) async throws -> RDBInstance {
        try RDBInstance(json: try await client.call("POST", "\(base(region))/instances", body: body))
    }

    /// One instance; a missing one throws ``APIError`` with `isNotFound`.
    public func getInstance(region: String, id: String) async throws -> RDBInstance {
        try RDBInstance(json: try await client.call("GET", instancePath(region, id)))
    }

    /// Every instance matching the filters (all pages); `tags` matches instances having any of them.
    public func listInstances(region: String, tags: [String]? = nil, name: String? = nil, projectID: String? = nil) async throws -> [RDBInstance] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project_id", projectID)) }
        for tag in tags ?? [] { query.append(("tags", tag)) }
        return try await client.listAll("\(base(region))/instances", itemsKey: "instances", query: query, style: .pageSize)
            .map { try RDBInstance(json: $0) }
    }

    /// The body of `PATCH /instances/{id}`: only the fields given.
    public static func updateInstanceBody(name: String? = nil, tags: [String]? = nil, backupScheduleFrequency: Int64? = nil,
                                          backupScheduleRetention: Int64? = nil, isBackupScheduleDisabled: Bool? = nil,
                                          backupSameRegion: Bool? = nil) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let backupScheduleFrequency { body["backup_schedule_frequency"] = .int(backupScheduleFrequency) }
        if let backupScheduleRetention { body["backup_schedule_retention"] = .int(backupScheduleRetention) }
        if let isBackupScheduleDisabled { body["is_backup_schedule_disabled"] = .bool(isBackupScheduleDisabled) }
        if let backupSameRegion { body["backup_same_region"] = .bool(backupSameRegion) }
        return .map(body)
    }

    public func updateInstance(region: String, id: String, body: Value) async throws -> RDBInstance {
        try RDBInstance(json: try await client.call("PATCH", instancePath(region, id), body: body))
    }

    /// One change of `POST /instances/{id}/upgrade` (the API takes exactly one per call).
    public enum Upgrade: Sendable, Equatable {
        case nodeType(String)
        case enableHA
        /// Bytes; Block volumes only, and only growing.
        case volumeSize(Int64)
        case volumeType(String)
        case enableEncryption

        public var body: Value {
            switch self {
            case .nodeType(let n): return .map(["node_type": .string(n)])
            case .enableHA: return .map(["enable_ha": .bool(true)])
            case .volumeSize(let s): return .map(["volume_size": .int(s)])
            case .volumeType(let t): return .map(["volume_type": .string(t)])
            case .enableEncryption: return .map(["enable_encryption": .bool(true)])
            }
        }
    }

    /// Starts an upgrade (the instance goes through a transient status). Safe to repeat.
    public func upgradeInstance(region: String, id: String, _ change: Upgrade) async throws -> RDBInstance {
        try RDBInstance(json: try await client.call("POST", "\(instancePath(region, id))/upgrade", body: change.body, idempotent: true))
    }

    /// Sets the given settings (the others keep their value); returns every setting.
    public func setSettings(region: String, id: String, _ settings: [(String, String)]) async throws -> [(name: String, value: String)] {
        let body: Value = .map(["settings": .list(settings.map { .map(["name": .string($0.0), "value": .string($0.1)]) })])
        let answer = try await client.call("PUT", "\(instancePath(region, id))/settings", body: body)
        return try FieldReader(answer, what: "settings answer").objects("settings") { try RDBInstance.pair($0, $1) }
    }

    /// The instance's CA certificate.
    public func getCertificate(region: String, id: String) async throws -> RDBCertificate {
        try RDBCertificate(json: try await client.call("GET", "\(instancePath(region, id))/certificate"))
    }

    /// Adds an endpoint. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createEndpoint(region: String, instanceID: String, _ spec: EndpointSpec) async throws -> RDBInstance.Endpoint {
        try RDBInstance.Endpoint(json: try await client.call("POST", "\(instancePath(region, instanceID))/endpoints",
                                                             body: .map(["endpoint_spec": spec.json])), what: "RDBInstance.Endpoint")
    }

    public func deleteEndpoint(region: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(region))/endpoints/\(id)")
    }

    /// Starts the delete (answers the instance `deleting`; then 404).
    public func deleteInstance(region: String, id: String) async throws -> RDBInstance {
        try RDBInstance(json: try await client.call("DELETE", instancePath(region, id)))
    }

    // MARK: databases

    /// Databases of an instance; `name` asks for that one only.
    public func listDatabases(region: String, instanceID: String, name: String? = nil) async throws -> [RDBDatabase] {
        var query: [(String, String)] = []
        if let name { query.append(("name", name)) }
        query.append(("order_by", "name_asc"))
        return try await client.listAll("\(instancePath(region, instanceID))/databases", itemsKey: "databases", query: query, style: .pageSize)
            .map { try RDBDatabase(json: $0) }
    }

    public func createDatabase(region: String, instanceID: String, name: String) async throws -> RDBDatabase {
        try RDBDatabase(json: try await client.call("POST", "\(instancePath(region, instanceID))/databases", body: .map(["name": .string(name)])))
    }

    public func deleteDatabase(region: String, instanceID: String, name: String) async throws {
        _ = try await client.call("DELETE", "\(instancePath(region, instanceID))/databases/\(percentEncode(name))")
    }

    // MARK: users

    public func listUsers(region: String, instanceID: String, name: String? = nil) async throws -> [RDBUser] {
        var query: [(String, String)] = []
        if let name { query.append(("name", name)) }
        query.append(("order_by", "name_asc"))
        return try await client.listAll("\(instancePath(region, instanceID))/users", itemsKey: "users", query: query, style: .pageSize)
            .map { try RDBUser(json: $0) }
    }

    /// `password` stays a secret Value until sent.
    public func createUser(region: String, instanceID: String, name: String, password: Value, isAdmin: Bool) async throws -> RDBUser {
        let body: Value = .map(["name": .string(name), "password": password, "is_admin": .bool(isAdmin)])
        return try RDBUser(json: try await client.call("POST", "\(instancePath(region, instanceID))/users", body: body))
    }

    /// Changes a user's password and/or admin flag; nil leaves it.
    public func updateUser(region: String, instanceID: String, name: String, password: Value? = nil, isAdmin: Bool? = nil) async throws -> RDBUser {
        var body: [String: Value] = [:]
        if let password { body["password"] = password }
        if let isAdmin { body["is_admin"] = .bool(isAdmin) }
        return try RDBUser(json: try await client.call("PATCH", "\(instancePath(region, instanceID))/users/\(percentEncode(name))", body: .map(body)))
    }

    public func deleteUser(region: String, instanceID: String, name: String) async throws {
        _ = try await client.call("DELETE", "\(instancePath(region, instanceID))/users/\(percentEncode(name))")
    }

    // MARK: privileges

    public func listPrivileges(region: String, instanceID: String, userName: String? = nil, databaseName: String? = nil) async throws -> [RDBPrivilege] {
        var query: [(String, String)] = []
        if let databaseName { query.append(("database_name", databaseName)) }
        if let userName { query.append(("user_name", userName)) }
        return try await client.listAll("\(instancePath(region, instanceID))/privileges", itemsKey: "privileges", query: query, style: .pageSize)
            .map { try RDBPrivilege(json: $0) }
    }

    public func setPrivilege(region: String, instanceID: String, userName: String, databaseName: String, permission: String) async throws -> RDBPrivilege {
        let body: Value = .map(["database_name": .string(databaseName), "user_name": .string(userName), "permission": .string(permission)])
        return try RDBPrivilege(json: try await client.call("PUT", "\(instancePath(region, instanceID))/privileges", body: body))
    }

    // MARK: ACLs

    public func listACLs(region: String, instanceID: String) async throws -> [RDBACLRule] {
        try await client.listAll("\(instancePath(region, instanceID))/acls", itemsKey: "rules", style: .pageSize).map { try RDBACLRule(json: $0) }
    }

    /// Replaces every rule with `rules` in one call.
    public func setACLs(region: String, instanceID: String, rules: [RDBACLRule]) async throws -> [RDBACLRule] {
        let body: Value = .map(["rules": .list(rules.map { .map(["ip": .string($0.ip), "description": .string($0.description)]) })])
        let answer = try await client.call("PUT", "\(instancePath(region, instanceID))/acls", body: body)
        return try FieldReader(answer, what: "acls answer").objects("rules") { try RDBACLRule(json: $0, what: $1) }
    }

    /// Removes the rules of these ranges.
    public func deleteACLs(region: String, instanceID: String, ips: [String]) async throws {
        _ = try await client.call("DELETE", "\(instancePath(region, instanceID))/acls", body: .map(["acl_rule_ips": .list(ips.map(Value.string))]))
    }
}

// ContainersAPI: Serverless Containers v1 (regional): namespaces and containers (create, get,
// list, patch, redeploy, delete). v1 takes secret environment variables as a map. Request
// bodies are what the recorded cassettes show the real API accepted (ENDPOINTS.md section 7).

import ScwCore

/// Typed calls to `/containers/v1/regions/{region}`.
public struct ContainersAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) { self.client = client }

    private func base(_ region: String) -> String { "/containers/v1/regions/\(region)" }

    // MARK: namespaces

    /// `POST /namespaces`: `tags` nil sends null; secrets are a `{key: value}` map of secrets.
    public static func createNamespaceBody(projectID: String, name: String, description: String? = nil,
                                           environmentVariables: [String: String], secrets: [String: Value], tags: [String]?) -> Value {
        var body: [String: Value] = [
            "project_id": .string(projectID), "name": .string(name),
            "environment_variables": .map(environmentVariables.mapValues(Value.string)), "secret_environment_variables": .map(secrets),
            "tags": tags.map { .list($0.map(Value.string)) } ?? .null,
        ]
        if let description { body["description"] = .string(description) }
        return .map(body)
    }

    /// `PATCH /namespaces/{id}`: only the fields given (a secret map replaces the whole set).
    public static func updateNamespaceBody(description: String? = nil, environmentVariables: [String: String]? = nil,
                                           secrets: [String: Value]? = nil, tags: [String]? = nil) -> Value {
        var body: [String: Value] = [:]
        if let description { body["description"] = .string(description) }
        if let environmentVariables { body["environment_variables"] = .map(environmentVariables.mapValues(Value.string)) }
        if let secrets { body["secret_environment_variables"] = .map(secrets) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        return .map(body)
    }

    public func createNamespace(region: String, body: Value) async throws -> ContainerNamespace {
        try ContainerNamespace(json: try await client.call("POST", "\(base(region))/namespaces", body: body))
    }

    public func getNamespace(region: String, id: String) async throws -> ContainerNamespace {
        try ContainerNamespace(json: try await client.call("GET", "\(base(region))/namespaces/\(id)"))
    }

    public func listNamespaces(region: String, projectID: String? = nil, name: String? = nil) async throws -> [ContainerNamespace] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let projectID { query.append(("project_id", projectID)) }
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base(region))/namespaces", itemsKey: "namespaces", query: query, style: .pageSize)
            .map { try ContainerNamespace(json: $0) }
    }

    public func updateNamespace(region: String, id: String, body: Value) async throws -> ContainerNamespace {
        try ContainerNamespace(json: try await client.call("PATCH", "\(base(region))/namespaces/\(id)", body: body))
    }

    @discardableResult
    public func deleteNamespace(region: String, id: String) async throws -> ContainerNamespace {
        try ContainerNamespace(json: try await client.call("DELETE", "\(base(region))/namespaces/\(id)"))
    }

    // MARK: containers

    /// The settings of a container a create or patch carries.
    public struct ContainerSpec: Sendable {
        public var image: String?
        public var port: Int64?
        public var minScale: Int64?
        public var maxScale: Int64?
        public var memoryLimitBytes: Int64?
        public var mvcpuLimit: Int64?
        public var timeout: String?
        public var privacy: String?
        public var `protocol`: String?
        public var sandbox: String?
        public var httpsConnectionsOnly: Bool?
        public var description: String?
        public var environmentVariables: [String: String]?
        public var secrets: [String: Value]?
        public var command: [String]?
        public var args: [String]?
        public var livenessProbe: Value?
        public var scalingOption: Value?
        public var tags: [String]?

        public init() {}
    }

    /// `POST /containers`, shaped as the provider sends it (empty environments, command and
    /// args as null; `tags` null when none; optional numbers left out).
    public static func createContainerBody(namespaceID: String, name: String, spec: ContainerSpec) -> Value {
        var body: [String: Value] = [
            "namespace_id": .string(namespaceID), "name": .string(name),
            "environment_variables": spec.environmentVariables.flatMap { $0.isEmpty ? nil : .map($0.mapValues(Value.string)) } ?? .null,
            "secret_environment_variables": spec.secrets.flatMap { $0.isEmpty ? nil : .map($0) } ?? .null,
            "privacy": .string(spec.privacy ?? "unknown_privacy"), "image": .string(spec.image ?? ""),
            "protocol": .string(spec.protocol ?? "unknown_protocol"), "port": .int(spec.port ?? 0),
            "sandbox": .string(spec.sandbox ?? "unknown_sandbox"), "tags": spec.tags.map { .list($0.map(Value.string)) } ?? .null,
            "command": spec.command.map { .list($0.map(Value.string)) } ?? .null, "args": spec.args.map { .list($0.map(Value.string)) } ?? .null,
        ]
        if let v = spec.minScale { body["min_scale"] = .int(v) }
        if let v = spec.maxScale { body["max_scale"] = .int(v) }
        if let v = spec.memoryLimitBytes { body["memory_limit_bytes"] = .int(v) }
        if let v = spec.mvcpuLimit { body["mvcpu_limit"] = .int(v) }
        if let v = spec.timeout { body["timeout"] = .string(v) }
        if let v = spec.description { body["description"] = .string(v) }
        if let v = spec.httpsConnectionsOnly { body["https_connections_only"] = .bool(v) }
        if let v = spec.livenessProbe { body["liveness_probe"] = v }
        if let v = spec.scalingOption { body["scaling_option"] = v }
        return .map(body)
    }

    /// `PATCH /containers/{id}`: the fields given; enums not given as `unknown_*`; the HTTPS
    /// flag spelled `https_connection_only` as the API's PATCH wants it.
    public static func updateContainerBody(_ spec: ContainerSpec) -> Value {
        var body: [String: Value] = [
            "privacy": .string(spec.privacy ?? "unknown_privacy"), "protocol": .string(spec.protocol ?? "unknown_protocol"),
            "sandbox": .string(spec.sandbox ?? "unknown_sandbox"),
        ]
        if let v = spec.environmentVariables { body["environment_variables"] = .map(v.mapValues(Value.string)) }
        if let v = spec.secrets { body["secret_environment_variables"] = .map(v) }
        if let v = spec.image { body["image"] = .string(v) }
        if let v = spec.port { body["port"] = .int(v) }
        if let v = spec.minScale { body["min_scale"] = .int(v) }
        if let v = spec.maxScale { body["max_scale"] = .int(v) }
        if let v = spec.memoryLimitBytes { body["memory_limit_bytes"] = .int(v) }
        if let v = spec.mvcpuLimit { body["mvcpu_limit"] = .int(v) }
        if let v = spec.timeout { body["timeout"] = .string(v) }
        if let v = spec.description { body["description"] = .string(v) }
        if let v = spec.httpsConnectionsOnly { body["https_connection_only"] = .bool(v) }
        if let v = spec.command { body["command"] = .list(v.map(Value.string)) }
        if let v = spec.args { body["args"] = .list(v.map(Value.string)) }
        if let v = spec.livenessProbe { body["liveness_probe"] = v }
        if let v = spec.scalingOption { body["scaling_option"] = v }
        if let v = spec.tags { body["tags"] = .list(v.map(Value.string)) }
        return .map(body)
    }

    public func createContainer(region: String, body: Value) async throws -> Container {
        try Container(json: try await client.call("POST", "\(base(region))/containers", body: body))
    }

    public func getContainer(region: String, id: String) async throws -> Container {
        try Container(json: try await client.call("GET", "\(base(region))/containers/\(id)"))
    }

    public func listContainers(region: String, namespaceID: String) async throws -> [Container] {
        try await client.listAll("\(base(region))/containers", itemsKey: "containers",
                                 query: [("namespace_id", namespaceID), ("order_by", "created_at_asc")], style: .pageSize)
            .map { try Container(json: $0) }
    }

    public func updateContainer(region: String, id: String, body: Value) async throws -> Container {
        try Container(json: try await client.call("PATCH", "\(base(region))/containers/\(id)", body: body))
    }

    /// Pulls the image again and restarts (`updating` → `ready`/`error`).
    public func redeployContainer(region: String, id: String) async throws -> Container {
        try Container(json: try await client.call("POST", "\(base(region))/containers/\(id)/redeploy", body: .map([:]), idempotent: true))
    }

    @discardableResult
    public func deleteContainer(region: String, id: String) async throws -> Container {
        try Container(json: try await client.call("DELETE", "\(base(region))/containers/\(id)"))
    }
}

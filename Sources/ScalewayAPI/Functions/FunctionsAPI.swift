// FunctionsAPI: Serverless Functions v1beta1 (regional): runtimes, namespaces, functions
// (create, get, list, patch, delete, upload URL and code upload, deploy) and crons. Request
// bodies are what the recorded cassettes show the real API accepted (ENDPOINTS.md section 6).

import ScwCore

/// Typed calls to `/functions/v1beta1/regions/{region}`.
public struct FunctionsAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) { self.client = client }

    private func base(_ region: String) -> String { "/functions/v1beta1/regions/\(region)" }

    // MARK: runtimes

    public func listRuntimes(region: String) async throws -> [FunctionRuntime] {
        try await client.listAll("\(base(region))/runtimes", itemsKey: "runtimes", style: .pageSize).map { try FunctionRuntime(json: $0) }
    }

    // MARK: namespaces

    /// `POST /namespaces`: `tags` nil sends null, `description` nil is left out (as recorded).
    public static func createNamespaceBody(name: String, projectID: String, description: String? = nil,
                                           environmentVariables: [String: String], secrets: [(key: String, value: Value?)],
                                           tags: [String]?) -> Value {
        var body: [String: Value] = [
            "name": .string(name), "project_id": .string(projectID), "environment_variables": .map(environmentVariables.mapValues(Value.string)),
            "secret_environment_variables": ServerlessSecrets.list(secrets), "tags": tags.map { .list($0.map(Value.string)) } ?? .null,
        ]
        if let description { body["description"] = .string(description) }
        return .map(body)
    }

    /// `PATCH /namespaces/{id}`: only the fields given, `secret_environment_variables` always
    /// (null = unchanged; a nil value in the list removes that key).
    public static func updateNamespaceBody(description: String? = nil, environmentVariables: [String: String]? = nil,
                                           secrets: [(key: String, value: Value?)]? = nil, tags: [String]? = nil) -> Value {
        var body: [String: Value] = ["secret_environment_variables": secrets.map(ServerlessSecrets.list) ?? .null]
        if let description { body["description"] = .string(description) }
        if let environmentVariables { body["environment_variables"] = .map(environmentVariables.mapValues(Value.string)) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        return .map(body)
    }

    public func createNamespace(region: String, body: Value) async throws -> FunctionNamespace {
        try FunctionNamespace(json: try await client.call("POST", "\(base(region))/namespaces", body: body))
    }

    public func getNamespace(region: String, id: String) async throws -> FunctionNamespace {
        try FunctionNamespace(json: try await client.call("GET", "\(base(region))/namespaces/\(id)"))
    }

    public func listNamespaces(region: String, projectID: String? = nil, name: String? = nil) async throws -> [FunctionNamespace] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let projectID { query.append(("project_id", projectID)) }
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base(region))/namespaces", itemsKey: "namespaces", query: query, style: .pageSize)
            .map { try FunctionNamespace(json: $0) }
    }

    public func updateNamespace(region: String, id: String, body: Value) async throws -> FunctionNamespace {
        try FunctionNamespace(json: try await client.call("PATCH", "\(base(region))/namespaces/\(id)", body: body))
    }

    @discardableResult
    public func deleteNamespace(region: String, id: String) async throws -> FunctionNamespace {
        try FunctionNamespace(json: try await client.call("DELETE", "\(base(region))/namespaces/\(id)"))
    }

    // MARK: functions

    /// The settings of a function a create or patch carries.
    public struct FunctionSpec: Sendable {
        public var runtime: String?
        public var handler: String?
        public var privacy: String?
        public var minScale: Int64?
        public var maxScale: Int64?
        public var memoryLimit: Int64?
        /// `"300s"`.
        public var timeout: String?
        public var httpOption: String?
        public var sandbox: String?
        public var description: String?
        public var environmentVariables: [String: String]?
        public var secrets: [(key: String, value: Value?)]?
        public var tags: [String]?

        public init(runtime: String? = nil, handler: String? = nil, privacy: String? = nil, minScale: Int64? = nil, maxScale: Int64? = nil,
                    memoryLimit: Int64? = nil, timeout: String? = nil, httpOption: String? = nil, sandbox: String? = nil,
                    description: String? = nil, environmentVariables: [String: String]? = nil,
                    secrets: [(key: String, value: Value?)]? = nil, tags: [String]? = nil) {
            self.runtime = runtime
            self.handler = handler
            self.privacy = privacy
            self.minScale = minScale
            self.maxScale = maxScale
            self.memoryLimit = memoryLimit
            self.timeout = timeout
            self.httpOption = httpOption
            self.sandbox = sandbox
            self.description = description
            self.environmentVariables = environmentVariables
            self.secrets = secrets
            self.tags = tags
        }
    }

    /// `POST /functions`, shaped as the provider sends it (unset enums `unknown_*`, `tags` null when none).
    public static func createFunctionBody(name: String, namespaceID: String, spec: FunctionSpec) -> Value {
        var body: [String: Value] = [
            "name": .string(name), "namespace_id": .string(namespaceID),
            "environment_variables": .map((spec.environmentVariables ?? [:]).mapValues(Value.string)),
            "min_scale": .int(spec.minScale ?? 0), "max_scale": .int(spec.maxScale ?? 20), "runtime": .string(spec.runtime ?? ""),
            "memory_limit": .int(spec.memoryLimit ?? 256), "handler": .string(spec.handler ?? ""),
            "privacy": .string(spec.privacy ?? "unknown_privacy"), "secret_environment_variables": ServerlessSecrets.list(spec.secrets ?? []),
            "http_option": .string(spec.httpOption ?? "unknown_http_option"), "sandbox": .string(spec.sandbox ?? "unknown_sandbox"),
            "tags": spec.tags.map { .list($0.map(Value.string)) } ?? .null,
        ]
        if let timeout = spec.timeout { body["timeout"] = .string(timeout) }
        if let description = spec.description { body["description"] = .string(description) }
        return .map(body)
    }

    /// `PATCH /functions/{id}`: the fields given; enums not given go as `unknown_*` (unchanged).
    public static func updateFunctionBody(_ spec: FunctionSpec) -> Value {
        var body: [String: Value] = [
            "runtime": .string(spec.runtime ?? "unknown_runtime"), "privacy": .string(spec.privacy ?? "unknown_privacy"),
            "http_option": .string(spec.httpOption ?? "unknown_http_option"), "sandbox": .string(spec.sandbox ?? "unknown_sandbox"),
        ]
        if let v = spec.environmentVariables { body["environment_variables"] = .map(v.mapValues(Value.string)) }
        if let v = spec.secrets { body["secret_environment_variables"] = ServerlessSecrets.list(v) }
        if let v = spec.handler { body["handler"] = .string(v) }
        if let v = spec.minScale { body["min_scale"] = .int(v) }
        if let v = spec.maxScale { body["max_scale"] = .int(v) }
        if let v = spec.memoryLimit { body["memory_limit"] = .int(v) }
        if let v = spec.timeout { body["timeout"] = .string(v) }
        if let v = spec.description { body["description"] = .string(v) }
        if let v = spec.tags { body["tags"] = .list(v.map(Value.string)) }
        return .map(body)
    }

    public func createFunction(region: String, body: Value) async throws -> ServerlessFunction {
        try ServerlessFunction(json: try await client.call("POST", "\(base(region))/functions", body: body))
    }

    public func getFunction(region: String, id: String) async throws -> ServerlessFunction {
        try ServerlessFunction(json: try await client.call("GET", "\(base(region))/functions/\(id)"))
    }

    public func listFunctions(region: String, namespaceID: String) async throws -> [ServerlessFunction] {
        try await client.listAll("\(base(region))/functions", itemsKey: "functions",
                                 query: [("namespace_id", namespaceID), ("order_by", "created_at_asc")], style: .pageSize)
            .map { try ServerlessFunction(json: $0) }
    }

    public func updateFunction(region: String, id: String, body: Value) async throws -> ServerlessFunction {
        try ServerlessFunction(json: try await client.call("PATCH", "\(base(region))/functions/\(id)", body: body))
    }

    @discardableResult
    public func deleteFunction(region: String, id: String) async throws -> ServerlessFunction {
        try ServerlessFunction(json: try await client.call("DELETE", "\(base(region))/functions/\(id)"))
    }

    /// Where to PUT a zip of `contentLength` bytes.
    public func getUploadURL(region: String, id: String, contentLength: Int) async throws -> UploadURL {
        try UploadURL(json: try await client.call("GET", "\(base(region))/functions/\(id)/upload-url",
                                                  query: [("content_length", String(contentLength))]))
    }

    /// Asks for an upload URL and PUTs the zip to it.
    public func uploadCode(region: String, id: String, zip: [UInt8]) async throws {
        let target = try await getUploadURL(region: region, id: id, contentLength: zip.count)
        try await client.upload(to: target.url, headers: target.headers.filter { $0.0.lowercased() != "content-length" }, body: zip)
    }

    /// Builds and runs the uploaded code (the function goes pending → building → ready/error).
    /// Safe to repeat: a second deploy of the same code builds it again.
    public func deployFunction(region: String, id: String) async throws -> ServerlessFunction {
        try ServerlessFunction(json: try await client.call("POST", "\(base(region))/functions/\(id)/deploy", body: .map([:]), idempotent: true))
    }

    // MARK: crons

    public static func createCronBody(functionID: String, schedule: String, args: Value, name: String) -> Value {
        .map(["function_id": .string(functionID), "schedule": .string(schedule), "args": args, "name": .string(name)])
    }

    public func createCron(region: String, body: Value) async throws -> FunctionCron {
        try FunctionCron(json: try await client.call("POST", "\(base(region))/crons", body: body))
    }

    public func getCron(region: String, id: String) async throws -> FunctionCron {
        try FunctionCron(json: try await client.call("GET", "\(base(region))/crons/\(id)"))
    }

    public func listCrons(region: String, functionID: String) async throws -> [FunctionCron] {
        try await client.listAll("\(base(region))/crons", itemsKey: "crons", query: [("function_id", functionID)], style: .pageSize)
            .map { try FunctionCron(json: $0) }
    }

    /// `PATCH /crons/{id}`: only the fields given.
    public func updateCron(region: String, id: String, schedule: String?, args: Value?, name: String?) async throws -> FunctionCron {
        var body: [String: Value] = [:]
        if let schedule { body["schedule"] = .string(schedule) }
        if let args { body["args"] = args }
        if let name { body["name"] = .string(name) }
        return try FunctionCron(json: try await client.call("PATCH", "\(base(region))/crons/\(id)", body: .map(body)))
    }

    public func deleteCron(region: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(region))/crons/\(id)")
    }
}

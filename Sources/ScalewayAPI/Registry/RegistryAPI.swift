// RegistryAPI: Container Registry v1 (regional): namespaces (create, get, list, patch, delete)
// and the images they hold (list, delete). Request bodies are what the recorded cassettes show
// the real API accepted (ENDPOINTS.md section 10).

import ScwCore

/// A registry namespace: `endpoint` is `rg.<region>.scw.cloud/<name>`.
public struct RegistryNamespace: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var endpoint: String
    public var isPublic: Bool
    public var status: String
    public var statusMessage: String
    public var imageCount: Int64
    public var size: Int64
    public var region: String
    public var projectID: String
    public var organizationID: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "RegistryNamespace")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        endpoint = try r.optionalString("endpoint") ?? ""
        isPublic = try r.bool("is_public", default: false)
        status = try r.string("status")
        statusMessage = try r.optionalString("status_message") ?? ""
        imageCount = try r.int("image_count", default: 0)
        size = try r.int("size", default: 0)
        region = try r.optionalString("region") ?? ""
        projectID = try r.optionalString("project_id") ?? ""
        organizationID = try r.optionalString("organization_id") ?? ""
    }
}

/// An image in a registry namespace, with its tag names.
public struct RegistryImage: Sendable {
    public var id: String
    public var name: String
    public var namespaceID: String
    public var tags: [String]

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "RegistryImage")
        id = try r.string("id")
        name = try r.string("name")
        namespaceID = try r.string("namespace_id")
        tags = try r.strings("tags")
    }
}

/// Typed calls to `/registry/v1/regions/{region}`.
public struct RegistryAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) { self.client = client }

    private func base(_ region: String) -> String { "/registry/v1/regions/\(region)" }

    public static func createNamespaceBody(name: String, description: String, projectID: String, isPublic: Bool) -> Value {
        .map(["name": .string(name), "description": .string(description), "project_id": .string(projectID), "is_public": .bool(isPublic)])
    }

    /// `PATCH /namespaces/{id}`: only the fields given.
    public static func updateNamespaceBody(description: String? = nil, isPublic: Bool? = nil) -> Value {
        var body: [String: Value] = [:]
        if let description { body["description"] = .string(description) }
        if let isPublic { body["is_public"] = .bool(isPublic) }
        return .map(body)
    }

    public func createNamespace(region: String, body: Value) async throws -> RegistryNamespace {
        try RegistryNamespace(json: try await client.call("POST", "\(base(region))/namespaces", body: body))
    }

    public func getNamespace(region: String, id: String) async throws -> RegistryNamespace {
        try RegistryNamespace(json: try await client.call("GET", "\(base(region))/namespaces/\(id)"))
    }

    public func listNamespaces(region: String, name: String? = nil, projectID: String? = nil) async throws -> [RegistryNamespace] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project_id", projectID)) }
        return try await client.listAll("\(base(region))/namespaces", itemsKey: "namespaces", query: query, style: .pageSize)
            .map { try RegistryNamespace(json: $0) }
    }

    public func updateNamespace(region: String, id: String, body: Value) async throws -> RegistryNamespace {
        try RegistryNamespace(json: try await client.call("PATCH", "\(base(region))/namespaces/\(id)", body: body))
    }

    @discardableResult
    public func deleteNamespace(region: String, id: String) async throws -> RegistryNamespace {
        try RegistryNamespace(json: try await client.call("DELETE", "\(base(region))/namespaces/\(id)"))
    }

    public func listImages(region: String, namespaceID: String) async throws -> [RegistryImage] {
        try await client.listAll("\(base(region))/images", itemsKey: "images", query: [("namespace_id", namespaceID)], style: .pageSize)
            .map { try RegistryImage(json: $0) }
    }
}

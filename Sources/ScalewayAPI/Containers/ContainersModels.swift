// ContainersModels: typed views of the Containers v1 objects (namespace, container with its
// probes), decoded with errors naming the missing or mistyped field.

import ScwCore

/// A container namespace (`/containers/v1/regions/{region}/namespaces`).
public struct ContainerNamespace: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var status: String
    public var environmentVariables: [String: String]
    public var secretKeys: [String]
    public var tags: [String]
    public var region: String
    public var projectID: String
    public var organizationID: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "ContainerNamespace")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        status = try r.string("status")
        environmentVariables = try ServerlessDecode.stringMap(r, "environment_variables")
        secretKeys = ServerlessSecrets.keys(r.fields["secret_environment_variables"])
        tags = try r.strings("tags")
        region = try r.optionalString("region") ?? ""
        projectID = try r.optionalString("project_id") ?? ""
        organizationID = try r.optionalString("organization_id") ?? ""
    }
}

/// A container (`/containers`).
public struct Container: Sendable {
    public var id: String
    public var name: String
    public var namespaceID: String
    public var status: String
    /// Present once the container settled (`""` when ready).
    public var errorMessage: String?
    public var image: String
    public var port: Int64
    public var minScale: Int64
    public var maxScale: Int64
    public var memoryLimitBytes: Int64
    public var mvcpuLimit: Int64
    public var timeout: String
    public var privacy: String
    public var `protocol`: String
    public var sandbox: String
    public var httpsConnectionsOnly: Bool
    public var description: String
    public var publicEndpoint: String
    public var command: [String]
    public var args: [String]
    public var environmentVariables: [String: String]
    public var secretKeys: [String]
    public var scalingOption: Value
    public var livenessProbe: Value
    public var tags: [String]
    public var region: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "Container")
        id = try r.string("id")
        name = try r.string("name")
        namespaceID = try r.string("namespace_id")
        status = try r.string("status")
        errorMessage = try r.optionalString("error_message")
        image = try r.optionalString("image") ?? ""
        port = try r.int("port", default: 0)
        minScale = try r.int("min_scale", default: 0)
        maxScale = try r.int("max_scale", default: 0)
        memoryLimitBytes = try r.int("memory_limit_bytes", default: 0)
        mvcpuLimit = try r.int("mvcpu_limit", default: 0)
        timeout = try r.optionalString("timeout") ?? ""
        privacy = try r.optionalString("privacy") ?? ""
        `protocol` = try r.optionalString("protocol") ?? ""
        sandbox = try r.optionalString("sandbox") ?? ""
        httpsConnectionsOnly = try r.bool("https_connections_only", default: false)
        description = try r.optionalString("description") ?? ""
        publicEndpoint = try r.optionalString("public_endpoint") ?? ""
        command = try r.strings("command")
        args = try r.strings("args")
        environmentVariables = try ServerlessDecode.stringMap(r, "environment_variables")
        secretKeys = ServerlessSecrets.keys(r.fields["secret_environment_variables"])
        scalingOption = r.fields["scaling_option"] ?? .null
        livenessProbe = r.fields["liveness_probe"] ?? .null
        tags = try r.strings("tags")
        region = try r.optionalString("region") ?? ""
    }

    /// `public_endpoint` without its scheme (what `domain_name` means for a function).
    public var domainName: String {
        publicEndpoint.range(of: "://").map { String(publicEndpoint[$0.upperBound...]) } ?? publicEndpoint
    }
}

// FunctionsModels: typed views of the Functions v1beta1 objects (namespace, function, cron,
// runtime, upload URL), decoded with errors naming the missing or mistyped field.

import ScwCore

/// A function namespace (`/functions/v1beta1/regions/{region}/namespaces`).
public struct FunctionNamespace: Sendable {
    public var id: String
    public var name: String
    public var description: String
    public var status: String
    public var errorMessage: String?
    public var registryEndpoint: String
    public var registryNamespaceID: String
    public var environmentVariables: [String: String]
    /// Keys only: the API answers values hashed.
    public var secretKeys: [String]
    public var tags: [String]
    public var region: String
    public var projectID: String
    public var organizationID: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "FunctionNamespace")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        status = try r.string("status")
        errorMessage = try r.optionalString("error_message")
        registryEndpoint = try r.optionalString("registry_endpoint") ?? ""
        registryNamespaceID = try r.optionalString("registry_namespace_id") ?? ""
        environmentVariables = try ServerlessDecode.stringMap(r, "environment_variables")
        secretKeys = ServerlessSecrets.keys(r.fields["secret_environment_variables"])
        tags = try r.strings("tags")
        region = try r.optionalString("region") ?? ""
        projectID = try r.optionalString("project_id") ?? ""
        organizationID = try r.optionalString("organization_id") ?? ""
    }
}

/// A function (`/functions`).
public struct ServerlessFunction: Sendable {
    public var id: String
    public var name: String
    public var namespaceID: String
    public var status: String
    public var runtime: String
    public var handler: String
    public var privacy: String
    public var httpOption: String
    public var sandbox: String
    public var minScale: Int64
    public var maxScale: Int64
    public var memoryLimit: Int64
    public var cpuLimit: Int64
    public var timeout: String
    public var description: String
    public var domainName: String
    public var errorMessage: String?
    public var buildMessage: String?
    public var environmentVariables: [String: String]
    public var secretKeys: [String]
    public var tags: [String]
    public var region: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "Function")
        id = try r.string("id")
        name = try r.string("name")
        namespaceID = try r.string("namespace_id")
        status = try r.string("status")
        runtime = try r.optionalString("runtime") ?? ""
        handler = try r.optionalString("handler") ?? ""
        privacy = try r.optionalString("privacy") ?? ""
        httpOption = try r.optionalString("http_option") ?? ""
        sandbox = try r.optionalString("sandbox") ?? ""
        minScale = try r.int("min_scale", default: 0)
        maxScale = try r.int("max_scale", default: 0)
        memoryLimit = try r.int("memory_limit", default: 0)
        cpuLimit = try r.int("cpu_limit", default: 0)
        timeout = try r.optionalString("timeout") ?? ""
        description = try r.optionalString("description") ?? ""
        domainName = try r.optionalString("domain_name") ?? ""
        errorMessage = try r.optionalString("error_message")
        buildMessage = try r.optionalString("build_message")
        environmentVariables = try ServerlessDecode.stringMap(r, "environment_variables")
        secretKeys = ServerlessSecrets.keys(r.fields["secret_environment_variables"])
        tags = try r.strings("tags")
        region = try r.optionalString("region") ?? ""
    }
}

/// A cron trigger of a function (`/crons`).
public struct FunctionCron: Sendable {
    public var id: String
    public var functionID: String
    public var schedule: String
    public var args: Value
    public var name: String
    public var status: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "FunctionCron")
        id = try r.string("id")
        functionID = try r.string("function_id")
        schedule = try r.string("schedule")
        args = r.fields["args"] ?? .map([:])
        name = try r.optionalString("name") ?? ""
        status = try r.string("status")
    }
}

/// A runtime the region offers (`node22`), with its status (`available`, `deprecated`, `end_of_life`...).
public struct FunctionRuntime: Sendable {
    public var name: String
    public var language: String
    public var status: String
    public var defaultHandler: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "FunctionRuntime")
        name = try r.string("name")
        language = try r.optionalString("language") ?? ""
        status = try r.optionalString("status") ?? "available"
        defaultHandler = try r.optionalString("default_handler") ?? ""
    }
}

/// Where to PUT a function's zip, and the headers to send with it.
public struct UploadURL: Sendable {
    public var url: String
    public var headers: [(String, String)]

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "UploadURL")
        url = try r.string("url")
        var out: [(String, String)] = []
        for (name, value) in (r.fields["headers"]?.mapValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch value {
            case .list(let items): out += items.compactMap(\.stringValue).map { (name, $0) }
            case .string(let s): out.append((name, s))
            default: break
            }
        }
        headers = out
    }
}

enum ServerlessDecode {
    /// A `{key: string}` object; missing or null is empty.
    static func stringMap(_ r: FieldReader, _ key: String) throws -> [String: String] {
        switch r.fields[key] {
        case nil, .null?: return [:]
        case .map(let m)?:
            var out: [String: String] = [:]
            for (k, v) in m {
                guard let s = v.stringValue else { throw DecodeError(what: r.what, field: "\(key).\(k)", problem: "should be a string") }
                out[k] = s
            }
            return out
        default:
            throw DecodeError(what: r.what, field: key, problem: "should be an object of strings")
        }
    }
}

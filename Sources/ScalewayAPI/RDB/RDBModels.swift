// RDBModels: typed views of the RDB API's objects (engines and their settings, node types,
// instances with volume, endpoints and backup schedule, certificate, databases, users,
// privileges, ACL rules), decoded with errors naming the missing or mistyped field.

import Foundation
import ScwCore

/// A database engine (`PostgreSQL`, `MySQL`) and its versions.
public struct RDBEngine: Sendable {
    /// One setting an engine version accepts, with its bounds.
    public struct Setting: Sendable {
        public var name: String
        public var defaultValue: String?
        /// `INT`, `STRING`, `BOOLEAN`, `FLOAT`.
        public var propertyType: String
        public var intMin: Int64?
        public var intMax: Int64?
        /// Changed without a restart.
        public var hotConfigurable: Bool

        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            name = try r.string("name")
            defaultValue = try r.optionalString("default_value")
            propertyType = try r.optionalString("property_type") ?? "STRING"
            intMin = try r.optionalInt("int_min")
            intMax = try r.optionalInt("int_max")
            hotConfigurable = try r.bool("hot_configurable", default: false)
        }

        /// nil when `value` fits the setting, else why not.
        public func problem(with value: String) -> String? {
            switch propertyType {
            case "INT":
                guard let n = Int64(value) else { return "\(name) must be an integer, got \"\(value)\"" }
                if let intMin, n < intMin { return "\(name) must be at least \(intMin), got \(n)" }
                if let intMax, n > intMax { return "\(name) must be at most \(intMax), got \(n)" }
            case "BOOLEAN":
                if !["on", "off", "true", "false"].contains(value) { return "\(name) must be on or off, got \"\(value)\"" }
            case "FLOAT":
                if Double(value) == nil { return "\(name) must be a number, got \"\(value)\"" }
            default:
                break
            }
            return nil
        }
    }

    /// `PostgreSQL-16`: what `engine` takes.
    public struct Version: Sendable {
        public var name: String
        public var version: String
        public var disabled: Bool
        public var beta: Bool
        public var endOfLife: String?
        public var availableSettings: [Setting]
        public var availableInitSettings: [Setting]

        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            name = try r.string("name")
            version = try r.string("version")
            disabled = try r.bool("disabled", default: false)
            beta = try r.bool("beta", default: false)
            endOfLife = try r.optionalString("end_of_life")
            availableSettings = try r.objects("available_settings") { try Setting(json: $0, what: $1) }
            availableInitSettings = try r.objects("available_init_settings") { try Setting(json: $0, what: $1) }
        }
    }

    public var name: String
    public var region: String?
    public var versions: [Version]

    public init(json: Value, what: String = "RDBEngine") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        region = try r.optionalString("region")
        versions = try r.objects("versions") { try Version(json: $0, what: $1) }
    }
}

/// A node type (`db-dev-s`) and the volumes it takes.
public struct RDBNodeType: Sendable {
    /// A volume type a node accepts, with bounds in bytes.
    public struct VolumeType: Sendable {
        public var type: String
        public var minSize: Int64
        public var maxSize: Int64
        public var chunkSize: Int64

        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            type = try r.string("type")
            minSize = try r.int("min_size", default: 0)
            maxSize = try r.int("max_size", default: 0)
            chunkSize = try r.int("chunk_size", default: 0)
        }
    }

    public var name: String
    public var disabled: Bool
    public var isHARequired: Bool
    public var volumeTypes: [VolumeType]
    public var vcpus: Int64
    public var memory: Int64

    public init(json: Value, what: String = "RDBNodeType") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        disabled = try r.bool("disabled", default: false)
        isHARequired = try r.bool("is_ha_required", default: false)
        volumeTypes = try r.objects("available_volume_types") { try VolumeType(json: $0, what: $1) }
        vcpus = try r.int("vcpus", default: 0)
        memory = try r.int("memory", default: 0)
    }

    /// Scaleway's PLAY2 range is single-node only: no high-availability cluster on it (the
    /// node type object carries no field saying so).
    public var allowsHA: Bool { !name.lowercased().hasPrefix("db-play2") }
}

/// A managed database instance (`/rdb/v1/regions/{region}/instances`).
public struct RDBInstance: Sendable {
    /// A way in: public (load balancer) or on a private network.
    public struct Endpoint: Sendable {
        public var id: String
        public var ip: String?
        public var port: Int64?
        /// Set for a private endpoint.
        public var privateNetworkID: String?
        /// `ipam` or `static`.
        public var provisioningMode: String?
        /// The static address with its prefix (`10.0.0.5/24`), for private endpoints.
        public var serviceIP: String?
        public var isPublic: Bool

        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            id = try r.string("id")
            ip = try r.optionalString("ip")
            port = try r.optionalInt("port")
            isPublic = r.fields["load_balancer"].map { $0 != .null } ?? false
            if let pn = r.fields["private_network"], pn != .null {
                let p = try FieldReader(pn, what: "\(what).private_network")
                privateNetworkID = try p.optionalString("private_network_id")
                provisioningMode = try p.optionalString("provisioning_mode")
                serviceIP = try p.optionalString("service_ip")
            }
        }
    }

    public var id: String
    public var name: String
    public var status: String
    public var engine: String
    public var nodeType: String
    public var region: String
    public var projectID: String
    public var organizationID: String?
    public var tags: [String]
    public var isHACluster: Bool
    public var volumeType: String
    /// Bytes.
    public var volumeSize: Int64
    public var endpoints: [Endpoint]
    public var settings: [(name: String, value: String)]
    public var initSettings: [(name: String, value: String)]
    public var backupDisabled: Bool
    public var backupFrequency: Int64?
    public var backupRetention: Int64?
    public var backupSameRegion: Bool
    public var encryptionEnabled: Bool
    public var readReplicas: [Value]
    /// Names of the versions this one can move to (`PostgreSQL-17`).
    public var upgradableVersions: [String]
    public var createdAt: String?
    public var raw: Value

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "RDBInstance")
        id = try r.string("id")
        name = try r.string("name")
        status = try r.string("status")
        engine = try r.string("engine")
        nodeType = try r.string("node_type")
        region = try r.string("region")
        projectID = try r.string("project_id")
        organizationID = try r.optionalString("organization_id")
        tags = try r.strings("tags")
        isHACluster = try r.bool("is_ha_cluster", default: false)
        let volume = try FieldReader(r.fields["volume"] ?? .map([:]), what: "RDBInstance.volume")
        volumeType = try volume.optionalString("type") ?? ""
        volumeSize = try volume.int("size", default: 0)
        endpoints = try r.objects("endpoints") { try Endpoint(json: $0, what: $1) }
        settings = try r.objects("settings") { try RDBInstance.pair($0, $1) }
        initSettings = try r.objects("init_settings") { try RDBInstance.pair($0, $1) }
        let backup = try FieldReader(r.fields["backup_schedule"] ?? .map([:]), what: "RDBInstance.backup_schedule")
        backupDisabled = try backup.bool("disabled", default: false)
        backupFrequency = try backup.optionalInt("frequency")
        backupRetention = try backup.optionalInt("retention")
        backupSameRegion = try r.bool("backup_same_region", default: false)
        let encryption = try FieldReader(r.fields["encryption"] ?? .map([:]), what: "RDBInstance.encryption")
        encryptionEnabled = try encryption.bool("enabled", default: false)
        readReplicas = r.fields["read_replicas"]?.listValue ?? []
        upgradableVersions = try r.objects("upgradable_version") { try FieldReader($0, what: $1).string("name") }
        createdAt = try r.optionalString("created_at")
        raw = json
    }

    static func pair(_ json: Value, _ what: String) throws -> (name: String, value: String) {
        let r = try FieldReader(json, what: what)
        return (try r.string("name"), try r.optionalString("value") ?? "")
    }

    public var publicEndpoint: Endpoint? { endpoints.first { $0.isPublic } }
    public var privateEndpoint: Endpoint? { endpoints.first { $0.privateNetworkID != nil } }
}

/// `GET /instances/{id}/certificate`: the instance's CA.
public struct RDBCertificate: Sendable {
    public var name: String
    public var contentType: String?
    /// The PEM text (the API sends it base64-encoded).
    public var pem: String

    public init(json: Value) throws {
        let r = try FieldReader(json, what: "RDBCertificate")
        name = try r.optionalString("name") ?? ""
        contentType = try r.optionalString("content_type")
        let content = try r.string("content")
        guard let data = Data(base64Encoded: content, options: .ignoreUnknownCharacters) else {
            throw DecodeError(what: "RDBCertificate", field: "content", problem: "is not base64")
        }
        pem = String(decoding: data, as: UTF8.self)
    }
}

/// A logical database of an instance.
public struct RDBDatabase: Sendable {
    public var name: String
    public var owner: String
    public var managed: Bool
    /// Bytes.
    public var size: Int64

    public init(json: Value, what: String = "RDBDatabase") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        owner = try r.optionalString("owner") ?? ""
        managed = try r.bool("managed", default: true)
        size = try r.int("size", default: 0)
    }
}

/// A database user of an instance.
public struct RDBUser: Sendable {
    public var name: String
    public var isAdmin: Bool

    public init(json: Value, what: String = "RDBUser") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        isAdmin = try r.bool("is_admin", default: false)
    }
}

/// A user's permission on a database.
public struct RDBPrivilege: Sendable {
    public var userName: String
    public var databaseName: String
    /// `readonly`, `readwrite`, `all`, `custom`, `none`.
    public var permission: String

    public init(json: Value, what: String = "RDBPrivilege") throws {
        let r = try FieldReader(json, what: what)
        userName = try r.string("user_name")
        databaseName = try r.string("database_name")
        permission = try r.string("permission")
    }
}

/// One ACL rule: an IPv4 range allowed to reach the public endpoint.
public struct RDBACLRule: Sendable, Equatable {
    public var ip: String
    public var description: String

    public init(ip: String, description: String) {
        self.ip = ip
        self.description = description
    }

    public init(json: Value, what: String = "RDBACLRule") throws {
        let r = try FieldReader(json, what: what)
        ip = try r.string("ip")
        description = try r.optionalString("description") ?? ""
    }
}

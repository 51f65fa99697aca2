// RDB catalogue: the database engines (versions, settings with their bounds) and the node types
// (sizes, volume types with their bounds) the emulated region offers, shaped as the recorded
// `GET /database-engines` and the API's `GET /node-types` answers.

enum RDBCatalogue {
    /// One engine setting: what `available_settings` lists and what `PUT /settings` checks.
    struct Setting {
        let name: String
        let defaultValue: String
        let type: String          // INT | STRING | BOOLEAN | FLOAT
        let min: Int?
        let max: Int?
        let hot: Bool
        let unit: String?
        let description: String

        var json: JSONValue {
            .object([
                "name": .string(name), "default_value": .string(defaultValue), "property_type": .string(type),
                "int_min": min.map { .int($0) } ?? .null, "int_max": max.map { .int($0) } ?? .null,
                "float_min": .null, "float_max": .null, "string_constraint": type == "BOOLEAN" ? .string("^(on|off)$") : .null,
                "hot_configurable": .bool(hot), "unit": unit.map { .string($0) } ?? .null, "description": .string(description),
            ])
        }

        /// nil when `value` fits, else why not.
        func problem(with value: String) -> String? {
            switch type {
            case "INT":
                guard let n = Int(value) else { return "\(name) must be an integer, got \"\(value)\"" }
                if let min, n < min { return "\(name) must be at least \(min), got \(n)" }
                if let max, n > max { return "\(name) must be at most \(max), got \(n)" }
            case "BOOLEAN":
                if !["on", "off"].contains(value) { return "\(name) must be on or off, got \"\(value)\"" }
            default:
                break
            }
            return nil
        }
    }

    struct Version {
        let engine: String
        let version: String
        let disabled: Bool
        let endOfLife: String
        var name: String { "\(engine)-\(version)" }
    }

    static let postgresSettings: [Setting] = [
        Setting(name: "effective_cache_size", defaultValue: "4096", type: "INT", min: 64, max: 1_048_576, hot: true, unit: "MB",
                description: "Sets the planner s assumption about the size of the data cache."),
        Setting(name: "maintenance_work_mem", defaultValue: "64", type: "INT", min: 1, max: 2_097_151, hot: true, unit: "MB",
                description: "Sets the maximum memory to be used for maintenance operations."),
        Setting(name: "max_connections", defaultValue: "100", type: "INT", min: 50, max: 10000, hot: false, unit: nil,
                description: "Sets the maximum number of concurrent connections."),
        Setting(name: "max_parallel_workers", defaultValue: "8", type: "INT", min: 0, max: 1024, hot: true, unit: nil,
                description: "Sets the maximum number of parallel workers that can be active at one time."),
        Setting(name: "max_parallel_workers_per_gather", defaultValue: "2", type: "INT", min: 0, max: 1024, hot: true, unit: nil,
                description: "Sets the maximum number of parallel processes per executor node."),
        Setting(name: "work_mem", defaultValue: "4", type: "INT", min: 1, max: 2_097_151, hot: true, unit: "MB",
                description: "Sets the maximum memory to be used for query workspaces."),
        Setting(name: "statement_timeout", defaultValue: "86400000", type: "INT", min: 30000, max: 2_147_483_647, hot: true, unit: nil,
                description: "Sets the maximum allowed duration of any statement. Value in ms"),
        Setting(name: "track_commit_timestamp", defaultValue: "off", type: "BOOLEAN", min: nil, max: nil, hot: false, unit: nil,
                description: "Record commit time of transactions."),
    ]

    static let mysqlSettings: [Setting] = [
        Setting(name: "max_connections", defaultValue: "150", type: "INT", min: 10, max: 10000, hot: true, unit: nil,
                description: "The maximum permitted number of simultaneous client connections."),
        Setting(name: "connect_timeout", defaultValue: "10", type: "INT", min: 10, max: 300, hot: true, unit: nil,
                description: "The number of seconds that the mysqld server waits for a connect packet before responding with Bad handshake"),
        Setting(name: "wait_timeout", defaultValue: "28800", type: "INT", min: 1, max: 31_536_000, hot: true, unit: "s",
                description: "The number of seconds the server waits for activity on a noninteractive connection before closing it."),
    ]

    static let versions: [Version] = [
        Version(engine: "PostgreSQL", version: "17", disabled: false, endOfLife: "2029-11-08T00:00:00Z"),
        Version(engine: "PostgreSQL", version: "16", disabled: false, endOfLife: "2028-11-09T00:00:00Z"),
        Version(engine: "PostgreSQL", version: "15", disabled: false, endOfLife: "2027-11-11T00:00:00Z"),
        Version(engine: "PostgreSQL", version: "14", disabled: false, endOfLife: "2026-11-12T00:00:00Z"),
        Version(engine: "PostgreSQL", version: "13", disabled: true, endOfLife: "2025-11-13T00:00:00Z"),
        Version(engine: "PostgreSQL", version: "12", disabled: true, endOfLife: "2024-11-14T00:00:00Z"),
        Version(engine: "MySQL", version: "8", disabled: false, endOfLife: "2026-04-01T00:00:00Z"),
    ]

    static func version(named name: String) -> Version? { versions.first { $0.name.lowercased() == name.lowercased() } }

    static func settings(ofEngine name: String) -> [Setting] {
        name.lowercased().hasPrefix("mysql") ? mysqlSettings : postgresSettings
    }

    /// The settings a new instance reports once ready (what the recordings show for a DB-DEV-S).
    static func initialSettings(engine: String) -> [JSONValue] {
        let pairs: [(String, String)] = engine.lowercased().hasPrefix("mysql")
            ? [("max_connections", "150")]
            : [("effective_cache_size", "1300"), ("maintenance_work_mem", "150"), ("max_connections", "100"),
               ("max_parallel_workers", "0"), ("max_parallel_workers_per_gather", "0"), ("work_mem", "4")]
        return pairs.map { .object(["name": .string($0.0), "value": .string($0.1)]) }
    }

    static func enginesJSON(region: String) -> [JSONValue] {
        ["MySQL", "PostgreSQL"].map { engine in
            let settings = engine == "MySQL" ? mysqlSettings : postgresSettings
            let initSettings: [JSONValue] = engine == "MySQL"
                ? [Setting(name: "lower_case_table_names", defaultValue: "0", type: "INT", min: 0, max: 1, hot: false, unit: nil,
                           description: "If set to 1, table names are stored in lowercase on disk.").json]
                : []
            return .object([
                "name": .string(engine), "region": .string(region),
                "logo_url": .string("https://s3.nl-ams.scw.cloud/scw-rdb-logos/\(engine.lowercased()).svg"),
                "versions": .array(versions.filter { $0.engine == engine }.map { v in
                    .object([
                        "version": .string(v.version), "name": .string(v.name), "end_of_life": .string(v.endOfLife),
                        "disabled": .bool(v.disabled), "beta": .bool(false),
                        "available_settings": .array(settings.map(\.json)), "available_init_settings": .array(initSettings),
                    ])
                }),
            ])
        }
    }

    // MARK: node types

    struct NodeType {
        let name: String
        let vcpus: Int
        let memoryGB: Int
        /// Size of the local volume (lssd) this node comes with, in GB.
        let localGB: Int
        /// PLAY2 nodes are single-node only: no HA cluster.
        var allowsHA: Bool { !name.hasPrefix("db-play2") }
        var range: String { String(name.split(separator: "-").dropFirst().first ?? "") }
    }

    static let nodeTypes: [NodeType] = [
        NodeType(name: "db-dev-s", vcpus: 2, memoryGB: 2, localGB: 5),
        NodeType(name: "db-dev-m", vcpus: 3, memoryGB: 4, localGB: 10),
        NodeType(name: "db-dev-l", vcpus: 4, memoryGB: 8, localGB: 20),
        NodeType(name: "db-dev-xl", vcpus: 4, memoryGB: 12, localGB: 40),
        NodeType(name: "db-gp-xs", vcpus: 4, memoryGB: 16, localGB: 50),
        NodeType(name: "db-gp-s", vcpus: 8, memoryGB: 32, localGB: 100),
        NodeType(name: "db-play2-pico", vcpus: 1, memoryGB: 2, localGB: 5),
        NodeType(name: "db-play2-nano", vcpus: 2, memoryGB: 4, localGB: 5),
        NodeType(name: "db-pro2-xxs", vcpus: 2, memoryGB: 8, localGB: 0),
    ]

    static let gb = 1_000_000_000
    /// Bounds of Block (SBS) volumes, in bytes: 5 GB to 10 TB, whole GB.
    static let sbsMin = 5 * gb
    static let sbsMax = 10_000 * gb

    static func nodeType(named name: String) -> NodeType? { nodeTypes.first { $0.name == name.lowercased() } }

    static func volumeTypes(of node: NodeType) -> [JSONValue] {
        var out: [JSONValue] = []
        if node.localGB > 0 {
            out.append(.object(["type": .string("lssd"), "class": .string("lssd"), "description": .string("Local SSD storage"),
                                "min_size": .int(node.localGB * gb), "max_size": .int(node.localGB * gb), "chunk_size": .int(gb)]))
        }
        for (type, text) in [("sbs_5k", "Block storage, 5,000 IOPS"), ("sbs_15k", "Block storage, 15,000 IOPS")] {
            out.append(.object(["type": .string(type), "class": .string("sbs"), "description": .string(text),
                                "min_size": .int(sbsMin), "max_size": .int(sbsMax), "chunk_size": .int(gb)]))
        }
        return out
    }

    static func nodeTypeJSON(_ node: NodeType, region: String) -> JSONValue {
        .object([
            "name": .string(node.name), "stock_status": .string("available"),
            "description": .string("\(node.range.uppercased()) node, \(node.vcpus) vCPU, \(node.memoryGB) GB RAM"),
            "vcpus": .int(node.vcpus), "memory": .int(node.memoryGB * 1024 * 1024 * 1024),
            "volume_constraint": .object(["min_size": .int(sbsMin), "max_size": .int(sbsMax)]),
            "is_bssd_compatible": .bool(true), "disabled": .bool(false), "beta": .bool(false),
            "available_volume_types": .array(volumeTypes(of: node)), "is_ha_required": .bool(false),
            "generation": .string(node.name.contains("2") ? "generation_v2" : "generation_v1"),
            "instance_range": .string(node.range), "region": .string(region),
        ])
    }
}

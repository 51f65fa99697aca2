// RDB instances: create (checked like the real API: engine, node type, password policy, volume
// bounds, HA), get, list, patch (name, tags, backups), delete (deleting → 404), upgrade (node
// type, HA, volume size and type, encryption), settings (instance goes `configuring`) and the
// instance's CA certificate.

import Foundation

extension RDBService {
    static let volumeTypes = ["lssd", "bssd", "sbs_5k", "sbs_15k"]

    func createInstance(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let engineName = try input.string("engine"), !engineName.isEmpty else {
            throw APIError.invalidArgument("engine", reason: "required", help: "engine is required (e.g. PostgreSQL-16)")
        }
        guard let version = RDBCatalogue.version(named: engineName), !version.disabled else {
            let offered = RDBCatalogue.versions.filter { !$0.disabled }.map(\.name).joined(separator: ", ")
            throw APIError.invalidArgument("engine", reason: "constraint", help: "unknown or disabled engine \"\(engineName)\"; available: \(offered)")
        }
        let nodeName = try input.string("node_type") ?? ""
        guard let node = RDBCatalogue.nodeType(named: nodeName) else {
            throw APIError.invalidArgument("node_type", reason: "constraint", help: "unknown node type \"\(nodeName)\"")
        }
        let userName = try input.string("user_name") ?? ""
        let password = try input.string("password") ?? ""
        if !userName.isEmpty || !password.isEmpty {
            if let problem = RDBService.nameProblem(userName, what: "user_name") {
                throw APIError.invalidArgument("user_name", reason: "constraint", help: problem)
            }
            if let problem = RDBService.passwordProblem(password) {
                throw APIError.invalidArgument("password", reason: "constraint", help: problem)
            }
        }
        let ha = try input.bool("is_ha_cluster") ?? false
        if ha, !node.allowsHA {
            throw APIError.invalidArgument("is_ha_cluster", reason: "constraint", help: "node type \(node.name) does not support high availability")
        }
        let volume = try Self.volume(type: try input.string("volume_type") ?? "lssd", size: try input.int("volume_size") ?? 0, node: node)
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "rdb")
        let initSettings = try Self.settingPairs(input.raw("init_settings"), field: "init_settings")
        let endpointSpecs = try Self.endpointSpecs(input.raw("init_endpoints"))
        let disableBackup = try input.bool("disable_backup") ?? false
        let encryption = input.raw("encryption")?["enabled"]?.boolValue ?? false
        let id = Clock.uuid()
        let now = Date()
        let body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "engine": .string(version.name), "node_type": .string(node.name),
            "status": .string(RDBStatus.provisioning), "region": .string(region), "project_id": .string(project),
            "organization_id": .string(project), "created_at": .string(Clock.timestamp(now)),
            "tags": .array((try input.stringArray("tags") ?? []).map { .string($0) }), "is_ha_cluster": .bool(ha),
            "backup_same_region": .bool(try input.bool("backup_same_region") ?? false),
            "backup_schedule": .object([
                "disabled": .bool(disableBackup), "frequency": .int(24), "retention": .int(7),
                "next_run_at": disableBackup ? .null : .string(Clock.timestamp(now.addingTimeInterval(86400))),
            ]),
            "encryption": .object(["enabled": .bool(encryption)]), "endpoint": .null, "endpoints": .array([]),
            "init_settings": .array(initSettings), "settings": .array([]), "read_replicas": .array([]), "maintenances": .array([]),
            "logs_policy": .object(["max_age_retention": .int(30), "total_disk_retention": .null]),
            "upgradable_version": .array(Self.upgradableVersions(from: version)), "volume": volume,
        ]
        let rendered = try store.write { state, clock -> JSONValue in
            var record = state.insert(kind: RDBService.instanceKind, id: id, body: body, meta: [
                "certificate": .string(Self.certificate(for: id)),
                "users": .array(userName.isEmpty ? [] : [.object(["name": .string(userName), "is_admin": .bool(true)])]),
                "acls": .array([Self.aclRule(ip: "0.0.0.0/0", description: "Allow All", port: 0)]),
            ])
            record.body["endpoints"] = .array(try endpointSpecs.map { try Self.makeEndpoint($0, instance: record, in: &state) })
            record.body["endpoint"] = record.body["endpoints"]?.arrayValue?.first ?? .null
            RDBStateMachine.begin(&record, RDBStatus.provisioning,
                                  then: [(RDBStatus.initializing, RDBStateMachine.provisioningSeconds),
                                         (RDBStatus.ready, RDBStateMachine.initializingSeconds)],
                                  now: clock, speed: context.speed)
            state.put(record)
            return RDBService.render(record)
        }
        return .json(200, rendered)
    }

    /// `volume` of a new instance: `lssd` takes the node's local size (size 0), Block types need
    /// a size within bounds.
    static func volume(type: String, size: Int, node: RDBCatalogue.NodeType) throws -> JSONValue {
        guard volumeTypes.contains(type) else {
            throw APIError.invalidArgument("volume_type", reason: "constraint", help: "volume_type must be one of \(volumeTypes.joined(separator: ", ")), got \"\(type)\"")
        }
        if type == "lssd" {
            guard node.localGB > 0 else {
                throw APIError.invalidArgument("volume_type", reason: "constraint", help: "node type \(node.name) has no local storage; use sbs_5k or sbs_15k")
            }
            return .object(["type": .string("lssd"), "class": .string("lssd"), "size": .int(node.localGB * RDBCatalogue.gb)])
        }
        try checkBlockSize(size)
        return .object(["type": .string(type), "class": .string(type == "bssd" ? "bssd" : "sbs"), "size": .int(size)])
    }

    static func checkBlockSize(_ size: Int) throws {
        guard size >= RDBCatalogue.sbsMin, size <= RDBCatalogue.sbsMax, size % RDBCatalogue.gb == 0 else {
            throw APIError.invalidArgument("volume_size", reason: "constraint",
                help: "volume_size must be a whole number of GB between \(RDBCatalogue.sbsMin / RDBCatalogue.gb) and \(RDBCatalogue.sbsMax / RDBCatalogue.gb) GB, got \(size) bytes")
        }
    }

    static func upgradableVersions(from version: RDBCatalogue.Version) -> [JSONValue] {
        RDBCatalogue.versions.filter { $0.engine == version.engine && !$0.disabled && (Double($0.version) ?? 0) > (Double(version.version) ?? 0) }
            .map { v in
                .object(["id": .string("00000000-0000-4000-8000-0000000000\(v.version.count == 1 ? "0" : "")\(v.version)"),
                         "name": .string(v.name), "version": .string(v.version), "minor_version": .string("\(v.version).4")])
            }
    }

    /// `[{"name","value"}]` (null = none), checked for shape.
    static func settingPairs(_ raw: JSONValue?, field: String) throws -> [JSONValue] {
        guard let raw, !raw.isNull else { return [] }
        guard let items = raw.arrayValue else {
            throw APIError.invalidArgument(field, reason: "format", help: "\(field) must be a list of {name, value}")
        }
        return try items.map { item in
            guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue else {
                throw APIError.invalidArgument(field, reason: "format", help: "each \(field) entry needs a string name and a string value")
            }
            return .object(["name": .string(name), "value": .string(value)])
        }
    }

    func getInstance(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { RDBService.render(try RDBService.find(request, region: region, in: $0)) })
    }

    func listInstances(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let items = try store.read { state in
            ListQuery.ordered(state.list(RDBService.instanceKind), request).filter { $0.region == region && common($0) }.map(RDBService.render)
        }
        return ListQuery.bodyPage("instances", items, page)
    }

    func updateInstance(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        let frequency = try input.int("backup_schedule_frequency")
        let retention = try input.int("backup_schedule_retention")
        let disabled = try input.bool("is_backup_schedule_disabled")
        let sameRegion = try input.bool("backup_same_region")
        _ = try input.int("backup_schedule_start_hour")
        if let frequency, !(1...24).contains(frequency) {
            throw APIError.invalidArgument("backup_schedule_frequency", reason: "constraint", help: "backup_schedule_frequency must be between 1 and 24 hours")
        }
        if let retention, !(1...365).contains(retention) {
            throw APIError.invalidArgument("backup_schedule_retention", reason: "constraint", help: "backup_schedule_retention must be between 1 and 365 days")
        }
        return .json(200, try store.write { state, _ in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            if let name, !name.isEmpty { instance.body["name"] = .string(name) }
            if let tags { instance.body["tags"] = .array(tags.map { .string($0) }) }
            if let sameRegion { instance.body["backup_same_region"] = .bool(sameRegion) }
            var schedule = instance.body["backup_schedule"]?.objectValue ?? [:]
            if let frequency { schedule["frequency"] = .int(frequency) }
            if let retention { schedule["retention"] = .int(retention) }
            if let disabled {
                schedule["disabled"] = .bool(disabled)
                schedule["next_run_at"] = disabled ? .null : (schedule["next_run_at"].flatMap { $0.isNull ? nil : $0 }
                                                               ?? .string(Clock.timestamp(Date().addingTimeInterval(86400))))
            }
            instance.body["backup_schedule"] = .object(schedule)
            state.put(instance)
            return RDBService.render(instance)
        })
    }

    func deleteInstance(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, now in
            var instance = try RDBService.find(request, region: region, in: state)
            let status = RDBStateMachine.status(instance)
            if status != RDBStatus.ready, !RDBStatus.failures.contains(status) {
                throw APIError.transientState(resource: "instance", id: instance.id, state: status)
            }
            RDBStateMachine.begin(&instance, RDBStatus.deleting, then: [(RDBStatus.gone, RDBStateMachine.deletingSeconds)],
                                  now: now, speed: context.speed)
            state.put(instance)
            return RDBService.render(instance)
        })
    }

    /// Exactly one change per call, as the API demands.
    func upgradeInstance(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let fields = ["node_type", "enable_ha", "volume_size", "volume_type", "upgradable_version_id", "major_upgrade_workflow", "enable_encryption"]
        let given = fields.filter { input.has($0) }
        guard given.count == 1 else {
            throw APIError.invalidArgument("upgrade", reason: "constraint", help: "give exactly one of \(fields.joined(separator: ", ")); got \(given.count)")
        }
        return .json(200, try store.write { state, now in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            var volume = instance.body["volume"]?.objectValue ?? [:]
            let volumeType = volume["type"]?.stringValue ?? "lssd"
            switch given[0] {
            case "node_type":
                let name = try input.string("node_type") ?? ""
                guard let node = RDBCatalogue.nodeType(named: name) else {
                    throw APIError.invalidArgument("node_type", reason: "constraint", help: "unknown node type \"\(name)\"")
                }
                if instance.body["is_ha_cluster"]?.boolValue == true, !node.allowsHA {
                    throw APIError.invalidArgument("node_type", reason: "constraint", help: "node type \(node.name) does not support high availability")
                }
                if volumeType == "lssd" {
                    guard node.localGB > 0 else {
                        throw APIError.invalidArgument("node_type", reason: "constraint", help: "node type \(node.name) has no local storage for this lssd instance")
                    }
                    volume["size"] = .int(node.localGB * RDBCatalogue.gb)
                }
                instance.body["node_type"] = .string(node.name)
            case "enable_ha":
                guard try input.bool("enable_ha") == true else {
                    throw APIError.invalidArgument("enable_ha", reason: "constraint", help: "enable_ha can only be true (HA cannot be turned off)")
                }
                let node = RDBCatalogue.nodeType(named: instance.body["node_type"]?.stringValue ?? "")
                if node?.allowsHA == false {
                    throw APIError.invalidArgument("enable_ha", reason: "constraint", help: "node type \(node!.name) does not support high availability")
                }
                instance.body["is_ha_cluster"] = .bool(true)
            case "volume_size":
                let size = try input.int("volume_size") ?? 0
                guard volumeType != "lssd" else {
                    throw APIError.invalidArgument("volume_size", reason: "constraint", help: "a local (lssd) volume's size follows the node type")
                }
                try Self.checkBlockSize(size)
                guard size > volume["size"]?.intValue ?? 0 else {
                    throw APIError.invalidArgument("volume_size", reason: "constraint", help: "volume_size can only grow (now \(volume["size"]?.intValue ?? 0) bytes)")
                }
                volume["size"] = .int(size)
            case "volume_type":
                let type = try input.string("volume_type") ?? ""
                guard ["sbs_5k", "sbs_15k", "bssd"].contains(type) else {
                    throw APIError.invalidArgument("volume_type", reason: "constraint", help: "volume_type can be upgraded to sbs_5k, sbs_15k or bssd, got \"\(type)\"")
                }
                volume["type"] = .string(type)
                volume["class"] = .string(type == "bssd" ? "bssd" : "sbs")
                volume["size"] = .int(max(volume["size"]?.intValue ?? 0, RDBCatalogue.sbsMin))
            case "enable_encryption":
                instance.body["encryption"] = .object(["enabled": .bool(try input.bool("enable_encryption") ?? false)])
            default:
                throw APIError.invalidArgument(given[0], reason: "constraint", help: "the emulator does not implement \(given[0]) upgrades")
            }
            instance.body["volume"] = .object(volume)
            RDBStateMachine.begin(&instance, RDBStatus.configuring, then: [(RDBStatus.ready, RDBStateMachine.configuringSeconds)],
                                  now: now, speed: context.speed)
            state.put(instance)
            return RDBService.render(instance)
        })
    }

    /// PUT sets the given settings (the others keep their value), POST adds; each is checked
    /// against the engine's catalogue. The instance goes through `configuring`.
    func setSettings(_ request: APIRequest, replace: Bool) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let pairs = try Self.settingPairs(try request.body().raw("settings") ?? .array([]), field: "settings")
        return .json(200, try store.write { state, now in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            let catalogue = RDBCatalogue.settings(ofEngine: instance.body["engine"]?.stringValue ?? "")
            var settings = instance.body["settings"]?.arrayValue ?? []
            for pair in pairs {
                let name = pair["name"]?.stringValue ?? ""
                guard let spec = catalogue.first(where: { $0.name == name }) else {
                    throw APIError.invalidArgument("settings", reason: "constraint", help: "unknown setting \"\(name)\" for \(instance.body["engine"]?.stringValue ?? "")")
                }
                if let problem = spec.problem(with: pair["value"]?.stringValue ?? "") {
                    throw APIError.invalidArgument("settings", reason: "constraint", help: problem)
                }
                settings = RDBService.merged(settings, pair)
            }
            instance.body["settings"] = .array(settings)
            RDBStateMachine.begin(&instance, RDBStatus.configuring, then: [(RDBStatus.ready, RDBStateMachine.configuringSeconds)],
                                  now: now, speed: context.speed)
            state.put(instance)
            return .object(["settings": .array(settings)])
        })
    }

    func certificate(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { state in
            let instance = try RDBService.find(request, region: region, in: state)
            return .object(["name": .string("ssl_certificate"), "content_type": .string("application/x-pem-file"),
                            "content": instance.meta["certificate"] ?? .string("")])
        })
    }

    /// A PEM certificate (random body, stable per instance), base64-encoded as the API sends it.
    static func certificate(for id: String) -> String {
        var bytes: [UInt8] = Array("scwlua-emulator-rdb-ca:\(id):".utf8)
        for _ in 0..<600 { bytes.append(UInt8.random(in: 0...255)) }
        let body = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let pem = "-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n"
        return Data(pem.utf8).base64EncodedString()
    }
}

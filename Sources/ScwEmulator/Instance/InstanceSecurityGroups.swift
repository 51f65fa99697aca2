// Security groups (`/security_groups`): create, get, list, update (`syncing` for a moment after a
// change), delete refused with 409 `conflict` while servers use the group; the project default group.

extension InstanceService {
    /// A group as served: `servers` from the servers that use it, `state` syncing while a change applies.
    static func render(securityGroup sg: Record, in state: CloudState, now: Double) -> JSONValue {
        var body = sg.body
        body["servers"] = .array(users(of: sg.id, in: state).map { ServerRef($0).json })
        body["state"] = .string(Transient.state(sg, now: now) ?? "available")
        return .object(body)
    }

    static func users(of groupID: String, in state: CloudState) -> [Record] {
        state.list(serverKind).filter { $0.body["security_group"]?["id"]?.stringValue == groupID }
    }

    private static func newGroup(name: String, description: String?, project: String, zone: String, stateful: Bool,
                                 inbound: String, outbound: String, defaultSecurity: Bool, projectDefault: Bool,
                                 tags: [String]) -> (id: String, body: [String: JSONValue], meta: [String: JSONValue]) {
        let id = Clock.uuid()
        let date = Clock.instanceTimestamp()
        let body: [String: JSONValue] = [
            "id": .string(id), "creation_date": .string(date), "modification_date": .string(date), "name": .string(name),
            "description": description.map { .string($0) } ?? .null, "organization": .string(project), "project": .string(project),
            "servers": .array([]), "stateful": .bool(stateful), "inbound_default_policy": .string(inbound),
            "outbound_default_policy": .string(outbound), "organization_default": .bool(false), "project_default": .bool(projectDefault),
            "enable_default_security": .bool(defaultSecurity), "state": .string("available"), "tags": strings(tags), "zone": .string(zone),
        ]
        return (id, body, ["rules": .array(defaultSecurity ? defaultRules(zone: zone) : [])])
    }

    /// The project's default group in a zone, created (as the API has it) the first time it is needed.
    static func defaultSecurityGroup(project: String, zone: String, in state: inout CloudState, now: Double) -> Record {
        if let existing = state.list(securityGroupKind).first(where: {
            $0.zone == zone && $0.projectID == project && $0.body["project_default"]?.boolValue == true
        }) {
            return existing
        }
        let sg = newGroup(name: "Default security group", description: "Auto generated security group.", project: project, zone: zone,
                          stateful: true, inbound: "accept", outbound: "accept", defaultSecurity: true, projectDefault: true, tags: [])
        return state.insert(kind: securityGroupKind, id: sg.id, body: sg.body, meta: sg.meta)
    }

    private static func policy(_ input: RequestBody, _ key: String) throws -> String? {
        guard let value = try input.string(key), value != "unknown_policy" else { return nil }
        guard value == "accept" || value == "drop" else { throw APIError.instanceValidation(key, "\"\(value)\" is not one of accept, drop") }
        return value
    }

    // MARK: handlers

    func createSecurityGroup(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let project = try self.project(input)
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "sg")
        let description = try input.string("description").flatMap { $0.isEmpty ? nil : $0 }
        let stateful = try input.bool("stateful") ?? true
        let inbound = try InstanceService.policy(input, "inbound_default_policy") ?? "accept"
        let outbound = try InstanceService.policy(input, "outbound_default_policy") ?? "accept"
        let defaultSecurity = try input.bool("enable_default_security") ?? true
        let projectDefault = try input.bool("project_default") ?? false
        let tags = try input.stringArray("tags") ?? []
        let sg = InstanceService.newGroup(name: name, description: description, project: project, zone: zone, stateful: stateful,
                                          inbound: inbound, outbound: outbound, defaultSecurity: defaultSecurity,
                                          projectDefault: projectDefault, tags: tags)
        let rendered = try store.write { state, now -> JSONValue in
            try quotas.check("security_groups", project: project, in: state)
            let record = state.insert(kind: InstanceService.securityGroupKind, id: sg.id, body: sg.body, meta: sg.meta)
            return InstanceService.render(securityGroup: record, in: state, now: now)
        }
        return InstanceService.wrapped(201, "security_group", rendered, request, id: sg.id)
    }

    func getSecurityGroup(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let now = InstanceStore.now()
        return .json(200, .object(["security_group": try store.read { state in
            InstanceService.render(securityGroup: try InstanceService.find(InstanceService.securityGroupKind, request.param("id"),
                                                                           zone: zone, in: state), in: state, now: now)
        }]))
    }

    /// Filters: project, organization, tags (all), name, project_default.
    func listSecurityGroups(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let common = InstanceService.commonFilter(request)
        let projectDefault = try ListQuery.bool(request, "project_default")
        let now = InstanceStore.now()
        let items = try store.read { state in
            state.list(InstanceService.securityGroupKind).filter { sg in
                sg.zone == zone && common(sg) && (projectDefault == nil || sg.body["project_default"]?.boolValue == projectDefault)
            }.map { InstanceService.render(securityGroup: $0, in: state, now: now) }
        }
        return try InstanceService.listPage("security_groups", items, request)
    }

    /// Any field of the create body; a change puts the group in `syncing` for a moment.
    func updateSecurityGroup(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        var changes: [String: JSONValue] = [:]
        if let name = try input.string("name"), !name.isEmpty { changes["name"] = .string(name) }
        if input.isPresent("description") {
            changes["description"] = try input.string("description").flatMap { $0.isEmpty ? nil : .string($0) } ?? .null
        }
        if let stateful = try input.bool("stateful") { changes["stateful"] = .bool(stateful) }
        if let inbound = try InstanceService.policy(input, "inbound_default_policy") { changes["inbound_default_policy"] = .string(inbound) }
        if let outbound = try InstanceService.policy(input, "outbound_default_policy") { changes["outbound_default_policy"] = .string(outbound) }
        if let security = try input.bool("enable_default_security") { changes["enable_default_security"] = .bool(security) }
        if let projectDefault = try input.bool("project_default") { changes["project_default"] = .bool(projectDefault) }
        if let tags = try input.stringArray("tags") { changes["tags"] = InstanceService.strings(tags) }
        return .json(200, .object(["security_group": try store.write { state, now in
            var sg = try InstanceService.find(InstanceService.securityGroupKind, request.param("id"), zone: zone, in: state)
            let changed = changes.filter { sg.body[$0.key] != $0.value }
            if !changed.isEmpty {
                for (key, value) in changed { sg.body[key] = value }
                if let security = changed["enable_default_security"]?.boolValue {
                    InstanceService.setDefaultRules(of: &sg, enabled: security)
                }
                sg.body["modification_date"] = .string(Clock.instanceTimestamp())
                Transient.mark(&sg, "syncing", speed: context.speed, now: now)
                state.put(sg)
            }
            return InstanceService.render(securityGroup: sg, in: state, now: now)
        }]))
    }

    func deleteSecurityGroup(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let sg = try InstanceService.find(InstanceService.securityGroupKind, request.param("id"), zone: zone, in: state)
            guard InstanceService.users(of: sg.id, in: state).isEmpty else {
                throw APIError.instanceConflict("Group is in use. You cannot delete it.")
            }
            state.remove(InstanceService.securityGroupKind, sg.id)
        }
        return .empty(204)
    }
}

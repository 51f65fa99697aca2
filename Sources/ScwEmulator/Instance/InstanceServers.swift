// Instance servers: create (type, image, volumes, IPs, security group, quota), get, list, update,
// delete (stopped only), the served shape, and removal with its effects on volumes and IPs.

extension InstanceService {
    // MARK: rendering

    /// A server as served: stored fields plus volumes, public IPs, security group name and
    /// allowed actions, derived from the other records. Create answers leave out
    /// `admin_password_encryption_ssh_key_id`, as recorded.
    static func render(server: Record, in state: CloudState, now: Double, created: Bool = false) -> JSONValue {
        var body = server.body
        body["volumes"] = renderVolumes(of: server, in: state, now: now)
        let ips = publicIPs(of: server, in: state)
        body["public_ips"] = .array(ips)
        body["public_ip"] = ips.first(where: { $0["family"]?.stringValue == "inet" }) ?? ips.first ?? .null
        if let sgID = body["security_group"]?["id"]?.stringValue, let sg = state.get(securityGroupKind, sgID) {
            body["security_group"] = .object(["id": .string(sgID), "name": .string(sg.name)])
        }
        body["allowed_actions"] = strings(InstanceServerStateMachine.allowedActions(server))
        if created { body["admin_password_encryption_ssh_key_id"] = nil }
        return .object(body)
    }

    // MARK: create

    func createServer(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let typeName = try input.string("commercial_type"), !typeName.isEmpty else {
            throw APIError.instanceValidation("commercial_type", "required key not provided")
        }
        guard let type = InstanceProducts.find(typeName) else {
            throw APIError.instanceValidation("commercial_type", "\"\(typeName)\" is not a commercial type of \(zone) (see GET /products/servers)")
        }
        let project = try self.project(input)
        let id = Clock.uuid()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "scw")
        let tags = try input.stringArray("tags") ?? []
        let bootType = try InstanceService.bootType(input) ?? "local"
        let imageID = try input.string("image").flatMap { $0.isEmpty ? nil : $0 }
        let publicIPs = try input.stringArray("public_ips") ?? []
        let dynamicIP = try input.bool("dynamic_ip_required") ?? false
        let protected = try input.bool("protected") ?? false
        let sgID = try InstanceService.referencedID(input, "security_group")
        if let pg = try InstanceService.referencedID(input, "placement_group") { throw APIError.unknownResource("Placement group", pg) }

        let rendered = try store.write { state, now -> JSONValue in
            try quotas.check("instances", project: project, in: state)
            var image: LocalImage?
            if let imageID {
                guard let found = InstanceImages.find(imageID), found.zone == zone else { throw APIError.unknownResource("Image", imageID) }
                guard found.arch == type.arch else {
                    throw APIError.instanceRequest(
                        "image \(imageID) (\(found.name), \(found.arch.rawValue)) cannot boot commercial type \(type.name) (\(type.arch.rawValue))")
                }
                image = found
            }
            let sg: Record
            if let sgID {
                guard let found = state.get(InstanceService.securityGroupKind, sgID), found.zone == zone else {
                    throw APIError.unknownResource("Security group", sgID)
                }
                sg = found
            } else {
                sg = InstanceService.defaultSecurityGroup(project: project, zone: zone, in: &state, now: now)
            }
            let owner = ServerRef(id: id, name: name, zone: zone, project: project)
            let volumes = try InstanceService.createVolumes(input.raw("volumes"), for: owner, type: type, image: image, in: &state, now: now)
            for ipID in publicIPs {
                var ip = try InstanceService.findReferencedIP(ipID, zone: zone, in: state)
                if let other = ip.body["server"]?["id"]?.stringValue {
                    throw APIError.instanceRequest("IP \(ipID) is already attached to server \(other)")
                }
                InstanceService.attach(&ip, to: owner)
                state.put(ip)
            }
            let date = Clock.instanceTimestamp()
            let body: [String: JSONValue] = [
                "id": .string(id), "name": .string(name), "hostname": .string(name), "arch": .string(type.arch.rawValue),
                "commercial_type": .string(type.name), "boot_type": .string(bootType), "organization": .string(project),
                "project": .string(project), "image": image?.instanceJSON ?? .null, "volumes": .object(volumes),
                "tags": InstanceService.strings(tags), "state": .string(ServerState.stopped), "protected": .bool(protected),
                "state_detail": .string(""), "mac_address": .string(InstanceService.macAddress()), "routed_ip_enabled": .bool(true),
                "ipv6": .null, "extra_networks": .array([]), "dynamic_ip_required": .bool(dynamicIP), "enable_ipv6": .bool(false),
                "private_ip": .null, "creation_date": .string(date), "modification_date": .string(date), "bootscript": .null,
                "security_group": .object(["id": .string(sg.id), "name": .string(sg.name)]), "location": .null,
                "maintenances": .array([]), "placement_group": .null, "private_nics": .array([]), "zone": .string(zone),
                "filesystems": .array([]), "end_of_service": .bool(false), "dns": .string("\(id).pub.instances.scw.cloud"),
                "admin_password_encryption_ssh_key_id": .null,
            ]
            var meta: [String: JSONValue] = [:]
            if dynamicIP { meta["dynamic_ip"] = InstanceService.dynamicIP(zone: zone, in: state) }
            let server = state.insert(kind: InstanceService.serverKind, id: id, body: body, meta: meta)
            return InstanceService.render(server: server, in: state, now: now, created: true)
        }
        return InstanceService.wrapped(201, "server", rendered, request, id: id)
    }

    // MARK: read

    func getServer(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let now = InstanceStore.now()
        return .json(200, .object(["server": try store.read { state in
            InstanceService.render(server: try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state),
                                   in: state, now: now)
        }]))
    }

    /// Filters: project, organization, tags (all), name, commercial_type, state, servers (ids),
    /// private_network; `order` creation_date_desc (default) or creation_date_asc.
    func listServers(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let common = InstanceService.commonFilter(request)
        let type = ListQuery.string(request, "commercial_type")?.uppercased()
        let wantedState = ListQuery.string(request, "state")
        let ids = ListQuery.strings(request, "servers").map(Set.init)
        let network = ListQuery.string(request, "private_network")
        let ascending = ListQuery.string(request, "order").map { $0.hasSuffix("_asc") } ?? false
        let now = InstanceStore.now()
        let items = try store.read { state in
            let servers = state.list(InstanceService.serverKind).filter { server in
                server.zone == zone && common(server)
                    && (type == nil || server.body["commercial_type"]?.stringValue == type)
                    && (wantedState == nil || server.body["state"]?.stringValue == wantedState)
                    && (ids == nil || ids!.contains(server.id))
                    && (network == nil
                        || (server.body["private_nics"]?.arrayValue ?? []).contains { $0["private_network_id"]?.stringValue == network })
            }
            return (ascending ? servers : servers.reversed()).map { InstanceService.render(server: $0, in: state, now: now) }
        }
        return try InstanceService.listPage("servers", items, request)
    }

    // MARK: update

    func updateServer(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        let typeName = try input.string("commercial_type")
        let protected = try input.bool("protected")
        let dynamicIP = try input.bool("dynamic_ip_required")
        let bootType = try InstanceService.bootType(input)
        let enableIPv6 = try input.bool("enable_ipv6")
        let routed = try input.bool("routed_ip_enabled")
        let sgID = try InstanceService.referencedID(input, "security_group")
        let adminKey = try input.uuid("admin_password_encryption_ssh_key_id")
        if let pg = try InstanceService.referencedID(input, "placement_group") { throw APIError.unknownResource("Placement group", pg) }
        if routed == false { throw APIError.instanceRequest("routed IPs cannot be disabled on a server") }

        let rendered = try store.write { state, now -> JSONValue in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            if let name, !name.isEmpty { server.body["name"] = .string(name) }
            if let tags { server.body["tags"] = InstanceService.strings(tags) }
            if let protected { server.body["protected"] = .bool(protected) }
            if let bootType { server.body["boot_type"] = .string(bootType) }
            if let enableIPv6 { server.body["enable_ipv6"] = .bool(enableIPv6) }
            if input.isPresent("admin_password_encryption_ssh_key_id") {
                server.body["admin_password_encryption_ssh_key_id"] = adminKey.map { .string($0) } ?? .null
            }
            if let sgID {
                guard let sg = state.get(InstanceService.securityGroupKind, sgID), sg.zone == zone else {
                    throw APIError.unknownResource("Security group", sgID)
                }
                server.body["security_group"] = .object(["id": .string(sg.id), "name": .string(sg.name)])
            }
            if let typeName, typeName.uppercased() != server.body["commercial_type"]?.stringValue {
                try InstanceService.changeType(of: &server, to: typeName, in: state)
            }
            if let dynamicIP {
                server.body["dynamic_ip_required"] = .bool(dynamicIP)
                if dynamicIP, server.meta["dynamic_ip"] == nil { server.meta["dynamic_ip"] = InstanceService.dynamicIP(zone: zone, in: state) }
                if !dynamicIP { server.meta["dynamic_ip"] = nil }
            }
            if input.has("volumes") { try InstanceService.updateVolumes(of: &server, input.raw("volumes"), in: &state, now: now) }
            server.body["modification_date"] = .string(Clock.instanceTimestamp())
            state.put(server)
            return InstanceService.render(server: server, in: state, now: now)
        }
        return .json(200, .object(["server": rendered]))
    }

    /// A type change: only when stopped, to a type of the same arch whose local storage fits.
    private static func changeType(of server: inout Record, to typeName: String, in state: CloudState) throws {
        guard InstanceServerStateMachine.state(server) == ServerState.stopped else {
            let current = InstanceServerStateMachine.state(server)
            throw APIError.instanceRequest("server should be stopped to change its commercial type (it is \(current))")
        }
        guard let type = InstanceProducts.find(typeName) else {
            throw APIError.instanceValidation("commercial_type", "\"\(typeName)\" is not a commercial type (see GET /products/servers)")
        }
        let arch = server.body["arch"]?.stringValue ?? ""
        guard type.arch.rawValue == arch else {
            throw APIError.instanceRequest("commercial type \(type.name) is \(type.arch.rawValue) but the server is \(arch)")
        }
        try checkLocalStorage(sizes: localVolumeSizes(of: server, in: state), type: type)
        server.body["commercial_type"] = .string(type.name)
    }

    // MARK: delete

    func deleteServer(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            let current = InstanceServerStateMachine.state(server)
            guard current == ServerState.stopped else {
                throw APIError.instanceRequest("server should be stopped (it is \(current)); power it off or terminate it")
            }
            try InstanceService.checkNotProtected(server)
            InstanceService.remove(server, deletingLocalVolumes: false, in: &state)
        }
        return .empty(204)
    }

    static func checkNotProtected(_ server: Record) throws {
        if server.body["protected"]?.boolValue == true {
            throw APIError.preconditionFailed("protected_resource", help: "server \(server.id) is protected; PATCH it with protected=false first")
        }
    }

    /// Removes a server: its flexible IPs are detached, Block volumes released, local volumes
    /// deleted (terminate) or detached (DELETE); the dynamic IP and NICs (and their IPAM addresses)
    /// go with it.
    static func remove(_ server: Record, deletingLocalVolumes: Bool, in state: inout CloudState) {
        let now = Clock.instanceTimestamp()
        for ref in (server.body["volumes"]?.objectValue ?? [:]).values {
            guard let id = ref["id"]?.stringValue else { continue }
            if var block = state.get(BlockService.volumeKind, id) {
                BlockService.release(&block)
                state.put(block)
            } else if var volume = state.get(volumeKind, id) {
                let local = ["l_ssd", "scratch"].contains(volume.body["volume_type"]?.stringValue ?? "")
                if deletingLocalVolumes && local {
                    state.remove(volumeKind, id)
                } else {
                    volume.body["server"] = .null
                    volume.body["modification_date"] = .string(now)
                    state.put(volume)
                }
            }
        }
        detachIPs(from: server.id, in: &state)
        for nic in server.body["private_nics"]?.arrayValue ?? [] {
            if let nicID = nic["id"]?.stringValue { IPAMService.release(nicID: nicID, in: &state) }
        }
        state.remove(serverKind, server.id)
    }

    // MARK: create-body helpers

    /// A reference given as `"<uuid>"` or `{"id":"<uuid>"}`; nil when absent or null.
    static func referencedID(_ input: RequestBody, _ key: String) throws -> String? {
        switch input.raw(key) {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        case .object(let o)?:
            guard let id = o["id"]?.stringValue else { throw APIError.instanceValidation(key, "expected {\"id\": \"<uuid>\"}") }
            return id
        default: throw APIError.instanceValidation(key, "expected a UUID or {\"id\": \"<uuid>\"}")
        }
    }

    static func bootType(_ input: RequestBody) throws -> String? {
        guard let value = try input.string("boot_type"), value != "unknown_boot_type" else { return nil }
        guard ["local", "rescue", "bootscript"].contains(value) else {
            throw APIError.instanceValidation("boot_type", "\"\(value)\" is not one of local, rescue, bootscript")
        }
        return value
    }

    static func macAddress() -> String {
        "de:00:00:" + (0..<3).map { _ in
            let s = String(Int.random(in: 0...255), radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: ":")
    }
}

/// What a volume or IP records of the server it is attached to.
struct ServerRef {
    let id: String
    let name: String
    let zone: String
    let project: String

    init(id: String, name: String, zone: String, project: String) {
        self.id = id
        self.name = name
        self.zone = zone
        self.project = project
    }

    init(_ server: Record) {
        self.init(id: server.id, name: server.name, zone: server.zone ?? "", project: server.projectID)
    }

    var json: JSONValue { .object(["id": .string(id), "name": .string(name)]) }
}

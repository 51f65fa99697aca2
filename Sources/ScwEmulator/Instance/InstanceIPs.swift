// Flexible IPs (`/ips`): routed_ipv4 / routed_ipv6, tags, reverse, attach and detach by PATCH
// `server`; their shape inside servers (`public_ips`) and the dynamic IP a server may carry.

extension InstanceService {
    static func render(ip: Record, in state: CloudState) -> JSONValue {
        var body = ip.body
        if let id = body["server"]?["id"]?.stringValue, let server = state.get(serverKind, id) {
            body["server"] = ServerRef(server).json
        }
        return .object(body)
    }

    static func attach(_ ip: inout Record, to owner: ServerRef) {
        ip.body["server"] = owner.json
        ip.body["state"] = .string("attached")
    }

    static func detach(_ ip: inout Record) {
        ip.body["server"] = .null
        ip.body["state"] = .string("detached")
    }

    /// Detaches every flexible IP of a server (terminate does it at once, as recorded).
    static func detachIPs(from serverID: String, in state: inout CloudState) {
        for var ip in state.list(ipKind) where ip.body["server"]?["id"]?.stringValue == serverID {
            detach(&ip)
            state.put(ip)
        }
    }

    /// A flexible IP named in a request body (by id), or 404 `unknown_resource`.
    static func findReferencedIP(_ id: String, zone: String, in state: CloudState) throws -> Record {
        guard let ip = state.get(ipKind, id), ip.zone == zone else { throw APIError.unknownResource("IP", id) }
        return ip
    }

    /// The server's `public_ips`: its dynamic IP, then its flexible IPs in creation order.
    static func publicIPs(of server: Record, in state: CloudState) -> [JSONValue] {
        let flexible = state.list(ipKind).filter { $0.body["server"]?["id"]?.stringValue == server.id }.map { ip -> JSONValue in
            let v6 = ip.body["type"]?.stringValue == "routed_ipv6"
            let prefix = ip.body["prefix"]?.stringValue ?? ""
            return .object([
                "id": .string(ip.id), "address": v6 ? .string(prefix.replacingOccurrences(of: "::/64", with: "::1")) : ip.body["address"] ?? .null,
                "dynamic": .bool(false), "gateway": .string(v6 ? "fe80::dc00:ff:fe20:1" : "62.210.0.1"),
                "netmask": .string(v6 ? "64" : "32"), "family": .string(v6 ? "inet6" : "inet"),
                "provisioning_mode": .string(v6 ? "slaac" : "dhcp"), "tags": ip.body["tags"] ?? .array([]),
                "state": .string("attached"), "ipam_id": ip.body["ipam_id"] ?? .null,
            ])
        }
        return (server.meta["dynamic_ip"].map { [$0] } ?? []) + flexible
    }

    /// A dynamic IPv4 (lives and dies with the server; not a flexible IP).
    static func dynamicIP(zone: String, in state: CloudState) -> JSONValue {
        let id = Clock.uuid()
        return .object([
            "id": .string(id), "address": .string(freeIPv4(zone: zone, in: state)), "dynamic": .bool(true),
            "gateway": .string("62.210.0.1"), "netmask": .string("32"), "family": .string("inet"),
            "provisioning_mode": .string("dhcp"), "tags": .array([]), "state": .string("attached"), "ipam_id": .string(id),
        ])
    }

    private static func freeIPv4(zone: String, in state: CloudState) -> String {
        let first: [String: Int] = ["fr-par": 163, "nl-ams": 51, "pl-waw": 151, "it-mil": 62]
        let second: [String: Int] = ["fr-par": 172, "nl-ams": 158, "pl-waw": 115, "it-mil": 4]
        let region = Locality.region(ofZone: zone)
        let taken = Set(state.list(ipKind).compactMap { $0.body["address"]?.stringValue })
        while true {
            let address = "\(first[region] ?? 51).\(second[region] ?? 15).\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
            if !taken.contains(address) { return address }
        }
    }

    private static func freeIPv6Prefix(zone: String) -> String {
        let sites: [String: String] = ["fr-par": "710", "nl-ams": "1640", "pl-waw": "1d80", "it-mil": "2c00"]
        let group = String(Int.random(in: 0x1000...0xffff), radix: 16)
        return "2001:bc8:\(sites[Locality.region(ofZone: zone)] ?? "710"):\(group)::/64"
    }

    // MARK: handlers

    /// `{"project","type":"routed_ipv4"|"routed_ipv6","tags","server"?}` → 201 `{"ip":{...}}`.
    func createIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let project = try self.project(input)
        let type = try input.string("type").flatMap { $0 == "unknown_iptype" ? nil : $0 } ?? "routed_ipv4"
        guard ["routed_ipv4", "routed_ipv6"].contains(type) else {
            throw APIError.instanceValidation("type", "\"\(type)\" is not one of routed_ipv4, routed_ipv6")
        }
        let tags = try input.stringArray("tags") ?? []
        let serverID = try input.uuid("server")
        let id = Clock.uuid()
        let rendered = try store.write { state, _ -> JSONValue in
            try quotas.check("ips", project: project, in: state)
            let v6 = type == "routed_ipv6"
            var ip = state.insert(kind: InstanceService.ipKind, id: id, body: [
                "id": .string(id), "address": v6 ? .null : .string(InstanceService.freeIPv4(zone: zone, in: state)),
                "prefix": v6 ? .string(InstanceService.freeIPv6Prefix(zone: zone)) : .null, "reverse": .null, "server": .null,
                "organization": .string(project), "project": .string(project), "zone": .string(zone), "type": .string(type),
                "state": .string("detached"), "tags": InstanceService.strings(tags), "ipam_id": .string(id),
            ])
            if let serverID {
                guard let server = state.get(InstanceService.serverKind, serverID), server.zone == zone else {
                    throw APIError.unknownResource("Server", serverID)
                }
                InstanceService.attach(&ip, to: ServerRef(server))
                state.put(ip)
            }
            return InstanceService.render(ip: ip, in: state)
        }
        return InstanceService.wrapped(201, "ip", rendered, request, id: id)
    }

    /// By id, or by address as the API allows.
    private static func findIP(_ idOrAddress: String, zone: String, in state: CloudState) throws -> Record {
        if let ip = state.get(ipKind, idOrAddress), ip.zone == zone { return ip }
        if let ip = state.list(ipKind).first(where: { $0.zone == zone && $0.body["address"]?.stringValue == idOrAddress }) { return ip }
        throw APIError.notFound(resource: resourceName(ipKind), id: idOrAddress)
    }

    func getIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, .object(["ip": try store.read { state in
            InstanceService.render(ip: try InstanceService.findIP(request.param("id"), zone: zone, in: state), in: state)
        }]))
    }

    /// Filters: project, organization, tags (all), type, name (address).
    func listIPs(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let project = ListQuery.string(request, "project")
        let organization = ListQuery.string(request, "organization")
        let tags = ListQuery.strings(request, "tags") ?? []
        let type = ListQuery.string(request, "type")
        let address = ListQuery.string(request, "name")
        let items = try store.read { state in
            state.list(InstanceService.ipKind).filter { ip in
                ip.zone == zone && (project == nil || ip.projectID == project)
                    && (organization == nil || ip.body["organization"]?.stringValue == organization)
                    && Set(tags).isSubset(of: Set(ip.tags)) && (type == nil || ip.body["type"]?.stringValue == type)
                    && (address == nil || (ip.body["address"]?.stringValue ?? "").contains(address!))
            }.map { InstanceService.render(ip: $0, in: state) }
        }
        return try InstanceService.listPage("ips", items, request)
    }

    /// `tags`, `reverse` (string, or null/"" to clear), `server` (uuid attaches or moves, null detaches).
    func updateIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let tags = try input.stringArray("tags")
        let reverse = try input.string("reverse")
        let serverID = try input.uuid("server")
        if let reverse, !reverse.isEmpty, !InstanceService.isHostname(reverse) {
            throw APIError.invalidArgument("reverse", reason: "format", help: "\"\(reverse)\" is not a valid host name")
        }
        return .json(200, .object(["ip": try store.write { state, _ in
            var ip = try InstanceService.findIP(request.param("id"), zone: zone, in: state)
            if let tags { ip.body["tags"] = InstanceService.strings(tags) }
            if input.isPresent("reverse") { ip.body["reverse"] = reverse.flatMap { $0.isEmpty ? nil : .string($0) } ?? .null }
            if let serverID {
                guard let server = state.get(InstanceService.serverKind, serverID), server.zone == zone else {
                    throw APIError.unknownResource("Server", serverID)
                }
                InstanceService.attach(&ip, to: ServerRef(server))
            } else if input.isPresent("server") {
                InstanceService.detach(&ip)
            }
            state.put(ip)
            return InstanceService.render(ip: ip, in: state)
        }]))
    }

    /// Deleting an attached IP detaches it first, as the API does.
    func deleteIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let ip = try InstanceService.findIP(request.param("id"), zone: zone, in: state)
            state.remove(InstanceService.ipKind, ip.id)
        }
        return .empty(204)
    }

    static func isHostname(_ s: String) -> Bool {
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        return s.count <= 253 && labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

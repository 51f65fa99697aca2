// Private NICs: a server's interfaces on VPC private networks (`/servers/{id}/private_nics`, v1),
// kept in the server body (so a private network in use cannot be deleted), with their IPAM
// addresses booked and freed alongside, and the v2alpha1 list.

extension InstanceService {
    private static func nics(of server: Record) -> [JSONValue] { server.body["private_nics"]?.arrayValue ?? [] }

    private static func findNIC(_ id: String, in server: Record) throws -> JSONValue {
        guard let nic = nics(of: server).first(where: { $0["id"]?.stringValue == id }) else {
            throw APIError.notFound(resource: "instance_private_nic", id: id)
        }
        return nic
    }

    func listPrivateNICs(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let items = try store.read { state in
            InstanceService.nics(of: try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state))
        }
        return try InstanceService.listPage("private_nics", items, request)
    }

    /// `{"private_network_id","tags"?}` → 201 `{"private_nic":{...}}`; one NIC per network, 8 at most.
    func createPrivateNIC(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let networkID = try input.uuid("private_network_id") else {
            throw APIError.instanceValidation("private_network_id", "required key not provided")
        }
        let tags = try input.stringArray("tags") ?? []
        let id = Clock.uuid()
        let nic = try store.write { state, _ -> JSONValue in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            guard let network = state.get(VPCService.privateNetworkKind, networkID), network.region == Locality.region(ofZone: zone) else {
                throw APIError.unknownResource("Private network", networkID)
            }
            var nics = InstanceService.nics(of: server)
            if nics.contains(where: { $0["private_network_id"]?.stringValue == networkID }) {
                throw APIError.instanceRequest("server \(server.id) already has a NIC on private network \(networkID)")
            }
            guard nics.count < 8 else { throw APIError.instanceRequest("a server has at most 8 private NICs") }
            let date = Clock.instanceTimestamp()
            let mac = InstanceService.macAddress().replacingOccurrences(of: "de:00:00", with: "02:00:00")
            let ipIDs = IPAMService.allocate(nicID: id, macAddress: mac, serverName: server.name, project: server.projectID,
                                             network: network, in: &state)
            let nic: JSONValue = .object([
                "id": .string(id), "server_id": .string(server.id), "private_network_id": .string(network.id),
                "mac_address": .string(mac),
                "state": .string("available"), "tags": InstanceService.strings(tags), "creation_date": .string(date),
                "modification_date": .string(date), "zone": .string(zone), "ipam_ip_ids": .array(ipIDs.map { .string($0) }),
            ])
            nics.append(nic)
            server.body["private_nics"] = .array(nics)
            state.put(server)
            return nic
        }
        return InstanceService.wrapped(201, "private_nic", nic, request, id: id)
    }

    func getPrivateNIC(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, .object(["private_nic": try store.read { state in
            try InstanceService.findNIC(request.param("nic"),
                                        in: try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state))
        }]))
    }

    func updatePrivateNIC(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let tags = try request.body().stringArray("tags")
        return .json(200, .object(["private_nic": try store.write { state, _ in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            guard case .object(var nic) = try InstanceService.findNIC(request.param("nic"), in: server) else { return .null }
            if let tags { nic["tags"] = InstanceService.strings(tags) }
            nic["modification_date"] = .string(Clock.instanceTimestamp())
            server.body["private_nics"] = .array(InstanceService.nics(of: server).map { $0["id"] == nic["id"] ? .object(nic) : $0 })
            state.put(server)
            return .object(nic)
        }]))
    }

    func deletePrivateNIC(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            let nic = try InstanceService.findNIC(request.param("nic"), in: server)
            server.body["private_nics"] = .array(InstanceService.nics(of: server).filter { $0["id"] != nic["id"] })
            state.put(server)
            if let nicID = nic["id"]?.stringValue { IPAMService.release(nicID: nicID, in: &state) }
        }
        return .empty(204)
    }

    /// `GET /instance/v2alpha1/zones/{zone}/private-network-interfaces?server_ids=..&private_network_ids=..&project_id=..`
    /// → `{"private_network_interfaces":[...],"total_count":N}`. (Only empty lists were recorded: the
    /// item shape is the v1 NIC with v2 names.)
    func listNetworkInterfaces(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let servers = ListQuery.strings(request, "server_ids").map(Set.init)
        let networks = ListQuery.strings(request, "private_network_ids").map(Set.init)
        let project = ListQuery.string(request, "project_id")
        let items = try store.read { state in
            state.list(InstanceService.serverKind).filter {
                $0.zone == zone && (servers == nil || servers!.contains($0.id)) && (project == nil || $0.projectID == project)
            }.flatMap { server in
                InstanceService.nics(of: server).filter { networks == nil || networks!.contains($0["private_network_id"]?.stringValue ?? "") }
                    .map { nic -> JSONValue in
                        .object([
                            "id": nic["id"] ?? .null, "server_id": nic["server_id"] ?? .null,
                            "private_network_id": nic["private_network_id"] ?? .null, "mac_address": nic["mac_address"] ?? .null,
                            "state": nic["state"] ?? .null, "tags": nic["tags"] ?? .array([]), "project_id": .string(server.projectID),
                            "created_at": nic["creation_date"] ?? .null, "updated_at": nic["modification_date"] ?? .null,
                            "zone": .string(zone),
                        ])
                    }
            }
        }
        return ListQuery.bodyPage("private_network_interfaces", items, page)
    }
}

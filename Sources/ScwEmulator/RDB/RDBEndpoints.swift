// RDB endpoints: the public one (`load_balancer: {}`, an IP and a high port) and private ones on
// a VPC private network, with an address booked in IPAM (`ipam_config`) or a static
// `service_ip` inside the network's subnet. Made with the instance (`init_endpoints`; null =
// one public endpoint) or later (`POST /instances/{id}/endpoints`, `DELETE /endpoints/{id}`).

extension RDBService {
    /// One endpoint to make: public, or private on a network (IPAM or a static service IP).
    struct EndpointSpec {
        var privateNetworkID: String?
        var serviceIP: String?
    }

    /// `init_endpoints` (null → one public endpoint) or `endpoint_spec` entries.
    static func endpointSpecs(_ raw: JSONValue?) throws -> [EndpointSpec] {
        guard let raw, !raw.isNull else { return [EndpointSpec()] }
        guard let items = raw.arrayValue else {
            throw APIError.invalidArgument("init_endpoints", reason: "format", help: "init_endpoints must be a list of endpoint specs")
        }
        return try items.map { try endpointSpec($0, field: "init_endpoints") }
    }

    static func endpointSpec(_ item: JSONValue, field: String) throws -> EndpointSpec {
        if item["load_balancer"] != nil, !(item["load_balancer"]?.isNull ?? true) { return EndpointSpec() }
        guard let pn = item["private_network"], let id = pn["private_network_id"]?.stringValue, Clock.isUUID(id) else {
            throw APIError.invalidArgument(field, reason: "format", help: "an endpoint spec is {\"load_balancer\":{}} or {\"private_network\":{\"private_network_id\":...}}")
        }
        let service = pn["service_ip"]?.stringValue
        if service == nil, pn["ipam_config"] == nil {
            throw APIError.invalidArgument("\(field).private_network", reason: "required", help: "give service_ip or ipam_config")
        }
        return EndpointSpec(privateNetworkID: id, serviceIP: service)
    }

    /// Builds an endpoint of `instance` (booking its IPAM address inside the same write).
    static func makeEndpoint(_ spec: EndpointSpec, instance: Record, in state: inout CloudState) throws -> JSONValue {
        let id = Clock.uuid()
        guard let pnID = spec.privateNetworkID else {
            let n = instance.id.utf8.reduce(0) { $0 &+ Int($1) } &+ Int.random(in: 0..<1000)
            return .object(["id": .string(id), "ip": .string("51.159.\(100 + n % 100).\(1 + (n / 7) % 250)"), "port": .int(10000 + (n * 37) % 20000),
                            "name": .null, "load_balancer": .object([:])])
        }
        guard let network = state.get(VPCService.privateNetworkKind, pnID), network.region == instance.region else {
            throw APIError.notFound(resource: "private_network", id: pnID)
        }
        let ip: String
        let mode: String
        if let service = spec.serviceIP {
            guard let cidr = CIDR(service), cidr.isIPv4,
                  (network.body["subnets"]?.arrayValue ?? []).contains(where: { s in
                      s["subnet"]?.stringValue.flatMap(CIDR.init).map { $0.isIPv4 && $0.prefix == cidr.prefix && $0.overlaps(cidr) } ?? false
                  }) else {
                throw APIError.invalidArgument("service_ip", reason: "constraint", help: "service_ip \(service) is not an address of private network \(pnID)'s IPv4 subnet (with its prefix length)")
            }
            ip = service
            mode = "static"
        } else {
            let booked = IPAMService.allocate(nicID: instance.id, macAddress: "02:00:00:00:00:00", serverName: instance.name,
                                              project: instance.projectID, network: network, in: &state)
            guard let v4 = booked.compactMap({ state.get(IPAMService.ipKind, $0) }).first(where: { $0.body["is_ipv6"]?.boolValue == false }) else {
                throw APIError.invalidArgument("private_network", reason: "constraint", help: "private network \(pnID) has no free IPv4 address")
            }
            for ipID in booked {   // booked for the database, not for a server NIC
                guard var record = state.get(IPAMService.ipKind, ipID) else { continue }
                record.body["resource"] = .object(["type": .string("rdb_instance"), "id": .string(instance.id), "name": .string(instance.name)])
                record.meta["endpoint_id"] = .string(id)
                state.put(record)
            }
            ip = v4.body["address"]?.stringValue ?? ""
            mode = "ipam"
        }
        let zone = Locality.zones.first { Locality.region(ofZone: $0) == instance.region } ?? ""
        return .object([
            "id": .string(id), "ip": .string(String(ip.split(separator: "/").first ?? "")), "port": .int(5432), "name": .null,
            "private_network": .object(["private_network_id": .string(pnID), "service_ip": .string(ip), "zone": .string(zone),
                                        "provisioning_mode": .string(mode)]),
        ])
    }

    func createEndpoint(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let raw = input.raw("endpoint_spec"), !raw.isNull else {
            throw APIError.invalidArgument("endpoint_spec", reason: "required", help: "endpoint_spec is required")
        }
        let spec = try Self.endpointSpec(raw, field: "endpoint_spec")
        return .json(200, try store.write { state, _ in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            var endpoints = instance.body["endpoints"]?.arrayValue ?? []
            if spec.privateNetworkID == nil, endpoints.contains(where: { $0["load_balancer"] != nil }) {
                throw APIError.invalidArgument("endpoint_spec", reason: "constraint", help: "the instance already has a public endpoint")
            }
            if let pn = spec.privateNetworkID, endpoints.contains(where: { $0["private_network"]?["private_network_id"]?.stringValue == pn }) {
                throw APIError.invalidArgument("endpoint_spec", reason: "constraint", help: "the instance already has an endpoint on private network \(pn)")
            }
            let endpoint = try Self.makeEndpoint(spec, instance: instance, in: &state)
            endpoints.append(endpoint)
            instance.body["endpoints"] = .array(endpoints)
            instance.body["endpoint"] = endpoints.first ?? .null
            state.put(instance)
            return endpoint
        })
    }

    private static func owner(ofEndpoint id: String, region: String, in state: CloudState) throws -> (Record, JSONValue) {
        for instance in state.list(instanceKind) where instance.region == region && instance.meta["initialized"] != nil {
            if let endpoint = instance.body["endpoints"]?.arrayValue?.first(where: { $0["id"]?.stringValue == id }) {
                return (instance, endpoint)
            }
        }
        throw APIError.notFound(resource: "endpoint", id: id)
    }

    func getEndpoint(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { try Self.owner(ofEndpoint: request.param("endpoint"), region: region, in: $0).1 })
    }

    func deleteEndpoint(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let id = request.param("endpoint")
        try store.write { state, _ in
            var (instance, _) = try Self.owner(ofEndpoint: id, region: region, in: state)
            try RDBService.requireReady(instance)
            let endpoints = (instance.body["endpoints"]?.arrayValue ?? []).filter { $0["id"]?.stringValue != id }
            instance.body["endpoints"] = .array(endpoints)
            instance.body["endpoint"] = endpoints.first ?? .null
            state.put(instance)
            for ip in state.list(IPAMService.ipKind) where ip.meta["endpoint_id"]?.stringValue == id {
                state.remove(IPAMService.ipKind, ip.id)
            }
        }
        return .empty(204)
    }
}

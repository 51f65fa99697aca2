// IPAM API v1 (regional): the addresses of private NICs, allocated when the Instance emulator
// plugs a NIC into a private network and released when the NIC or its server goes; list and get.

struct IPAMService: EmulatedService {
    static let ipKind = "ipam_ip"
    static let nicResourceType = "instance_private_nic"

    let context: ServiceContext

    func register(on router: Router) {
        let base = "/ipam/v1/regions/{region}"
        router.add("GET", base + "/ips") { try listIPs($0) }
        router.add("GET", base + "/ips/{id}") { try getIP($0) }
    }

    /// `?resource_id&resource_type&resource_name&private_network_id&project_id&is_ipv6&order_by&page&page_size`
    /// → `{"ips":[...],"total_count":N}`.
    private func listIPs(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let resourceID = ListQuery.string(request, "resource_id")
        let resourceType = ListQuery.string(request, "resource_type").flatMap { $0 == "unknown_type" ? nil : $0 }   // the SDK's default
        let resourceName = ListQuery.string(request, "resource_name")
        let network = ListQuery.string(request, "private_network_id")
        let project = ListQuery.string(request, "project_id")
        let isIPv6 = try ListQuery.bool(request, "is_ipv6")
        let items = context.store.read { state in
            ListQuery.ordered(state.list(IPAMService.ipKind), request).filter { ip in
                let resource = ip.body["resource"]
                return ip.region == region
                    && (resourceID == nil || resource?["id"]?.stringValue == resourceID)
                    && (resourceType == nil || resource?["type"]?.stringValue == resourceType)
                    && (resourceName == nil || resource?["name"]?.stringValue == resourceName)
                    && (network == nil || ip.meta["private_network_id"]?.stringValue == network)
                    && (project == nil || ip.projectID == project)
                    && (isIPv6 == nil || ip.body["is_ipv6"]?.boolValue == isIPv6)
            }.map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("ips", items, page)
    }

    private func getIP(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try context.store.read { state in
            .object(try VPCService.find(IPAMService.ipKind, request.param("id"), region: region, in: state).body)
        })
    }

    // MARK: allocation (called by the Instance emulator inside its write)

    /// Books the next free IPv4 host of the network's IPv4 subnet (network address and the .1
    /// gateway skipped) and, when it has one, an IPv6 host of its IPv6 subnet, for a NIC.
    /// Returns the new IP ids (the NIC's `ipam_ip_ids`).
    static func allocate(nicID: String, macAddress: String, serverName: String, project: String, network: Record,
                         in state: inout CloudState) -> [String] {
        let subnets = network.body["subnets"]?.arrayValue ?? []
        var ids: [String] = []
        for family in [true, false] {   // IPv4 first
            guard let subnet = subnets.first(where: { $0["subnet"]?.stringValue.flatMap(CIDR.init)?.isIPv4 == family }),
                  let cidr = subnet["subnet"]?.stringValue.flatMap(CIDR.init),
                  let host = freeHost(in: cidr, subnetID: subnet["id"]?.stringValue ?? "", state: state) else { continue }
            let id = Clock.uuid()
            let now = Clock.timestamp()
            let body: [String: JSONValue] = [
                "id": .string(id), "address": .string(host.description), "project_id": .string(project),
                "is_ipv6": .bool(!family), "created_at": .string(now), "updated_at": .string(now),
                "source": .object(["subnet_id": subnet["id"] ?? .null]),
                "resource": .object(["type": .string(nicResourceType), "id": .string(nicID),
                                     "mac_address": .string(macAddress.uppercased()), "name": .string(serverName)]),
                "tags": .array([]), "reverses": .array([]), "region": .string(network.region), "zone": .null,
            ]
            state.insert(kind: ipKind, id: id, body: body, meta: ["private_network_id": .string(network.id)])
            ids.append(id)
        }
        return ids
    }

    /// Frees every address held by a NIC.
    static func release(nicID: String, in state: inout CloudState) {
        for ip in state.list(ipKind) where ip.body["resource"]?["id"]?.stringValue == nicID {
            state.remove(ipKind, ip.id)
        }
    }

    /// The first host of `subnet` (from index 2) no IPAM IP of that subnet holds, with the subnet's prefix.
    private static func freeHost(in subnet: CIDR, subnetID: String, state: CloudState) -> CIDR? {
        let taken = Set(state.list(ipKind).filter { $0.body["source"]?["subnet_id"]?.stringValue == subnetID }
            .compactMap { $0.body["address"]?.stringValue.flatMap(CIDR.init)?.address })
        let last = subnet.blockCount(prefix: subnet.bitCount) - 1   // broadcast (IPv4) left out too
        guard last > 2 else { return nil }
        for index in 2..<last {
            let host = subnet.block(index, prefix: subnet.bitCount)
            if !taken.contains(host.address) { return CIDR(address: host.address, prefix: subnet.prefix) }
        }
        return nil
    }
}

// VPC API v2, private networks: create (default VPC, subnet allocation or validation), get,
// list with filters, update, delete. Subnet objects are served exactly as recorded.

extension VPCService {
    func createPrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "pn")
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let tags = try input.stringArray("tags") ?? []
        let vpcID = try input.uuid("vpc_id")
        let propagation = try input.bool("default_route_propagation_enabled") ?? false
        let requested = try VPCService.requestedSubnets(input)
        let id = Clock.uuid()
        let now = Clock.timestamp()

        let body = try context.store.write { state -> [String: JSONValue] in
            let vpc: Record
            if let vpcID {
                vpc = try VPCService.find(VPCService.vpcKind, vpcID, region: region, in: state)
            } else {
                vpc = defaultVPC(project: project, region: region, in: &state)
            }
            let taken = VPCService.privateNetworks(of: vpc.id, in: state).flatMap(VPCService.subnets(of:))
            var subnets: [CIDR]
            if let requested {
                for s in requested where taken.contains(where: { $0.overlaps(s) }) {
                    throw APIError.invalidArgument("subnets", reason: "constraint",
                        help: "subnet \(s) overlaps a subnet of another private network in VPC \(vpc.id)")
                }
                subnets = requested
            } else {
                guard let v4 = VPCService.ipv4Pool.firstFree(prefix: 22, avoiding: taken),
                      let v6 = VPCService.ipv6Pool.randomFree(prefix: 64, avoiding: taken) else {
                    throw APIError.invalidArgument("subnets", reason: "constraint", help: "no free subnet left in VPC \(vpc.id)")
                }
                subnets = [v4, v6]
            }
            let subnetObjects: [JSONValue] = subnets.map { cidr in
                .object([
                    "id": .string(Clock.uuid()), "subnet": .string(cidr.description), "vpc_id": .string(vpc.id),
                    "private_network_id": .string(id), "project_id": .string(project),
                    "created_at": .string(now), "updated_at": .string(now),
                ])
            }
            let body: [String: JSONValue] = [
                "id": .string(id), "name": .string(name), "vpc_id": .string(vpc.id), "project_id": .string(project),
                "organization_id": .string(project), "region": .string(region), "tags": .array(tags.map { .string($0) }),
                "subnets": .array(subnetObjects), "dhcp_enabled": .bool(true),
                "default_route_propagation_enabled": .bool(propagation),
                "created_at": .string(now), "updated_at": .string(now),
            ]
            state.insert(kind: VPCService.privateNetworkKind, id: id, body: body)
            return body
        }
        return .json(200, .object(body))
    }

    func getPrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, .object(try context.store.read { state in
            try VPCService.find(VPCService.privateNetworkKind, request.param("id"), region: region, in: state).body
        }))
    }

    func listPrivateNetworks(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let vpcID = ListQuery.string(request, "vpc_id")
        let ids = ListQuery.strings(request, "private_network_ids").map(Set.init)
        let dhcp = try ListQuery.bool(request, "dhcp_enabled")
        let items = context.store.read { state in
            ListQuery.ordered(state.list(VPCService.privateNetworkKind), request).filter { pn in
                pn.region == region && common(pn)
                    && (vpcID == nil || pn.body["vpc_id"]?.stringValue == vpcID)
                    && (ids == nil || ids!.contains(pn.id))
                    && (dhcp == nil || pn.body["dhcp_enabled"]?.boolValue == dhcp)
            }.map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("private_networks", items, page)
    }

    func updatePrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        let propagation = try input.bool("default_route_propagation_enabled")
        return .json(200, .object(try context.store.write { state in
            var pn = try VPCService.find(VPCService.privateNetworkKind, request.param("id"), region: region, in: state)
            if let name, !name.isEmpty { pn.body["name"] = .string(name) }
            if let tags { pn.body["tags"] = .array(tags.map { .string($0) }) }
            if let propagation { pn.body["default_route_propagation_enabled"] = .bool(propagation) }
            pn.body["updated_at"] = .string(Clock.timestamp())
            state.put(pn)
            return pn.body
        }))
    }

    func deletePrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        try context.store.write { state in
            let pn = try VPCService.find(VPCService.privateNetworkKind, request.param("id"), region: region, in: state)
            let users = ServiceContext.references(to: pn.id, in: state, excluding: [VPCService.privateNetworkKind])
            guard users.isEmpty else {
                throw APIError.preconditionFailed("resource_still_in_use",
                    help: "the private network is still attached to \(users.joined(separator: ", ")); detach them first")
            }
            state.remove(VPCService.privateNetworkKind, pn.id)
        }
        return .empty(204)
    }

    // MARK: subnets

    /// The CIDRs held by a private network record.
    static func subnets(of pn: Record) -> [CIDR] {
        (pn.body["subnets"]?.arrayValue ?? []).compactMap { $0["subnet"]?.stringValue.flatMap(CIDR.init) }
    }

    /// `subnets` of a create body: nil (allocate) or validated network prefixes.
    static func requestedSubnets(_ input: RequestBody) throws -> [CIDR]? {
        guard let texts = try input.stringArray("subnets") else { return nil }
        if texts.isEmpty { return nil }
        var out: [CIDR] = []
        for text in texts {
            guard let cidr = CIDR(text) else {
                throw APIError.invalidArgument("subnets", reason: "format", help: "\"\(text)\" is not a valid CIDR (e.g. 172.16.32.0/22)")
            }
            guard cidr.isNetworkAddress else {
                throw APIError.invalidArgument("subnets", reason: "constraint",
                    help: "\"\(text)\" has host bits set; did you mean \(cidr.masked)?")
            }
            guard cidr.isIPv4 ? (8...30).contains(cidr.prefix) : (32...64).contains(cidr.prefix) else {
                throw APIError.invalidArgument("subnets", reason: "constraint",
                    help: "\"\(text)\": prefix length must be /8 to /30 for IPv4 and /32 to /64 for IPv6")
            }
            if let clash = out.first(where: { $0.overlaps(cidr) }) {
                throw APIError.invalidArgument("subnets", reason: "constraint", help: "\"\(text)\" overlaps \(clash)")
            }
            out.append(cidr)
        }
        return out
    }
}

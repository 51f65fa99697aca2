// VPC API v2 (regional): VPCs and private networks, with default VPCs created on demand,
// subnet allocation and validation, and the "still in use" delete precondition (ENDPOINTS.md 2).

struct VPCService: EmulatedService {
    static let vpcKind = "vpc"
    static let privateNetworkKind = "private_network"
    /// Where automatic IPv4 subnets (/22) are taken from.
    static let ipv4Pool = CIDR("172.16.0.0/12")!
    /// Where automatic IPv6 subnets (/64) are taken from.
    static let ipv6Pool = CIDR("fd46:78ab:30b8::/48")!

    let context: ServiceContext

    func register(on router: Router) {
        let base = "/vpc/v2/regions/{region}"
        router.add("POST", base + "/vpcs") { try createVPC($0) }
        router.add("GET", base + "/vpcs") { try listVPCs($0) }
        router.add("GET", base + "/vpcs/{id}") { try getVPC($0) }
        router.add("PATCH", base + "/vpcs/{id}") { try updateVPC($0) }
        router.add("DELETE", base + "/vpcs/{id}") { try deleteVPC($0) }
        router.add("POST", base + "/vpcs/{id}/enable-routing") { try switchOnVPC($0, field: "routing_enabled") }
        router.add("POST", base + "/vpcs/{id}/enable-custom-routes-propagation") {
            try switchOnVPC($0, field: "custom_routes_propagation_enabled")
        }
        router.add("POST", base + "/private-networks") { try createPrivateNetwork($0) }
        router.add("GET", base + "/private-networks") { try listPrivateNetworks($0) }
        router.add("GET", base + "/private-networks/{id}") { try getPrivateNetwork($0) }
        router.add("PATCH", base + "/private-networks/{id}") { try updatePrivateNetwork($0) }
        router.add("DELETE", base + "/private-networks/{id}") { try deletePrivateNetwork($0) }
    }

    // MARK: rendering

    /// A VPC as served: the stored body plus its live private network count.
    static func render(vpc: Record, in state: CloudState) -> JSONValue {
        var body = vpc.body
        body["private_network_count"] = .int(privateNetworks(of: vpc.id, in: state).count)
        return .object(body)
    }

    static func privateNetworks(of vpcID: String, in state: CloudState) -> [Record] {
        state.list(privateNetworkKind).filter { $0.body["vpc_id"]?.stringValue == vpcID }
    }

    /// A record of `kind` with this id in this region, or the API's 404.
    static func find(_ kind: String, _ id: String, region: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id), record.region == region else {
            throw APIError.notFound(resource: kind, id: id)
        }
        return record
    }

    // MARK: VPCs

    private static func newVPC(name: String, project: String, region: String, tags: [String], isDefault: Bool,
                               transitivity: Bool?) -> (id: String, body: [String: JSONValue]) {
        let id = Clock.uuid()
        let now = Clock.timestamp()
        var body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "project_id": .string(project), "organization_id": .string(project),
            "region": .string(region), "tags": .array(tags.map { .string($0) }), "is_default": .bool(isDefault),
            "routing_enabled": .bool(true), "custom_routes_propagation_enabled": .bool(true),
            "created_at": .string(now), "updated_at": .string(now),
        ]
        if let transitivity { body["transitivity_enabled"] = .bool(transitivity) }
        return (id, body)
    }

    private func createVPC(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "vpc")
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let tags = try input.stringArray("tags") ?? []
        _ = try input.bool("enable_routing")   // routing is always on for new VPCs
        let transitivity = try input.bool("enable_transitivity")
        let vpc = VPCService.newVPC(name: name, project: project, region: region, tags: tags, isDefault: false, transitivity: transitivity)
        let rendered = try context.store.write { state in
            VPCService.render(vpc: state.insert(kind: VPCService.vpcKind, id: vpc.id, body: vpc.body), in: state)
        }
        return .json(200, rendered)
    }

    private func getVPC(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try context.store.read { state in
            VPCService.render(vpc: try VPCService.find(VPCService.vpcKind, request.param("id"), region: region, in: state), in: state)
        })
    }

    private func listVPCs(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let isDefault = try ListQuery.bool(request, "is_default")
        let routing = try ListQuery.bool(request, "routing_enabled")
        let items = context.store.read { state in
            ListQuery.ordered(state.list(VPCService.vpcKind), request).filter { vpc in
                vpc.region == region && common(vpc)
                    && (isDefault == nil || vpc.body["is_default"]?.boolValue == isDefault)
                    && (routing == nil || vpc.body["routing_enabled"]?.boolValue == routing)
            }.map { VPCService.render(vpc: $0, in: state) }
        }
        return ListQuery.bodyPage("vpcs", items, page)
    }

    private func updateVPC(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        return .json(200, try context.store.write { state in
            var vpc = try VPCService.find(VPCService.vpcKind, request.param("id"), region: region, in: state)
            if let name, !name.isEmpty { vpc.body["name"] = .string(name) }
            if let tags { vpc.body["tags"] = .array(tags.map { .string($0) }) }
            vpc.body["updated_at"] = .string(Clock.timestamp())
            state.put(vpc)
            return VPCService.render(vpc: vpc, in: state)
        })
    }

    /// enable-routing / enable-custom-routes-propagation: one-way switches.
    private func switchOnVPC(_ request: APIRequest, field: String) throws -> HTTPResponse {
        let region = try Locality.region(request)
        _ = try request.body()
        return .json(200, try context.store.write { state in
            var vpc = try VPCService.find(VPCService.vpcKind, request.param("id"), region: region, in: state)
            vpc.body[field] = .bool(true)
            vpc.body["updated_at"] = .string(Clock.timestamp())
            state.put(vpc)
            return VPCService.render(vpc: vpc, in: state)
        })
    }

    private func deleteVPC(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        try context.store.write { state in
            let vpc = try VPCService.find(VPCService.vpcKind, request.param("id"), region: region, in: state)
            let networks = VPCService.privateNetworks(of: vpc.id, in: state)
            guard networks.isEmpty else {
                throw APIError.preconditionFailed("resource_still_in_use",
                    help: "the VPC still holds \(networks.count) private network(s); delete them first")
            }
            state.remove(VPCService.vpcKind, vpc.id)
        }
        return .empty(204)
    }

    /// The project's default VPC in a region, created (named "default") when it does not exist yet.
    func defaultVPC(project: String, region: String, in state: inout CloudState) -> Record {
        if let existing = state.list(VPCService.vpcKind).first(where: {
            $0.region == region && $0.projectID == project && $0.body["is_default"]?.boolValue == true
        }) {
            return existing
        }
        let vpc = VPCService.newVPC(name: "default", project: project, region: region, tags: [], isDefault: true, transitivity: nil)
        return state.insert(kind: VPCService.vpcKind, id: vpc.id, body: vpc.body)
    }
}

// VPCAPI: the VPC v2 service (VPCs and private networks), regional. Request bodies are exactly
// what the recorded cassettes show the real API accepted (ENDPOINTS.md section 2).

import ScwCore

/// Typed calls to `/vpc/v2/regions/{region}`.
public struct VPCAPI: Sendable {
    /// The client every call goes through.
    public let client: ScalewayClient

    /// The service over a client.
    public init(client: ScalewayClient) {
        self.client = client
    }

    private func base(_ region: String) -> String { "/vpc/v2/regions/\(region)" }

    private func project(_ projectID: String?) throws -> String {
        if let projectID { return projectID }
        if let p = client.config.defaultProjectID { return p }
        throw Diagnostic("no project ID: none given and no default project in the config", at: .configKey("default_project_id"),
                         hint: "set default_project_id in the scw config or SCW_DEFAULT_PROJECT_ID")
    }

    // MARK: VPCs

    /// The body of `POST /vpcs`.
    public static func createVPCBody(name: String, projectID: String, tags: [String], enableRouting: Bool, enableTransitivity: Bool?) -> Value {
        var body: [String: Value] = [
            "name": .string(name),
            "project_id": .string(projectID),
            "tags": .list(tags.map(Value.string)),
            "enable_routing": .bool(enableRouting),
        ]
        if let enableTransitivity { body["enable_transitivity"] = .bool(enableTransitivity) }
        return .map(body)
    }

    /// Creates a VPC. `projectID` nil means the config's default project. A POST: an
    /// ambiguous failure throws ``AmbiguousWriteError``.
    public func createVPC(region: String, name: String, projectID: String? = nil, tags: [String] = [],
                          enableRouting: Bool = false, enableTransitivity: Bool? = nil) async throws -> VPC {
        let body = VPCAPI.createVPCBody(name: name, projectID: try project(projectID), tags: tags,
                                        enableRouting: enableRouting, enableTransitivity: enableTransitivity)
        return try VPC(json: try await client.call("POST", "\(base(region))/vpcs", body: body))
    }

    /// One VPC; a missing one throws ``APIError`` with `isNotFound`.
    public func getVPC(region: String, id: String) async throws -> VPC {
        try VPC(json: try await client.call("GET", "\(base(region))/vpcs/\(id)"))
    }

    /// Every VPC matching the filters (all pages). `tags` matches VPCs having all of them.
    public func listVPCs(region: String, tags: [String]? = nil, projectID: String? = nil, name: String? = nil) async throws -> [VPC] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project_id", projectID)) }
        for tag in tags ?? [] { query.append(("tags", tag)) }
        return try await client.listAll("\(base(region))/vpcs", itemsKey: "vpcs", query: query, style: .pageSize).map { try VPC(json: $0) }
    }

    /// The body of `PATCH /vpcs/{id}`: only the fields given.
    public static func updateVPCBody(name: String?, tags: [String]?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        return .map(body)
    }

    /// Renames or retags a VPC; nil leaves a field unchanged.
    public func updateVPC(region: String, id: String, name: String? = nil, tags: [String]? = nil) async throws -> VPC {
        try VPC(json: try await client.call("PATCH", "\(base(region))/vpcs/\(id)", body: VPCAPI.updateVPCBody(name: name, tags: tags)))
    }

    /// Deletes a VPC (204). Its private networks must be deleted first.
    public func deleteVPC(region: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(region))/vpcs/\(id)")
    }

    /// Turns on custom routes propagation (one-way). Safe to repeat, so retried like a PUT.
    public func enableCustomRoutesPropagation(region: String, id: String) async throws -> VPC {
        try VPC(json: try await client.call("POST", "\(base(region))/vpcs/\(id)/enable-custom-routes-propagation", body: .map([:]), idempotent: true))
    }

    /// Turns on routing (one-way). Safe to repeat, so retried like a PUT.
    public func enableRouting(region: String, id: String) async throws -> VPC {
        try VPC(json: try await client.call("POST", "\(base(region))/vpcs/\(id)/enable-routing", body: .map([:]), idempotent: true))
    }

    // MARK: Private networks

    /// The body of `POST /private-networks`: `subnets` is `null` when not given (the API then
    /// allocates an IPv4 /22 and an IPv6 /64), `vpc_id` is left out when not given (the
    /// project's default VPC).
    public static func createPrivateNetworkBody(name: String, projectID: String, tags: [String], subnets: [String]?,
                                                vpcID: String?, defaultRoutePropagationEnabled: Bool) -> Value {
        var body: [String: Value] = [
            "name": .string(name),
            "project_id": .string(projectID),
            "tags": .list(tags.map(Value.string)),
            "subnets": subnets.map { .list($0.map(Value.string)) } ?? .null,
            "default_route_propagation_enabled": .bool(defaultRoutePropagationEnabled),
        ]
        if let vpcID { body["vpc_id"] = .string(vpcID) }
        return .map(body)
    }

    /// Creates a private network. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createPrivateNetwork(region: String, name: String, projectID: String? = nil, tags: [String] = [],
                                     subnets: [String]? = nil, vpcID: String? = nil,
                                     defaultRoutePropagationEnabled: Bool = false) async throws -> PrivateNetwork {
        let body = VPCAPI.createPrivateNetworkBody(name: name, projectID: try project(projectID), tags: tags, subnets: subnets,
                                                   vpcID: vpcID, defaultRoutePropagationEnabled: defaultRoutePropagationEnabled)
        return try PrivateNetwork(json: try await client.call("POST", "\(base(region))/private-networks", body: body))
    }

    /// One private network; a missing one throws ``APIError`` with `isNotFound`.
    public func getPrivateNetwork(region: String, id: String) async throws -> PrivateNetwork {
        try PrivateNetwork(json: try await client.call("GET", "\(base(region))/private-networks/\(id)"))
    }

    /// Every private network matching the filters (all pages).
    public func listPrivateNetworks(region: String, tags: [String]? = nil, vpcID: String? = nil, projectID: String? = nil,
                                    name: String? = nil) async throws -> [PrivateNetwork] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project_id", projectID)) }
        if let vpcID { query.append(("vpc_id", vpcID)) }
        for tag in tags ?? [] { query.append(("tags", tag)) }
        return try await client.listAll("\(base(region))/private-networks", itemsKey: "private_networks", query: query, style: .pageSize)
            .map { try PrivateNetwork(json: $0) }
    }

    /// The body of `PATCH /private-networks/{id}`: only the fields given.
    public static func updatePrivateNetworkBody(name: String?, tags: [String]?, defaultRoutePropagationEnabled: Bool?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let defaultRoutePropagationEnabled { body["default_route_propagation_enabled"] = .bool(defaultRoutePropagationEnabled) }
        return .map(body)
    }

    /// Renames, retags or toggles default route propagation; nil leaves a field unchanged.
    /// Subnets cannot change (replace the network).
    public func updatePrivateNetwork(region: String, id: String, name: String? = nil, tags: [String]? = nil,
                                     defaultRoutePropagationEnabled: Bool? = nil) async throws -> PrivateNetwork {
        let body = VPCAPI.updatePrivateNetworkBody(name: name, tags: tags, defaultRoutePropagationEnabled: defaultRoutePropagationEnabled)
        return try PrivateNetwork(json: try await client.call("PATCH", "\(base(region))/private-networks/\(id)", body: body))
    }

    /// Deletes a private network (204). While something is attached the API answers 412
    /// `precondition_failed` (``APIError/isPreconditionFailed``); callers retry for a while.
    public func deletePrivateNetwork(region: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(region))/private-networks/\(id)")
    }
}

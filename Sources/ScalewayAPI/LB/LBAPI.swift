// LBAPI: the Load Balancer API v1 (zoned): flexible IPs, load balancers, private network
// attachments, migrate and LB types. Backends, frontends, ACLs and certificates are in
// LBAPI+Parts.swift. Request bodies are what the recordings show the real API accepted.

import ScwCore

/// Typed calls to `/lb/v1/zones/{zone}`.
public struct LBAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) {
        self.client = client
    }

    func base(_ zone: String) -> String { "/lb/v1/zones/\(zone)" }

    func project(_ projectID: String?) throws -> String {
        if let projectID { return projectID }
        if let p = client.config.defaultProjectID { return p }
        throw Diagnostic("no project ID: none given and no default project in the config", at: .configKey("default_project_id"),
                         hint: "set default_project_id in the scw config or SCW_DEFAULT_PROJECT_ID")
    }

    static func strings(_ items: [String]) -> Value { .list(items.map(Value.string)) }

    /// Seconds as the API's duration strings are sent: `"0.500000000s"`.
    public static func duration(seconds: Double) -> String {
        let nanos = Int64((seconds * 1e9).rounded())
        let fraction = String(nanos % 1_000_000_000)
        return "\(nanos / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)s"
    }

    // MARK: LB types

    /// The zone's load balancer types (all pages).
    public func listTypes(zone: String) async throws -> [LbType] {
        try await client.listAll("\(base(zone))/lb-types", itemsKey: "lb_types", style: .pageSize).map { try LbType(json: $0) }
    }

    // MARK: flexible IPs

    /// The body of `POST /ips` (`reverse` only when given).
    public static func createIPBody(projectID: String, isIPv6: Bool, tags: [String], reverse: String?) -> Value {
        var body: [String: Value] = ["project_id": .string(projectID), "is_ipv6": .bool(isIPv6), "tags": strings(tags)]
        if let reverse { body["reverse"] = .string(reverse) }
        return .map(body)
    }

    /// Books a flexible IP. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createIP(zone: String, projectID: String? = nil, isIPv6: Bool = false, tags: [String] = [], reverse: String? = nil) async throws -> LbIP {
        let body = Self.createIPBody(projectID: try project(projectID), isIPv6: isIPv6, tags: tags, reverse: reverse)
        return try LbIP(json: try await client.call("POST", "\(base(zone))/ips", body: body))
    }

    public func getIP(zone: String, id: String) async throws -> LbIP {
        try LbIP(json: try await client.call("GET", "\(base(zone))/ips/\(id)"))
    }

    /// Every IP of the zone having any of `tags` (all pages).
    public func listIPs(zone: String, tags: [String] = [], projectID: String? = nil) async throws -> [LbIP] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let projectID { query.append(("project_id", projectID)) }
        for tag in tags { query.append(("tags", tag)) }
        return try await client.listAll("\(base(zone))/ips", itemsKey: "ips", query: query, style: .pageSize).map { try LbIP(json: $0) }
    }

    public static func updateIPBody(reverse: String?, tags: [String]?) -> Value {
        var body: [String: Value] = [:]
        if let reverse { body["reverse"] = .string(reverse) }
        if let tags { body["tags"] = strings(tags) }
        return .map(body)
    }

    public func updateIP(zone: String, id: String, reverse: String? = nil, tags: [String]? = nil) async throws -> LbIP {
        try LbIP(json: try await client.call("PATCH", "\(base(zone))/ips/\(id)", body: Self.updateIPBody(reverse: reverse, tags: tags)))
    }

    /// Releases an IP (204); refused (412) while a load balancer holds it.
    public func deleteIP(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/ips/\(id)")
    }

    // MARK: load balancers

    /// The body of `POST /lbs` as the provider sends it: `ip_ids` always (possibly empty),
    /// `ip_id` for the deprecated single IP, `tags` null when there are none.
    public static func createLBBody(projectID: String, name: String, description: String, ipID: String?, ipIDs: [String],
                                    tags: [String], type: String, sslCompatibilityLevel: String,
                                    assignFlexibleIP: Bool? = nil, assignFlexibleIPv6: Bool? = nil) -> Value {
        var body: [String: Value] = [
            "project_id": .string(projectID), "name": .string(name), "description": .string(description), "ip_ids": strings(ipIDs),
            "tags": tags.isEmpty ? .null : strings(tags), "type": .string(type), "ssl_compatibility_level": .string(sslCompatibilityLevel),
        ]
        if let ipID { body["ip_id"] = .string(ipID) }
        if let assignFlexibleIP { body["assign_flexible_ip"] = .bool(assignFlexibleIP) }
        if let assignFlexibleIPv6 { body["assign_flexible_ipv6"] = .bool(assignFlexibleIPv6) }
        return .map(body)
    }

    /// Creates a load balancer (answered `to_create`). A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createLB(zone: String, body: Value) async throws -> LoadBalancer {
        try LoadBalancer(json: try await client.call("POST", "\(base(zone))/lbs", body: body))
    }

    /// One load balancer; a missing one throws ``APIError`` with `isNotFound` (the body `lbs not Found` has no type).
    public func getLB(zone: String, id: String) async throws -> LoadBalancer {
        try LoadBalancer(json: try await client.call("GET", "\(base(zone))/lbs/\(id)"))
    }

    /// Every load balancer of the zone having any of `tags` (all pages).
    public func listLBs(zone: String, tags: [String] = [], name: String? = nil) async throws -> [LoadBalancer] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        for tag in tags { query.append(("tags", tag)) }
        return try await client.listAll("\(base(zone))/lbs", itemsKey: "lbs", query: query, style: .pageSize).map { try LoadBalancer(json: $0) }
    }

    /// The body of `PUT /lbs/{id}` (all four fields, as recorded).
    public static func updateLBBody(name: String, description: String, tags: [String], sslCompatibilityLevel: String) -> Value {
        .map(["name": .string(name), "description": .string(description), "tags": strings(tags),
              "ssl_compatibility_level": .string(sslCompatibilityLevel)])
    }

    public func updateLB(zone: String, id: String, body: Value) async throws -> LoadBalancer {
        try LoadBalancer(json: try await client.call("PUT", "\(base(zone))/lbs/\(id)", body: body))
    }

    /// Changes the type in place (the LB goes `migrating`). Safe to repeat, so retried like a PUT.
    public func migrateLB(zone: String, id: String, type: String) async throws -> LoadBalancer {
        try LoadBalancer(json: try await client.call("POST", "\(base(zone))/lbs/\(id)/migrate", body: .map(["type": .string(type)]), idempotent: true))
    }

    /// Deletes a load balancer (204; it goes `to_delete`, then 404). `releaseIP` false keeps its flexible IPs.
    public func deleteLB(zone: String, id: String, releaseIP: Bool = false) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/lbs/\(id)", query: [("release_ip", releaseIP ? "true" : "false")])
    }

    // MARK: private networks

    public func listPrivateNetworks(zone: String, lbID: String) async throws -> [LbPrivateNetwork] {
        try await client.listAll("\(base(zone))/lbs/\(lbID)/private-networks", itemsKey: "private_network",
                                 query: [("order_by", "created_at_asc")], style: .pageSize).map { try LbPrivateNetwork(json: $0) }
    }

    /// The body of `attach-private-network`: one of `static_config`, `dhcp_config`, `ipam_config`.
    public static func attachBody(privateNetworkID: String, config: String, staticAddresses: [String]) -> Value {
        var body: [String: Value] = ["private_network_id": .string(privateNetworkID)]
        switch config {
        case "static": body["static_config"] = .map(["ip_address": strings(staticAddresses)])
        case "ipam": body["ipam_config"] = .map([:])
        default: body["dhcp_config"] = .map([:])
        }
        return .map(body)
    }

    /// Attaches to a private network (the LB's instances go pending). Retried like a PUT: a
    /// repeated attach answers 409, which callers read as done.
    public func attachPrivateNetwork(zone: String, lbID: String, body: Value) async throws -> LbPrivateNetwork {
        try LbPrivateNetwork(json: try await client.call("POST", "\(base(zone))/lbs/\(lbID)/attach-private-network", body: body, idempotent: true))
    }

    public func detachPrivateNetwork(zone: String, lbID: String, privateNetworkID: String) async throws {
        _ = try await client.call("POST", "\(base(zone))/lbs/\(lbID)/detach-private-network",
                                  body: .map(["private_network_id": .string(privateNetworkID)]), idempotent: true)
    }
}

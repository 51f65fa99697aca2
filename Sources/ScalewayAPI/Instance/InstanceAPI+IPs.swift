// InstanceAPI+IPs: flexible IPs (`/ips`). Attaching and detaching is a PATCH of the IP's
// `server` field (`{"server": null}` detaches); there is nothing to wait for.

import ScwCore

extension InstanceAPI {
    /// The body of `POST /ips`: `type` and `tags` only when given (as recorded).
    public static func createIPBody(projectID: String, type: String?, tags: [String]) -> Value {
        var body: [String: Value] = ["project": .string(projectID)]
        if let type { body["type"] = .string(type) }
        if !tags.isEmpty { body["tags"] = tagsValue(tags) }
        return .map(body)
    }

    /// Books a flexible IP (`routed_ipv4` or `routed_ipv6`). A POST: an ambiguous failure
    /// throws ``AmbiguousWriteError``.
    public func createIP(zone: String, projectID: String? = nil, type: String? = nil, tags: [String] = []) async throws -> FlexibleIP {
        let body = Self.createIPBody(projectID: try project(projectID), type: type, tags: tags)
        return try FlexibleIP(json: Self.unwrap(try await client.call("POST", "\(base(zone))/ips", body: body), "ip", what: "POST /ips answer"))
    }

    /// One IP, by id or address. A missing IP answers 404, and a deleted one may answer 403:
    /// both throw ``APIError`` (see ``isGoneIP(_:)``).
    public func getIP(zone: String, id: String) async throws -> FlexibleIP {
        try FlexibleIP(json: Self.unwrap(try await client.call("GET", "\(base(zone))/ips/\(id)"), "ip", what: "GET /ips/{id} answer"))
    }

    /// True for the answers that mean an IP is gone: 404, or the 403 a just-deleted IP gives.
    public static func isGoneIP(_ error: APIError) -> Bool {
        if error.isNotFound { return true }
        if error.status == 403, case .permissionsDenied = error.kind { return true }
        return false
    }

    /// Every IP matching the filters (all pages). `tags` keeps IPs having all of them.
    public func listIPs(zone: String, tags: [String] = [], projectID: String? = nil) async throws -> [FlexibleIP] {
        var query: [(String, String)] = []
        if let projectID { query.append(("project", projectID)) }
        if !tags.isEmpty { query.append(("tags", tags.joined(separator: ","))) }
        return try await client.listAll("\(base(zone))/ips", itemsKey: "ips", query: query, style: .perPage).map { try FlexibleIP(json: $0) }
    }

    /// The body of `PATCH /ips/{id}`: `tags` when given; `reverse` a string, or `.null` to clear.
    public static func updateIPBody(tags: [String]?, reverse: Value?) -> Value {
        var body: [String: Value] = [:]
        if let tags { body["tags"] = tagsValue(tags) }
        if let reverse { body["reverse"] = reverse }
        return .map(body)
    }

    /// Retags an IP or sets its reverse DNS. A reverse that does not resolve to the IP yet
    /// answers 400 `invalid_arguments` (argument `reverse`).
    public func updateIP(zone: String, id: String, tags: [String]? = nil, reverse: Value? = nil) async throws -> FlexibleIP {
        try await patchIP(zone: zone, id: id, body: Self.updateIPBody(tags: tags, reverse: reverse))
    }

    /// The body that attaches an IP to a server, or detaches it (`serverID` nil sends `null`).
    public static func attachIPBody(serverID: String?) -> Value {
        .map(["server": serverID.map(Value.string) ?? .null])
    }

    /// Attaches an IP to a server (`PATCH {"server": id}`), moving it if it was elsewhere.
    public func attachIP(zone: String, id: String, serverID: String) async throws -> FlexibleIP {
        try await patchIP(zone: zone, id: id, body: Self.attachIPBody(serverID: serverID))
    }

    /// Detaches an IP (`PATCH {"server": null}`).
    public func detachIP(zone: String, id: String) async throws -> FlexibleIP {
        try await patchIP(zone: zone, id: id, body: Self.attachIPBody(serverID: nil))
    }

    private func patchIP(zone: String, id: String, body: Value) async throws -> FlexibleIP {
        try FlexibleIP(json: Self.unwrap(try await client.call("PATCH", "\(base(zone))/ips/\(id)", body: body), "ip", what: "PATCH /ips/{id} answer"))
    }

    /// Releases an IP (204).
    public func deleteIP(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/ips/\(id)")
    }
}

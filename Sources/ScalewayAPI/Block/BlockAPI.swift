// BlockAPI: the Block Storage service (`/block/v1/zones/{zone}/volumes`), only as far as
// Instance needs it: SBS root volumes are Block volumes (read, grow, retag, delete).

import ScwCore

/// Typed calls to `/block/v1/zones/{zone}`.
public struct BlockAPI: Sendable {
    /// The client every call goes through.
    public let client: ScalewayClient

    /// The service over a client.
    public init(client: ScalewayClient) {
        self.client = client
    }

    private func base(_ zone: String) -> String { "/block/v1/zones/\(zone)" }

    /// One volume (the Block API does not wrap it); a missing one throws ``APIError`` with `isNotFound`.
    public func getVolume(zone: String, id: String) async throws -> BlockVolume {
        try BlockVolume(json: try await client.call("GET", "\(base(zone))/volumes/\(id)"))
    }

    /// Every volume matching the filters (all pages).
    public func listVolumes(zone: String, tags: [String] = [], projectID: String? = nil) async throws -> [BlockVolume] {
        var query: [(String, String)] = []
        if let projectID { query.append(("project_id", projectID)) }
        for tag in tags { query.append(("tags", tag)) }
        return try await client.listAll("\(base(zone))/volumes", itemsKey: "volumes", query: query, style: .pageSize).map { try BlockVolume(json: $0) }
    }

    /// The body of `PATCH /volumes/{id}`: only the fields given; `size` in bytes (grow only),
    /// `perfIOPS` as `perf_iops` (5000 or 15000).
    public static func updateVolumeBody(name: String? = nil, size: Int64? = nil, tags: [String]? = nil, perfIOPS: Int64? = nil) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let size { body["size"] = .int(size) }
        if let tags { body["tags"] = .list(tags.map(Value.string)) }
        if let perfIOPS { body["perf_iops"] = .int(perfIOPS) }
        return .map(body)
    }

    /// Renames, grows, retags or re-tiers a volume.
    public func updateVolume(zone: String, id: String, name: String? = nil, size: Int64? = nil, tags: [String]? = nil,
                             perfIOPS: Int64? = nil) async throws -> BlockVolume {
        let body = Self.updateVolumeBody(name: name, size: size, tags: tags, perfIOPS: perfIOPS)
        return try BlockVolume(json: try await client.call("PATCH", "\(base(zone))/volumes/\(id)", body: body))
    }

    /// Deletes a volume (204). One still attached is refused (412 or 409): callers retry
    /// while the server that held it goes.
    public func deleteVolume(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/volumes/\(id)")
    }
}

// InstanceAPI+Volumes: Instance API volumes (`/volumes`): local (`l_ssd`, `scratch`) and the
// legacy `b_ssd`. Sizes are bytes on the wire. Newer root volumes live in the Block API.

import ScwCore

extension InstanceAPI {
    /// The body of `POST /volumes`: `size` (bytes) or `base_snapshot`, `tags` when not empty.
    public static func createVolumeBody(name: String, projectID: String, volumeType: String, size: Int64?,
                                        baseSnapshot: String?, tags: [String]) -> Value {
        var body: [String: Value] = [
            "name": .string(name),
            "project": .string(projectID),
            "volume_type": .string(volumeType),
        ]
        if let size { body["size"] = .int(size) }
        if let baseSnapshot { body["base_snapshot"] = .string(baseSnapshot) }
        if !tags.isEmpty { body["tags"] = tagsValue(tags) }
        return .map(body)
    }

    /// Creates a volume. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createVolume(zone: String, name: String, projectID: String? = nil, volumeType: String, size: Int64?,
                             baseSnapshot: String? = nil, tags: [String] = []) async throws -> InstanceVolume {
        let body = Self.createVolumeBody(name: name, projectID: try project(projectID), volumeType: volumeType, size: size,
                                         baseSnapshot: baseSnapshot, tags: tags)
        return try InstanceVolume(json: Self.unwrap(try await client.call("POST", "\(base(zone))/volumes", body: body), "volume", what: "POST /volumes answer"))
    }

    /// One volume; a missing one (or an SBS volume, which lives in the Block API) throws
    /// ``APIError`` with `isNotFound`.
    public func getVolume(zone: String, id: String) async throws -> InstanceVolume {
        try InstanceVolume(json: Self.unwrap(try await client.call("GET", "\(base(zone))/volumes/\(id)"), "volume", what: "GET /volumes/{id} answer"))
    }

    /// Every volume matching the filters (all pages).
    public func listVolumes(zone: String, tags: [String] = [], projectID: String? = nil) async throws -> [InstanceVolume] {
        var query: [(String, String)] = []
        if let projectID { query.append(("project", projectID)) }
        if !tags.isEmpty { query.append(("tags", tags.joined(separator: ","))) }
        return try await client.listAll("\(base(zone))/volumes", itemsKey: "volumes", query: query, style: .perPage).map { try InstanceVolume(json: $0) }
    }

    /// The body of `PATCH /volumes/{id}`: only the fields given; `size` in bytes.
    public static func updateVolumeBody(name: String?, tags: [String]?, size: Int64?) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let tags { body["tags"] = tagsValue(tags) }
        if let size { body["size"] = .int(size) }
        return .map(body)
    }

    /// Renames, retags or grows a volume (growing: `b_ssd` only, never smaller).
    public func updateVolume(zone: String, id: String, name: String? = nil, tags: [String]? = nil, size: Int64? = nil) async throws -> InstanceVolume {
        let body = Self.updateVolumeBody(name: name, tags: tags, size: size)
        return try InstanceVolume(json: Self.unwrap(try await client.call("PATCH", "\(base(zone))/volumes/\(id)", body: body), "volume", what: "PATCH /volumes/{id} answer"))
    }

    /// Deletes a detached volume (204).
    public func deleteVolume(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/volumes/\(id)")
    }
}

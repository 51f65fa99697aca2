// Instance volumes (`/volumes`): l_ssd, scratch and (deprecated) b_ssd, sizes in bytes, generated
// names, grow-only resize (b_ssd), no delete while attached. sbs_volume is created in BlockService.

extension InstanceService {
    static let instanceVolumeTypes = ["l_ssd", "scratch", "b_ssd"]

    static func newInstanceVolume(name: String, type: String, size: Int, project: String, zone: String,
                                  tags: [String]) -> (id: String, body: [String: JSONValue]) {
        let id = Clock.uuid()
        let date = Clock.instanceTimestamp()
        return (id, [
            "id": .string(id), "name": .string(name), "volume_type": .string(type), "export_uri": .null,
            "organization": .string(project), "project": .string(project), "server": .null, "size": .int(size),
            "state": .string("available"), "creation_date": .string(date), "modification_date": .string(date),
            "tags": strings(tags), "zone": .string(zone),
        ])
    }

    static func render(volume: Record, in state: CloudState, now: Double) -> JSONValue {
        var body = volume.body
        if let id = body["server"]?["id"]?.stringValue, let server = state.get(serverKind, id) { body["server"] = ServerRef(server).json }
        if let busy = Transient.state(volume, now: now) { body["state"] = .string(busy) }
        return .object(body)
    }

    private static func checkSize(_ size: Int, type: String) throws {
        let gb = CommercialType.gb
        let max = type == "l_ssd" || type == "scratch" ? 800 * gb : 10_000 * gb
        guard size >= gb && size <= max else {
            throw APIError.instanceValidation("size", "a \(type) volume must be between 1 GB and \(max / gb) GB, got \(size) bytes")
        }
    }

    /// `{"name","project","volume_type","size","tags"}` → 201 `{"volume":{...}}`.
    func createVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let project = try self.project(input)
        let type = try input.string("volume_type").flatMap { $0 == "unknown_volume_type" ? nil : $0 } ?? "l_ssd"
        guard InstanceService.instanceVolumeTypes.contains(type) || type == "sbs_volume" else {
            throw APIError.instanceValidation("volume_type", "\"\(type)\" is not one of l_ssd, scratch, b_ssd, sbs_volume")
        }
        if let snapshot = try input.string("base_snapshot"), !snapshot.isEmpty { throw APIError.unknownResource("Snapshot", snapshot) }
        if let volume = try input.string("base_volume"), !volume.isEmpty { throw APIError.unknownResource("Volume", volume) }
        guard let size = try input.int("size") else { throw APIError.instanceValidation("size", "required: one of size or base_snapshot") }
        try InstanceService.checkSize(size, type: type)
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "vol")
        let tags = try input.stringArray("tags") ?? []
        if type == "sbs_volume" { return try createBlockVolume(request, name: name, size: size, project: project, zone: zone, tags: tags) }
        let volume = InstanceService.newInstanceVolume(name: name, type: type, size: size, project: project, zone: zone, tags: tags)
        let rendered = try store.write { state, now -> JSONValue in
            try quotas.check("volumes", project: project, in: state)
            return InstanceService.render(volume: state.insert(kind: InstanceService.volumeKind, id: volume.id, body: volume.body),
                                          in: state, now: now)
        }
        return InstanceService.wrapped(201, "volume", rendered, request, id: volume.id)
    }

    /// An sbs_volume asked of the Instance API is made in the Block API, which alone serves it
    /// afterwards (the Instance API answers 404 for SBS ids, as recorded); the 201 is Instance-shaped.
    private func createBlockVolume(_ request: APIRequest, name: String, size: Int, project: String, zone: String,
                                   tags: [String]) throws -> HTTPResponse {
        let volume = BlockService.newVolume(name: name, size: size, iops: 5000, project: project, zone: zone, tags: tags, parentSnapshot: nil)
        try store.write { state, _ in
            try quotas.check("block_volumes", project: project, in: state)
            state.insert(kind: BlockService.volumeKind, id: volume.id, body: volume.body)
        }
        let date = Clock.instanceTimestamp()
        return InstanceService.wrapped(201, "volume", .object([
            "id": .string(volume.id), "name": .string(name), "volume_type": .string("sbs_volume"), "export_uri": .null,
            "organization": .string(project), "project": .string(project), "server": .null, "size": .int(size),
            "state": .string("available"), "creation_date": .string(date), "modification_date": .string(date),
            "tags": InstanceService.strings(tags), "zone": .string(zone),
        ]), request, id: volume.id)
    }

    func getVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let now = InstanceStore.now()
        return .json(200, .object(["volume": try store.read { state in
            InstanceService.render(volume: try InstanceService.find(InstanceService.volumeKind, request.param("id"), zone: zone, in: state),
                                   in: state, now: now)
        }]))
    }

    /// Filters: project, organization, tags (all), name, volume_type.
    func listVolumes(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let common = InstanceService.commonFilter(request)
        let type = ListQuery.string(request, "volume_type")
        let now = InstanceStore.now()
        let items = try store.read { state in
            state.list(InstanceService.volumeKind).filter { volume in
                volume.zone == zone && common(volume) && (type == nil || volume.body["volume_type"]?.stringValue == type)
            }.map { InstanceService.render(volume: $0, in: state, now: now) }
        }
        return try InstanceService.listPage("volumes", items, request)
    }

    /// `name`, `tags`, `size` (b_ssd only, grow only; `resizing` for a moment).
    func updateVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        let size = try input.int("size")
        return .json(200, .object(["volume": try store.write { state, now in
            var volume = try InstanceService.find(InstanceService.volumeKind, request.param("id"), zone: zone, in: state)
            if let name, !name.isEmpty { volume.body["name"] = .string(name) }
            if let tags { volume.body["tags"] = InstanceService.strings(tags) }
            if let size, size != volume.body["size"]?.intValue {
                let type = volume.body["volume_type"]?.stringValue ?? ""
                let current = volume.body["size"]?.intValue ?? 0
                guard type == "b_ssd" else {
                    throw APIError.instanceRequest("only b_ssd volumes can be resized (this one is \(type)); replace it instead")
                }
                guard size > current else { throw APIError.instanceRequest("a volume can only grow (\(current) bytes now, \(size) asked)") }
                try InstanceService.checkSize(size, type: type)
                volume.body["size"] = .int(size)
                Transient.mark(&volume, "resizing", speed: context.speed, now: now)
            }
            volume.body["modification_date"] = .string(Clock.instanceTimestamp())
            state.put(volume)
            return InstanceService.render(volume: volume, in: state, now: now)
        }]))
    }

    func deleteVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let volume = try InstanceService.find(InstanceService.volumeKind, request.param("id"), zone: zone, in: state)
            if let server = volume.body["server"]?["id"]?.stringValue {
                throw APIError.instanceRequest("volume \(volume.id) is attached to server \(server); detach it first")
            }
            state.remove(InstanceService.volumeKind, volume.id)
        }
        return .empty(204)
    }
}

// Block Storage API (`/block/v1/zones/{zone}/volumes`, v1alpha1 too): the SBS volumes servers boot
// from. Bare objects, 200 on create, project_id, total_count lists; in_use while a server holds one.

struct BlockService: EmulatedService {
    static let volumeKind = "block_volume"

    let context: ServiceContext
    let store: InstanceStore
    let quotas: Quotas

    init(context: ServiceContext, quotas: [String: Int] = [:]) {
        self.context = context
        store = InstanceStore(store: context.store)
        self.quotas = Quotas(limits: quotas)
    }

    func register(on router: Router) {
        for version in ["v1", "v1alpha1"] {
            let base = "/block/\(version)/zones/{zone}/volumes"
            router.add("POST", base) { try create($0) }
            router.add("GET", base) { try list($0) }
            router.add("GET", base + "/{id}") { try get($0) }
            router.add("PATCH", base + "/{id}") { try update($0) }
            router.add("DELETE", base + "/{id}") { try delete($0) }
        }
    }

    // MARK: model

    static func newVolume(name: String, size: Int, iops: Int, project: String, zone: String, tags: [String],
                          parentSnapshot: String?) -> (id: String, body: [String: JSONValue]) {
        let id = Clock.uuid()
        let now = Clock.timestamp()
        return (id, [
            "id": .string(id), "name": .string(name), "type": .string(iops >= 15000 ? "sbs_15k" : "sbs_5k"), "size": .int(size),
            "project_id": .string(project), "created_at": .string(now), "updated_at": .string(now), "references": .array([]),
            "parent_snapshot_id": parentSnapshot.map { .string($0) } ?? .null, "status": .string("available"),
            "tags": .array(tags.map { .string($0) }), "specs": .object(["perf_iops": .int(iops), "class": .string("sbs")]),
            "last_detached_at": .null, "kms_key_id": .null, "zone": .string(zone),
        ])
    }

    /// Adds the exclusive reference of a server; the volume is then `in_use`.
    static func attach(_ body: inout [String: JSONValue], serverID: String) {
        let now = Clock.timestamp()
        body["references"] = .array([.object([
            "id": .string(Clock.uuid()), "product_resource_type": .string("instance_server"),
            "product_resource_id": .string(serverID), "created_at": .string(now), "type": .string("exclusive"),
            "status": .string("attached"),
        ])])
        body["status"] = .string("in_use")
        body["updated_at"] = .string(now)
    }

    /// Drops the server reference (terminate, detach): `available` again, `last_detached_at` set.
    static func release(_ volume: inout Record) {
        let now = Clock.timestamp()
        volume.body["references"] = .array([])
        volume.body["status"] = .string("available")
        volume.body["last_detached_at"] = .string(now)
        volume.body["updated_at"] = .string(now)
    }

    static func render(_ volume: Record, now: Double) -> JSONValue {
        var body = volume.body
        if let busy = Transient.state(volume, now: now) { body["status"] = .string(busy) }
        return .object(body)
    }

    private static func find(_ id: String, zone: String, in state: CloudState) throws -> Record {
        guard let volume = state.get(volumeKind, id), volume.zone == zone else { throw APIError.notFound(resource: "volume", id: id) }
        return volume
    }

    private static func iops(_ input: RequestBody) throws -> Int? {
        guard let iops = try input.int("perf_iops") else { return nil }
        guard iops == 5000 || iops == 15000 else {
            throw APIError.invalidArgument("perf_iops", reason: "constraint", help: "perf_iops must be 5000 or 15000, got \(iops)")
        }
        return iops
    }

    private static func checkSize(_ size: Int) throws {
        guard size >= 1 * CommercialType.gb && size <= 10_000 * CommercialType.gb else {
            throw APIError.invalidArgument("size", reason: "constraint", help: "size must be between 1 GB and 10 TB (bytes), got \(size)")
        }
    }

    // MARK: handlers

    /// `{"name","perf_iops","project_id","from_empty":{"size"},"tags"}`; `creating` for a moment.
    private func create(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        if let snapshot = input.raw("from_snapshot"), !snapshot.isNull {
            throw APIError.notFound(resource: "snapshot", id: snapshot["snapshot_id"]?.stringValue ?? "")
        }
        guard let size = input.raw("from_empty")?["size"]?.intValue else {
            throw APIError.invalidArgument("from_empty.size", reason: "required", help: "give from_empty: {size: <bytes>}")
        }
        try BlockService.checkSize(size)
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "vol")
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let tags = try input.stringArray("tags") ?? []
        let iops = try BlockService.iops(input) ?? 5000
        return .json(200, try store.write { state, now in
            try quotas.check("block_volumes", project: project, in: state, legacy: false)
            let volume = BlockService.newVolume(name: name, size: size, iops: iops, project: project, zone: zone, tags: tags, parentSnapshot: nil)
            var record = state.insert(kind: BlockService.volumeKind, id: volume.id, body: volume.body)
            Transient.mark(&record, "creating", speed: context.speed, now: now)
            state.put(record)
            return BlockService.render(record, now: now)
        })
    }

    private func get(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let now = InstanceStore.now()
        return .json(200, try store.read { BlockService.render(try BlockService.find(request.param("id"), zone: zone, in: $0), now: now) })
    }

    /// Filters: project_id, organization_id, name, tags, product_resource_id; page/page_size.
    private func list(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let user = ListQuery.string(request, "product_resource_id")
        let now = InstanceStore.now()
        let items = try store.read { state in
            ListQuery.ordered(state.list(BlockService.volumeKind), request).filter { volume in
                volume.zone == zone && common(volume)
                    && (user == nil || (volume.body["references"]?.arrayValue ?? []).contains { $0["product_resource_id"]?.stringValue == user })
            }.map { BlockService.render($0, now: now) }
        }
        return ListQuery.bodyPage("volumes", items, page)
    }

    /// name, tags, size (grow only), perf_iops.
    private func update(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let name = try input.string("name")
        let tags = try input.stringArray("tags")
        let size = try input.int("size")
        let iops = try BlockService.iops(input)
        return .json(200, try store.write { state, now in
            var volume = try BlockService.find(request.param("id"), zone: zone, in: state)
            if let name, !name.isEmpty { volume.body["name"] = .string(name) }
            if let tags { volume.body["tags"] = .array(tags.map { .string($0) }) }
            if let iops {
                volume.body["specs"] = .object(["perf_iops": .int(iops), "class": .string("sbs")])
                volume.body["type"] = .string(iops >= 15000 ? "sbs_15k" : "sbs_5k")
            }
            if let size, size != volume.body["size"]?.intValue {
                let current = volume.body["size"]?.intValue ?? 0
                guard size > current else {
                    throw APIError.invalidArgument("size", reason: "constraint", help: "a volume can only grow (\(current) bytes now, \(size) asked)")
                }
                try BlockService.checkSize(size)
                volume.body["size"] = .int(size)
                Transient.mark(&volume, "updating", speed: context.speed, now: now)
            }
            volume.body["updated_at"] = .string(Clock.timestamp())
            state.put(volume)
            return BlockService.render(volume, now: now)
        })
    }

    private func delete(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let volume = try BlockService.find(request.param("id"), zone: zone, in: state)
            if let server = volume.body["references"]?.arrayValue?.first?["product_resource_id"]?.stringValue {
                throw APIError.preconditionFailed("resource_still_in_use",
                    help: "volume \(volume.id) is attached to server \(server); detach it or delete the server first")
            }
            state.remove(BlockService.volumeKind, volume.id)
        }
        return .empty(204)
    }
}

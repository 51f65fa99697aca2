// Server volumes: the `volumes` map of a server create (root from the image, on Block Storage or
// l_ssd; extra volumes created or attached), local storage limits, attach/detach, and rendering.

extension InstanceService {
    /// One entry of a `volumes` map (`{"0":{"boot":false},"1":{"id":"..."}}`).
    struct VolumeEntry {
        let index: Int
        var id: String? = nil
        var boot = false
        var name: String? = nil
        var size: Int? = nil
        var type: String? = nil
    }

    static func volumeEntries(_ raw: JSONValue?) throws -> [VolumeEntry] {
        guard let raw, !raw.isNull else { return [] }
        guard case .object(let map) = raw else { throw APIError.instanceValidation("volumes", "expected an object keyed \"0\", \"1\"...") }
        var entries: [VolumeEntry] = []
        for (key, value) in map {
            guard let index = Int(key), (0..<16).contains(index) else {
                throw APIError.instanceValidation("volumes", "keys must be \"0\" to \"15\", got \"\(key)\"")
            }
            guard case .object(let fields) = value else { throw APIError.instanceValidation("volumes.\(key)", "expected an object") }
            let item = RequestBody(fields: fields)
            if let snapshot = try item.string("base_snapshot"), !snapshot.isEmpty { throw APIError.unknownResource("Snapshot", snapshot) }
            let type = try item.string("volume_type").flatMap { $0.isEmpty || $0 == "unknown_volume_type" ? nil : $0 }
            entries.append(VolumeEntry(index: index, id: try item.uuid("id"), boot: try item.bool("boot") ?? false,
                                       name: try item.string("name"), size: try item.int("size"), type: type))
        }
        return entries.sorted { $0.index < $1.index }
    }

    /// Creates or attaches the volumes of a new server; returns its `volumes` references keyed
    /// "0".."n" (entries are re-keyed in order). Throws before anything is kept (the write rolls back).
    static func createVolumes(_ raw: JSONValue?, for owner: ServerRef, type: CommercialType, image: LocalImage?,
                              in state: inout CloudState, now: Double) throws -> [String: JSONValue] {
        var entries = try volumeEntries(raw)
        if entries.first?.index != 0 { entries.insert(VolumeEntry(index: 0), at: 0) }
        var refs: [String: JSONValue] = [:]
        var localSizes: [Int] = []
        for (position, entry) in entries.enumerated() {
            let key = String(position)
            if let id = entry.id {
                let attached = try attachExisting(id, to: owner, in: &state)
                if attached.type == "l_ssd" { localSizes.append(attached.size) }
                refs[key] = ref(id: id, type: attached.type, boot: entry.boot)
                continue
            }
            let isRoot = position == 0
            guard !isRoot || image != nil else {
                throw APIError.instanceValidation("image", "required unless volumes.0 is an existing volume (id)")
            }
            guard let volumeType = entry.type ?? (isRoot ? (image!.isLocal ? "l_ssd" : "sbs_volume") : nil) else {
                throw APIError.instanceValidation("volumes.\(key).volume_type", "required for a new volume (sbs_volume, l_ssd or scratch)")
            }
            let defaultRoot = volumeType == "l_ssd" && type.supportsLocalVolumes ? type.localGB * CommercialType.gb : LocalImage.rootSize
            guard let size = entry.size ?? (isRoot ? defaultRoot : nil) else {
                throw APIError.instanceValidation("volumes.\(key).size", "required for a new volume (bytes)")
            }
            if isRoot && size < LocalImage.rootSize {
                throw APIError.instanceValidation("volumes.0.size",
                    "the root volume must be at least \(LocalImage.rootSize / CommercialType.gb) GB (the image's size), got \(size) bytes")
            }
            let id: String
            switch volumeType {
            case "sbs_volume":
                let name = entry.name ?? (isRoot ? "\(image!.name)_sbs_volume_0" : "\(owner.name)_sbs_volume_\(position)")
                var block = BlockService.newVolume(name: name, size: size, iops: 5000, project: owner.project, zone: owner.zone,
                                                   tags: [], parentSnapshot: isRoot ? image?.snapshotID : nil)
                BlockService.attach(&block.body, serverID: owner.id)
                id = block.id
                state.insert(kind: BlockService.volumeKind, id: block.id, body: block.body)
            case "l_ssd", "scratch", "b_ssd":
                let name = entry.name ?? (isRoot ? image!.name : "\(owner.name)-\(volumeType)-\(position)")
                var volume = newInstanceVolume(name: name, type: volumeType, size: size, project: owner.project, zone: owner.zone, tags: [])
                volume.body["server"] = owner.json
                id = volume.id
                state.insert(kind: volumeKind, id: volume.id, body: volume.body)
                if volumeType == "l_ssd" { localSizes.append(size) }
                if volumeType == "scratch" && type.scratch.count == 0 {
                    throw APIError.instanceRequest("commercial type \(type.name) has no scratch storage")
                }
            default:
                throw APIError.instanceValidation("volumes.\(key).volume_type", "\"\(volumeType)\" is not one of sbs_volume, l_ssd, scratch, b_ssd")
            }
            refs[key] = ref(id: id, type: volumeType, boot: entry.boot)
        }
        try checkLocalStorage(sizes: localSizes, type: type)
        return refs
    }

    private static func ref(id: String, type: String, boot: Bool) -> JSONValue {
        .object(["id": .string(id), "volume_type": .string(type), "boot": .bool(boot)])
    }

    /// Attaches an existing, detached Instance or Block volume of the same zone to `owner`.
    static func attachExisting(_ id: String, to owner: ServerRef, in state: inout CloudState) throws -> (type: String, size: Int) {
        if var block = state.get(BlockService.volumeKind, id), block.zone == owner.zone {
            if let other = block.body["references"]?.arrayValue?.first?["product_resource_id"]?.stringValue {
                throw APIError.instanceRequest("volume \(id) is already attached to server \(other)")
            }
            if let busy = Transient.state(block, now: InstanceStore.now()) {
                throw APIError.instanceRequest("volume \(id) is \(busy); wait until it is available")
            }
            BlockService.attach(&block.body, serverID: owner.id)
            state.put(block)
            return ("sbs_volume", block.body["size"]?.intValue ?? 0)
        }
        guard var volume = state.get(volumeKind, id), volume.zone == owner.zone else { throw APIError.unknownResource("Volume", id) }
        if let other = volume.body["server"]?["id"]?.stringValue {
            throw APIError.instanceRequest("volume \(id) is already attached to server \(other)")
        }
        volume.body["server"] = owner.json
        volume.body["modification_date"] = .string(Clock.instanceTimestamp())
        state.put(volume)
        return (volume.body["volume_type"]?.stringValue ?? "", volume.body["size"]?.intValue ?? 0)
    }

    /// Detaches a volume (Instance or Block) from whatever server holds it.
    static func detachVolume(_ id: String, in state: inout CloudState) {
        if var block = state.get(BlockService.volumeKind, id) {
            BlockService.release(&block)
            state.put(block)
        } else if var volume = state.get(volumeKind, id) {
            volume.body["server"] = .null
            volume.body["modification_date"] = .string(Clock.instanceTimestamp())
            state.put(volume)
        }
    }

    /// l_ssd sizes against the type: each 1..800 GB, together at most the type's local storage.
    static func checkLocalStorage(sizes: [Int], type: CommercialType) throws {
        guard !sizes.isEmpty else { return }
        guard type.supportsLocalVolumes else {
            throw APIError.instanceRequest("commercial type \(type.name) has no local storage: use sbs_volume volumes instead of l_ssd")
        }
        let gb = CommercialType.gb
        for size in sizes where size < gb || size > 800 * gb {
            throw APIError.instanceRequest("an l_ssd volume must be between 1 GB and 800 GB, got \(size) bytes")
        }
        let total = sizes.reduce(0, +)
        if total > type.localGB * gb {
            throw APIError.instanceRequest(
                "The total size of local-volume(s) must be equal or less than \(type.localGB) GB for \(type.name) (got \(total / gb) GB)")
        }
    }

    static func localVolumeSizes(of server: Record, in state: CloudState) -> [Int] {
        volumeIDs(of: server).compactMap { state.get(volumeKind, $0) }
            .filter { $0.body["volume_type"]?.stringValue == "l_ssd" }.compactMap { $0.body["size"]?.intValue }
    }

    /// Volume ids in key order ("0" first).
    static func volumeIDs(of server: Record) -> [String] {
        (server.body["volumes"]?.objectValue ?? [:]).sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
            .compactMap { $0.value["id"]?.stringValue }
    }

    private static func isLocal(_ id: String, in state: CloudState) -> Bool {
        ["l_ssd", "scratch"].contains(state.get(volumeKind, id)?.body["volume_type"]?.stringValue ?? "")
    }

    // MARK: changes on an existing server

    /// PATCH `volumes`: the full list wanted, existing volumes only, the root unchanged; local
    /// volumes change only while the server is stopped.
    static func updateVolumes(of server: inout Record, _ raw: JSONValue?, in state: inout CloudState, now: Double) throws {
        let entries = try volumeEntries(raw)
        let current = volumeIDs(of: server)
        var wanted: [String] = []
        for entry in entries {
            guard let id = entry.id else {
                throw APIError.instanceValidation("volumes.\(entry.index).id", "only existing volumes can be set with PATCH; create them first")
            }
            wanted.append(id)
        }
        guard wanted.first == current.first else { throw APIError.instanceRequest("the root volume (volumes.0) cannot be replaced") }
        let removed = current.filter { !wanted.contains($0) }
        let added = wanted.filter { !current.contains($0) }
        try setVolumes(of: &server, removing: removed, adding: added, order: wanted, boots: entries.map(\.boot), in: &state)
    }

    /// Detaches `removed`, attaches `added` and stores the references in `order`.
    static func setVolumes(of server: inout Record, removing removed: [String], adding added: [String], order: [String],
                           boots: [Bool], in state: inout CloudState) throws {
        let touchesLocal = (removed + added).contains { isLocal($0, in: state) }
        if touchesLocal && InstanceServerStateMachine.state(server) != ServerState.stopped {
            throw APIError.instanceRequest("server should be stopped to attach or detach local volumes")
        }
        for id in removed { detachVolume(id, in: &state) }
        let owner = ServerRef(server)
        var types: [String: String] = [:]
        for id in added { types[id] = try attachExisting(id, to: owner, in: &state).type }
        var refs: [String: JSONValue] = [:]
        let old = server.body["volumes"]?.objectValue ?? [:]
        for (position, id) in order.enumerated() {
            let type = types[id] ?? old.values.first { $0["id"]?.stringValue == id }?["volume_type"]?.stringValue ?? "sbs_volume"
            refs[String(position)] = ref(id: id, type: type, boot: position < boots.count ? boots[position] : false)
        }
        server.body["volumes"] = .object(refs)
        if let type = InstanceProducts.find(server.body["commercial_type"]?.stringValue ?? "") {
            try checkLocalStorage(sizes: localVolumeSizes(of: server, in: state), type: type)
        }
    }

    func attachVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let volumeID = try input.uuid("volume_id") else { throw APIError.instanceValidation("volume_id", "required key not provided") }
        let boot = try input.bool("boot") ?? false
        return .json(200, .object(["server": try store.write { state, now in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            let current = InstanceService.volumeIDs(of: server)
            guard !current.contains(volumeID) else { throw APIError.instanceRequest("volume \(volumeID) is already attached to this server") }
            try InstanceService.setVolumes(of: &server, removing: [], adding: [volumeID], order: current + [volumeID],
                                           boots: InstanceService.boots(of: server) + [boot], in: &state)
            state.put(server)
            return InstanceService.render(server: server, in: state, now: now)
        }]))
    }

    func detachVolume(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let volumeID = try input.uuid("volume_id") else { throw APIError.instanceValidation("volume_id", "required key not provided") }
        return .json(200, .object(["server": try store.write { state, now in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            let current = InstanceService.volumeIDs(of: server)
            guard let index = current.firstIndex(of: volumeID) else {
                throw APIError.instanceRequest("volume \(volumeID) is not attached to server \(server.id)")
            }
            guard index > 0 else { throw APIError.instanceRequest("the root volume (volumes.0) cannot be detached") }
            var boots = InstanceService.boots(of: server)
            if index < boots.count { boots.remove(at: index) }
            try InstanceService.setVolumes(of: &server, removing: [volumeID], adding: [], order: current.filter { $0 != volumeID },
                                           boots: boots, in: &state)
            state.put(server)
            return InstanceService.render(server: server, in: state, now: now)
        }]))
    }

    private static func boots(of server: Record) -> [Bool] {
        (server.body["volumes"]?.objectValue ?? [:]).sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
            .map { $0.value["boot"]?.boolValue ?? false }
    }

    // MARK: rendering

    /// `volumes` as served: Block volumes as recorded (`sbs_volume`, state `available`), Instance
    /// volumes as their full object plus `boot`.
    static func renderVolumes(of server: Record, in state: CloudState, now: Double) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, ref) in server.body["volumes"]?.objectValue ?? [:] {
            guard let id = ref["id"]?.stringValue else { continue }
            let boot = ref["boot"] ?? .bool(false)
            if let block = state.get(BlockService.volumeKind, id) {
                out[key] = .object(["boot": boot, "volume_type": .string("sbs_volume"), "id": .string(id),
                                    "state": .string("available"), "zone": .string(block.zone ?? "")])
            } else if let volume = state.get(volumeKind, id), case .object(var fields) = render(volume: volume, in: state, now: now) {
                fields["boot"] = boot
                out[key] = .object(fields)
            }
        }
        return .object(out)
    }
}

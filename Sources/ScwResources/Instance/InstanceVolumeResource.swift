// InstanceVolume: an Instance API volume (zonal), attached with an Instance's `additional_volumes`.
// GB in scripts, bytes on the wire; only `b_ssd` grows in place, a shrink or any other resize
// replaces (``replacementReason(prop:old:new:inputs:)``). An attached volume is deleted once its server (of this stack) lets go.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct InstanceVolumeResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    /// Volume types whose size can grow in place (the API refuses to resize the others).
    static let growableTypes: Set<String> = ["b_ssd"]

    public static let schema = ResourceSchema(
        typeName: "InstanceVolume",
        doc: "A volume of the Instance API (local `l_ssd`, `scratch`, or the legacy block `b_ssd`), attached with an Instance's `additional_volumes`.",
        locality: .zonal,
        props: [
            CommonProps.name(),
            PropSpec("type", .string, required: true, change: .replace, allowed: ["l_ssd", "b_ssd", "scratch"],
                     doc: "`l_ssd` (local SSD), `scratch`, or `b_ssd` (deprecated block SSD). Block Storage (SBS) volumes live in the Block API, not here."),
            PropSpec("size", .int, range: 1...10_000, doc: "Size in GB (10^9 bytes). Required unless `from_snapshot` is set. Grows in place for `b_ssd`; any other change replaces the volume."),
            PropSpec("from_snapshot", .string, change: .replace, doc: "Create from this snapshot (UUID or `<zone>/<uuid>`) instead of empty."),
            CommonProps.zone,
            CommonProps.projectID,
            CommonProps.tags,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("type", .string),
            OutputSpec("size", .int, doc: "Size in GB."),
            OutputSpec("server_id", .string, doc: "The server it is attached to (`<zone>/<uuid>`), if any."),
            OutputSpec("state", .string),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
        ])

    var api: InstanceAPI { InstanceAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        try InstanceShared.normalizeZone(&out, env: env, context: context, zonalRefs: ["from_snapshot"])
        let size = out["size"] ?? .null
        let fromSnapshot = out["from_snapshot"] ?? .null
        if size.isNull, fromSnapshot.isNull {
            throw Diagnostic("\(context.address): give size (GB) or from_snapshot")
        }
        if !size.isNull, !fromSnapshot.isNull {
            throw Diagnostic("\(context.address): give size or from_snapshot, not both (a volume from a snapshot takes its size)")
        }
        if let gb = size.intValue, gb < 1 {
            throw Diagnostic("\(context.address): size must be at least 1 GB, got \(gb)")
        }
        return out
    }

    /// A size change replaces the volume when it shrinks or when its type cannot grow.
    public func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? {
        guard prop == "size", let oldGB = old.intValue, let newGB = new.intValue, oldGB != newGB else { return nil }
        let type = inputs["type"]?.stringValue ?? ""
        if !Self.growableTypes.contains(type) { return "\(type) volumes cannot be resized" }
        if newGB < oldGB { return "a volume cannot shrink (\(oldGB) GB → \(newGB) GB)" }
        return nil
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        let created: InstanceVolume
        do {
            created = try await api.createVolume(zone: zone, name: try i.requireString("name"), projectID: i.string("project_id"),
                                                 volumeType: try i.requireString("type"),
                                                 size: inputs["size"]?.intValue.map(InstanceShared.bytes(gb:)),
                                                 baseSnapshot: i.string("from_snapshot").map(InstanceShared.uuid),
                                                 tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
        } catch let error as AmbiguousWriteError {
            throw AmbiguousCreateError(detail: String(describing: error))
        }
        let volume = try await waitAvailable(zone: zone, id: created.id, timeout: context.timeouts.create, context: context)
        return CreateResult(id: InstanceShared.zonalID(zone, volume.id), outputs: Self.outputs(volume))
    }

    /// Polls until the volume leaves its transient states; `error` ends the wait.
    func waitAvailable(zone: String, id: String, timeout: Double?, context: ProviderContext) async throws -> InstanceVolume {
        try await Waiter.poll(timeout: InstanceShared.timeout(timeout, default: 600), initialInterval: env.pollInterval, maxInterval: 10,
                              what: "volume \(context.address) to be available") {
            let v = try await api.getVolume(zone: zone, id: id)
            if v.state == "error" { return .failed(v.state) }
            if v.isTransient { context.phase("volume \(v.state)"); return .pending(v.state) }
            return .done(v)
        }
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let v = try await api.getVolume(zone: lid.locality, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(v), observed: Self.observed(v, declared: inputs), ownerStack: OwnershipTags.stack(of: v.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let i = Inputs(new, context.address)
        var volume = try await waitAvailable(zone: lid.locality, id: lid.uuid, timeout: context.timeouts.update, context: context)
        var newSize: Int64?
        if let gb = new["size"]?.intValue {
            let bytes = InstanceShared.bytes(gb: gb)
            if bytes < volume.size {
                throw Diagnostic("a volume cannot shrink (\(InstanceShared.gb(bytes: volume.size)) GB → \(gb) GB)", at: .resource(context.address),
                                 hint: "keep the size, or give the volume a new name to replace it")
            }
            if bytes > volume.size {
                guard Self.growableTypes.contains(volume.volumeType) else {
                    throw Diagnostic("a \(volume.volumeType) volume cannot be resized in place", at: .resource(context.address))
                }
                newSize = bytes
            }
        }
        // One PATCH of what differs from the volume (name, tags, a larger size), none when nothing does.
        let name = UpdateFields.changed(i.string("name"), from: volume.name)
        let tags = UpdateFields.tags(i, current: volume.tags, context: context)
        if name != nil || tags != nil || newSize != nil {
            volume = try await api.updateVolume(zone: lid.locality, id: lid.uuid, name: name, tags: tags, size: newSize)
        }
        if newSize != nil {
            context.phase("resizing")
            volume = try await waitAvailable(zone: lid.locality, id: lid.uuid, timeout: context.timeouts.update, context: context)
        }
        return Self.outputs(volume)
    }

    /// Waits for the volume to settle, refuses (clearly) while a server of another owner holds
    /// it, waits while one of this stack's servers does (it is being deleted or updated in the
    /// same run), then deletes it.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let timeout = InstanceShared.timeout(context.timeouts.delete, default: 600)
        do {
            var volume = try await waitAvailable(zone: lid.locality, id: lid.uuid, timeout: timeout, context: context)
            if let server = volume.server {
                try await checkHolder(zone: lid.locality, server: server, context: context)
                context.phase("waiting for server \(server.name ?? server.id) to release it")
                volume = try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 10,
                                               what: "volume \(context.address) to be detached from server \(server.name ?? server.id)") {
                    let v = try await api.getVolume(zone: lid.locality, id: lid.uuid)
                    return v.server == nil && !v.isTransient ? .done(v) : .pending(v.server.map { "attached to \($0.id)" } ?? v.state)
                }
            }
            try await Deletion.deleteRetryingWhileInUse(what: "volume \(id)", timeout: timeout, interval: env.pollInterval, context: context) {
                try await api.deleteVolume(zone: lid.locality, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// Throws unless the server holding the volume belongs to this stack (so may let it go in
    /// this run).
    private func checkHolder(zone: String, server: InstanceRef, context: ProviderContext) async throws {
        let holder: InstanceServer
        do {
            holder = try await api.getServer(zone: zone, id: server.id)
        } catch let error as APIError where error.isNotFound {
            return   // going away
        }
        if !InstanceShared.sameStack(holder.tags, context) {
            throw Diagnostic("is still attached to server \(holder.name) (\(zone)/\(holder.id)), which this stack does not manage: refusing to delete it",
                             at: .resource(context.address), hint: "detach the volume from that server first")
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        let found = try await api.listVolumes(zone: zone, tags: [OwnershipTags.urnTag(context)])
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map {
            CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0))
        }
    }

    /// Every volume of the stack in a zone and project, by the stack's tag, 100 a page.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        let api = self.api
        return try await BatchRead.run(rows, defaultLocality: env.defaultZone) { scope, scopeRows in
            let declared = BatchRead.inputsByUUID(scopeRows, defaultLocality: scope.locality)
            let found = try await api.listVolumes(zone: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
            return Dictionary(found.map { ($0.id, ReadResult(outputs: Self.outputs($0), observed: Self.observed($0, declared: declared[$0.id] ?? [:]))) },
                              uniquingKeysWith: { a, _ in a })
        }
    }

    static func outputs(_ v: InstanceVolume) -> [String: Value] {
        [
            "id": .string(InstanceShared.zonalID(v.zone, v.id)),
            "name": .string(v.name),
            "type": .string(v.volumeType),
            "size": .int(InstanceShared.gb(bytes: v.size)),
            "server_id": v.server.map { .string(InstanceShared.zonalID(v.zone, $0.id)) } ?? .null,
            "state": .string(v.state),
            "zone": .string(v.zone),
            "project_id": .string(v.projectID),
        ]
    }

    /// How the cloud has the props; the size only when the script gives one (a volume from a
    /// snapshot takes the snapshot's).
    static func observed(_ v: InstanceVolume, declared: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [
            "name": .string(v.name),
            "type": .string(v.volumeType),
            "zone": .string(v.zone),
            "project_id": .string(v.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(v.tags)),
        ]
        if declared["size"]?.intValue != nil {
            let gb = InstanceShared.gb(bytes: v.size)
            out["size"] = .int(gb)
        }
        return out
    }
}

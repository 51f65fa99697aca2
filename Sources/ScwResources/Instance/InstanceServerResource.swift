// Instance: a Scaleway Instance server (zonal): schema, normalisation, create/read/update/delete/find.
// Power states are in +Power.swift, checks made before any write in +Checks.swift, IPs, NICs,
// volumes and user data in +Attachments.swift, outputs and drift in +Outputs.swift.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct InstanceServerResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let rootVolumeFields: [PropSpec] = [
        PropSpec("size", .int, range: 1...10_000, doc: "Size in GB. Block (`sbs_volume`) root volumes grow in place; other changes replace the server."),
        PropSpec("volume_type", .string, allowed: ["sbs_volume", "l_ssd"], doc: "`sbs_volume` (default) or `l_ssd` (local, on types that have local storage)."),
        PropSpec("delete_on_termination", .bool, doc: "Delete the root volume with the server (default true)."),
    ]

    /// Root volume types whose size grows in place (through the Block API).
    static let growableRootTypes: Set<String> = ["sbs_volume"]

    public static let schema = ResourceSchema(
        typeName: "Instance",
        doc: "A virtual machine (Instance server), powered on by default, with its root volume, flexible IPs, volumes, private networks and user data.",
        locality: .zonal,
        props: [
            CommonProps.name(),
            PropSpec("type", .string, required: true, disruption: "the server stops and starts", doc: "Commercial type, e.g. `DEV1-S`, `PRO2-XXS`. Changed in place: the server is stopped, changed and started again."),
            PropSpec("image", .string, required: true, change: .replace,
                     doc: "A marketplace label such as `ubuntu_jammy` (resolved for the zone and type), or an image UUID."),
            CommonProps.zone,
            CommonProps.projectID,
            CommonProps.tags,
            PropSpec("security_group_id", .resourceID(types: ["SecurityGroup"]),
                     doc: "The security group (`security_group = handle` also works). Defaults to the project's default group."),
            PropSpec("ip_id", .resourceID(types: ["InstanceIp"]), doc: "A flexible IP to attach (`ip = handle` also works)."),
            PropSpec("ips", .list(.resourceID(types: ["InstanceIp"])), doc: "Flexible IPs to attach (with `ip_id`, at most one IPv4 and one IPv6)."),
            PropSpec("dynamic_ip", .bool, default: .bool(false), doc: "Give the server a dynamic public IPv4 (released when it is deleted)."),
            PropSpec("root_volume", .object(rootVolumeFields), doc: "`{ size, volume_type, delete_on_termination }`."),
            PropSpec("additional_volumes", .list(.resourceID(types: ["InstanceVolume"])),
                     doc: "InstanceVolumes to attach after the root volume, in order (local ones need the server stopped: it is stopped and started again)."),
            PropSpec("user_data", .map(.string), doc: "User data by key; `cloud-init` is read by cloud-init at first boot."),
            PropSpec("private_networks", .list(.resourceID(types: ["VpcPrivateNetwork"])),
                     doc: "Private networks to plug the server into (one private NIC each)."),
            PropSpec("state", .string, default: .string("started"), allowed: ["started", "stopped", "standby"],
                     doc: "`started` (default, waits until running), `stopped` or `standby` (stopped in place)."),
            PropSpec("protected", .bool, default: .bool(false), doc: "Refuse deletion and actions from the console or API while true."),
            PropSpec("boot_type", .string, default: .string("local"), allowed: ["local", "rescue"], doc: "`local` (default) or `rescue`."),
            PropSpec("placement_group_id", .string, disruption: "the server stops and starts", doc: "A placement group (UUID or `<zone>/<uuid>`); changing it stops the server for the change."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("type", .string),
            OutputSpec("image_id", .string, doc: "The image UUID the server was created from."),
            OutputSpec("state", .string, doc: "`started`, `stopped`, `standby` (or a transient API state)."),
            OutputSpec("hostname", .string),
            OutputSpec("arch", .string, doc: "`x86_64` or `arm64`."),
            OutputSpec("public_ip", .string, changesWith: ["ip_id", "ips", "dynamic_ip"], doc: "The first public IPv4 address, if any."),
            OutputSpec("public_ips", .list(.map(.string)), changesWith: ["ip_id", "ips", "dynamic_ip"], doc: "Every public IP: `{ id, address, family }`."),
            OutputSpec("private_ip", .string, changesWith: ["private_networks"], doc: "The first private IPv4 address (from IPAM), when the server is on a private network."),
            OutputSpec("private_ips", .list(.map(.string)), changesWith: ["private_networks"],
                       doc: "Every private NIC's addresses (from IPAM): `{ id, address }`, IPv4 first, address without prefix length."),
            OutputSpec("private_nics", .list(.map(.string)), changesWith: ["private_networks"], doc: "One per private network: `{ id, private_network_id, mac_address }`."),
            OutputSpec("security_group_id", .string),
            OutputSpec("root_volume", .map(.any), doc: "`{ volume_id, volume_type, size }` (size in GB)."),
            OutputSpec("volumes", .list(.map(.any)), changesWith: ["additional_volumes", "root_volume"], doc: "Every attached volume: `{ id, volume_type, boot }`, root first."),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("created_at", .string),
        ])

    var api: InstanceAPI { InstanceAPI(client: env.client) }
    var block: BlockAPI { BlockAPI(client: env.client) }
    var ipam: IPAMAPI { IPAMAPI(client: env.client) }

    /// Default timeout of every phase, in seconds (the provider's 20 minutes).
    static let defaultTimeout: Double = 1200

    // MARK: Normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        try InstanceShared.normalizeZone(&out, env: env, context: context,
                                         zonalRefs: ["security_group_id", "ip_id", "ips", "additional_volumes", "placement_group_id"],
                                         regionalRefs: ["private_networks"])
        if let type = out["type"]?.stringValue { out["type"] = .string(type.uppercased()) }
        if let image = out["image"]?.stringValue, !Self.isImageID(image) {
            out["image"] = .string(MarketplaceAPI.canonicalLabel(image))
        }
        // Attachments left out of the script are detached (not "unmanaged"): removing `ip = ...`
        // from a script shows, and applies, as a detach.
        for (key, value) in [("state", Value.string("started")), ("dynamic_ip", .bool(false)), ("protected", .bool(false)), ("boot_type", .string("local")),
                             ("ips", .list([])), ("additional_volumes", .list([])), ("private_networks", .list([])), ("user_data", .map([:]))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        if out["ip_id"] == nil { out["ip_id"] = .null }
        var root = out["root_volume"]?.mapValue ?? [:]
        if root["volume_type"] == nil || root["volume_type"] == .null { root["volume_type"] = .string("sbs_volume") }
        if root["delete_on_termination"] == nil || root["delete_on_termination"] == .null { root["delete_on_termination"] = .bool(true) }
        if root["size"] == .null { root["size"] = nil }
        if let size = root["size"]?.intValue, size < 1 {
            throw Diagnostic("\(context.address): root_volume.size must be at least 1 GB, got \(size)")
        }
        out["root_volume"] = .map(root)
        let ipIDs = InstanceShared.idTexts(out["ip_id"]) + InstanceShared.idTexts(out["ips"])
        if Set(ipIDs.map(InstanceShared.uuid)).count != ipIDs.count {
            throw Diagnostic("\(context.address): the same flexible IP is given twice (ip_id and ips)")
        }
        return out
    }

    /// What of a root volume cannot change in place: its type, a shrink, and any resize of a
    /// type that does not grow (a local `l_ssd` root).
    public func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? {
        guard prop == "root_volume" else { return nil }
        let oldType = old["volume_type"]?.stringValue ?? "sbs_volume"
        let newType = new["volume_type"]?.stringValue ?? "sbs_volume"
        if oldType != newType { return "the root volume's type cannot change (\(oldType) → \(newType))" }
        guard let oldSize = old["size"]?.intValue, let newSize = new["size"]?.intValue, oldSize != newSize else { return nil }
        if !Self.growableRootTypes.contains(newType) { return "\(newType) root volumes cannot be resized" }
        if newSize < oldSize { return "the root volume cannot shrink (\(oldSize) GB → \(newSize) GB)" }
        return nil
    }

    /// True for an image UUID (bare or `zone/uuid`), false for a marketplace label.
    static func isImageID(_ text: String) -> Bool { UUIDText.isValid(InstanceShared.uuid(text)) }

    // MARK: Create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        let checked = try await preflight(inputs, zone: zone, context: context)   // no write before this passes
        if inputs["root_volume"]?["delete_on_termination"]?.boolValue ?? true {
            // A replace interrupted after its old server went leaves that server's root volume.
            try await sweepRootVolumes(zone: zone, timeout: InstanceShared.timeout(context.timeouts.create, default: Self.defaultTimeout), context: context)
        }
        let userTags = i.strings("tags") ?? []
        let created: InstanceServer
        let resumed: Bool
        if let pending = try await resumablePending(inputs, checked: checked, zone: zone, context: context) {
            context.phase("resuming the server an interrupted create made")
            (created, resumed) = (pending, true)
        } else {
            let attempt = InstanceShared.attemptTag()
            let body = InstanceAPI.createServerBody(
                name: try i.requireString("name"), commercialType: checked.type.name, image: checked.imageID,
                projectID: try i.requireString("project_id"),
                tags: OwnershipTags.withOwnership(userTags, context: context) + [InstanceShared.pendingTag, attempt],
                volumes: Self.createVolumes(inputs, additional: checked.additionalVolumes), publicIPs: checked.freeIPs,
                dynamicIPRequired: i.bool("dynamic_ip") ?? false, bootType: i.string("boot_type") ?? "local",
                securityGroupID: i.string("security_group_id").map(InstanceShared.uuid),
                placementGroupID: i.string("placement_group_id").map(InstanceShared.uuid), protected: i.bool("protected") ?? false)
            context.phase("creating")
            do {
                created = try await api.createServer(zone: zone, body: body)
            } catch let error as AmbiguousWriteError {
                // Made or not? Look for this attempt's server, and finish it in this run if it is there.
                let mine = try await api.listServers(zone: zone, tags: [attempt])
                guard mine.count == 1 else { throw AmbiguousCreateError(detail: String(describing: error)) }
                context.phase("the answer was lost but the server was made: carrying on")
                created = mine[0]
            }
            resumed = false
        }
        // From here the server exists, tagged as ours but pending: `find` reports it half-made, so
        // after a crash the next deploy's create resumes it (and finishes it) instead of adopting
        // it as it is, and a destroy deletes it.
        if inputs["root_volume"]?["delete_on_termination"]?.boolValue ?? true, let root = created.rootVolume, root.volumeType == "sbs_volume" {
            // Owned like the server: a root volume left by an interrupted delete can be found again.
            _ = try await block.updateVolume(zone: zone, id: root.id, tags: context.ownershipTags)
        }
        let currentUserData = resumed ? try await api.listUserData(zone: zone, serverID: created.id) : []
        try await setUserData(zone: zone, serverID: created.id, wanted: inputs["user_data"]?.mapValue ?? [:], current: currentUserData, context: context)
        if resumed || checked.freeIPs.count < Self.flexibleIPs(inputs).count {
            // IPs still held by another server (the old half of a create-before-destroy) move over.
            try await syncIPs(zone: zone, server: created, wanted: Self.flexibleIPs(inputs), context: context)
        }
        try await syncPrivateNICs(zone: zone, server: created, wanted: Self.privateNetworkIDs(inputs), context: context)
        let target = i.string("state") ?? "started"
        _ = try await reachState(target, zone: zone, id: created.id, timeout: InstanceShared.timeout(context.timeouts.create, default: Self.defaultTimeout),
                                 context: context)
        let server = try await api.updateServer(zone: zone, id: created.id,   // done: final tags
                                                body: InstanceAPI.updateServerBody(tags: OwnershipTags.withOwnership(userTags, context: context)))
        return CreateResult(id: InstanceShared.zonalID(zone, server.id), outputs: try await outputs(server))
    }

    /// A server of this address left pending by an interrupted create, when it matches what is
    /// declared now (type, image); one that does not is deleted, and nil returned.
    private func resumablePending(_ inputs: [String: Value], checked: Preflight, zone: String, context: ProviderContext) async throws -> InstanceServer? {
        let pending = try await api.listServers(zone: zone, tags: [OwnershipTags.urnTag(context), InstanceShared.pendingTag])
            .filter { OwnershipTags.owned($0.tags, by: context) }
        var found: InstanceServer?
        for server in pending {
            if found == nil, server.commercialType == checked.type.name, server.imageID == checked.imageID {
                found = server
            } else {
                context.phase("deleting a half-made server that no longer matches")
                try await delete(id: InstanceShared.zonalID(zone, server.id), inputs: inputs, context: context)
            }
        }
        return found
    }

    /// The `volumes` map of the create body: the root (`{"boot": false}` as the provider
    /// sends it, with size and type when given), then the additional volumes by id.
    static func createVolumes(_ inputs: [String: Value], additional: [InstanceVolume]) -> [String: Value] {
        var root: [String: Value] = ["boot": .bool(false)]
        let declared = inputs["root_volume"]?.mapValue ?? [:]
        let type = declared["volume_type"]?.stringValue ?? "sbs_volume"
        if let gb = declared["size"]?.intValue {
            root["size"] = .int(InstanceShared.bytes(gb: gb))
            root["volume_type"] = .string(type)
        } else if type != "sbs_volume" {
            root["volume_type"] = .string(type)
        }
        var volumes: [String: Value] = ["0": .map(root)]
        for (n, v) in additional.enumerated() {
            volumes[String(n + 1)] = .map(["id": .string(v.id), "volume_type": .string(v.volumeType)])
        }
        return volumes
    }

    /// The flexible IP UUIDs of `ip_id` and `ips`, in order.
    static func flexibleIPs(_ inputs: [String: Value]) -> [String] {
        (InstanceShared.idTexts(inputs["ip_id"]) + InstanceShared.idTexts(inputs["ips"])).map(InstanceShared.uuid)
    }

    static func privateNetworkIDs(_ inputs: [String: Value]) -> [String] {
        InstanceShared.idTexts(inputs["private_networks"]).map(InstanceShared.uuid)
    }

    static func additionalVolumeIDs(_ inputs: [String: Value]) -> [String] {
        InstanceShared.idTexts(inputs["additional_volumes"]).map(InstanceShared.uuid)
    }

    // MARK: Read

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let server: InstanceServer
        do {
            server = try await api.getServer(zone: lid.locality, id: lid.uuid)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
        let rootSize = try await rootVolumeSize(server)
        let userData = inputs["user_data"] != nil ? try await userDataValues(zone: lid.locality, serverID: lid.uuid) : nil
        return ReadResult(outputs: Self.outputs(server, rootSizeGB: rootSize, privateIPs: try await privateIPs(server)),
                          observed: Self.observed(server, rootSizeGB: rootSize, userData: userData, declared: inputs),
                          ownerStack: OwnershipTags.stack(of: server.tags))
    }

    // MARK: Update

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let zone = lid.locality
        let i = Inputs(new, context.address)
        let timeout = InstanceShared.timeout(context.timeouts.update, default: Self.defaultTimeout)
        var server = try await waitSettled(zone: zone, id: lid.uuid, timeout: timeout, context: context)

        // Checks before any write: the new type, volume sizes.
        let newType = (i.string("type") ?? server.commercialType).uppercased()
        let additional = try await fetchVolumes(zone: zone, ids: Self.additionalVolumeIDs(new), context: context)
        if newType != server.commercialType || new["additional_volumes"] != old["additional_volumes"] {
            let type = try await checkType(newType, zone: zone, context: context)
            try checkVolumes(new, type: type, additional: additional, context: context)
        }
        let rootGrowth = try await plannedRootGrowth(server, new: new, context: context)

        // Changes that need a stopped server: type, placement group, local volumes.
        server = try await applyStoppedChanges(server, zone: zone, new: new, old: old, additional: additional, timeout: timeout, context: context)

        // One PATCH of the fields that differ from the server's, none when they all match.
        let body = InstanceAPI.updateServerBody(
            name: UpdateFields.changed(i.string("name"), from: server.name),
            tags: UpdateFields.tags(i, current: server.tags, context: context),
            securityGroupID: i.string("security_group_id").map(InstanceShared.uuid).flatMap { $0 == server.securityGroup?.id ? nil : $0 },
            protected: UpdateFields.changed(i.bool("protected"), from: server.protected),
            dynamicIPRequired: UpdateFields.changed(i.bool("dynamic_ip"), from: server.dynamicIPRequired),
            bootType: UpdateFields.changed(i.string("boot_type"), from: server.bootType ?? ""))
        if !UpdateFields.isEmpty(body) {
            server = try await api.updateServer(zone: zone, id: lid.uuid, body: body)
        }
        if let (volumeID, bytes) = rootGrowth {
            context.phase("growing the root volume")
            _ = try await block.updateVolume(zone: zone, id: volumeID, size: bytes)
        }
        try await syncIPs(zone: zone, server: server, wanted: Self.flexibleIPs(new), context: context)
        if let wanted = new["user_data"]?.mapValue ?? (old["user_data"] != nil ? [:] : nil) {
            let current = try await api.listUserData(zone: zone, serverID: lid.uuid)
            try await setUserData(zone: zone, serverID: lid.uuid, wanted: wanted, current: current, context: context)
        }
        if new["private_networks"] != nil || old["private_networks"] != nil {
            try await syncPrivateNICs(zone: zone, server: server, wanted: Self.privateNetworkIDs(new), context: context)
        }
        server = try await reachState(i.string("state") ?? "started", zone: zone, id: lid.uuid, timeout: timeout, context: context)
        return try await outputs(server)
    }

    // MARK: Delete

    /// The real flow: detach flexible IPs and private NICs, then terminate a running server
    /// (or power it off and delete it, when volumes must survive or it is not running), wait
    /// until it is gone, and delete the root volume unless `delete_on_termination` is false.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let zone = lid.locality
        let timeout = InstanceShared.timeout(context.timeouts.delete, default: Self.defaultTimeout)
        let deleteRoot = inputs["root_volume"]?["delete_on_termination"]?.boolValue ?? true
        var server: InstanceServer
        do {
            server = try await api.getServer(zone: zone, id: lid.uuid)
        } catch let error as APIError where error.isNotFound {
            if deleteRoot { try await sweepRootVolumes(zone: zone, timeout: timeout, context: context) }
            return
        }
        if server.protected {
            throw Diagnostic("the server is protected (protected = true): set protected = false and deploy before deleting it",
                             at: .resource(context.address))
        }
        let root = server.rootVolume
        try await syncIPs(zone: zone, server: server, wanted: [], context: context)
        try await syncPrivateNICs(zone: zone, server: server, wanted: [], context: context)
        do {
            server = try await waitSettled(zone: zone, id: lid.uuid, timeout: timeout, context: context)
            let extra = server.volumes.filter { $0.index != "0" }
            let keepLocalRoot = !deleteRoot && root.map { !Self.growableRootTypes.contains($0.volumeType) } == true
            if server.state == "running", extra.isEmpty, !keepLocalRoot {
                try await terminate(zone: zone, id: lid.uuid, timeout: timeout, context: context)
            } else {
                // Terminate would take local volumes along: stop, detach, delete instead.
                server = try await reachState("stopped", zone: zone, id: lid.uuid, timeout: timeout, context: context)
                if !extra.isEmpty, let root {
                    context.phase("detaching \(extra.count) volume(s)")
                    server = try await api.updateServer(zone: zone, id: lid.uuid, body: InstanceAPI.updateServerBody(volumes: ["0": Self.volumeRef(root)]))
                }
                context.phase("deleting")
                try await api.deleteServer(zone: zone, id: lid.uuid)
            }
            try await waitGone(zone: zone, id: lid.uuid, timeout: timeout, context: context)
        } catch let error as APIError where error.isNotFound {
            // gone already
        }
        if deleteRoot, let root {
            try await deleteRootVolume(zone: zone, volume: root, timeout: timeout, context: context)
        }
        if deleteRoot { try await sweepRootVolumes(zone: zone, timeout: timeout, context: context) }
    }

    /// Deletes the detached SBS root volumes tagged with this address: what an earlier,
    /// interrupted delete of it left behind (a root volume still attached belongs to a live
    /// server, e.g. the other half of a create-before-destroy, and is left alone).
    func sweepRootVolumes(zone: String, timeout: Double, context: ProviderContext) async throws {
        let leftovers = try await block.listVolumes(zone: zone, tags: [OwnershipTags.urnTag(context)]).filter {
            OwnershipTags.owned($0.tags, by: context) && !$0.isTransient && !$0.references.contains { $0.status == "attached" }
        }
        for volume in leftovers {
            let root = InstanceServer.Volume.detachedRoot(id: volume.id)
            try await deleteRootVolume(zone: zone, volume: root, timeout: timeout, context: context)
        }
    }

    /// A server volume as a `volumes` map entry of a PATCH.
    static func volumeRef(_ v: InstanceServer.Volume) -> Value {
        .map(["id": .string(v.id), "volume_type": .string(v.volumeType)])
    }

    /// Deletes a root volume after its server: Block for SBS, Instance for local ones
    /// (terminate usually took those already); retried while it is still held.
    private func deleteRootVolume(zone: String, volume: InstanceServer.Volume, timeout: Double, context: ProviderContext) async throws {
        context.phase("deleting the root volume")
        try await Deletion.deleteRetryingWhileInUse(what: "root volume \(zone)/\(volume.id)", timeout: timeout, interval: env.pollInterval, context: context) {
            if volume.volumeType == "sbs_volume" {
                try await block.deleteVolume(zone: zone, id: volume.id)
            } else {
                try await api.deleteVolume(zone: zone, id: volume.id)
            }
        }
    }

    // MARK: Find

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        let found = try await api.listServers(zone: zone, tags: [OwnershipTags.urnTag(context)])
        var out: [CreateResult] = []
        for server in found where OwnershipTags.owned(server.tags, by: context) {
            out.append(CreateResult(id: InstanceShared.zonalID(zone, server.id), outputs: try await outputs(server),
                                    halfMade: server.tags.contains(InstanceShared.pendingTag)))
        }
        return out
    }
}

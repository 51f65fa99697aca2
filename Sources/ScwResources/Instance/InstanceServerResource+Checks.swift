// Instance checks made before any write: the commercial type against the zone's catalogue
// (with "did you mean"), the image label through the marketplace, and volume sizes against
// what the type allows. Each error names the resource.

import ScalewayAPI
import ScwCore
import ScwEngine

extension InstanceServerResource {
    /// What a create needs, once checked.
    struct Preflight {
        var type: ServerType
        var imageID: String
        var additionalVolumes: [InstanceVolume]
        /// The flexible IPs attached to no server: sent with the create; the others are moved after it.
        var freeIPs: [String]
    }

    /// Marketplace images need a root volume of at least this size (GB).
    static let minimumSBSRootGB: Int64 = 10

    func preflight(_ inputs: [String: Value], zone: String, context: ProviderContext) async throws -> Preflight {
        context.phase("checking type and image")
        let type = try await checkType(inputs["type"]?.stringValue ?? "", zone: zone, context: context)
        if let boot = inputs["boot_type"]?.stringValue, !type.bootTypes.isEmpty, !type.bootTypes.contains(boot) {
            throw Diagnostic("\(type.name) cannot boot '\(boot)' (it boots: \(type.bootTypes.joined(separator: ", ")))", at: .resource(context.address))
        }
        let networks = Self.privateNetworkIDs(inputs).count
        if type.privateNetworkLimit > 0, networks > type.privateNetworkLimit {
            throw Diagnostic("\(type.name) takes at most \(type.privateNetworkLimit) private networks, \(networks) given", at: .resource(context.address))
        }
        let additional = try await fetchVolumes(zone: zone, ids: Self.additionalVolumeIDs(inputs), context: context)
        try checkVolumes(inputs, type: type, additional: additional, context: context)
        let imageID = try await resolveImage(inputs, zone: zone, type: type, context: context)
        var freeIPs: [String] = []
        for id in Self.flexibleIPs(inputs) {
            do {
                if try await api.getIP(zone: zone, id: id).server == nil { freeIPs.append(id) }
            } catch let error as APIError where InstanceAPI.isGoneIP(error) {
                throw Diagnostic("flexible IP \(zone)/\(id) does not exist", at: .resource(context.address))
            }
        }
        return Preflight(type: type, imageID: imageID, additionalVolumes: additional, freeIPs: freeIPs)
    }

    /// Plan-time checks (the engine calls them before any write of the run): the commercial
    /// type exists in the zone, the image label resolves for it, and the root volume fits the
    /// type and the image. Only what is known is checked (a value still unknown is skipped).
    /// Every problem is reported at once (a bad type and a bad image in one run).
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        guard let zone = inputs["zone"]?.stringValue, let typeName = inputs["type"]?.stringValue else { return }
        var problems: [Diagnostic] = []
        var type: ServerType?
        do { type = try await checkType(typeName, zone: zone, context: context) } catch let d as Diagnostic { problems.append(d) }
        do {
            if let type { _ = try checkRootVolume(inputs, type: type, context: context) }
            if let image = inputs["image"]?.stringValue {
                if let type {
                    _ = try await resolveImage(inputs, zone: zone, type: type, context: context)
                } else if !Self.isImageID(image) {
                    // Without a type, at least the label must exist in the zone.
                    let rootType = inputs["root_volume"]?["volume_type"]?.stringValue ?? "sbs_volume"
                    let images = try await MarketplaceAPI(client: env.client).listLocalImages(
                        zone: zone, label: MarketplaceAPI.canonicalLabel(image), type: rootType == "sbs_volume" ? "instance_sbs" : "instance_local")
                    if images.isEmpty { throw Self.unknownImage(image, zone: zone, context: context) }
                }
            }
        } catch let d as Diagnostic {
            problems.append(d)
        }
        try DiagnosticList.throwIfAny(problems)
    }

    static func unknownImage(_ image: String, zone: String, context: ProviderContext) -> Diagnostic {
        Diagnostic("unknown image label '\(image)' in zone \(zone)", at: .resource(context.address),
                   hint: "use a marketplace label such as ubuntu_jammy or debian_bookworm, or an image UUID")
    }

    /// The commercial type from the zone's catalogue (every page), or an error suggesting the
    /// closest name.
    func checkType(_ name: String, zone: String, context: ProviderContext) async throws -> ServerType {
        let types = try await ServerTypeCatalogue.shared.types(zone: zone, api: api)
        if let found = types.first(where: { $0.name == name }) { return found }
        let names = types.map(\.name).sorted()
        let hint = Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" }
            ?? "\(names.count) types exist in \(zone), e.g. \(names.prefix(6).joined(separator: ", "))"
        throw Diagnostic("unknown commercial type '\(name)' in zone \(zone)", at: .resource(context.address), hint: hint)
    }

    /// The additional volumes, read from the Instance API (their type and size matter).
    func fetchVolumes(zone: String, ids: [String], context: ProviderContext) async throws -> [InstanceVolume] {
        var out: [InstanceVolume] = []
        for id in ids {
            do {
                out.append(try await api.getVolume(zone: zone, id: id))
            } catch let error as APIError where error.isNotFound {
                throw Diagnostic("additional volume \(zone)/\(id) does not exist", at: .resource(context.address))
            }
        }
        return out
    }

    /// Root and local volume sizes against the type: local storage exists and is big enough
    /// but not too big, block storage is supported, an SBS root can hold an image.
    func checkVolumes(_ inputs: [String: Value], type: ServerType, additional: [InstanceVolume], context: ProviderContext) throws {
        let fail = { (message: String, hint: String?) in Diagnostic(message, at: .resource(context.address), hint: hint) }
        let localMax = type.volumesConstraint?.max ?? 0
        let localBytes = try checkRootVolume(inputs, type: type, context: context)
            + additional.filter { $0.volumeType == "l_ssd" }.reduce(Int64(0)) { $0 + $1.size }
        if localBytes > 0 {
            if localMax == 0 { throw fail("\(type.name) has no local storage for l_ssd volumes", nil) }
            if localBytes > localMax {
                throw fail("local volumes add up to \(InstanceShared.gb(bytes: localBytes)) GB, more than the \(localMax / InstanceShared.bytesPerGB) GB \(type.name) allows", nil)
            }
            if let min = type.volumesConstraint?.min, localBytes < min {
                throw fail("local volumes add up to \(InstanceShared.gb(bytes: localBytes)) GB, less than the \(InstanceShared.gb(bytes: min)) GB \(type.name) needs", nil)
            }
        }
        if additional.contains(where: { $0.volumeType == "b_ssd" }), !type.blockStorage {
            throw fail("\(type.name) cannot attach block (b_ssd) volumes", nil)
        }
    }

    /// The root volume against the type: local storage exists for an l_ssd root and its size
    /// is within the type's bounds; block storage is supported for an SBS root, which can hold
    /// an image. Returns the bytes the root takes of the type's local storage (0 for SBS or an
    /// unknown size).
    func checkRootVolume(_ inputs: [String: Value], type: ServerType, context: ProviderContext) throws -> Int64 {
        let fail = { (message: String, hint: String?) in Diagnostic(message, at: .resource(context.address), hint: hint) }
        let root = inputs["root_volume"]?.mapValue ?? [:]
        let rootType = root["volume_type"]?.stringValue ?? "sbs_volume"
        let rootGB = root["size"]?.intValue
        if rootType == "l_ssd" {
            if (type.volumesConstraint?.max ?? 0) == 0 {
                throw fail("\(type.name) has no local storage: its root volume cannot be l_ssd", "use root_volume.volume_type = \"sbs_volume\"")
            }
            guard let gb = rootGB else { return 0 }
            let bytes = InstanceShared.bytes(gb: gb)
            if let per = type.perVolumeConstraint["l_ssd"], per.max > 0 {
                if bytes < per.min { throw fail("root_volume.size \(gb) GB is too small for \(type.name): at least \(InstanceShared.gb(bytes: per.min)) GB", nil) }
                if bytes > per.max { throw fail("root_volume.size \(gb) GB is too big for \(type.name): at most \(per.max / InstanceShared.bytesPerGB) GB", nil) }
            }
            return bytes
        }
        if !type.blockStorage { throw fail("\(type.name) cannot use block storage", "use root_volume.volume_type = \"l_ssd\"") }
        if let gb = rootGB, gb < Self.minimumSBSRootGB {
            throw fail("root_volume.size \(gb) GB is too small for \(type.name): images need at least \(Self.minimumSBSRootGB) GB", nil)
        }
        return 0
    }

    /// The image UUID: as given, or the marketplace image of the label that boots the type in
    /// the zone (an `instance_sbs` image for a block root volume, `instance_local` otherwise).
    func resolveImage(_ inputs: [String: Value], zone: String, type: ServerType, context: ProviderContext) async throws -> String {
        let image = inputs["image"]?.stringValue ?? ""
        if Self.isImageID(image) { return InstanceShared.uuid(image) }
        let rootType = inputs["root_volume"]?["volume_type"]?.stringValue ?? "sbs_volume"
        let kind = rootType == "sbs_volume" ? "instance_sbs" : "instance_local"
        let label = MarketplaceAPI.canonicalLabel(image)
        let images = try await MarketplaceAPI(client: env.client).listLocalImages(zone: zone, label: label, type: kind)
        if let picked = MarketplaceAPI.pick(images, commercialType: type.name) { return picked.id }
        if images.isEmpty { throw Self.unknownImage(image, zone: zone, context: context) }
        let arches = Set(images.compactMap(\.arch)).sorted().joined(separator: ", ")
        throw Diagnostic("image '\(label)' has no \(kind) variant that boots \(type.name) (\(type.arch ?? "?")) in zone \(zone); it exists for \(arches)",
                         at: .resource(context.address))
    }

    /// The root volume growth an update needs (volume id, bytes), nil when the size is
    /// unchanged; a shrink is refused before any write.
    func plannedRootGrowth(_ server: InstanceServer, new: [String: Value], context: ProviderContext) async throws -> (String, Int64)? {
        guard let gb = new["root_volume"]?["size"]?.intValue, let root = server.rootVolume else { return nil }
        let bytes = InstanceShared.bytes(gb: gb)
        guard let current = try await volumeBytes(zone: server.zone, volume: root), current != bytes else { return nil }
        if bytes < current {
            throw Diagnostic("the root volume cannot shrink (\(InstanceShared.gb(bytes: current)) GB → \(gb) GB)", at: .resource(context.address))
        }
        guard Self.growableRootTypes.contains(root.volumeType) else {
            throw Diagnostic("a \(root.volumeType) root volume cannot grow in place", at: .resource(context.address))
        }
        return (root.id, bytes)
    }

    /// The size of a server volume in bytes: from the server, else from the Block API (SBS)
    /// or the Instance API; nil when it cannot be found.
    func volumeBytes(zone: String, volume: InstanceServer.Volume) async throws -> Int64? {
        if let size = volume.size, size > 0 { return size }
        do {
            if volume.volumeType == "sbs_volume" { return try await block.getVolume(zone: zone, id: volume.id).size }
            return try await api.getVolume(zone: zone, id: volume.id).size
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// The root volume size in GB, when it can be read.
    func rootVolumeSize(_ server: InstanceServer) async throws -> Int64? {
        guard let root = server.rootVolume else { return nil }
        return try await volumeBytes(zone: server.zone, volume: root).map(InstanceShared.gb(bytes:))
    }
}

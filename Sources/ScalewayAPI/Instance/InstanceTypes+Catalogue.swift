// InstanceTypes+Catalogue: what can be ordered: commercial types (`/products/servers`) and the
// marketplace's zone-local images.

import ScwCore

/// A commercial type from `/products/servers` (the map key is its name).
public struct ServerType: Sendable {
    /// A size range in bytes.
    public struct SizeRange: Sendable, Equatable {
        public var min: Int64
        public var max: Int64
    }

    /// `DEV1-S`, `PRO2-XXS`.
    public var name: String
    public var arch: String?
    public var ncpus: Int64
    /// Bytes.
    public var ram: Int64
    public var gpu: Int64
    /// Total size of local volumes allowed (bytes); max 0 means no local volumes.
    public var volumesConstraint: SizeRange?
    /// Per volume type (`l_ssd`): the size range of one volume.
    public var perVolumeConstraint: [String: SizeRange]
    /// Whether block (SBS) volumes can be attached.
    public var blockStorage: Bool
    public var bootTypes: [String]
    /// How many private NICs the type takes (0 when unknown).
    public var privateNetworkLimit: Int64
    public var hourlyPrice: Double?
    public var endOfService: Bool

    /// Decodes one value of the `servers` map.
    public init(name: String, json: Value, what: String = "ServerType") throws {
        let r = try FieldReader(json, what: what)
        self.name = name
        arch = try r.optionalString("arch")
        ncpus = try r.int("ncpus", default: 0)
        ram = try r.int("ram", default: 0)
        gpu = try r.int("gpu", default: 0)
        volumesConstraint = try r.optionalObject("volumes_constraint").map { try Self.range($0) }
        var per: [String: SizeRange] = [:]
        if let p = try r.optionalObject("per_volume_constraint") {
            for (type, v) in p.fields where !v.isNull { per[type] = try Self.range(FieldReader(v, what: "\(p.what).\(type)")) }
        }
        perVolumeConstraint = per
        let caps = try r.optionalObject("capabilities")
        blockStorage = try caps?.bool("block_storage", default: false) ?? false
        bootTypes = try caps?.strings("boot_types") ?? []
        privateNetworkLimit = try caps?.int("private_network", default: 0) ?? 0
        switch r.fields["hourly_price"] {
        case .double(let d)?: hourlyPrice = d
        case .int(let i)?: hourlyPrice = Double(i)
        default: hourlyPrice = nil
        }
        endOfService = try r.bool("end_of_service", default: false)
    }

    private static func range(_ r: FieldReader) throws -> SizeRange {
        SizeRange(min: try r.int("min_size", default: 0), max: try r.int("max_size", default: 0))
    }
}

/// An image of the marketplace, local to one zone (`/marketplace/v2/local-images`).
public struct LocalImage: Sendable {
    /// The image UUID to create servers with.
    public var id: String
    public var arch: String?
    public var zone: String?
    /// `ubuntu_jammy`.
    public var label: String?
    /// `instance_sbs` or `instance_local`.
    public var type: String?
    /// Upper-case commercial types the image boots on.
    public var compatibleCommercialTypes: [String]

    /// Decodes one entry of `local_images`.
    public init(json: Value, what: String = "LocalImage") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        arch = try r.optionalString("arch")
        zone = try r.optionalString("zone")
        label = try r.optionalString("label")
        type = try r.optionalString("type")
        compatibleCommercialTypes = try r.strings("compatible_commercial_types")
    }
}

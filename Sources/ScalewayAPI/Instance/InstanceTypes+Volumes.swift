// InstanceTypes+Volumes: Instance API volumes (local and legacy block) and the Block Storage
// volumes that SBS root volumes are.

import ScwCore

/// An Instance API volume (`/volumes`). States: `available`, `error` final; `snapshotting`,
/// `fetching`, `saving`, `attaching`, `resizing`, `hotsyncing` transient.
public struct InstanceVolume: Sendable {
    public var id: String
    public var name: String
    /// `l_ssd`, `b_ssd`, `scratch`, `sbs_volume`.
    public var volumeType: String
    /// Bytes.
    public var size: Int64
    public var state: String
    public var server: InstanceRef?
    public var tags: [String]
    public var projectID: String
    public var organizationID: String?
    public var zone: String
    public var creationDate: String?
    public var raw: Value

    /// Decodes a volume object (not the `{"volume": ...}` wrapper).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "Volume")
        id = try r.string("id")
        name = try r.string("name")
        volumeType = try r.string("volume_type")
        size = try r.int("size", default: 0)
        state = try r.string("state")
        server = try r.fields["server"].flatMap { $0.isNull ? nil : try InstanceRef(json: $0, what: "Volume.server") }
        tags = try r.strings("tags")
        projectID = try r.string("project")
        organizationID = try r.optionalString("organization")
        zone = try r.string("zone")
        creationDate = try r.optionalString("creation_date")
        raw = json
    }

    /// True while the volume is busy.
    public var isTransient: Bool { ["snapshotting", "fetching", "saving", "attaching", "resizing", "hotsyncing"].contains(state) }
}

/// A Block Storage volume (`/block/v1/zones/{zone}/volumes`): what SBS root volumes are.
/// Statuses: `creating`, `updating`, `resizing`, `snapshotting`, `deleting` transient;
/// `available`, `in_use`, `error`, `locked`, `deleted` final.
public struct BlockVolume: Sendable {
    /// Who uses the volume.
    public struct Reference: Sendable {
        public var id: String?
        /// `instance_server`.
        public var productResourceType: String?
        public var productResourceID: String?
        /// `attached`, `detached`, ...
        public var status: String?

        /// Decodes one entry of `references`.
        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            id = try r.optionalString("id")
            productResourceType = try r.optionalString("product_resource_type")
            productResourceID = try r.optionalString("product_resource_id")
            status = try r.optionalString("status")
        }
    }

    public var id: String
    public var name: String
    /// `sbs_5k`, `sbs_15k`.
    public var type: String
    /// Bytes.
    public var size: Int64
    public var status: String
    public var references: [Reference]
    public var perfIOPS: Int64?
    public var parentSnapshotID: String?
    public var projectID: String?
    public var tags: [String]
    public var zone: String
    public var raw: Value

    /// Decodes a Block volume (the Block API does not wrap it).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "BlockVolume")
        id = try r.string("id")
        name = try r.string("name")
        type = try r.string("type")
        size = try r.int("size", default: 0)
        status = try r.string("status")
        references = try r.objects("references") { try Reference(json: $0, what: $1) }
        perfIOPS = try r.optionalObject("specs")?.optionalInt("perf_iops")
        parentSnapshotID = try r.optionalString("parent_snapshot_id")
        projectID = try r.optionalString("project_id")
        tags = try r.strings("tags")
        zone = try r.string("zone")
        raw = json
    }

    /// True while the volume is busy.
    public var isTransient: Bool { ["creating", "updating", "resizing", "snapshotting", "deleting"].contains(status) }
}

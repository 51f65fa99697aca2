// InstanceTypes: typed views of the Instance API's objects (servers, flexible IPs, volumes,
// security groups and rules, commercial types, tasks), plus the Block volumes behind SBS root
// volumes and the marketplace's local images. Decoding accepts every recorded answer.

import ScwCore

extension FieldReader {
    /// A nested object, or nil when missing or null.
    func optionalObject(_ key: String) throws -> FieldReader? {
        switch fields[key] {
        case nil, .null?: return nil
        case let v?: return try FieldReader(v, what: "\(what).\(key)")
        }
    }

    /// A nested object of objects (`{"0": {...}, "1": {...}}`), decoded value by value and
    /// ordered by key; missing or null is empty.
    func objectMap<T>(_ key: String, _ decode: (String, Value, String) throws -> T) throws -> [T] {
        switch fields[key] {
        case nil, .null?: return []
        case .map(let m)?:
            return try m.keys.sorted { (Int($0) ?? Int.max, $0) < (Int($1) ?? Int.max, $1) }
                .map { try decode($0, m[$0]!, "\(what).\(key).\($0)") }
        case let other?:
            throw DecodeError(what: what, field: key, problem: "should be an object, got \(FieldReader.typeName(other))")
        }
    }
}

/// A short `{id, name}` reference inside another object (a server's security group, an IP's server).
public struct InstanceRef: Sendable, Equatable {
    public var id: String
    public var name: String?

    /// Decodes `{"id": ..., "name": ...}`.
    public init(json: Value, what: String) throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.optionalString("name")
    }
}

/// A server (`/instance/v1/zones/{zone}/servers`). States: `starting`, `stopping` (transient);
/// `running`, `stopped`, `stopped in place`, `locked`.
public struct InstanceServer: Sendable {
    /// One entry of the server's `volumes` map (key `"0"` is the root volume).
    public struct Volume: Sendable {
        /// The map key: `"0"`, `"1"`, ...
        public var index: String
        public var id: String
        /// `sbs_volume` (Block API), `l_ssd`, `b_ssd`, `scratch`.
        public var volumeType: String
        public var boot: Bool
        public var state: String?
        /// Bytes; absent for SBS volumes (ask the Block API).
        public var size: Int64?
        public var name: String?
        public var zone: String?

        /// An SBS volume known by id only (one no longer attached to a server).
        public static func detachedRoot(id: String) -> Volume {
            Volume(index: "0", id: id, volumeType: "sbs_volume", boot: false)
        }

        private init(index: String, id: String, volumeType: String, boot: Bool) {
            self.index = index
            self.id = id
            self.volumeType = volumeType
            self.boot = boot
        }

        /// Decodes one entry of `volumes`.
        public init(index: String, json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            self.index = index
            id = try r.string("id")
            volumeType = try r.optionalString("volume_type") ?? "unknown_volume_type"
            boot = try r.bool("boot", default: false)
            state = try r.optionalString("state")
            size = try r.optionalInt("size")
            name = try r.optionalString("name")
            zone = try r.optionalString("zone")
        }
    }

    /// One entry of `public_ips` (flexible or dynamic).
    public struct PublicIP: Sendable {
        public var id: String
        public var address: String?
        /// `inet` or `inet6`.
        public var family: String?
        /// True for the dynamic IP that terminate releases; false for flexible IPs.
        public var dynamic: Bool
        public var provisioningMode: String?
        public var state: String?

        /// Decodes one entry of `public_ips`.
        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            id = try r.string("id")
            address = try r.optionalString("address")
            family = try r.optionalString("family")
            dynamic = try r.bool("dynamic", default: false)
            provisioningMode = try r.optionalString("provisioning_mode")
            state = try r.optionalString("state")
        }
    }

    public var id: String
    public var name: String
    public var commercialType: String
    public var state: String
    /// `"booting kernel"`, `"terminating"`, `"allocating node"`...
    public var stateDetail: String?
    public var arch: String?
    public var hostname: String?
    /// `local` or `rescue`.
    public var bootType: String?
    public var projectID: String
    public var organizationID: String?
    public var zone: String
    public var tags: [String]
    public var protected: Bool
    public var dynamicIPRequired: Bool
    public var imageID: String?
    public var imageName: String?
    /// Ordered by key; `volumes.first` is the root volume.
    public var volumes: [Volume]
    public var publicIPs: [PublicIP]
    public var privateNICs: [PrivateNIC]
    public var securityGroup: InstanceRef?
    public var placementGroup: InstanceRef?
    /// What the API allows now: `poweron`, `poweroff`, `terminate`, `stop_in_place`, `reboot`, `backup`.
    public var allowedActions: [String]
    public var creationDate: String?
    public var modificationDate: String?
    /// The whole object.
    public var raw: Value

    /// Decodes a server object (not the `{"server": ...}` wrapper).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "Server")
        id = try r.string("id")
        name = try r.string("name")
        commercialType = try r.string("commercial_type")
        state = try r.string("state")
        stateDetail = try r.optionalString("state_detail")
        arch = try r.optionalString("arch")
        hostname = try r.optionalString("hostname")
        bootType = try r.optionalString("boot_type")
        projectID = try r.string("project")
        organizationID = try r.optionalString("organization")
        zone = try r.string("zone")
        tags = try r.strings("tags")
        protected = try r.bool("protected", default: false)
        dynamicIPRequired = try r.bool("dynamic_ip_required", default: false)
        let image = try r.optionalObject("image")
        imageID = try image?.optionalString("id")
        imageName = try image?.optionalString("name")
        volumes = try r.objectMap("volumes") { try Volume(index: $0, json: $1, what: $2) }
        publicIPs = try r.objects("public_ips") { try PublicIP(json: $0, what: $1) }
        privateNICs = try r.objects("private_nics") { try PrivateNIC(json: $0, what: $1) }
        securityGroup = try r.fields["security_group"].flatMap { $0.isNull ? nil : try InstanceRef(json: $0, what: "Server.security_group") }
        placementGroup = try r.fields["placement_group"].flatMap { $0.isNull ? nil : try InstanceRef(json: $0, what: "Server.placement_group") }
        allowedActions = try r.strings("allowed_actions")
        creationDate = try r.optionalString("creation_date")
        modificationDate = try r.optionalString("modification_date")
        raw = json
    }

    /// The root volume (key `"0"`), when there is one.
    public var rootVolume: Volume? { volumes.first { $0.index == "0" } }

    /// True while the server moves between states (`starting`, `stopping`).
    public var isTransient: Bool { state == "starting" || state == "stopping" }
}

/// A private NIC (`/servers/{id}/private_nics`): the server's port on a private network.
public struct PrivateNIC: Sendable {
    public var id: String
    public var serverID: String?
    public var privateNetworkID: String
    public var macAddress: String?
    /// `available`, `syncing`, `syncing_error`.
    public var state: String?
    public var tags: [String]
    /// IPAM ids of the NIC's private addresses, when the API lists them.
    public var ipamIPIDs: [String]
    public var zone: String?

    /// Decodes a private NIC object.
    public init(json: Value, what: String = "PrivateNIC") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        serverID = try r.optionalString("server_id")
        privateNetworkID = try r.string("private_network_id")
        macAddress = try r.optionalString("mac_address")
        state = try r.optionalString("state")
        tags = try r.strings("tags")
        ipamIPIDs = try r.strings("ipam_ip_ids")
        zone = try r.optionalString("zone")
    }
}

/// A flexible IP (`/ips`). States: `detached`, `attached`, `pending`, `error`.
public struct FlexibleIP: Sendable {
    public var id: String
    /// Null for IPv6 (see ``prefix``).
    public var address: String?
    /// The IPv6 prefix (CIDR); null for IPv4.
    public var prefix: String?
    public var reverse: String?
    /// The server it is attached to.
    public var server: InstanceRef?
    /// `routed_ipv4`, `routed_ipv6` (or legacy `nat`).
    public var type: String?
    public var state: String?
    public var tags: [String]
    public var projectID: String
    public var organizationID: String?
    public var zone: String
    public var ipamID: String?
    public var raw: Value

    /// Decodes an IP object (not the `{"ip": ...}` wrapper).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "IP")
        id = try r.string("id")
        address = try r.optionalString("address")
        prefix = try r.optionalString("prefix")
        reverse = try r.optionalString("reverse")
        server = try r.fields["server"].flatMap { $0.isNull ? nil : try InstanceRef(json: $0, what: "IP.server") }
        type = try r.optionalString("type")
        state = try r.optionalString("state")
        tags = try r.strings("tags")
        projectID = try r.string("project")
        organizationID = try r.optionalString("organization")
        zone = try r.string("zone")
        ipamID = try r.optionalString("ipam_id")
        raw = json
    }
}

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

/// A security group (`/security_groups`). States: `available`, `syncing`, `syncing_error`.
public struct SecurityGroup: Sendable {
    public var id: String
    public var name: String
    public var description: String?
    public var stateful: Bool
    /// `accept` or `drop`.
    public var inboundDefaultPolicy: String
    public var outboundDefaultPolicy: String
    public var enableDefaultSecurity: Bool
    public var projectDefault: Bool
    public var organizationDefault: Bool
    /// The servers using it.
    public var servers: [InstanceRef]
    public var state: String?
    public var tags: [String]
    public var projectID: String
    public var organizationID: String?
    public var zone: String
    public var creationDate: String?
    public var raw: Value

    /// Decodes a security group object (not the `{"security_group": ...}` wrapper).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "SecurityGroup")
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description")
        stateful = try r.bool("stateful", default: true)
        inboundDefaultPolicy = try r.optionalString("inbound_default_policy") ?? "accept"
        outboundDefaultPolicy = try r.optionalString("outbound_default_policy") ?? "accept"
        enableDefaultSecurity = try r.bool("enable_default_security", default: true)
        projectDefault = try r.bool("project_default", default: false)
        organizationDefault = try r.bool("organization_default", default: false)
        servers = try r.objects("servers") { try InstanceRef(json: $0, what: $1) }
        state = try r.optionalString("state")
        tags = try r.strings("tags")
        projectID = try r.string("project")
        organizationID = try r.optionalString("organization")
        zone = try r.string("zone")
        creationDate = try r.optionalString("creation_date")
        raw = json
    }
}

/// One rule of a security group, as sent (``SecurityGroupRule/requestBody(zone:)``) or read back.
public struct SecurityGroupRule: Sendable, Equatable {
    /// Nil for a rule not yet sent.
    public var id: String?
    /// `TCP`, `UDP`, `ICMP`, `ANY`.
    public var proto: String
    /// `inbound` or `outbound`.
    public var direction: String
    /// `accept` or `drop`.
    public var action: String
    /// A CIDR; the API answers a single address without its `/32`.
    public var ipRange: String
    public var destPortFrom: Int64?
    /// Nil for a single port.
    public var destPortTo: Int64?
    public var position: Int64
    /// False for the rules Scaleway adds itself (SMTP drops); nil before sending.
    public var editable: Bool?

    /// A rule to send.
    public init(proto: String, direction: String, action: String, ipRange: String, destPortFrom: Int64?, destPortTo: Int64?) {
        self.proto = proto
        self.direction = direction
        self.action = action
        self.ipRange = ipRange
        self.destPortFrom = destPortFrom
        self.destPortTo = destPortTo
        position = 0
    }

    /// Decodes one entry of `rules`.
    public init(json: Value, what: String = "SecurityGroupRule") throws {
        let r = try FieldReader(json, what: what)
        id = try r.optionalString("id")
        proto = try r.string("protocol")
        direction = try r.string("direction")
        action = try r.string("action")
        ipRange = try r.string("ip_range")
        destPortFrom = try r.optionalInt("dest_port_from")
        destPortTo = try r.optionalInt("dest_port_to")
        position = try r.int("position", default: 0)
        editable = try r.optionalBool("editable")
    }

    /// The rule as the provider sends it in `PUT /rules`: id, editable null, position 0.
    public func requestBody(zone: String) -> Value {
        .map([
            "id": .null,
            "action": .string(action),
            "protocol": .string(proto),
            "direction": .string(direction),
            "ip_range": .string(ipRange),
            "dest_port_from": destPortFrom.map(Value.int) ?? .null,
            "dest_port_to": destPortTo.map(Value.int) ?? .null,
            "position": .int(0),
            "editable": .null,
            "zone": .string(zone),
        ])
    }
}

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

/// The task a server action answers with (202).
public struct InstanceTask: Sendable {
    public var id: String
    public var description: String?
    /// `pending`, `started`, `success`, `failure`.
    public var status: String
    public var hrefFrom: String?
    public var hrefResult: String?
    public var progress: Int64
    public var startedAt: String?
    public var zone: String?

    /// Decodes a task object (not the `{"task": ...}` wrapper).
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "Task")
        id = try r.string("id")
        description = try r.optionalString("description")
        status = try r.string("status")
        hrefFrom = try r.optionalString("href_from")
        hrefResult = try r.optionalString("href_result")
        progress = try r.int("progress", default: 0)
        startedAt = try r.optionalString("started_at")
        zone = try r.optionalString("zone")
    }
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

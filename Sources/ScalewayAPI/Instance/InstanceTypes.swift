// InstanceTypes: typed views of the Instance API's servers (with their volumes, public IPs and
// private NICs), flexible IPs and action tasks; volumes, security groups and the catalogue are
// in the InstanceTypes+*.swift files. Decoding accepts every recorded answer.

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

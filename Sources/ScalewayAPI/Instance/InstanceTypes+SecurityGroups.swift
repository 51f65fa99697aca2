// InstanceTypes+SecurityGroups: security groups and their rules, as read and as sent.

import ScwCore

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

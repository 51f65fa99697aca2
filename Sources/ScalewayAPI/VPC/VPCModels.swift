// VPCModels: typed views of the VPC API's objects (VPC, private network and its subnets),
// decoded from answers with errors naming the missing or mistyped field. The raw answer is
// kept for fields not modelled here.

import ScwCore

/// A VPC (`/vpc/v2/regions/{region}/vpcs`).
public struct VPC: Sendable {
    public var id: String
    public var name: String
    public var projectID: String
    public var organizationID: String?
    public var region: String
    public var tags: [String]
    /// True for the project's default VPC (created by Scaleway).
    public var isDefault: Bool
    public var privateNetworkCount: Int64
    /// Routing between the VPC's private networks (on by default for new VPCs; one-way).
    public var routingEnabled: Bool
    /// One-way switch, set by ``VPCAPI/enableCustomRoutesPropagation(region:id:)``.
    public var customRoutesPropagationEnabled: Bool
    /// RFC 3339 timestamps as sent.
    public var createdAt: String?
    public var updatedAt: String?
    /// The whole answer (`transitivity_enabled`, `s3_integration_enabled`, ...).
    public var raw: Value

    /// Decodes an answer; `id`, `name`, `project_id` and `region` are required.
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "VPC")
        id = try r.string("id")
        name = try r.string("name")
        projectID = try r.string("project_id")
        organizationID = try r.optionalString("organization_id")
        region = try r.string("region")
        tags = try r.strings("tags")
        isDefault = try r.bool("is_default", default: false)
        privateNetworkCount = try r.int("private_network_count", default: 0)
        routingEnabled = try r.bool("routing_enabled", default: false)
        customRoutesPropagationEnabled = try r.bool("custom_routes_propagation_enabled", default: false)
        createdAt = try r.optionalString("created_at")
        updatedAt = try r.optionalString("updated_at")
        raw = json
    }
}

/// A private network (`/vpc/v2/regions/{region}/private-networks`).
public struct PrivateNetwork: Sendable {
    /// One IPv4 or IPv6 range of a private network.
    public struct Subnet: Sendable {
        public var id: String
        /// CIDR: `172.16.32.0/22`, `fd46:78ab:30b8:177c::/64`.
        public var subnet: String
        public var vpcID: String?
        public var privateNetworkID: String?
        public var projectID: String?
        public var createdAt: String?
        public var updatedAt: String?

        /// Decodes one entry of `subnets`; `id` and `subnet` are required.
        public init(json: Value, what: String = "PrivateNetwork.subnets[]") throws {
            let r = try FieldReader(json, what: what)
            id = try r.string("id")
            subnet = try r.string("subnet")
            vpcID = try r.optionalString("vpc_id")
            privateNetworkID = try r.optionalString("private_network_id")
            projectID = try r.optionalString("project_id")
            createdAt = try r.optionalString("created_at")
            updatedAt = try r.optionalString("updated_at")
        }

        /// True for an IPv6 range.
        public var isIPv6: Bool { subnet.contains(":") }
    }

    public var id: String
    public var name: String
    public var vpcID: String
    public var projectID: String
    public var organizationID: String?
    public var region: String
    public var tags: [String]
    /// Usually one IPv4 /22 and one IPv6 /64.
    public var subnets: [Subnet]
    /// Always true on VPC v2.
    public var dhcpEnabled: Bool
    public var defaultRoutePropagationEnabled: Bool
    public var createdAt: String?
    public var updatedAt: String?
    /// The whole answer.
    public var raw: Value

    /// Decodes an answer; `id`, `name`, `vpc_id`, `project_id` and `region` are required.
    public init(json: Value) throws {
        let r = try FieldReader(json, what: "PrivateNetwork")
        id = try r.string("id")
        name = try r.string("name")
        vpcID = try r.string("vpc_id")
        projectID = try r.string("project_id")
        organizationID = try r.optionalString("organization_id")
        region = try r.string("region")
        tags = try r.strings("tags")
        subnets = try r.objects("subnets") { try Subnet(json: $0, what: $1) }
        dhcpEnabled = try r.bool("dhcp_enabled", default: true)
        defaultRoutePropagationEnabled = try r.bool("default_route_propagation_enabled", default: false)
        createdAt = try r.optionalString("created_at")
        updatedAt = try r.optionalString("updated_at")
        raw = json
    }
}

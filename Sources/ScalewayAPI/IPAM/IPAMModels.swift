// IPAMModels: the typed view of one IPAM address (`address` in CIDR form, its source subnet and
// the resource holding it), decoded with errors naming the missing or mistyped field.

import ScwCore

/// An address booked in IPAM (`/ipam/v1/regions/{region}/ips`).
public struct IPAMIP: Sendable {
    public var id: String
    /// With the subnet's prefix length: `172.18.80.3/22`, `fd5f:…:490a/64`.
    public var address: String
    public var projectID: String?
    public var isIPv6: Bool
    /// The subnet (of a private network) the address was taken from.
    public var subnetID: String?
    /// What holds it: `instance_private_nic`, ...
    public var resourceType: String?
    public var resourceID: String?
    public var resourceName: String?
    public var macAddress: String?
    public var region: String?
    public var tags: [String]
    /// RFC 3339 timestamps as sent.
    public var createdAt: String?
    public var updatedAt: String?
    /// The whole answer (`reverses`, `zone`, ...).
    public var raw: Value

    /// Decodes an answer; `id` and `address` are required.
    public init(json: Value, what: String = "IPAMIP") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        address = try r.string("address")
        projectID = try r.optionalString("project_id")
        isIPv6 = try r.bool("is_ipv6", default: address.contains(":"))
        let source = try IPAMIP.object(json["source"], what: what + ".source")
        subnetID = try source?.optionalString("subnet_id")
        let resource = try IPAMIP.object(json["resource"], what: what + ".resource")
        resourceType = try resource?.optionalString("type")
        resourceID = try resource?.optionalString("id")
        resourceName = try resource?.optionalString("name")
        macAddress = try resource?.optionalString("mac_address")
        region = try r.optionalString("region")
        tags = try r.strings("tags")
        createdAt = try r.optionalString("created_at")
        updatedAt = try r.optionalString("updated_at")
        raw = json
    }

    /// A nested object, or nil when missing or null.
    private static func object(_ value: Value?, what: String) throws -> FieldReader? {
        guard let value, value != .null else { return nil }
        return try FieldReader(value, what: what)
    }

    /// The address without its prefix length: `172.18.80.3`.
    public var host: String { String(address.split(separator: "/", maxSplits: 1).first ?? "") }
}

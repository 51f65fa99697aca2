// LBModels: typed views of the Load Balancer API's objects (flexible IP, load balancer and its
// instances, private network attachment, LB type), decoded with errors naming the field.
// Backends, frontends, ACLs and certificates are in LBModels+Parts.swift. `raw` keeps the answer.

import ScwCore

/// A load balancer flexible IP (`/lb/v1/zones/{zone}/ips`).
public struct LbIP: Sendable {
    public var id: String
    public var ipAddress: String
    /// The load balancer holding it, nil while free.
    public var lbID: String?
    public var reverse: String
    public var tags: [String]
    public var projectID: String
    public var zone: String
    public var raw: Value

    public var isIPv6: Bool { ipAddress.contains(":") }

    public init(json: Value, what: String = "LbIP") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        ipAddress = try r.string("ip_address")
        lbID = try r.optionalString("lb_id")
        reverse = try r.optionalString("reverse") ?? ""
        tags = try r.strings("tags")
        projectID = try r.string("project_id")
        zone = try r.string("zone")
        raw = json
    }
}

/// A load balancer (`/lbs`).
public struct LoadBalancer: Sendable {
    /// One of the machines behind a load balancer; its status goes `pending` after each change.
    public struct Instance: Sendable {
        public var id: String
        public var status: String
        public var ipAddress: String

        public init(json: Value, what: String) throws {
            let r = try FieldReader(json, what: what)
            id = try r.string("id")
            status = try r.string("status")
            ipAddress = try r.optionalString("ip_address") ?? ""
        }
    }

    /// Statuses that end a wait successfully, and those that end it with an error.
    public static let readyStatuses: Set<String> = ["ready"]
    public static let failedStatuses: Set<String> = ["error", "locked", "stopped"]

    public var id: String
    public var name: String
    public var description: String
    /// `to_create`, `creating`, `ready`, `pending`, `migrating`, `to_delete`, `error`...
    public var status: String
    /// Lowercase as the API returns it (`lb-s`).
    public var type: String
    public var instances: [Instance]
    public var ips: [LbIP]
    public var tags: [String]
    public var sslCompatibilityLevel: String
    public var projectID: String
    public var zone: String
    public var backendCount: Int64
    public var frontendCount: Int64
    public var privateNetworkCount: Int64
    public var createdAt: String?
    public var raw: Value

    public init(json: Value, what: String = "LoadBalancer") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        description = try r.optionalString("description") ?? ""
        status = try r.string("status")
        type = try r.string("type")
        instances = try r.objects("instances") { try Instance(json: $0, what: $1) }
        ips = try r.objects("ip") { try LbIP(json: $0, what: $1) }
        tags = try r.strings("tags")
        sslCompatibilityLevel = try r.optionalString("ssl_compatibility_level") ?? "ssl_compatibility_level_intermediate"
        projectID = try r.string("project_id")
        zone = try r.string("zone")
        backendCount = try r.int("backend_count", default: 0)
        frontendCount = try r.int("frontend_count", default: 0)
        privateNetworkCount = try r.int("private_network_count", default: 0)
        createdAt = try r.optionalString("created_at")
        raw = json
    }

    /// True when the LB and every instance are ready (a change has been applied).
    public var isSettled: Bool {
        Self.readyStatuses.contains(status) && instances.allSatisfy { Self.readyStatuses.contains($0.status) }
    }

    /// A failure status of the LB or of one of its instances, if any.
    public var failure: String? {
        if Self.failedStatuses.contains(status) { return status }
        return instances.first { Self.failedStatuses.contains($0.status) }.map { "instance \($0.id) \($0.status)" }
    }
}

/// A load balancer's attachment to a private network (`/lbs/{id}/private-networks`).
public struct LbPrivateNetwork: Sendable {
    public var privateNetworkID: String
    /// `pending`, `ready`, `error`.
    public var status: String
    /// IPAM addresses booked for the LB in the network (DHCP and IPAM configurations).
    public var ipamIDs: [String]
    /// `static`, `dhcp` or `ipam`.
    public var config: String
    /// The addresses of a static configuration.
    public var staticAddresses: [String]
    public var raw: Value

    public init(json: Value, what: String = "LbPrivateNetwork") throws {
        let r = try FieldReader(json, what: what)
        privateNetworkID = try r.string("private_network_id")
        status = try r.optionalString("status") ?? "unknown"
        ipamIDs = try r.strings("ipam_ids")
        if case .map(let s)? = r.fields["static_config"] {
            config = "static"
            staticAddresses = try FieldReader(.map(s), what: "\(what).static_config").strings("ip_address")
        } else {
            config = r.fields["ipam_config"].map { $0 == .null ? "dhcp" : "ipam" } ?? "dhcp"
            staticAddresses = []
        }
        raw = json
    }
}

/// A commercial type of load balancer (`/lb-types`).
public struct LbType: Sendable {
    public var name: String
    public var stockStatus: String
    public var description: String

    public init(json: Value, what: String = "LbType") throws {
        let r = try FieldReader(json, what: what)
        name = try r.string("name")
        stockStatus = try r.optionalString("stock_status") ?? "unknown"
        description = try r.optionalString("description") ?? ""
    }
}

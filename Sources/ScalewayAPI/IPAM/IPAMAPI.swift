// IPAMAPI: the IPAM v1 service (regional), read side: the private addresses Scaleway books for
// resources such as Instance private NICs (`GET /ipam/v1/regions/{region}/ips`).

import ScwCore

/// Typed calls to `/ipam/v1/regions/{region}`.
public struct IPAMAPI: Sendable {
    /// The client every call goes through.
    public let client: ScalewayClient

    /// The service over a client.
    public init(client: ScalewayClient) {
        self.client = client
    }

    private func base(_ region: String) -> String { "/ipam/v1/regions/\(region)" }

    /// The query of `GET /ips` for these filters (nil ones left out), newest first as the console asks.
    public static func listIPsQuery(resourceID: String?, resourceType: String?, resourceName: String?,
                                    privateNetworkID: String?, projectID: String?) -> [(String, String)] {
        var query: [(String, String)] = [("order_by", "created_at_desc")]
        if let projectID { query.append(("project_id", projectID)) }
        if let resourceID { query.append(("resource_id", resourceID)) }
        if let resourceName { query.append(("resource_name", resourceName)) }
        if let resourceType { query.append(("resource_type", resourceType)) }
        if let privateNetworkID { query.append(("private_network_id", privateNetworkID)) }
        return query
    }

    /// Every IP matching the filters (all pages); by default those of one Instance private NIC.
    public func listIPs(region: String, resourceID: String? = nil, resourceType: String? = "instance_private_nic",
                        resourceName: String? = nil, privateNetworkID: String? = nil, projectID: String? = nil) async throws -> [IPAMIP] {
        let query = IPAMAPI.listIPsQuery(resourceID: resourceID, resourceType: resourceType, resourceName: resourceName,
                                         privateNetworkID: privateNetworkID, projectID: projectID)
        return try await client.listAll("\(base(region))/ips", itemsKey: "ips", query: query, style: .pageSize)
            .enumerated().map { i, item in try IPAMIP(json: item, what: "IPAMIP[\(i)]") }
    }

    /// One IP; a missing one throws ``APIError`` with `isNotFound`.
    public func getIP(region: String, id: String) async throws -> IPAMIP {
        try IPAMIP(json: try await client.call("GET", "\(base(region))/ips/\(id)"))
    }
}

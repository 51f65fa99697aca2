// DomainAPI: the Domain v2beta1 service (global): DNS zones and their records. Every record
// change goes through the one records PATCH, with the body the provider sends (ENDPOINTS.md 11).

import ScwCore

/// Typed calls to `/domain/v2beta1`.
public struct DomainAPI: Sendable {
    public let client: ScalewayClient

    public init(client: ScalewayClient) { self.client = client }

    private let base = "/domain/v2beta1"

    // MARK: zones

    public static func createZoneBody(domain: String, subdomain: String, projectID: String) -> Value {
        .map(["domain": .string(domain), "subdomain": .string(subdomain), "project_id": .string(projectID)])
    }

    /// Creates `subdomain.domain`. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createZone(domain: String, subdomain: String, projectID: String) async throws -> DNSZone {
        try DNSZone(json: try await client.call("POST", "\(base)/dns-zones",
                                                body: DomainAPI.createZoneBody(domain: domain, subdomain: subdomain, projectID: projectID)))
    }

    /// Zones matching the filters (all pages), as the provider asks: `dns_zones=<z>&domain=&order_by=domain_asc`.
    public func listZones(dnsZones: [String]? = nil, domain: String = "", projectID: String? = nil) async throws -> [DNSZone] {
        var query: [(String, String)] = []
        for z in dnsZones ?? [] { query.append(("dns_zones", z)) }
        query.append(("domain", domain))
        if let projectID { query.append(("project_id", projectID)) }
        query.append(("order_by", "domain_asc"))
        return try await client.listAll("\(base)/dns-zones", itemsKey: "dns_zones", query: query, style: .pageSize)
            .enumerated().map { try DNSZone(json: $1, what: "DNSZone[\($0)]") }
    }

    /// One zone by name; nil when there is none.
    public func getZone(_ fqdn: String) async throws -> DNSZone? {
        try await listZones(dnsZones: [fqdn]).first { $0.fqdn == fqdn }
    }

    /// Deletes a zone and its records (200 `{}`).
    public func deleteZone(_ fqdn: String, projectID: String) async throws {
        _ = try await client.call("DELETE", "\(base)/dns-zones/\(fqdn)", query: [("project_id", projectID)])
    }

    // MARK: records

    /// Records of a zone (all pages); `type` nil asks for every type (`unknown`), `name` nil for every name.
    public func listRecords(zone: String, name: String? = nil, type: String? = nil, id: String? = nil) async throws -> [DNSRecord] {
        var query: [(String, String)] = []
        if let id { query.append(("id", id)) }
        query.append(("name", name ?? ""))
        query.append(("order_by", "name_asc"))
        query.append(("type", type ?? "unknown"))
        return try await client.listAll("\(base)/dns-zones/\(zone)/records", itemsKey: "records", query: query, style: .pageSize)
            .enumerated().map { try DNSRecord(json: $1, what: "DNSRecord[\($0)]") }
    }

    public static func updateRecordsBody(_ changes: [DNSRecordChange], returnAllRecords: Bool, disallowNewZoneCreation: Bool) -> Value {
        .map(["changes": .list(changes.map(\.body)), "return_all_records": .bool(returnAllRecords),
              "disallow_new_zone_creation": .bool(disallowNewZoneCreation)])
    }

    /// Applies record changes in order; answers the records added or set (or all of the zone's).
    /// With an `add` it is not idempotent (twice adds twice): an ambiguous failure then throws
    /// ``AmbiguousWriteError``; `set`, `delete` and `clear` alone are retried like any PATCH.
    public func updateRecords(zone: String, _ changes: [DNSRecordChange], returnAllRecords: Bool = false,
                              disallowNewZoneCreation: Bool = false) async throws -> [DNSRecord] {
        let body = DomainAPI.updateRecordsBody(changes, returnAllRecords: returnAllRecords, disallowNewZoneCreation: disallowNewZoneCreation)
        let answer = try await client.call("PATCH", "\(base)/dns-zones/\(zone)/records", body: body,
                                       idempotent: !changes.contains { if case .add = $0 { return true } else { return false } })
        return try FieldReader(answer, what: "records PATCH answer").objects("records") { try DNSRecord(json: $0, what: $1) }
    }
}

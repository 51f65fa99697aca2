// Domain API v2beta1 (global): DNS zones (create, list with filters and pages, delete; status
// `pending` while changes propagate, then `active`) and their records, changed only through
// the records PATCH (add / set / delete / clear) as ENDPOINTS.md section 11 describes.

import Foundation

struct DomainService: EmulatedService {
    static let zoneKind = "dns_zone"
    static let recordKind = "dns_record"
    static let base = "/domain/v2beta1"
    static let nameservers = ["ns0.dom.scw.cloud", "ns1.dom.scw.cloud"]
    /// Seconds a new zone stays `pending` (and a zone after a records change), at speed 1.
    static let propagationSeconds = 2.0

    let context: ServiceContext

    func register(on router: Router) {
        let base = DomainService.base
        router.add("POST", base + "/dns-zones") { try createZone($0) }
        router.add("GET", base + "/dns-zones") { try listZones($0) }
        router.add("DELETE", base + "/dns-zones/{dns_zone}") { try deleteZone($0) }
        router.add("GET", base + "/dns-zones/{dns_zone}/records") { try listRecords($0) }
        router.add("PATCH", base + "/dns-zones/{dns_zone}/records") { try updateRecords($0) }
    }

    /// `2026-03-20T09:28:15Z`: the Domain API serves whole seconds.
    static func timestamp() -> String {
        let t = Clock.timestamp()
        guard let dot = t.firstIndex(of: ".") else { return t }
        return String(t[..<dot]) + "Z"
    }

    // MARK: zones

    /// A zone as served: its status is `pending` until its propagation time has passed.
    static func render(zone: Record, now: Double = Date().timeIntervalSince1970) -> JSONValue {
        var body = zone.body
        if let activeAt = zone.meta["active_at"]?.doubleLike, now < activeAt { body["status"] = .string("pending") } else { body["status"] = .string("active") }
        return .object(body)
    }

    /// A DNS name: dot-separated labels of letters, digits, hyphens (and `_` for service labels).
    static func isHostname(_ text: String, allowWildcard: Bool = false) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, text.count <= 253 else { return false }
        for (i, label) in labels.enumerated() {
            if allowWildcard && i == 0 && label == "*" { continue }
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return false }
        }
        return true
    }

    /// Inserts a zone (with its apex NS records), `pending` for a while.
    func insertZone(domain: String, subdomain: String, project: String, in state: inout CloudState) -> Record {
        let fqdn = subdomain.isEmpty ? domain : "\(subdomain).\(domain)"
        let now = DomainService.timestamp()
        let ns = JSONValue.array(DomainService.nameservers.map(JSONValue.string))
        let body: [String: JSONValue] = [
            "domain": .string(domain), "subdomain": .string(subdomain), "ns": ns, "ns_default": ns, "ns_master": .array([]),
            "status": .string("pending"), "message": .null, "updated_at": .string(now), "project_id": .string(project),
            "linked_products": .array([]),
        ]
        let zone = state.insert(kind: DomainService.zoneKind, id: fqdn, body: body, meta: ["active_at": .double(activeAt())])
        for server in DomainService.nameservers {
            insertRecord(zone: fqdn, fields: ["name": .string(""), "type": .string("NS"), "data": .string(server + "."), "ttl": .int(1800),
                                              "priority": .int(0), "comment": .null], in: &state)
        }
        return zone
    }

    func activeAt() -> Double {
        Date().timeIntervalSince1970 + Clock.scaled(seconds: DomainService.propagationSeconds, speed: context.speed)
    }

    func createZone(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        guard let domain = try input.string("domain")?.lowercased(), DomainService.isHostname(domain), domain.contains(".") else {
            throw APIError.invalidArgument("domain", reason: "format", help: "domain must be a domain name such as example.com")
        }
        let subdomain = try input.string("subdomain")?.lowercased() ?? ""
        guard subdomain.isEmpty || DomainService.isHostname(subdomain) else {
            throw APIError.invalidArgument("subdomain", reason: "format", help: "subdomain must be DNS labels such as app or eu.app")
        }
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let fqdn = subdomain.isEmpty ? domain : "\(subdomain).\(domain)"
        return .json(200, try context.store.write { state in
            if state.get(DomainService.zoneKind, fqdn) != nil {
                throw APIError.alreadyExists(resource: "dns_zone", id: fqdn, help: "the DNS zone \(fqdn) already exists")
            }
            return DomainService.render(zone: insertZone(domain: domain, subdomain: subdomain, project: project, in: &state))
        })
    }

    func listZones(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let domain = ListQuery.string(request, "domain")
        let zone = ListQuery.string(request, "dns_zone")
        let zones = ListQuery.strings(request, "dns_zones").map(Set.init)
        let project = ListQuery.string(request, "project_id")
        let order = ListQuery.string(request, "order_by") ?? "domain_asc"
        let items = context.store.read { state -> [JSONValue] in
            var found = state.list(DomainService.zoneKind).filter { z in
                (domain == nil || z.body["domain"]?.stringValue == domain) && (zone == nil || z.id.contains(zone!))
                    && (zones == nil || zones!.contains(z.id)) && (project == nil || z.projectID == project)
            }
            let key = { (r: Record) in (r.body["domain"]?.stringValue ?? "", r.body["subdomain"]?.stringValue ?? "", r.seq) }
            switch order {
            case "domain_desc": found.sort { key($0) > key($1) }
            case "subdomain_asc": found.sort { (key($0).1, key($0).2) < (key($1).1, key($1).2) }
            case "subdomain_desc": found.sort { (key($0).1, key($0).2) > (key($1).1, key($1).2) }
            default: found.sort { key($0) < key($1) }
            }
            return found.map { DomainService.render(zone: $0) }
        }
        return ListQuery.bodyPage("dns_zones", items, page)
    }

    func deleteZone(_ request: APIRequest) throws -> HTTPResponse {
        let fqdn = request.param("dns_zone").lowercased()
        try context.store.write { state in
            guard state.get(DomainService.zoneKind, fqdn) != nil else { throw APIError.notFound(resource: "dns_zone", id: fqdn) }
            for record in DomainService.records(of: fqdn, in: state) { state.remove(DomainService.recordKind, record.id) }
            state.remove(DomainService.zoneKind, fqdn)
        }
        return .json(200, .object([:]))
    }

    /// A zone named in a records path: it must exist, or (unless `disallow_new_zone_creation`) it is
    /// created as a sub-zone (`test.example.com` = subdomain `test` of `example.com`).
    func zone(_ fqdn: String, create: Bool, in state: inout CloudState) throws -> Record {
        if let zone = state.get(DomainService.zoneKind, fqdn) { return zone }
        let labels = fqdn.split(separator: ".").map(String.init)
        guard create, DomainService.isHostname(fqdn), labels.count >= 2 else { throw APIError.notFound(resource: "dns_zone", id: fqdn) }
        if let parent = (1..<labels.count).lazy.map({ labels[$0...].joined(separator: ".") }).first(where: { state.get(DomainService.zoneKind, $0) != nil }),
           let parentDomain = state.get(DomainService.zoneKind, parent)?.body["domain"]?.stringValue {
            let sub = String(fqdn.dropLast(parentDomain.count + 1))
            return insertZone(domain: parentDomain, subdomain: sub, project: context.defaultProjectID, in: &state)
        }
        let split = labels.count > 2 ? 1 : 0
        return insertZone(domain: labels[split...].joined(separator: "."), subdomain: labels[..<split].joined(separator: "."),
                          project: context.defaultProjectID, in: &state)
    }
}

extension JSONValue {
    /// A number as a Double (ints included).
    var doubleLike: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}

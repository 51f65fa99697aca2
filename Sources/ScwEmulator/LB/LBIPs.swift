// LB API v1, flexible IPs (`/ips`) and the LB types listing (`/lb-types`): IPv4 or IPv6 addresses
// with their reverse, `lb_id` while a load balancer holds them; deleting one in use is refused.

extension LBService {
    /// The commercial types every zone offers (names as the API spells them).
    static let types: [(name: String, description: String)] = [
        ("LB-S", "Small, 200 Mbit/s, 2 500 connections"), ("LB-GP-M", "Medium, 1 Gbit/s, 10 000 connections"),
        ("LB-GP-L", "Large, 2 Gbit/s, 100 000 connections"), ("LB-GP-XL", "Extra large, 4 Gbit/s, 200 000 connections"),
    ]

    /// The canonical name of a type given in any case, or the API's 400.
    static func canonicalType(_ given: String, field: String = "type") throws -> String {
        guard let match = types.first(where: { $0.name.caseInsensitiveCompare(given) == .orderedSame }) else {
            throw APIError.invalidArgument(field, reason: "constraint",
                help: "unknown load balancer type \"\(given)\"; available: \(types.map(\.name).joined(separator: ", "))")
        }
        return match.name
    }

    func listTypes(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let items: [JSONValue] = LBService.types.map {
            .object(["name": .string($0.name), "stock_status": .string("available"), "description": .string($0.description),
                     "zone": .string(zone), "region": .string(Locality.region(ofZone: zone))])
        }
        return ListQuery.bodyPage("lb_types", items, page)
    }

    // MARK: addresses

    /// A free public address: IPv4 in 51.158.0.0/16, IPv6 as a /64-style `2001:bc8:710:xxxx::`.
    static func newAddress(ipv6: Bool, in state: CloudState) -> String {
        let taken = Set(state.list(ipKind).compactMap { $0.body["ip_address"]?.stringValue })
        for _ in 0..<10_000 {
            let candidate = ipv6 ? "2001:bc8:710:\(String(Int.random(in: 0x100...0xffff), radix: 16))::"
                                 : "51.158.\(Int.random(in: 0...255)).\(Int.random(in: 2...254))"
            if !taken.contains(candidate) { return candidate }
        }
        return ipv6 ? "2001:bc8:710:ffff::" : "51.158.255.254"
    }

    /// `51-158-70-159.lb.fr-par.scw.cloud`, or the nibble form for IPv6, as recorded.
    static func reverse(of address: String, region: String) -> String {
        guard address.contains(":") else { return address.replacingOccurrences(of: ".", with: "-") + ".lb.\(region).scw.cloud" }
        let halves = address.components(separatedBy: "::")
        let head = halves[0].split(separator: ":").map(String.init)
        let tail = halves.count > 1 ? halves[1].split(separator: ":").map(String.init) : []
        let groups = head + Array(repeating: "0", count: max(0, 8 - head.count - tail.count)) + tail
        let nibbles = groups.map { String(repeating: "0", count: max(0, 4 - $0.count)) + $0 }.joined()
        return nibbles.reversed().map(String.init).joined(separator: ".") + ".lb.\(region).scw.cloud"
    }

    /// Books a flexible IP (inside a write).
    static func insertIP(zone: String, project: String, ipv6: Bool, tags: [String], reverse given: String?, lbID: String?,
                         in state: inout CloudState) -> Record {
        let id = Clock.uuid()
        let address = newAddress(ipv6: ipv6, in: state)
        let region = Locality.region(ofZone: zone)
        let body: [String: JSONValue] = [
            "id": .string(id), "ip_address": .string(address), "lb_id": lbID.map { .string($0) } ?? .null,
            "organization_id": .string(project), "project_id": .string(project), "region": .string(region),
            "reverse": .string(given ?? reverse(of: address, region: region)), "tags": .array(tags.map { .string($0) }),
            "zone": .string(zone),
        ]
        return state.insert(kind: ipKind, id: id, body: body)
    }

    // MARK: routes

    func createIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let ipv6 = try input.bool("is_ipv6") ?? false
        let tags = try input.stringArray("tags") ?? []
        let reverse = try input.string("reverse").flatMap { $0.isEmpty ? nil : $0 }
        let record = try store.write { state, _ in
            LBService.insertIP(zone: zone, project: project, ipv6: ipv6, tags: tags, reverse: reverse, lbID: nil, in: &state)
        }
        return .json(200, .object(record.body))
    }

    func getIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, .object(try store.read { try LBService.find(LBService.ipKind, request.param("id"), zone: zone, in: $0).body }))
    }

    func listIPs(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let address = ListQuery.string(request, "ip_address")
        let type = ListQuery.string(request, "ip_type")
        let items = try store.read { state in
            ListQuery.ordered(state.list(LBService.ipKind), request).filter { ip in
                let text = ip.body["ip_address"]?.stringValue ?? ""
                return ip.zone == zone && common(ip) && (address == nil || text == address)
                    && (type == nil || type == "all" || (type == "ipv6") == text.contains(":"))
            }.map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("ips", items, page)
    }

    func updateIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let reverse = try input.string("reverse")
        let tags = try input.stringArray("tags")
        return .json(200, .object(try store.write { state, _ in
            var ip = try LBService.find(LBService.ipKind, request.param("id"), zone: zone, in: state)
            if let reverse {
                ip.body["reverse"] = .string(reverse.isEmpty
                    ? LBService.reverse(of: ip.body["ip_address"]?.stringValue ?? "", region: ip.region) : reverse)
            }
            if let tags { ip.body["tags"] = .array(tags.map { .string($0) }) }
            state.put(ip)
            return ip.body
        }))
    }

    func deleteIP(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, _ in
            let ip = try LBService.find(LBService.ipKind, request.param("id"), zone: zone, in: state)
            if let lb = ip.body["lb_id"]?.stringValue {
                throw APIError.preconditionFailed("resource_still_in_use", help: "the IP is used by load balancer \(lb); delete it first")
            }
            state.remove(LBService.ipKind, ip.id)
        }
        return .empty(204)
    }
}

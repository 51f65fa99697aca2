// RDB ACL rules: which IPv4 ranges may reach the public endpoint. A new instance allows
// 0.0.0.0/0; `POST` adds rules, `PUT` sets the whole list, `DELETE` (body `acl_rule_ips`)
// removes rules by range. Answers carry the rules concerned (`{"rules":[...]}`).

extension RDBService {
    static func aclRule(ip: String, description: String, port: Int) -> JSONValue {
        .object(["ip": .string(ip), "port": .int(port), "protocol": .string("tcp"), "direction": .string("inbound"),
                 "action": .string("allow"), "description": .string(description)])
    }

    /// `[{"ip","description"}]` checked: IPv4 CIDRs, written in canonical form.
    private static func rules(_ raw: JSONValue?, port: Int) throws -> [JSONValue] {
        guard let items = raw?.arrayValue else {
            throw APIError.invalidArgument("rules", reason: "required", help: "rules must be a list of {ip, description}")
        }
        return try items.map { item in
            guard let text = item["ip"]?.stringValue, let cidr = CIDR(text.contains("/") ? text : text + "/32"), cidr.isIPv4 else {
                throw APIError.invalidArgument("rules.ip", reason: "format", help: "each rule needs an IPv4 range, e.g. 203.0.113.0/24, got \(item["ip"]?.encoded() ?? "nothing")")
            }
            return aclRule(ip: cidr.masked.description, description: item["description"]?.stringValue ?? "", port: port)
        }
    }

    private static func publicPort(_ instance: Record) -> Int {
        instance.body["endpoints"]?.arrayValue?.first { $0["load_balancer"] != nil }?["port"]?.intValue ?? 0
    }

    private func changeACLs(_ request: APIRequest, _ body: (inout [JSONValue], Int) throws -> [JSONValue]) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, now in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            var list = RDBService.items(instance, "acls")
            let answer = try body(&list, Self.publicPort(instance))
            instance.meta["acls"] = .array(list)
            RDBService.busyAfterChange(&instance, now: now, speed: context.speed)
            state.put(instance)
            return .object(["rules": .array(answer)])
        })
    }

    func listACLs(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let items = try store.read { state -> [JSONValue] in
            let instance = try RDBService.find(request, region: region, in: state)
            let port = Self.publicPort(instance)
            return RDBService.items(instance, "acls").map { rule in
                var out = rule.objectValue ?? [:]
                out["port"] = .int(port)
                return .object(out)
            }
        }
        return ListQuery.bodyPage("rules", items, try ListQuery.page(request))
    }

    func addACLs(_ request: APIRequest) throws -> HTTPResponse {
        let raw = try request.body().raw("rules")
        return try changeACLs(request) { list, port in
            let added = try Self.rules(raw, port: port)
            let ips = Set(added.compactMap { $0["ip"]?.stringValue })
            list = list.filter { !ips.contains($0["ip"]?.stringValue ?? "") } + added
            return added
        }
    }

    func setACLs(_ request: APIRequest) throws -> HTTPResponse {
        let raw = try request.body().raw("rules")
        return try changeACLs(request) { list, port in
            list = try Self.rules(raw, port: port)
            return list
        }
    }

    func deleteACLs(_ request: APIRequest) throws -> HTTPResponse {
        let ips = try request.body().stringArray("acl_rule_ips") ?? []
        let wanted = Set(ips.map { text in CIDR(text.contains("/") ? text : text + "/32").map { $0.masked.description } ?? text })
        return try changeACLs(request) { list, _ in
            let removed = list.filter { wanted.contains($0["ip"]?.stringValue ?? "") }
            list = list.filter { !wanted.contains($0["ip"]?.stringValue ?? "") }
            return removed
        }
    }
}

// LB API v1, ACLs of a frontend (`/frontends/{id}/acls`, `/acls/{id}`): an action (allow, deny,
// redirect with its target) and a match (IP subnets, an HTTP filter with its values, invert),
// ordered by `index`.

extension LBService {
    static let aclActions = ["allow", "deny", "redirect"]
    static let httpFilters = ["acl_http_filter_none", "path_begin", "path_end", "regex", "http_header_match"]

    static func renderACL(_ acl: Record, in state: CloudState) -> JSONValue {
        var body = served(acl.body)
        if let id = acl.body["frontend_ref"]?.stringValue, let frontend = state.get(frontendKind, id) {
            body["frontend"] = renderFrontend(frontend, in: state)
        }
        return .object(body)
    }

    /// The ACL fields of a POST or PUT (all of them: PUT replaces).
    private static func aclFields(_ input: RequestBody, into body: inout [String: JSONValue]) throws {
        guard let name = try input.string("name"), !name.isEmpty else {
            throw APIError.invalidArgument("name", reason: "required", help: "name is required")
        }
        body["name"] = .string(name)
        body["description"] = .string(try input.string("description") ?? "")
        guard let index = try input.int("index") else {
            throw APIError.invalidArgument("index", reason: "required", help: "index is required")
        }
        guard index >= 0 else { throw APIError.invalidArgument("index", reason: "constraint", help: "index must not be negative") }
        body["index"] = .int(index)

        guard let action = try object(input, "action"), let type = try oneOf(try action.string("type"), "action.type", aclActions) else {
            throw APIError.invalidArgument("action.type", reason: "required", help: "action.type is required (allow, deny or redirect)")
        }
        var actionOut: [String: JSONValue] = ["type": .string(type)]
        if type == "redirect" {
            guard let redirect = try object(action, "redirect"), let target = try redirect.string("target"), !target.isEmpty else {
                throw APIError.invalidArgument("action.redirect.target", reason: "required", help: "a redirect needs a target")
            }
            let kind = try oneOf(try redirect.string("type"), "action.redirect.type", ["location", "scheme"]) ?? "location"
            let code = try redirect.int("code") ?? 302
            guard [301, 302, 303, 307, 308].contains(code) else {
                throw APIError.invalidArgument("action.redirect.code", reason: "constraint", help: "code must be 301, 302, 303, 307 or 308")
            }
            actionOut["redirect"] = .object(["type": .string(kind), "target": .string(target), "code": .int(code)])
        } else {
            actionOut["redirect"] = .null
        }
        body["action"] = .object(actionOut)

        guard let match = try object(input, "match") else {
            throw APIError.invalidArgument("match", reason: "required", help: "match is required")
        }
        let subnets = try match.stringArray("ip_subnet") ?? []
        for s in subnets where CIDR(s) == nil && CIDR(s + (s.contains(":") ? "/128" : "/32")) == nil {
            throw APIError.invalidArgument("match.ip_subnet", reason: "format", help: "\"\(s)\" is not an IP or CIDR")
        }
        let filter = try oneOf(try match.string("http_filter"), "match.http_filter", httpFilters) ?? "acl_http_filter_none"
        let values = try match.stringArray("http_filter_value") ?? []
        if filter != "acl_http_filter_none" && values.isEmpty {
            throw APIError.invalidArgument("match.http_filter_value", reason: "required", help: "http_filter \(filter) needs values")
        }
        let option = try match.string("http_filter_option")
        if filter == "http_header_match" && (option ?? "").isEmpty {
            throw APIError.invalidArgument("match.http_filter_option", reason: "required", help: "http_header_match needs the header name")
        }
        body["match"] = .object([
            "ip_subnet": .array(subnets.map { .string($0) }), "http_filter": .string(filter),
            "http_filter_value": .array(values.map { .string($0) }), "http_filter_option": option.map { .string($0) } ?? .null,
            "invert": .bool(try match.bool("invert") ?? false), "ips_edge_services": .bool(try match.bool("ips_edge_services") ?? false),
        ])
    }

    func listACLs(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let items = try store.read { state -> [JSONValue] in
            let frontend = try LBService.find(LBService.frontendKind, request.param("id"), zone: zone, in: state)
            return ListQuery.ordered(state.list(LBService.aclKind), request).filter { $0.body["frontend_ref"]?.stringValue == frontend.id }
                .map { LBService.renderACL($0, in: state) }
        }
        return ListQuery.bodyPage("acls", items, page)
    }

    func createACL(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let rendered = try store.write { state, now -> JSONValue in
            let frontend = try LBService.find(LBService.frontendKind, request.param("id"), zone: zone, in: state)
            var lb = try LBService.lb(frontend.body["lb_ref"]?.stringValue ?? "", zone: zone, in: state)
            try LBService.requireSettled(lb)
            let stamp = Clock.timestamp()
            var body: [String: JSONValue] = [
                "id": .string(Clock.uuid()), "created_at": .string(stamp), "updated_at": .string(stamp),
                "frontend_ref": .string(frontend.id), "lb_ref": .string(lb.id), "zone": .string(zone), "project_id": .string(lb.projectID),
            ]
            try LBService.aclFields(input, into: &body)
            let record = state.insert(kind: LBService.aclKind, id: body["id"]!.stringValue!, body: body)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderACL(record, in: state)
        }
        return .json(200, rendered)
    }

    func getACL(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.read { state in
            LBService.renderACL(try LBService.find(LBService.aclKind, request.param("id"), zone: zone, in: state), in: state)
        })
    }

    func updateACL(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        return .json(200, try store.write { state, now in
            var acl = try LBService.find(LBService.aclKind, request.param("id"), zone: zone, in: state)
            var lb = try LBService.lb(acl.body["lb_ref"]?.stringValue ?? "", zone: zone, in: state)
            try LBService.requireSettled(lb)
            try LBService.aclFields(input, into: &acl.body)
            acl.body["updated_at"] = .string(Clock.timestamp())
            state.put(acl)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderACL(acl, in: state)
        })
    }

    func deleteACL(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, now in
            let acl = try LBService.find(LBService.aclKind, request.param("id"), zone: zone, in: state)
            state.remove(LBService.aclKind, acl.id)
            if var lb = state.get(LBService.lbKind, acl.body["lb_ref"]?.stringValue ?? "") {
                LBStatusMachine.markApplying(&lb, speed: speed, now: now)
                state.put(lb)
            }
        }
        return .empty(204)
    }
}

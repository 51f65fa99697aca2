// LB API v1, backends (`/lbs/{id}/backends`, `/backends/{id}`): create with a health check of
// exactly one kind, PUT of the backend, of its health check and of its servers; durations as the
// API writes them (ms integers, `"0.500s"` strings). Every change marks the LB's instances pending.

extension LBService {
    static let checkKinds = ["tcp_config", "http_config", "https_config", "mysql_config", "pgsql_config", "ldap_config", "redis_config"]

    static func renderBackend(_ backend: Record, in state: CloudState) -> JSONValue {
        var body = served(backend.body)
        if let lbID = backend.body["lb_ref"]?.stringValue, let lb = state.get(lbKind, lbID) { body["lb"] = render(lb: lb, in: state) }
        return .object(body)
    }

    /// `"0.500000000s"` → `"0.500s"`, `"4.000000000s"` → `"4s"` (protobuf JSON: 0, 3, 6 or 9 digits).
    static func duration(_ text: String?, _ name: String) throws -> String? {
        guard let text else { return nil }
        guard text.hasSuffix("s"), let seconds = Double(text.dropLast()), seconds >= 0, seconds.isFinite else {
            throw APIError.invalidArgument(name, reason: "format", help: "\(name) must be a duration such as \"0.5s\", got \"\(text)\"")
        }
        let nanos = Int((seconds * 1e9).rounded())
        let whole = nanos / 1_000_000_000, fraction = nanos % 1_000_000_000
        if fraction == 0 { return "\(whole)s" }
        let digits = fraction % 1_000_000 == 0 ? 3 : fraction % 1000 == 0 ? 6 : 9
        let scaled = fraction / Int(pow10(9 - digits))
        let padded = String(repeating: "0", count: digits - String(scaled).count) + String(scaled)
        return "\(whole).\(padded)s"
    }

    private static func pow10(_ n: Int) -> Int { (0..<n).reduce(1) { acc, _ in acc * 10 } }

    /// A health check from a request body, defaults filled as the API does; exactly one kind.
    static func healthCheck(_ input: RequestBody, current: [String: JSONValue]? = nil) throws -> [String: JSONValue] {
        var out = current ?? [
            "check_delay": .int(60000), "check_max_retries": .int(2), "check_send_proxy": .bool(false),
            "check_timeout": .int(30000), "transient_check_delay": .string("0.500s"),
        ]
        if let port = try port(try input.int("port"), "health_check.port") { out["port"] = .int(port) }
        guard out["port"] != nil else {
            throw APIError.invalidArgument("health_check.port", reason: "required", help: "health_check.port is required")
        }
        for key in ["check_delay", "check_timeout", "check_max_retries"] {
            if let v = try input.int(key) {
                guard v >= 0 else { throw APIError.invalidArgument("health_check.\(key)", reason: "constraint", help: "\(key) must not be negative") }
                out[key] = .int(v)
            }
        }
        if let v = try input.bool("check_send_proxy") { out["check_send_proxy"] = .bool(v) }
        if let v = try duration(try input.string("transient_check_delay"), "health_check.transient_check_delay") {
            out["transient_check_delay"] = .string(v)
        }
        let given = checkKinds.filter { input.has($0) }
        if given.count > 1 {
            throw APIError.invalidArgument("health_check", reason: "constraint",
                                           help: "only one of \(checkKinds.joined(separator: ", ")) may be set, got \(given.joined(separator: " and "))")
        }
        if let kind = given.first {
            for k in checkKinds { out[k] = nil }
            guard case .object(let config)? = input.raw(kind) else {
                throw APIError.invalidArgument("health_check.\(kind)", reason: "format", help: "\(kind) must be an object")
            }
            var fields = config
            if kind == "http_config" || kind == "https_config" {
                if fields["uri"] == nil { fields["uri"] = .string("/") }
                if fields["method"] == nil { fields["method"] = .string("GET") }
                if fields["code"] == nil { fields["code"] = .null }
                if fields["host_header"] == nil { fields["host_header"] = .string("") }
                if kind == "https_config", fields["sni"] == nil { fields["sni"] = .string("") }
            }
            out[kind] = .object(fields)
        } else if !checkKinds.contains(where: { out[$0] != nil }) {
            out["tcp_config"] = .object([:])
        }
        return out
    }

    /// The backend fields a POST or a PUT sets (everything but health check and servers).
    static func backendFields(_ input: RequestBody, into body: inout [String: JSONValue], creating: Bool) throws {
        if let name = try input.string("name"), !name.isEmpty { body["name"] = .string(name) }
        if let v = try oneOf(try input.string("forward_protocol"), "forward_protocol", ["tcp", "http"]) { body["forward_protocol"] = .string(v) }
        if let v = try port(try input.int("forward_port"), "forward_port") { body["forward_port"] = .int(v) }
        if let v = try oneOf(try input.string("forward_port_algorithm"), "forward_port_algorithm", ["roundrobin", "leastconn", "first"]) {
            body["forward_port_algorithm"] = .string(v)
        }
        if let v = try oneOf(try input.string("sticky_sessions"), "sticky_sessions", ["none", "cookie", "table"]) { body["sticky_sessions"] = .string(v) }
        if let v = try input.string("sticky_sessions_cookie_name") { body["sticky_sessions_cookie_name"] = .string(v) }
        if let v = try oneOf(try input.string("on_marked_down_action"), "on_marked_down_action",
                             ["on_marked_down_action_none", "shutdown_sessions"]) { body["on_marked_down_action"] = .string(v) }
        if let v = try oneOf(try input.string("proxy_protocol"), "proxy_protocol",
                             ["proxy_protocol_none", "proxy_protocol_v1", "proxy_protocol_v2", "proxy_protocol_v2_ssl", "proxy_protocol_v2_ssl_cn"]) {
            body["proxy_protocol"] = .string(v)
        }
        for key in ["timeout_server", "timeout_connect", "timeout_tunnel", "max_retries", "max_connections", "redispatch_attempt_count"] {
            if let v = try input.int(key) {
                guard v >= 0 else { throw APIError.invalidArgument(key, reason: "constraint", help: "\(key) must not be negative") }
                body[key] = .int(v)
            }
        }
        if let v = try duration(try input.string("timeout_queue"), "timeout_queue") { body["timeout_queue"] = .string(v) }
        if input.isPresent("failover_host") { body["failover_host"] = try input.string("failover_host").map { .string($0) } ?? .null }
        if let v = try input.bool("ssl_bridging") { body["ssl_bridging"] = .bool(v) }
        if let v = try input.bool("ignore_ssl_server_verify") { body["ignore_ssl_server_verify"] = .bool(v) }
        if creating {
            guard body["forward_protocol"] != nil else {
                throw APIError.invalidArgument("forward_protocol", reason: "required", help: "forward_protocol is required (tcp or http)")
            }
            guard body["forward_port"] != nil else {
                throw APIError.invalidArgument("forward_port", reason: "required", help: "forward_port is required")
            }
        }
        if body["sticky_sessions"]?.stringValue == "cookie", (body["sticky_sessions_cookie_name"]?.stringValue ?? "").isEmpty {
            throw APIError.invalidArgument("sticky_sessions_cookie_name", reason: "required", help: "cookie sticky sessions need a cookie name")
        }
    }

    static func servers(_ input: RequestBody) throws -> [String] {
        let ips = try input.stringArray("server_ip") ?? []
        for ip in ips where CIDR(ip.contains(":") ? ip + "/128" : ip + "/32") == nil {
            throw APIError.invalidArgument("server_ip", reason: "format", help: "\"\(ip)\" is not an IP address")
        }
        return ips
    }

    // MARK: routes

    func createBackend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let check = try LBService.object(input, "health_check") else {
            throw APIError.invalidArgument("health_check", reason: "required", help: "health_check is required")
        }
        let health = try LBService.healthCheck(check)
        let pool = try LBService.servers(input)
        let stamp = Clock.timestamp()
        var body: [String: JSONValue] = [
            "id": .string(Clock.uuid()), "name": .string(Clock.generatedName(prefix: "lb-bkd")), "forward_port_algorithm": .string("roundrobin"),
            "sticky_sessions": .string("none"), "sticky_sessions_cookie_name": .string(""), "health_check": .object(health),
            "pool": .array(pool.map { .string($0) }), "on_marked_down_action": .string("on_marked_down_action_none"),
            "proxy_protocol": .string("proxy_protocol_none"), "send_proxy_v2": .bool(false), "timeout_server": .int(300000),
            "timeout_connect": .int(5000), "timeout_tunnel": .int(900000), "timeout_queue": .string("0s"), "max_retries": .int(3),
            "max_connections": .null, "redispatch_attempt_count": .null, "failover_host": .null, "ssl_bridging": .bool(false),
            "ignore_ssl_server_verify": .null, "host": .string(""), "created_at": .string(stamp), "updated_at": .string(stamp),
            "zone": .string(zone),
        ]
        try LBService.backendFields(input, into: &body, creating: true)
        let rendered = try store.write { state, now -> JSONValue in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            try LBService.requireSettled(lb)
            body["lb_ref"] = .string(lb.id)
            body["project_id"] = .string(lb.projectID)
            let record = state.insert(kind: LBService.backendKind, id: body["id"]!.stringValue!, body: body)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderBackend(record, in: state)
        }
        return .json(200, rendered)
    }

    func getBackend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.read { state in
            LBService.renderBackend(try LBService.find(LBService.backendKind, request.param("id"), zone: zone, in: state), in: state)
        })
    }

    func listBackends(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let items = try store.read { state -> [JSONValue] in
            let lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            return ListQuery.ordered(state.list(LBService.backendKind), request)
                .filter { $0.body["lb_ref"]?.stringValue == lb.id && (name == nil || $0.name.contains(name!)) }
                .map { LBService.renderBackend($0, in: state) }
        }
        return ListQuery.bodyPage("backends", items, page)
    }

    /// Runs `change` on a backend of a settled LB, marks the LB applying, answers `render`.
    private func changeBackend(_ request: APIRequest, _ change: (inout Record, CloudState) throws -> Void,
                               render: @escaping (Record, CloudState) -> JSONValue = LBService.renderBackend) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.write { state, now in
            var backend = try LBService.find(LBService.backendKind, request.param("id"), zone: zone, in: state)
            var lb = try LBService.lb(backend.body["lb_ref"]?.stringValue ?? "", zone: zone, in: state)
            try LBService.requireSettled(lb)
            try change(&backend, state)
            backend.body["updated_at"] = .string(Clock.timestamp())
            state.put(backend)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return render(backend, state)
        })
    }

    func updateBackend(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        return try changeBackend(request) { backend, _ in try LBService.backendFields(input, into: &backend.body, creating: false) }
    }

    func updateHealthCheck(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        return try changeBackend(request, { backend, _ in
            backend.body["health_check"] = .object(try LBService.healthCheck(input, current: nil))
        }, render: { backend, _ in backend.body["health_check"] ?? .null })
    }

    func setBackendServers(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let pool = try LBService.servers(input)
        return try changeBackend(request) { backend, _ in backend.body["pool"] = .array(pool.map { .string($0) }) }
    }

    func deleteBackend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, now in
            let backend = try LBService.find(LBService.backendKind, request.param("id"), zone: zone, in: state)
            if let user = state.list(LBService.frontendKind).first(where: { $0.body["backend_ref"]?.stringValue == backend.id }) {
                throw APIError.preconditionFailed("resource_still_in_use", help: "the backend is used by frontend \(user.id); delete it first")
            }
            state.remove(LBService.backendKind, backend.id)
            if var lb = state.get(LBService.lbKind, backend.body["lb_ref"]?.stringValue ?? "") {
                LBStatusMachine.markApplying(&lb, speed: speed, now: now)
                state.put(lb)
            }
        }
        return .empty(204)
    }
}

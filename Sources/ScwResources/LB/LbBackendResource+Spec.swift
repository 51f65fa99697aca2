// LbBackend props: the schema, their normal form (defaults filled, durations canonical, exactly
// one health-check kind), the API specs built from them, and what the cloud reads back as props.

import ScalewayAPI
import ScwCore
import ScwEngine

extension LbBackendResource {
    static let checkKinds = ["tcp", "http", "https", "mysql", "pgsql", "ldap", "redis"]

    static let httpCheckFields: [PropSpec] = [
        PropSpec("uri", .string, doc: "Path to ask (default `/`)."),
        PropSpec("method", .string, doc: "HTTP method (default `GET`)."),
        PropSpec("code", .int, doc: "Expected status code (default: any 2xx/3xx)."),
        PropSpec("host_header", .string, doc: "Host header to send."),
    ]

    static let healthCheckFields: [PropSpec] = [
        PropSpec("port", .int, doc: "Port to check (default: `forward_port`)."),
        PropSpec("delay", .string, format: .duration, doc: "Time between two checks (default `60s`)."),
        PropSpec("timeout", .string, format: .duration, doc: "Time to wait for an answer (default `30s`)."),
        PropSpec("max_retries", .int, doc: "Failed checks before a server is marked down (default 2)."),
        PropSpec("send_proxy", .bool, doc: "Send the PROXY protocol header with checks."),
        PropSpec("transient_delay", .string, format: .duration, doc: "Time between checks while a server changes state (default `0.5s`)."),
        PropSpec("tcp", .object([]), doc: "A TCP connect check (the default)."),
        PropSpec("http", .object(httpCheckFields), doc: "`{ uri, method, code, host_header }`."),
        PropSpec("https", .object(httpCheckFields + [PropSpec("sni", .string, doc: "SNI to send.")]), doc: "`{ uri, method, code, host_header, sni }`."),
        PropSpec("mysql", .object([PropSpec("user", .string, required: true)]), doc: "`{ user }`."),
        PropSpec("pgsql", .object([PropSpec("user", .string, required: true)]), doc: "`{ user }`."),
        PropSpec("ldap", .object([]), doc: "An LDAP check."),
        PropSpec("redis", .object([]), doc: "A Redis check."),
    ]

    public static let schema = ResourceSchema(
        typeName: "LbBackend",
        doc: "A backend of a load balancer: where traffic goes (`server_ips`), how, and how servers are health-checked.",
        locality: .zonal,
        props: [
            CommonProps.name("Name; defaults to the resource's name in the script (it identifies the backend on its LB)."),
            PropSpec("lb_id", .resourceID(types: ["LoadBalancer"]), required: true, change: .replace,
                     doc: "The load balancer (`lb = handle` also works)."),
            PropSpec("forward_protocol", .string, required: true, allowed: ["tcp", "http"], doc: "`tcp` or `http`."),
            PropSpec("forward_port", .int, required: true, doc: "Port of the servers (1-65535)."),
            PropSpec("forward_port_algorithm", .string, default: .string("roundrobin"), allowed: ["roundrobin", "leastconn", "first"],
                     doc: "How servers are picked."),
            PropSpec("sticky_sessions", .string, default: .string("none"), allowed: ["none", "cookie", "table"], doc: "Session stickiness."),
            PropSpec("sticky_sessions_cookie_name", .string, doc: "Cookie name, with `sticky_sessions = \"cookie\"`."),
            PropSpec("server_ips", .list(.string), default: .list([]), doc: "Server addresses (e.g. Instances' `private_ip`). Updated in place."),
            PropSpec("health_check", .object(healthCheckFields),
                     doc: "`{ port, delay, timeout, max_retries, send_proxy, transient_delay }` and one of `tcp`, `http`, `https`, `mysql`, `pgsql`, `ldap`, `redis` (default `tcp`)."),
            PropSpec("proxy_protocol", .string, default: .string("none"), allowed: ["none", "v1", "v2", "v2_ssl", "v2_ssl_cn"],
                     doc: "PROXY protocol towards the servers."),
            PropSpec("timeout_server", .string, format: .duration, doc: "Maximum server inactivity (API default `5m`)."),
            PropSpec("timeout_connect", .string, format: .duration, doc: "Maximum time to connect to a server (API default `5s`)."),
            PropSpec("timeout_tunnel", .string, format: .duration, doc: "Maximum tunnel inactivity (API default `15m`)."),
            PropSpec("timeout_queue", .string, format: .duration, doc: "Maximum time in queue when servers are busy."),
            PropSpec("on_marked_down_action", .string, default: .string("none"), allowed: ["none", "shutdown_sessions"],
                     doc: "What happens to sessions of a server marked down."),
            PropSpec("failover_host", .string, doc: "Object Storage host serving a page when every server is down."),
            PropSpec("ssl_bridging", .bool, default: .bool(false), doc: "Talk TLS to the servers."),
            PropSpec("ignore_ssl_server_verify", .bool, default: .bool(false), doc: "Do not verify the servers' certificates."),
            PropSpec("max_retries", .int, default: .int(3), doc: "Retries of a failed connection."),
            PropSpec("max_connections", .int, doc: "Maximum connections per server."),
            PropSpec("redispatch_attempt_count", .int, doc: "Retries on another server."),
            CommonProps.zone,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("lb_id", .string),
            OutputSpec("server_ips", .list(.string)),
            OutputSpec("zone", .string),
        ])

    /// The props `PUT /backends/{id}` carries.
    static let backendProps = ["name", "forward_protocol", "forward_port", "forward_port_algorithm", "sticky_sessions",
                               "sticky_sessions_cookie_name", "proxy_protocol", "timeout_server", "timeout_connect", "timeout_tunnel",
                               "timeout_queue", "on_marked_down_action", "failover_host", "ssl_bridging", "ignore_ssl_server_verify",
                               "max_retries", "max_connections", "redispatch_attempt_count"]

    static let durationProps = ["timeout_server", "timeout_connect", "timeout_tunnel", "timeout_queue"]

    /// `"5000ms"`, `"1m30s"`: one spelling per duration, so equal durations compare equal.
    static func canonical(seconds: Double) -> String { Waiter.format(seconds: seconds) }

    static func canonicalDuration(_ value: Value?, _ name: String, context: ProviderContext) throws -> Value? {
        guard let text = value?.stringValue else { return value }
        guard let seconds = DurationText.seconds(text) else {
            throw Diagnostic("\(name): '\(text)' is not a duration (e.g. \"30s\", \"5m\")", at: .resource(context.address))
        }
        return .string(canonical(seconds: seconds))
    }

    // MARK: normal form

    static func normalizeSpec(_ out: inout [String: Value], context: ProviderContext) throws {
        for (key, value) in [("forward_port_algorithm", Value.string("roundrobin")), ("sticky_sessions", .string("none")),
                             ("server_ips", .list([])), ("proxy_protocol", .string("none")), ("on_marked_down_action", .string("none")),
                             ("ssl_bridging", .bool(false)), ("ignore_ssl_server_verify", .bool(false)), ("max_retries", .int(3))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        try LbShared.checkPort(out["forward_port"], "forward_port", context: context)
        for key in durationProps { out[key] = try canonicalDuration(out[key], key, context: context) }
        if out["sticky_sessions"]?.stringValue == "cookie", (out["sticky_sessions_cookie_name"]?.stringValue ?? "").isEmpty {
            throw Diagnostic("sticky_sessions = \"cookie\" needs sticky_sessions_cookie_name", at: .resource(context.address))
        }
        out["health_check"] = try normalizeHealthCheck(out["health_check"], forwardPort: out["forward_port"], context: context)
    }

    static func normalizeHealthCheck(_ value: Value?, forwardPort: Value?, context: ProviderContext) throws -> Value {
        if let v = value, v.containsUnknown { return v }
        var check = value?.mapValue ?? [:]
        let kinds = checkKinds.filter { check[$0] != nil && check[$0] != .null }
        if kinds.count > 1 {
            throw Diagnostic("health_check: give one kind of check, not \(kinds.joined(separator: " and "))", at: .resource(context.address),
                             hint: "one of \(checkKinds.joined(separator: ", "))")
        }
        if check["port"] == nil || check["port"] == .null { check["port"] = forwardPort ?? .null }
        try LbShared.checkPort(check["port"], "health_check.port", context: context)
        for (key, fallback) in [("delay", 60.0), ("timeout", 30.0), ("transient_delay", 0.5)] {
            check[key] = try canonicalDuration(check[key] ?? .string(canonical(seconds: fallback)), "health_check.\(key)", context: context)
        }
        if check["max_retries"] == nil || check["max_retries"] == .null { check["max_retries"] = .int(2) }
        if check["send_proxy"] == nil || check["send_proxy"] == .null { check["send_proxy"] = .bool(false) }
        let kind = kinds.first ?? "tcp"
        var config = check[kind]?.mapValue ?? [:]
        if kind == "http" || kind == "https" {
            if config["uri"] == nil { config["uri"] = .string("/") }
            if config["method"] == nil { config["method"] = .string("GET") }
            if config["host_header"] == nil { config["host_header"] = .string("") }
            if kind == "https", config["sni"] == nil { config["sni"] = .string("") }
        }
        check[kind] = .map(config)
        return .map(check)
    }

    // MARK: API specs

    static func spec(_ inputs: [String: Value], context: ProviderContext) throws -> LbBackendSpec {
        let i = Inputs(inputs, context.address)
        guard let port = inputs["forward_port"]?.intValue else { throw Diagnostic("forward_port is required", at: .resource(context.address)) }
        var s = LbBackendSpec(name: try i.requireString("name"), forwardProtocol: try i.requireString("forward_protocol"), forwardPort: port)
        s.forwardPortAlgorithm = i.string("forward_port_algorithm") ?? "roundrobin"
        s.stickySessions = i.string("sticky_sessions") ?? "none"
        s.stickySessionsCookieName = i.string("sticky_sessions_cookie_name") ?? ""
        s.onMarkedDownAction = i.string("on_marked_down_action").map { $0 == "none" ? "on_marked_down_action_none" : $0 } ?? "on_marked_down_action_none"
        s.proxyProtocol = "proxy_protocol_" + (i.string("proxy_protocol") ?? "none")
        s.timeoutServerMs = try LbShared.milliseconds(inputs["timeout_server"], "timeout_server", context: context)
        s.timeoutConnectMs = try LbShared.milliseconds(inputs["timeout_connect"], "timeout_connect", context: context)
        s.timeoutTunnelMs = try LbShared.milliseconds(inputs["timeout_tunnel"], "timeout_tunnel", context: context)
        s.timeoutQueueSeconds = i.string("timeout_queue").flatMap(DurationText.seconds)
        s.maxRetries = inputs["max_retries"]?.intValue
        s.maxConnections = inputs["max_connections"]?.intValue
        s.redispatchAttemptCount = inputs["redispatch_attempt_count"]?.intValue
        s.failoverHost = i.string("failover_host")
        s.sslBridging = i.bool("ssl_bridging")
        s.ignoreSSLServerVerify = i.bool("ignore_ssl_server_verify")
        return s
    }

    static func healthCheck(_ inputs: [String: Value], context: ProviderContext) throws -> LbHealthCheckSpec {
        let check = inputs["health_check"]?.mapValue ?? [:]
        guard let port = check["port"]?.intValue else { throw Diagnostic("health_check.port is required", at: .resource(context.address)) }
        var s = LbHealthCheckSpec(port: port)
        s.checkDelayMs = try LbShared.milliseconds(check["delay"], "health_check.delay", context: context) ?? 60000
        s.checkTimeoutMs = try LbShared.milliseconds(check["timeout"], "health_check.timeout", context: context) ?? 30000
        s.checkMaxRetries = check["max_retries"]?.intValue ?? 2
        s.checkSendProxy = check["send_proxy"]?.boolValue ?? false
        s.transientCheckDelaySeconds = check["transient_delay"]?.stringValue.flatMap(DurationText.seconds) ?? 0.5
        let kind = checkKinds.first { check[$0] != nil && check[$0] != .null } ?? "tcp"
        s.kind = kind + "_config"
        s.config = check[kind]?.mapValue ?? [:]
        return s
    }

    static func servers(_ inputs: [String: Value]) -> [String] { inputs["server_ips"]?.listValue?.compactMap(\.stringValue) ?? [] }

    // MARK: read back

    /// The props as the cloud has them; optional ones only when the script sets them.
    static func observed(_ b: LbBackend, declared: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [
            "name": .string(b.name), "forward_protocol": .string(b.forwardProtocol), "forward_port": .int(b.forwardPort),
            "forward_port_algorithm": .string(b.forwardPortAlgorithm), "sticky_sessions": .string(b.stickySessions),
            "proxy_protocol": .string(String(b.proxyProtocol.dropFirst("proxy_protocol_".count))),
            "on_marked_down_action": .string(b.onMarkedDownAction == "on_marked_down_action_none" ? "none" : b.onMarkedDownAction),
            "ssl_bridging": .bool(b.sslBridging ?? false), "ignore_ssl_server_verify": .bool(b.ignoreSSLServerVerify ?? false),
            "max_retries": b.maxRetries.map(Value.int) ?? .int(3),
        ]
        let wanted = declared["server_ips"]?.listValue?.compactMap(\.stringValue) ?? []
        out["server_ips"] = Set(wanted) == Set(b.pool) && wanted.count == b.pool.count ? .list(wanted.map(Value.string)) : .list(b.pool.map(Value.string))
        func ifDeclared(_ key: String, _ value: Value?) { if declared[key] != nil, declared[key] != .null { out[key] = value ?? .null } }
        ifDeclared("sticky_sessions_cookie_name", .string(b.stickySessionsCookieName))
        ifDeclared("timeout_server", b.timeoutServerMs.map { .string(canonical(seconds: Double($0) / 1000)) })
        ifDeclared("timeout_connect", b.timeoutConnectMs.map { .string(canonical(seconds: Double($0) / 1000)) })
        ifDeclared("timeout_tunnel", b.timeoutTunnelMs.map { .string(canonical(seconds: Double($0) / 1000)) })
        ifDeclared("timeout_queue", b.timeoutQueue.flatMap(DurationText.seconds).map { .string(canonical(seconds: $0)) })
        ifDeclared("failover_host", b.failoverHost.map(Value.string))
        ifDeclared("max_connections", b.maxConnections.map(Value.int))
        ifDeclared("redispatch_attempt_count", b.redispatchAttemptCount.map(Value.int))
        out["health_check"] = observedHealthCheck(b.healthCheck, declared: declared["health_check"])
        return out
    }

    static func observedHealthCheck(_ h: LbHealthCheck, declared: Value?) -> Value {
        var check: [String: Value] = [
            "port": .int(h.port), "max_retries": .int(h.checkMaxRetries ?? 2), "send_proxy": .bool(h.checkSendProxy),
            "delay": .string(canonical(seconds: Double(h.checkDelayMs ?? 60000) / 1000)),
            "timeout": .string(canonical(seconds: Double(h.checkTimeoutMs ?? 30000) / 1000)),
            "transient_delay": .string(canonical(seconds: h.transientCheckDelay.flatMap(DurationText.seconds) ?? 0.5)),
        ]
        let kind = String((h.kind ?? "tcp_config").dropLast("_config".count))
        var config = h.config
        if config["code"] == .null { config["code"] = nil }
        // Fields the API adds that the script did not set (a default `sni`, a null code) are not drift.
        if let wanted = declared?[kind]?.mapValue { config = config.filter { wanted[$0.key] != nil } }
        check[kind] = .map(config)
        return .map(check)
    }
}

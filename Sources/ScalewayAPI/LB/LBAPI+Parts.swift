// LBAPI+Parts: backends (+ health check, servers), frontends, ACLs and certificates of a load
// balancer. Every change makes the LB's instances `pending` for a while: callers wait for the
// LB around each call (LBWaits in the resources layer).

import ScwCore

/// What a backend should be; nil fields are left out of the body (the API keeps or defaults them).
public struct LbBackendSpec: Sendable, Equatable {
    public var name: String
    public var forwardProtocol: String
    public var forwardPort: Int64
    public var forwardPortAlgorithm: String = "roundrobin"
    public var stickySessions: String = "none"
    public var stickySessionsCookieName: String = ""
    public var onMarkedDownAction: String = "on_marked_down_action_none"
    public var proxyProtocol: String = "proxy_protocol_none"
    public var timeoutServerMs: Int64?
    public var timeoutConnectMs: Int64?
    public var timeoutTunnelMs: Int64?
    public var timeoutQueueSeconds: Double?
    public var maxRetries: Int64?
    public var maxConnections: Int64?
    public var redispatchAttemptCount: Int64?
    public var failoverHost: String?
    public var sslBridging: Bool?
    public var ignoreSSLServerVerify: Bool?

    public init(name: String, forwardProtocol: String, forwardPort: Int64) {
        self.name = name
        self.forwardProtocol = forwardProtocol
        self.forwardPort = forwardPort
    }

    /// The fields shared by `POST /lbs/{id}/backends` and `PUT /backends/{id}`.
    public var fields: [String: Value] {
        var body: [String: Value] = [
            "name": .string(name), "forward_protocol": .string(forwardProtocol), "forward_port": .int(forwardPort),
            "forward_port_algorithm": .string(forwardPortAlgorithm), "sticky_sessions": .string(stickySessions),
            "sticky_sessions_cookie_name": .string(stickySessionsCookieName), "on_marked_down_action": .string(onMarkedDownAction),
            "proxy_protocol": .string(proxyProtocol),
        ]
        if let v = timeoutServerMs { body["timeout_server"] = .int(v) }
        if let v = timeoutConnectMs { body["timeout_connect"] = .int(v) }
        if let v = timeoutTunnelMs { body["timeout_tunnel"] = .int(v) }
        if let v = timeoutQueueSeconds { body["timeout_queue"] = .string(LBAPI.duration(seconds: v)) }
        if let v = maxRetries { body["max_retries"] = .int(v) }
        if let v = maxConnections { body["max_connections"] = .int(v) }
        if let v = redispatchAttemptCount { body["redispatch_attempt_count"] = .int(v) }
        if let v = failoverHost { body["failover_host"] = .string(v) }
        if let v = sslBridging { body["ssl_bridging"] = .bool(v) }
        if let v = ignoreSSLServerVerify { body["ignore_ssl_server_verify"] = .bool(v) }
        return body
    }
}

/// What a health check should be.
public struct LbHealthCheckSpec: Sendable, Equatable {
    public var port: Int64
    public var checkDelayMs: Int64 = 60000
    public var checkTimeoutMs: Int64 = 30000
    public var checkMaxRetries: Int64 = 2
    public var checkSendProxy: Bool = false
    public var transientCheckDelaySeconds: Double = 0.5
    /// `tcp_config`, `http_config`, ...; nil sends none (the API then checks TCP).
    public var kind: String?
    public var config: [String: Value] = [:]

    public init(port: Int64) { self.port = port }

    public var body: Value {
        var body: [String: Value] = [
            "port": .int(port), "check_max_retries": .int(checkMaxRetries), "check_send_proxy": .bool(checkSendProxy),
            "transient_check_delay": .string(LBAPI.duration(seconds: transientCheckDelaySeconds)),
            "check_delay": .int(checkDelayMs), "check_timeout": .int(checkTimeoutMs),
        ]
        if let kind { body[kind] = .map(config) }
        return .map(body)
    }
}

/// What a frontend should be.
public struct LbFrontendSpec: Sendable, Equatable {
    public var name: String
    public var inboundPort: Int64
    public var backendID: String
    public var timeoutClientMs: Int64?
    /// nil leaves `certificate_ids` out (as the provider's create does).
    public var certificateIDs: [String]?
    public var enableHTTP3: Bool = false
    public var connectionRateLimit: Int64 = 0
    public var enableAccessLogs: Bool = false

    public init(name: String, inboundPort: Int64, backendID: String) {
        self.name = name
        self.inboundPort = inboundPort
        self.backendID = backendID
    }

    public var body: Value {
        var body: [String: Value] = [
            "name": .string(name), "inbound_port": .int(inboundPort), "backend_id": .string(backendID),
            "enable_http3": .bool(enableHTTP3), "connection_rate_limit": .int(connectionRateLimit), "enable_access_logs": .bool(enableAccessLogs),
        ]
        if let timeoutClientMs { body["timeout_client"] = .int(timeoutClientMs) }
        if let certificateIDs { body["certificate_ids"] = LBAPI.strings(certificateIDs) }
        return .map(body)
    }
}

extension LBAPI {
    // MARK: backends

    /// The body of `POST /lbs/{id}/backends`: the spec, its health check and its servers.
    public static func createBackendBody(_ spec: LbBackendSpec, healthCheck: LbHealthCheckSpec, serverIPs: [String]) -> Value {
        var body = spec.fields
        body["health_check"] = healthCheck.body
        body["server_ip"] = strings(serverIPs)
        return .map(body)
    }

    public func createBackend(zone: String, lbID: String, body: Value) async throws -> LbBackend {
        try LbBackend(json: try await client.call("POST", "\(base(zone))/lbs/\(lbID)/backends", body: body))
    }

    public func getBackend(zone: String, id: String) async throws -> LbBackend {
        try LbBackend(json: try await client.call("GET", "\(base(zone))/backends/\(id)"))
    }

    public func listBackends(zone: String, lbID: String, name: String? = nil) async throws -> [LbBackend] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base(zone))/lbs/\(lbID)/backends", itemsKey: "backends", query: query, style: .pageSize)
            .map { try LbBackend(json: $0) }
    }

    public func updateBackend(zone: String, id: String, spec: LbBackendSpec) async throws -> LbBackend {
        try LbBackend(json: try await client.call("PUT", "\(base(zone))/backends/\(id)", body: .map(spec.fields)))
    }

    public func updateHealthCheck(zone: String, backendID: String, healthCheck: LbHealthCheckSpec) async throws -> LbHealthCheck {
        try LbHealthCheck(json: try await client.call("PUT", "\(base(zone))/backends/\(backendID)/healthcheck", body: healthCheck.body))
    }

    public static func setServersBody(_ serverIPs: [String]) -> Value { .map(["server_ip": strings(serverIPs)]) }

    public func setBackendServers(zone: String, backendID: String, serverIPs: [String]) async throws -> LbBackend {
        try LbBackend(json: try await client.call("PUT", "\(base(zone))/backends/\(backendID)/servers", body: Self.setServersBody(serverIPs)))
    }

    public func deleteBackend(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/backends/\(id)")
    }

    // MARK: frontends

    public func createFrontend(zone: String, lbID: String, spec: LbFrontendSpec) async throws -> LbFrontend {
        try LbFrontend(json: try await client.call("POST", "\(base(zone))/lbs/\(lbID)/frontends", body: spec.body))
    }

    public func getFrontend(zone: String, id: String) async throws -> LbFrontend {
        try LbFrontend(json: try await client.call("GET", "\(base(zone))/frontends/\(id)"))
    }

    public func listFrontends(zone: String, lbID: String, name: String? = nil) async throws -> [LbFrontend] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base(zone))/lbs/\(lbID)/frontends", itemsKey: "frontends", query: query, style: .pageSize)
            .map { try LbFrontend(json: $0) }
    }

    public func updateFrontend(zone: String, id: String, spec: LbFrontendSpec) async throws -> LbFrontend {
        try LbFrontend(json: try await client.call("PUT", "\(base(zone))/frontends/\(id)", body: spec.body))
    }

    public func deleteFrontend(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/frontends/\(id)")
    }

    // MARK: ACLs

    /// The body of `POST /frontends/{id}/acls` and `PUT /acls/{id}`: `action` and `match` as the
    /// API spells them (`{type, redirect}`, `{ip_subnet, http_filter, ...}`).
    public static func aclBody(name: String, index: Int64, description: String, action: Value, match: Value) -> Value {
        .map(["name": .string(name), "index": .int(index), "description": .string(description), "action": action, "match": match])
    }

    public func listACLs(zone: String, frontendID: String) async throws -> [LbACL] {
        try await client.listAll("\(base(zone))/frontends/\(frontendID)/acls", itemsKey: "acls", query: [("order_by", "created_at_asc")],
                                 style: .pageSize).map { try LbACL(json: $0) }
    }

    /// Creates an ACL. A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createACL(zone: String, frontendID: String, body: Value) async throws -> LbACL {
        try LbACL(json: try await client.call("POST", "\(base(zone))/frontends/\(frontendID)/acls", body: body))
    }

    public func updateACL(zone: String, id: String, body: Value) async throws -> LbACL {
        try LbACL(json: try await client.call("PUT", "\(base(zone))/acls/\(id)", body: body))
    }

    public func deleteACL(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/acls/\(id)")
    }

    // MARK: certificates

    /// The body of `POST /lbs/{id}/certificates`: `letsencrypt` or `custom_certificate` (the chain
    /// may be a secret: it is revealed only on the wire).
    public static func createCertificateBody(name: String, letsencryptCommonName: String?, subjectAlternativeNames: [String],
                                             certificateChain: Value?) -> Value {
        var body: [String: Value] = ["name": .string(name)]
        if let cn = letsencryptCommonName {
            body["letsencrypt"] = .map(["common_name": .string(cn), "subject_alternative_name": strings(subjectAlternativeNames)])
        }
        if let certificateChain { body["custom_certificate"] = .map(["certificate_chain": certificateChain]) }
        return .map(body)
    }

    public func createCertificate(zone: String, lbID: String, body: Value) async throws -> LbCertificate {
        try LbCertificate(json: try await client.call("POST", "\(base(zone))/lbs/\(lbID)/certificates", body: body))
    }

    public func getCertificate(zone: String, id: String) async throws -> LbCertificate {
        try LbCertificate(json: try await client.call("GET", "\(base(zone))/certificates/\(id)"))
    }

    public func listCertificates(zone: String, lbID: String, name: String? = nil) async throws -> [LbCertificate] {
        var query: [(String, String)] = [("order_by", "created_at_asc")]
        if let name { query.append(("name", name)) }
        return try await client.listAll("\(base(zone))/lbs/\(lbID)/certificates", itemsKey: "certificates", query: query, style: .pageSize)
            .map { try LbCertificate(json: $0) }
    }

    public func updateCertificate(zone: String, id: String, name: String) async throws -> LbCertificate {
        try LbCertificate(json: try await client.call("PUT", "\(base(zone))/certificates/\(id)", body: .map(["name": .string(name)])))
    }

    public func deleteCertificate(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/certificates/\(id)")
    }
}

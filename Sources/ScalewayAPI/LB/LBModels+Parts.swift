// LBModels+Parts: backends (with the health check), frontends, ACLs and certificates of a load
// balancer, as the LB API serves them. Durations: integer milliseconds, or `"0.500s"` strings
// for `transient_check_delay` and `timeout_queue`.

import ScwCore

/// A backend's health check (`health_check`, or the answer of `PUT /backends/{id}/healthcheck`).
public struct LbHealthCheck: Sendable, Equatable {
    /// The config keys the API knows, one of which is set.
    public static let kinds = ["tcp_config", "http_config", "https_config", "mysql_config", "pgsql_config", "ldap_config", "redis_config"]

    public var port: Int64
    public var checkDelayMs: Int64?
    public var checkTimeoutMs: Int64?
    public var checkMaxRetries: Int64?
    public var checkSendProxy: Bool
    /// As served (`"0.500s"`).
    public var transientCheckDelay: String?
    /// `tcp_config`, `http_config`, ... (nil when none is set).
    public var kind: String?
    /// The fields of that config (`uri`, `method`, `code`, `host_header`, `sni`, `user`, ...).
    public var config: [String: Value]

    public init(json: Value, what: String = "LbHealthCheck") throws {
        let r = try FieldReader(json, what: what)
        port = try r.optionalInt("port") ?? 0
        checkDelayMs = try r.optionalInt("check_delay")
        checkTimeoutMs = try r.optionalInt("check_timeout")
        checkMaxRetries = try r.optionalInt("check_max_retries")
        checkSendProxy = try r.bool("check_send_proxy", default: false)
        transientCheckDelay = try r.optionalString("transient_check_delay")
        kind = Self.kinds.first { r.fields[$0] != nil && r.fields[$0] != .null }
        config = kind.flatMap { r.fields[$0]?.mapValue } ?? [:]
    }
}

/// A backend (`/lbs/{id}/backends`, `/backends/{id}`).
public struct LbBackend: Sendable {
    public var id: String
    public var name: String
    public var forwardProtocol: String
    public var forwardPort: Int64
    public var forwardPortAlgorithm: String
    public var stickySessions: String
    public var stickySessionsCookieName: String
    public var healthCheck: LbHealthCheck
    /// The server IPs (`server_ip` in requests).
    public var pool: [String]
    public var onMarkedDownAction: String
    public var proxyProtocol: String
    public var timeoutServerMs: Int64?
    public var timeoutConnectMs: Int64?
    public var timeoutTunnelMs: Int64?
    /// As served (`"4s"`).
    public var timeoutQueue: String?
    public var maxRetries: Int64?
    public var maxConnections: Int64?
    public var redispatchAttemptCount: Int64?
    public var failoverHost: String?
    public var sslBridging: Bool?
    public var ignoreSSLServerVerify: Bool?
    /// The load balancer (embedded in the answer).
    public var lb: LoadBalancer?
    public var raw: Value

    public init(json: Value, what: String = "LbBackend") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        forwardProtocol = try r.string("forward_protocol")
        forwardPort = try r.int("forward_port", default: 0)
        forwardPortAlgorithm = try r.optionalString("forward_port_algorithm") ?? "roundrobin"
        stickySessions = try r.optionalString("sticky_sessions") ?? "none"
        stickySessionsCookieName = try r.optionalString("sticky_sessions_cookie_name") ?? ""
        healthCheck = try LbHealthCheck(json: r.fields["health_check"] ?? .map([:]), what: "\(what).health_check")
        pool = try r.strings("pool")
        onMarkedDownAction = try r.optionalString("on_marked_down_action") ?? "on_marked_down_action_none"
        proxyProtocol = try r.optionalString("proxy_protocol") ?? "proxy_protocol_none"
        timeoutServerMs = try r.optionalInt("timeout_server")
        timeoutConnectMs = try r.optionalInt("timeout_connect")
        timeoutTunnelMs = try r.optionalInt("timeout_tunnel")
        timeoutQueue = try r.optionalString("timeout_queue")
        maxRetries = try r.optionalInt("max_retries")
        maxConnections = try r.optionalInt("max_connections")
        redispatchAttemptCount = try r.optionalInt("redispatch_attempt_count")
        failoverHost = try r.optionalString("failover_host")
        sslBridging = try r.optionalBool("ssl_bridging")
        ignoreSSLServerVerify = try r.optionalBool("ignore_ssl_server_verify")
        lb = try r.fields["lb"].flatMap { $0 == .null ? nil : try LoadBalancer(json: $0, what: "\(what).lb") }
        raw = json
    }
}

/// A frontend (`/lbs/{id}/frontends`, `/frontends/{id}`).
public struct LbFrontend: Sendable {
    public var id: String
    public var name: String
    public var inboundPort: Int64
    public var backendID: String
    public var lbID: String
    public var timeoutClientMs: Int64?
    public var certificateIDs: [String]
    public var enableHTTP3: Bool
    /// nil when unlimited (0 is read back as null).
    public var connectionRateLimit: Int64?
    public var enableAccessLogs: Bool
    public var raw: Value

    public init(json: Value, what: String = "LbFrontend") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        inboundPort = try r.int("inbound_port", default: 0)
        backendID = try FieldReader(r.fields["backend"] ?? .null, what: "\(what).backend").string("id")
        lbID = try FieldReader(r.fields["lb"] ?? .null, what: "\(what).lb").string("id")
        timeoutClientMs = try r.optionalInt("timeout_client")
        certificateIDs = try r.strings("certificate_ids")
        enableHTTP3 = try r.bool("enable_http3", default: false)
        connectionRateLimit = try r.optionalInt("connection_rate_limit")
        enableAccessLogs = try r.bool("enable_access_logs", default: false)
        raw = json
    }
}

/// An ACL of a frontend (`/frontends/{id}/acls`, `/acls/{id}`).
public struct LbACL: Sendable {
    public var id: String
    public var name: String
    public var index: Int64
    public var description: String
    /// `{type, redirect?}` and `{ip_subnet, http_filter, http_filter_value, http_filter_option, invert}` as served.
    public var action: Value
    public var match: Value
    public var raw: Value

    public init(json: Value, what: String = "LbACL") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        index = try r.int("index", default: 0)
        description = try r.optionalString("description") ?? ""
        action = r.fields["action"] ?? .null
        match = r.fields["match"] ?? .null
        _ = try FieldReader(action, what: "\(what).action").string("type")
        raw = json
    }
}

/// A certificate of a load balancer (`/lbs/{id}/certificates`, `/certificates/{id}`).
public struct LbCertificate: Sendable {
    public var id: String
    public var name: String
    /// `letsencryt` (sic) or `custom`.
    public var type: String
    /// `pending`, `ready`, `error`.
    public var status: String
    /// Why the status is `error`, when the API says.
    public var statusDetails: String?
    public var commonName: String
    public var subjectAlternativeName: [String]
    public var fingerprint: String?
    public var notValidBefore: String?
    public var notValidAfter: String?
    public var raw: Value

    public init(json: Value, what: String = "LbCertificate") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.string("name")
        type = try r.string("type")
        status = try r.string("status")
        statusDetails = try r.optionalString("status_details")
        commonName = try r.optionalString("common_name") ?? ""
        subjectAlternativeName = try r.strings("subject_alternative_name")
        fingerprint = try r.optionalString("fingerprint")
        notValidBefore = try r.optionalString("not_valid_before")
        notValidAfter = try r.optionalString("not_valid_after")
        raw = json
    }
}

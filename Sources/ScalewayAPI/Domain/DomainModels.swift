// DomainModels: typed views of the Domain API's DNS zones and records, and the record changes
// the records PATCH takes (add / set / delete / clear).

import ScwCore

/// A DNS zone (`subdomain.domain`).
public struct DNSZone: Sendable {
    public var domain: String
    public var subdomain: String
    public var ns: [String]
    public var nsDefault: [String]
    public var nsMaster: [String]
    /// `active`, `pending` (changes propagating), `error`, `locked`.
    public var status: String
    public var message: String?
    public var projectID: String
    public var updatedAt: String?
    public var raw: Value

    public init(json: Value, what: String = "DNSZone") throws {
        let r = try FieldReader(json, what: what)
        domain = try r.string("domain")
        subdomain = try r.optionalString("subdomain") ?? ""
        ns = try r.strings("ns")
        nsDefault = try r.strings("ns_default")
        nsMaster = try r.strings("ns_master")
        status = try r.optionalString("status") ?? "unknown"
        message = try r.optionalString("message")
        projectID = try r.string("project_id")
        updatedAt = try r.optionalString("updated_at")
        raw = json
    }

    /// The zone's name as paths take it: `app.example.com`.
    public var fqdn: String { subdomain.isEmpty ? domain : "\(subdomain).\(domain)" }
}

/// A record as the API holds it (TXT data quoted, MX data prefixed by its priority).
public struct DNSRecord: Sendable {
    public var id: String
    public var name: String
    public var type: String
    public var data: String
    public var ttl: Int64
    public var priority: Int64
    public var comment: String?
    public var updatedAt: String?
    /// The dynamic config held, if any: (`geo_ip_config` | `http_service_config` | `weighted_config` | `view_config`, value).
    public var config: (key: String, value: Value)?
    public var raw: Value

    public init(json: Value, what: String = "DNSRecord") throws {
        let r = try FieldReader(json, what: what)
        id = try r.string("id")
        name = try r.optionalString("name") ?? ""
        type = try r.string("type")
        data = try r.string("data")
        ttl = try r.int("ttl", default: 0)
        priority = try r.int("priority", default: 0)
        comment = try r.optionalString("comment")
        updatedAt = try r.optionalString("updated_at")
        config = DNSRecordSpec.configKeys.lazy.compactMap { key in r.fields[key].flatMap { $0 == .null ? nil : (key, $0) } }.first
        raw = json
    }
}

/// A record to add or set.
public struct DNSRecordSpec: Sendable, Equatable {
    public static let configKeys = ["geo_ip_config", "http_service_config", "weighted_config", "view_config"]

    public var name: String
    public var type: String
    public var data: String
    public var ttl: Int64
    public var priority: Int64
    public var comment: String?
    public var configKey: String?
    public var configValue: Value?

    public init(name: String, type: String, data: String, ttl: Int64, priority: Int64 = 0, comment: String? = nil,
                configKey: String? = nil, configValue: Value? = nil) {
        self.name = name
        self.type = type
        self.data = data
        self.ttl = ttl
        self.priority = priority
        self.comment = comment
        self.configKey = configKey
        self.configValue = configValue
    }

    /// As the provider sends it: `comment`, `id` and `updated_at` present and empty.
    public var body: Value {
        var b: [String: Value] = [
            "data": .string(data), "name": .string(name), "priority": .int(priority), "ttl": .int(ttl), "type": .string(type),
            "comment": comment.map(Value.string) ?? .null, "id": .string(""), "updated_at": .null,
        ]
        if let configKey, let configValue { b[configKey] = configValue }
        return .map(b)
    }
}

/// One entry of the records PATCH `changes`.
public enum DNSRecordChange: Sendable, Equatable {
    case add([DNSRecordSpec])
    /// Replaces the record with this id (it keeps the id).
    case set(id: String, [DNSRecordSpec])
    case delete(id: String)
    case clear

    public var body: Value {
        switch self {
        case .add(let records): return .map(["add": .map(["records": .list(records.map(\.body))])])
        case .set(let id, let records): return .map(["set": .map(["id": .string(id), "records": .list(records.map(\.body))])])
        case .delete(let id): return .map(["delete": .map(["id": .string(id)])])
        case .clear: return .map(["clear": .map([:])])
        }
    }
}

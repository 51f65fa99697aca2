// DomainRecord: one record of a DNS zone (Domain API, global). Created, changed and deleted
// through the zone's records PATCH (`add`, `set` by id, `delete` by id) and read back by its
// id. Data is checked per type before any write (an IPv4 for A, a host for CNAME/MX/NS...),
// host names are made fully qualified as Terraform does, a CNAME at the apex is refused.
// Records have no tags: an interrupted create is found by zone, name, type and data.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct DomainRecordResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let types = ["A", "AAAA", "CNAME", "TXT", "SRV", "TLSA", "MX", "NS", "PTR", "CAA", "ALIAS", "LOC", "SSHFP", "HINFO", "RP",
                        "URI", "DS", "NAPTR", "DNAME", "SVCB", "HTTPS"]
    /// Types whose data is a host name (made fully qualified).
    static let hostTypes: Set<String> = ["CNAME", "MX", "NS", "PTR", "ALIAS", "DNAME"]

    public static let schema = ResourceSchema(
        typeName: "DomainRecord",
        doc: "A DNS record in a DNS zone.",
        locality: .global,
        props: [
            PropSpec("dns_zone", .resourceID(types: ["DomainZone"]), required: true, change: .replace, doc: "The zone (`app.example.com`, or a DomainZone handle)."),
            PropSpec("name", .string, default: .string(""), doc: "The name in the zone (`www`); empty or `@` for the zone apex."),
            PropSpec("type", .string, required: true, change: .replace, allowed: types, doc: "Record type."),
            PropSpec("data", .string, required: true,
                     doc: "The value: an IPv4 address for A, IPv6 for AAAA, a host for CNAME/MX/NS/PTR/ALIAS (a bare label is taken in the zone), text for TXT."),
            PropSpec("ttl", .int, default: .int(3600), doc: "Time to live, in seconds (60 to 2592000)."),
            PropSpec("priority", .int, default: .int(0), doc: "Priority (MX, SRV)."),
            PropSpec("geo_ip", .object([
                PropSpec("matches", .list(.object([
                    PropSpec("countries", .list(.string), doc: "ISO country codes (`FR`)."),
                    PropSpec("continents", .list(.string), doc: "Continent codes (`EU`)."),
                    PropSpec("data", .string, required: true, doc: "The answer for these clients."),
                ])), required: true, doc: "Answers by client location; `data` answers the others."),
            ]), doc: "Answer by the client's location."),
            PropSpec("http_service", .object([
                PropSpec("ips", .list(.string), required: true, doc: "Addresses checked."),
                PropSpec("must_contain", .string, required: true, doc: "Text a healthy answer holds."),
                PropSpec("url", .string, required: true, doc: "URL checked on each address."),
                PropSpec("user_agent", .string, doc: "User-Agent of the checks."),
                PropSpec("strategy", .string, required: true, allowed: ["random", "hashed", "all"], doc: "Which healthy addresses answer."),
            ]), doc: "Answer with the addresses that pass an HTTP check."),
            PropSpec("weighted", .list(.object([
                PropSpec("ip", .string, required: true, doc: "An address."),
                PropSpec("weight", .int, required: true, doc: "Its share of the answers."),
            ])), doc: "Answer with addresses in proportion to their weight."),
            PropSpec("view", .list(.object([
                PropSpec("subnet", .string, required: true, format: .cidr, doc: "Clients from this subnet..."),
                PropSpec("data", .string, required: true, doc: "...get this answer."),
            ])), doc: "Answer by the client's subnet."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The record's UUID."),
            OutputSpec("fqdn", .string, doc: "`name.zone` (the zone for the apex)."),
            OutputSpec("root_zone", .bool, doc: "Whether the zone is its domain's root zone."),
            OutputSpec("dns_zone", .string),
            OutputSpec("name", .string),
            OutputSpec("type", .string),
            OutputSpec("data", .string, doc: "As the API keeps it (TXT quoted, MX prefixed by its priority)."),
            OutputSpec("ttl", .int),
            OutputSpec("priority", .int),
        ])

    static let configProps = ["geo_ip": "geo_ip_config", "http_service": "http_service_config", "weighted": "weighted_config", "view": "view_config"]

    var api: DomainAPI { DomainAPI(client: env.client) }

    // MARK: normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let at = Diagnostic.Place.resource(context.address)
        func unset(_ key: String) -> Bool { out[key] == nil || out[key] == .null }
        if unset("name") { out["name"] = .string("") }
        if unset("ttl") { out["ttl"] = .int(3600) }
        if unset("priority") { out["priority"] = .int(0) }
        if let name = out["name"]?.stringValue {
            let n = name == "@" ? "" : name.lowercased()
            guard n.isEmpty || DnsNames.isHostname(n, allowWildcard: true) else { throw Diagnostic("name '\(name)' is not a valid record name", at: at) }
            out["name"] = .string(n)
        }
        if let ttl = out["ttl"]?.intValue, !(60...2_592_000).contains(ttl) { throw Diagnostic("ttl must be between 60 and 2592000 seconds, got \(ttl)", at: at) }
        if let p = out["priority"]?.intValue, !(0...65535).contains(p) { throw Diagnostic("priority must be between 0 and 65535, got \(p)", at: at) }
        let configs = Self.configProps.keys.filter { !unset($0) }
        if configs.count > 1 { throw Diagnostic("give at most one of geo_ip, http_service, weighted and view; got \(configs.sorted().joined(separator: ", "))", at: at) }
        guard let type = out["type"]?.stringValue else { return out }
        if type == "CNAME", out["name"]?.stringValue == "" {
            throw Diagnostic("a CNAME cannot be at the zone apex (name empty or @): DNS forbids it beside the zone's NS and SOA records", at: at,
                             hint: "use type = \"ALIAS\" at the apex, or give the record a name")
        }
        if let data = out["data"]?.stringValue {
            out["data"] = .string(try Self.checkedData(data, type: type, zone: out["dns_zone"]?.stringValue, at: at))
        }
        return out
    }

    /// Data checked for its type; host names lower-cased and fully qualified (a bare label in the zone).
    static func checkedData(_ data: String, type: String, zone: String?, at: Diagnostic.Place) throws -> String {
        func refuse(_ what: String, hint: String? = nil) -> Diagnostic {
            Diagnostic("data '\(data)' is not \(what), as a \(type) record needs", at: at, hint: hint)
        }
        guard !data.isEmpty else { throw Diagnostic("data is empty", at: at) }
        switch type {
        case "A":
            guard let c = try? CIDR(parsing: data + "/32"), !c.isIPv6 else { throw refuse("an IPv4 address", hint: "use type = \"AAAA\" for IPv6") }
            return data
        case "AAAA":
            guard data.contains(":"), (try? CIDR(parsing: data + "/128"))?.isIPv6 == true else { throw refuse("an IPv6 address", hint: "use type = \"A\" for IPv4") }
            return data
        case _ where hostTypes.contains(type):
            if data == "@" { return (zone ?? "") + "." }
            let host = data.lowercased().trimmingSuffix(".")
            guard DnsNames.isHostname(host) else { throw refuse("a host name", hint: "e.g. target.example.com.") }
            if data.hasSuffix(".") || host.contains(".") { return host + "." }
            guard let zone else { return data }   // a bare label: known once the zone is
            return "\(host).\(zone)."
        case "SRV":
            // `[priority] weight port target`: numbers 0-65535, then a host name.
            let parts = data.split(separator: " ").map(String.init)
            guard (3...4).contains(parts.count), parts.dropLast().allSatisfy({ UInt16($0) != nil }),
                  DnsNames.isHostname(parts.last!.lowercased().trimmingSuffix(".")) || parts.last == "." else {
                throw refuse("'weight port target'", hint: "e.g. \"5 5060 sip.example.com.\" (priority goes in `priority`)")
            }
            return data
        case "CAA":
            // `flags tag value`: flags 0-255, a known tag, a value.
            let parts = data.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, UInt8(parts[0]) != nil, ["issue", "issuewild", "iodef"].contains(parts[1].lowercased()) else {
                throw refuse("'flags tag value'", hint: "e.g. 0 issue \"letsencrypt.org\"")
            }
            return data
        default:
            return data
        }
    }

    // MARK: calls

    static func zone(_ inputs: [String: Value], _ address: ResourceAddress) throws -> String {
        guard let zone = inputs["dns_zone"]?.stringValue, !zone.isEmpty else { throw Diagnostic("dns_zone is required", at: .resource(address)) }
        return zone
    }

    /// The record as sent.
    static func spec(_ inputs: [String: Value]) -> DNSRecordSpec {
        let data = inputs["data"]?.stringValue ?? ""
        var spec = DNSRecordSpec(name: inputs["name"]?.stringValue ?? "", type: inputs["type"]?.stringValue ?? "", data: data,
                                 ttl: inputs["ttl"]?.intValue ?? 3600, priority: inputs["priority"]?.intValue ?? 0)
        if let (prop, key) = configProps.first(where: { inputs[$0.key] != nil && inputs[$0.key] != .null }) {
            spec.configKey = key
            spec.configValue = config(prop, inputs[prop]!, data: data)
        }
        return spec
    }

    /// A config prop in the API's shape.
    static func config(_ prop: String, _ value: Value, data: String) -> Value {
        switch prop {
        case "geo_ip":
            let matches = (value["matches"]?.listValue ?? []).map { m -> Value in
                .map(["countries": m["countries"] ?? .list([]), "continents": m["continents"] ?? .list([]), "data": m["data"] ?? .string("")])
            }
            return .map(["matches": .list(matches), "default": .string(data)])
        case "http_service":
            return .map(["ips": value["ips"] ?? .list([]), "must_contain": value["must_contain"] ?? .string(""), "url": value["url"] ?? .string(""),
                         "user_agent": value["user_agent"] ?? .string(""), "strategy": value["strategy"] ?? .string("random")])
        case "weighted":
            return .map(["weighted_ips": .list((value.listValue ?? []).map { .map(["ip": $0["ip"] ?? .null, "weight": $0["weight"] ?? .int(0)]) })])
        default:
            return .map(["views": .list((value.listValue ?? []).map { .map(["subnet": $0["subnet"] ?? .null, "data": $0["data"] ?? .null]) })])
        }
    }

    /// The data the API keeps, as the script writes it: TXT unquoted, MX without its priority.
    static func plainData(_ record: DNSRecord) -> String {
        var data = record.data
        if record.type == "MX", data.hasPrefix("\(record.priority) ") { data = String(data.dropFirst("\(record.priority) ".count)) }
        if record.type == "TXT", data.count >= 2, data.hasPrefix("\""), data.hasSuffix("\"") { data = String(data.dropFirst().dropLast()) }
        return data
    }

    static func same(_ record: DNSRecord, as spec: DNSRecordSpec) -> Bool {
        record.name == spec.name && record.type == spec.type && (plainData(record) == spec.data || record.data == spec.data)
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let zone = try Self.zone(inputs, context.address)
        let spec = Self.spec(inputs)
        let records = try await CreateCall.run { try await api.updateRecords(zone: zone, [.add([spec])]) }
        guard let record = records.first(where: { Self.same($0, as: spec) }) ?? records.first else {
            throw Diagnostic("the records PATCH answered no record", at: .resource(context.address))
        }
        return CreateResult(id: record.id, outputs: try await outputs(record, zone: zone))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let zone = try Self.zone(inputs, context.address)
        do {
            guard let record = try await api.listRecords(zone: zone, id: id).first(where: { $0.id == id }) else { return nil }
            return ReadResult(outputs: try await outputs(record, zone: zone), observed: Self.observed(record, declared: inputs))
        } catch let error as APIError where error.isNotFound {
            return nil   // the zone went, with its records
        }
    }

    /// One `set` by id: the record keeps its id.
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let zone = try Self.zone(new, context.address)
        let records = try await api.updateRecords(zone: zone, [.set(id: id, [Self.spec(new)])])
        guard let record = records.first(where: { $0.id == id }) ?? records.first else {
            throw Diagnostic("the records PATCH answered no record", at: .resource(context.address))
        }
        return try await outputs(record, zone: zone)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let zone = try Self.zone(inputs, context.address)
        do { _ = try await api.updateRecords(zone: zone, [.delete(id: id)]) } catch let error as APIError where error.isNotFound { return }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["dns_zone"]?.stringValue else { return [] }
        let spec = Self.spec(inputs)
        do {
            var found: [CreateResult] = []
            for record in try await api.listRecords(zone: zone, name: spec.name, type: spec.type) where Self.same(record, as: spec) {
                found.append(CreateResult(id: record.id, outputs: try await outputs(record, zone: zone)))
            }
            return found
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    private func outputs(_ record: DNSRecord, zone: String) async throws -> [String: Value] {
        let root = try await api.getZone(zone).map { $0.subdomain.isEmpty } ?? false
        return ["id": .string(record.id), "fqdn": .string(record.name.isEmpty ? zone : "\(record.name).\(zone)"), "root_zone": .bool(root),
                "dns_zone": .string(zone), "name": .string(record.name), "type": .string(record.type), "data": .string(record.data),
                "ttl": .int(record.ttl), "priority": .int(record.priority)]
    }

    /// What the cloud holds, in the script's terms (TXT unquoted, MX without priority prefix, configs as declared when equal).
    static func observed(_ record: DNSRecord, declared: [String: Value]) -> [String: Value] {
        var out: [String: Value] = ["name": .string(record.name), "type": .string(record.type), "data": .string(plainData(record)),
                                    "ttl": .int(record.ttl), "priority": .int(record.priority)]
        if let wanted = declared["data"]?.stringValue, wanted == record.data { out["data"] = .string(wanted) }   // given quoted
        let spec = spec(declared)
        for (prop, key) in configProps {
            let have = record.config.flatMap { $0.key == key ? $0.value : nil }
            if let have, spec.configKey == key, have == spec.configValue { out[prop] = declared[prop] } else { out[prop] = have ?? .null }
        }
        return out
    }
}

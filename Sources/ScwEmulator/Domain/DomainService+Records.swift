// Domain records: listing (name, type, id filters, name order, pages) and the one PATCH that
// changes them: `add`, `set` (by id or id_fields; the record keeps its id), `delete`, `clear`,
// applied in order in one transaction; data checked per type and served as the API serves it
// (TXT quoted, MX prefixed by its priority).

extension DomainService {
    static let types: Set<String> = ["A", "AAAA", "CNAME", "TXT", "SRV", "TLSA", "MX", "NS", "PTR", "CAA", "ALIAS", "LOC", "SSHFP",
                                     "HINFO", "RP", "URI", "DS", "NAPTR", "DNAME", "SVCB", "HTTPS"]
    static let configKeys = ["geo_ip_config", "http_service_config", "weighted_config", "view_config"]

    static func records(of zone: String, in state: CloudState) -> [Record] {
        state.list(recordKind).filter { $0.meta["dns_zone"]?.stringValue == zone }
    }

    /// The served record: its body (the zone is kept in meta).
    static func render(record: Record) -> JSONValue { .object(record.body) }

    @discardableResult
    func insertRecord(zone: String, fields: [String: JSONValue], id: String? = nil, in state: inout CloudState) -> Record {
        let id = id ?? Clock.uuid()
        var body = fields
        body["id"] = .string(id)
        body["updated_at"] = .string(DomainService.timestamp())
        return state.insert(kind: DomainService.recordKind, id: id, body: body, meta: ["dns_zone": .string(zone)])
    }

    func listRecords(_ request: APIRequest) throws -> HTTPResponse {
        let fqdn = request.param("dns_zone").lowercased()
        let page = try ListQuery.page(request)
        let name = request.http.queryValue("name").flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let type = ListQuery.string(request, "type").flatMap { $0 == "unknown" ? nil : $0.uppercased() }
        let id = ListQuery.string(request, "id")
        let descending = ListQuery.string(request, "order_by") == "name_desc"
        let items = try context.store.read { state -> [JSONValue] in
            guard state.get(DomainService.zoneKind, fqdn) != nil else { throw APIError.notFound(resource: "dns_zone", id: fqdn) }
            let found = DomainService.records(of: fqdn, in: state).filter { r in
                (name == nil || r.name == (name == "@" ? "" : name!)) && (type == nil || r.body["type"]?.stringValue == type)
                    && (id == nil || r.id == id)
            }.sorted { descending ? ($0.name, $0.seq) > ($1.name, $1.seq) : ($0.name, $0.seq) < ($1.name, $1.seq) }
            return found.map(DomainService.render(record:))
        }
        return ListQuery.bodyPage("records", items, page)
    }

    func updateRecords(_ request: APIRequest) throws -> HTTPResponse {
        let fqdn = request.param("dns_zone").lowercased()
        let input = try request.body()
        guard let changes = input.raw("changes")?.arrayValue else {
            throw APIError.invalidArgument("changes", reason: "required", help: "changes must be an array of add, set, delete or clear")
        }
        let returnAll = try input.bool("return_all_records") ?? false
        let allowCreate = !(try input.bool("disallow_new_zone_creation") ?? false)
        let answer = try context.store.write { state -> [JSONValue] in
            var zone = try self.zone(fqdn, create: allowCreate, in: &state)
            var affected: [String] = []
            for (index, change) in changes.enumerated() {
                let at = "changes.\(index)"
                guard case .object(let fields) = change, fields.count == 1, let (verb, value) = fields.first else {
                    throw APIError.invalidArgument(at, reason: "format", help: "a change holds exactly one of add, set, delete, clear")
                }
                switch verb {
                case "add":
                    for (i, raw) in (value["records"]?.arrayValue ?? []).enumerated() {
                        let fields = try DomainService.checkedRecord(raw, at: "\(at).add.records.\(i)", zone: fqdn)
                        try DomainService.checkConflicts(fields, zone: fqdn, replacing: [], in: state, at: "\(at).add.records.\(i)")
                        affected.append(insertRecord(zone: fqdn, fields: fields, in: &state).id)
                    }
                case "set":
                    let matched = try DomainService.matching(value, zone: fqdn, in: state, at: "\(at).set")
                    let new = try (value["records"]?.arrayValue ?? []).enumerated().map {
                        try DomainService.checkedRecord($1, at: "\(at).set.records.\($0)", zone: fqdn)
                    }
                    for record in matched { state.remove(DomainService.recordKind, record.id) }
                    for (i, fields) in new.enumerated() {
                        try DomainService.checkConflicts(fields, zone: fqdn, replacing: matched.map(\.id), in: state, at: "\(at).set.records.\(i)")
                        let keep = i < matched.count ? matched[i] : nil
                        let record = insertRecord(zone: fqdn, fields: fields, id: keep?.id, in: &state)
                        if let keep {   // a record set in place keeps its id and its place in lists
                            var moved = record
                            moved.seq = keep.seq
                            state.put(moved)
                        }
                        affected.append(record.id)
                    }
                case "delete":
                    let matched = try DomainService.matching(value, zone: fqdn, in: state, at: "\(at).delete")
                    guard !matched.isEmpty else { throw APIError.notFound(resource: "dns_record", id: value["id"]?.stringValue ?? "") }
                    for record in matched { state.remove(DomainService.recordKind, record.id) }
                case "clear":
                    for record in DomainService.records(of: fqdn, in: state)
                    where !(record.name.isEmpty && record.body["type"]?.stringValue == "NS") {
                        state.remove(DomainService.recordKind, record.id)
                    }
                default:
                    throw APIError.invalidArgument(at, reason: "unknown", help: "unknown change \"\(verb)\"; use add, set, delete or clear")
                }
            }
            zone.body["updated_at"] = .string(DomainService.timestamp())
            zone.meta["active_at"] = .double(max(zone.meta["active_at"]?.doubleLike ?? 0, activeAt()))
            state.put(zone)
            let shown = returnAll ? DomainService.records(of: fqdn, in: state)
                : affected.compactMap { state.get(DomainService.recordKind, $0) }
            return shown.map(DomainService.render(record:))
        }
        return .json(200, .object(["records": .array(answer)]))
    }

    /// The records a `set` or `delete` names: by `id`, or by `id_fields` {name, type, data?, ttl?}.
    static func matching(_ value: JSONValue, zone: String, in state: CloudState, at: String) throws -> [Record] {
        let all = records(of: zone, in: state)
        if let id = value["id"]?.stringValue, !id.isEmpty {
            guard let record = all.first(where: { $0.id == id }) else { throw APIError.notFound(resource: "dns_record", id: id) }
            return [record]
        }
        guard let fields = value["id_fields"]?.objectValue else {
            throw APIError.invalidArgument(at, reason: "required", help: "give the record's id or id_fields")
        }
        let name = fields["name"]?.stringValue.map { $0 == "@" ? "" : $0.lowercased() } ?? ""
        let type = fields["type"]?.stringValue?.uppercased()
        return all.filter { r in
            r.name == name && (type == nil || r.body["type"]?.stringValue == type)
                && (fields["data"]?.stringValue == nil || r.body["data"]?.stringValue == fields["data"]?.stringValue)
                && (fields["ttl"]?.intValue == nil || r.body["ttl"]?.intValue == fields["ttl"]?.intValue)
        }
    }

    /// A record of a change, validated, in its served form (without id and updated_at).
    static func checkedRecord(_ raw: JSONValue, at: String, zone: String) throws -> [String: JSONValue] {
        guard case .object(let input) = raw else { throw APIError.invalidArgument(at, reason: "format", help: "a record must be an object") }
        let body = RequestBody(fields: input)
        var name = (try body.string("name") ?? "").lowercased()
        if name == "@" { name = "" }
        guard name.isEmpty || isHostname(name, allowWildcard: true) else {
            throw APIError.invalidArgument("\(at).name", reason: "format", help: "\"\(name)\" is not a valid record name")
        }
        guard let type = try body.string("type")?.uppercased(), types.contains(type) else {
            throw APIError.invalidArgument("\(at).type", reason: "constraint", help: "type must be one of \(types.sorted().joined(separator: ", "))")
        }
        guard var data = try body.string("data"), !data.isEmpty else {
            throw APIError.invalidArgument("\(at).data", reason: "required", help: "data is required")
        }
        let ttl = try body.int("ttl") ?? 3600
        guard (60...2_592_000).contains(ttl) else {
            throw APIError.invalidArgument("\(at).ttl", reason: "constraint", help: "ttl must be between 60 and 2592000 seconds")
        }
        let priority = try body.int("priority") ?? 0
        guard priority >= 0 && priority <= 65535 else {
            throw APIError.invalidArgument("\(at).priority", reason: "constraint", help: "priority must be between 0 and 65535")
        }
        func invalid(_ what: String) -> APIError {
            .invalidArgument("\(at).data", reason: "format", help: "\"\(data)\" is not \(what) (type \(type))")
        }
        switch type {
        case "A": guard CIDR("\(data)/32")?.isIPv4 == true else { throw invalid("an IPv4 address") }
        case "AAAA": guard data.contains(":"), CIDR("\(data)/128") != nil else { throw invalid("an IPv6 address") }
        case "CNAME", "NS", "PTR", "ALIAS", "DNAME", "MX":
            let host = data.hasSuffix(".") ? String(data.dropLast()) : data
            guard isHostname(host) else { throw invalid("a host name") }
            if type == "CNAME" && name.isEmpty {
                throw APIError.invalidArgument("\(at).type", reason: "constraint", help: "a CNAME cannot be at the zone apex; use ALIAS")
            }
            if type == "MX" { data = "\(priority) \(data)" }
        case "TXT":
            if !(data.hasPrefix("\"") && data.hasSuffix("\"") && data.count >= 2) { data = "\"\(data)\"" }
        default:
            break
        }
        var out: [String: JSONValue] = [
            "name": .string(name), "type": .string(type), "data": .string(data), "ttl": .int(ttl), "priority": .int(priority),
            "comment": input["comment"].flatMap { $0.stringValue.map(JSONValue.string) } ?? .null,
        ]
        let configs = configKeys.filter { input[$0] != nil && input[$0] != .null }
        guard configs.count <= 1 else {
            throw APIError.invalidArgument(at, reason: "constraint", help: "at most one of \(configKeys.joined(separator: ", ")) may be set")
        }
        if let key = configs.first { out[key] = input[key] }
        return out
    }

    /// A CNAME shares its name with no other record (the DNS rule), nor does an exact duplicate exist.
    static func checkConflicts(_ fields: [String: JSONValue], zone: String, replacing: [String], in state: CloudState, at: String) throws {
        let name = fields["name"]?.stringValue ?? ""
        let type = fields["type"]?.stringValue ?? ""
        let others = records(of: zone, in: state).filter { $0.name == name && !replacing.contains($0.id) }
        if let same = others.first(where: { $0.body["type"]?.stringValue == type && $0.body["data"] == fields["data"] }) {
            throw APIError.alreadyExists(resource: "dns_record", id: same.id, help: "the record \(type) \(name) \(fields["data"]?.stringValue ?? "") already exists")
        }
        if type == "CNAME" && !others.isEmpty || others.contains(where: { $0.body["type"]?.stringValue == "CNAME" }) && type != "CNAME" {
            throw APIError.invalidArgument("\(at).type", reason: "constraint", help: "a CNAME record cannot share its name \"\(name)\" with other records")
        }
    }
}

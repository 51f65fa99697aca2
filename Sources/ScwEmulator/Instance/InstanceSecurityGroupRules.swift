// Security group rules: `PUT .../rules` replaces the whole editable list (validated, new ids,
// positions 1..n), non-editable default rules (SMTP drops) are kept; `GET .../rules` is paginated.

extension InstanceService {
    /// The non-editable outbound drops of SMTP ports that `enable_default_security` adds.
    static func defaultRules(zone: String) -> [JSONValue] {
        var rules: [JSONValue] = []
        for range in ["0.0.0.0/0", "::/0"] {
            for port in [25, 465, 587] {
                rules.append(rule(action: "drop", protocol: "TCP", direction: "outbound", ipRange: range, from: port, to: nil,
                                  position: rules.count + 1, editable: false, zone: zone))
            }
        }
        return rules
    }

    private static func rule(action: String, protocol proto: String, direction: String, ipRange: String, from: Int?, to: Int?,
                             position: Int, editable: Bool, zone: String) -> JSONValue {
        .object([
            "id": .string(Clock.uuid()), "protocol": .string(proto), "direction": .string(direction), "ip_range": .string(ipRange),
            "dest_ip_range": .null, "dest_port_from": from.map { .int($0) } ?? .null, "dest_port_to": to.map { .int($0) } ?? .null,
            "position": .int(position), "editable": .bool(editable), "action": .string(action), "zone": .string(zone),
        ])
    }

    static func rules(of sg: Record) -> [JSONValue] { sg.meta["rules"]?.arrayValue ?? [] }

    static func setDefaultRules(of sg: inout Record, enabled: Bool) {
        let editable = rules(of: sg).filter { $0["editable"]?.boolValue != false }
        sg.meta["rules"] = .array((enabled ? defaultRules(zone: sg.zone ?? "") : []) + editable)
    }

    /// One editable rule of a PUT body, validated and normalised (a /32 or /128 range is served
    /// as a bare address, as recorded).
    private static func parseRule(_ value: JSONValue, index: Int, position: Int, zone: String) throws -> JSONValue {
        guard case .object(let fields) = value else { throw APIError.instanceValidation("rules.\(index)", "expected an object") }
        let item = RequestBody(fields: fields)
        func oneOf(_ key: String, _ allowed: [String], default fallback: String? = nil) throws -> String {
            guard let v = try item.string(key) ?? fallback else {
                throw APIError.instanceValidation("rules.\(index).\(key)", "required key not provided")
            }
            guard allowed.contains(v) else {
                throw APIError.instanceValidation("rules.\(index).\(key)", "\"\(v)\" is not one of \(allowed.joined(separator: ", "))")
            }
            return v
        }
        let action = try oneOf("action", ["accept", "drop"])
        let proto = try oneOf("protocol", ["TCP", "UDP", "ICMP", "ANY"], default: "TCP")
        let direction = try oneOf("direction", ["inbound", "outbound"])
        let rangeText = try item.string("ip_range") ?? "0.0.0.0/0"
        guard let cidr = CIDR(rangeText.contains("/") ? rangeText : rangeText + (rangeText.contains(":") ? "/128" : "/32")) else {
            throw APIError.instanceValidation("rules.\(index).ip_range", "\"\(rangeText)\" is not an IP address or CIDR range")
        }
        guard cidr.isNetworkAddress else {
            throw APIError.instanceValidation("rules.\(index).ip_range", "\"\(rangeText)\" has host bits set; did you mean \(cidr.masked)?")
        }
        let hostPrefix = cidr.isIPv4 ? 32 : 128
        let range = cidr.prefix == hostPrefix ? String(cidr.description.split(separator: "/")[0]) : cidr.description
        var from = try item.int("dest_port_from")
        var to = try item.int("dest_port_to")
        if proto == "ICMP" || proto == "ANY" {
            guard from == nil && to == nil else {
                throw APIError.instanceValidation("rules.\(index).dest_port_from", "ports are only allowed with TCP and UDP, not \(proto)")
            }
        }
        for (key, port) in [("dest_port_from", from), ("dest_port_to", to)] {
            if let port, !(1...65535).contains(port) {
                throw APIError.instanceValidation("rules.\(index).\(key)", "port must be between 1 and 65535, got \(port)")
            }
        }
        if to != nil && from == nil { from = to }
        if let f = from, let t = to {
            guard t >= f else {
                throw APIError.instanceValidation("rules.\(index).dest_port_to", "must not be lower than dest_port_from (\(f)), got \(t)")
            }
            if t == f { to = nil }
        }
        return rule(action: action, protocol: proto, direction: direction, ipRange: range, from: from, to: to,
                    position: position, editable: true, zone: zone)
    }

    /// `{"rules":[...]}` → 200 `{"rules":[...]}`: non-editable rules first, then the new editable list.
    func setRules(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard case .array(let items)? = input.raw("rules") else {
            throw APIError.instanceValidation("rules", "required: an array of rules (possibly empty)")
        }
        return .json(200, .object(["rules": .array(try store.write { state, now in
            var sg = try InstanceService.find(InstanceService.securityGroupKind, request.param("id"), zone: zone, in: state)
            let fixed = InstanceService.rules(of: sg).filter { $0["editable"]?.boolValue == false }
            let fixedIDs = Set(fixed.compactMap { $0["id"]?.stringValue })
            var editable: [JSONValue] = []
            for (index, item) in items.enumerated() {
                if item["editable"]?.boolValue == false { continue }   // non-editable rules are not the caller's to set
                if let id = item["id"]?.stringValue, fixedIDs.contains(id) { continue }
                editable.append(try InstanceService.parseRule(item, index: index, position: editable.count + 1, zone: zone))
            }
            let old = InstanceService.rules(of: sg).filter { $0["editable"]?.boolValue != false }
            func withoutID(_ rules: [JSONValue]) -> [JSONValue] {
                rules.map { rule in
                    guard case .object(var fields) = rule else { return rule }
                    fields["id"] = nil
                    return .object(fields)
                }
            }
            sg.meta["rules"] = .array(fixed + editable)
            if withoutID(old) != withoutID(editable) {
                sg.body["modification_date"] = .string(Clock.instanceTimestamp())
                Transient.mark(&sg, "syncing", speed: context.speed, now: now)
            }
            state.put(sg)
            return fixed + editable
        })]))
    }

    func listRules(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let rules = try store.read { state in
            InstanceService.rules(of: try InstanceService.find(InstanceService.securityGroupKind, request.param("id"), zone: zone, in: state))
        }
        return try InstanceService.listPage("rules", rules, request)
    }
}

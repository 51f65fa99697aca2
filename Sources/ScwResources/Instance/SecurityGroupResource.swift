// SecurityGroup: an Instance security group (zonal) and its rules, always set as one list with PUT;
// Scaleway's own non-editable rules are left alone and hidden from diffs. A group used by this
// stack's servers is deleted once they are gone; one used by anything else fails clearly.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct SecurityGroupResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let ruleFields: [PropSpec] = [
        PropSpec("direction", .string, allowed: ["inbound", "outbound"], doc: "`inbound` (default) or `outbound`."),
        PropSpec("action", .string, allowed: ["accept", "drop"], doc: "`accept` (default) or `drop`."),
        PropSpec("protocol", .string, allowed: ["TCP", "UDP", "ICMP", "ANY"], doc: "`TCP` (default), `UDP`, `ICMP` or `ANY`."),
        PropSpec("port", .int, range: 1...65_535, doc: "One port, 1-65535 (TCP and UDP only)."),
        PropSpec("port_range", .string, doc: "A range `\"from-to\"`, e.g. `\"8000-8080\"` (TCP and UDP only)."),
        PropSpec("ip_range", .string, format: .cidr, doc: "Source (inbound) or destination (outbound) CIDR; default `0.0.0.0/0`."),
    ]

    public static let schema = ResourceSchema(
        typeName: "SecurityGroup",
        doc: "An Instance security group: default policies and an ordered list of rules, set all at once.",
        locality: .zonal,
        props: [
            CommonProps.name(),
            PropSpec("description", .string, doc: "Free text."),
            PropSpec("stateful", .bool, default: .bool(true), doc: "Let answers to allowed traffic through (default true)."),
            PropSpec("inbound_default_policy", .string, default: .string("accept"), allowed: ["accept", "drop"],
                     doc: "What happens to inbound traffic no rule matches."),
            PropSpec("outbound_default_policy", .string, default: .string("accept"), allowed: ["accept", "drop"],
                     doc: "What happens to outbound traffic no rule matches."),
            PropSpec("enable_default_security", .bool, default: .bool(true),
                     doc: "Let Scaleway block outbound SMTP (its non-editable rules, which scwlua leaves alone)."),
            PropSpec("rules", .list(.object(ruleFields)), default: .list([]),
                     doc: "Ordered rules `{ direction, action, protocol, port | port_range, ip_range }`; the first match wins."),
            CommonProps.zone,
            CommonProps.projectID,
            CommonProps.tags,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
            OutputSpec("state", .string, doc: "`available`, `syncing` or `syncing_error`."),
        ])

    var api: InstanceAPI { InstanceAPI(client: env.client) }

    // MARK: Normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        try InstanceShared.normalizeZone(&out, env: env, context: context)
        for (key, value) in [("stateful", Value.bool(true)), ("inbound_default_policy", .string("accept")),
                             ("outbound_default_policy", .string("accept")), ("enable_default_security", .bool(true)), ("rules", .list([]))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        if case .list(let rules)? = out["rules"] {
            out["rules"] = .list(try rules.enumerated().map { try Self.normalizeRule($1, index: $0, context: context) })
        }
        return out
    }

    /// A rule with its defaults filled, `port_range "80-80"` turned into `port 80`, and ports
    /// checked (1-65535, TCP and UDP only).
    static func normalizeRule(_ rule: Value, index: Int, context: ProviderContext) throws -> Value {
        guard case .map(var m) = rule else { return rule }
        let path = "\(context.address): rules[\(index + 1)]"
        for (key, value) in [("direction", "inbound"), ("action", "accept"), ("protocol", "TCP"), ("ip_range", "0.0.0.0/0")]
        where m[key] == nil || m[key] == .null {
            m[key] = .string(value)
        }
        for key in ["port", "port_range"] where m[key] == .null { m[key] = nil }
        if m["port"] != nil, m["port_range"] != nil { throw Diagnostic("\(path): give port or port_range, not both") }
        if let port = m["port"]?.intValue, !(1...65535).contains(port) {
            throw Diagnostic("\(path): port \(port) is out of range (1-65535)")
        }
        if let text = m["port_range"]?.stringValue {
            guard let (from, to) = parseRange(text) else {
                throw Diagnostic("\(path): port_range '\(text)' should be \"from-to\", e.g. \"8000-8080\"")
            }
            for p in [from, to] where !(1...65535).contains(p) {
                throw Diagnostic("\(path): port \(p) in port_range '\(text)' is out of range (1-65535)")
            }
            if from > to { throw Diagnostic("\(path): port_range '\(text)' starts after it ends") }
            if from == to {
                m["port_range"] = nil
                m["port"] = .int(from)
            } else {
                m["port_range"] = .string("\(from)-\(to)")
            }
        }
        if let proto = m["protocol"]?.stringValue, proto == "ICMP" || proto == "ANY", m["port"] != nil || m["port_range"] != nil {
            throw Diagnostic("\(path): ports only apply to TCP and UDP rules, not \(proto)")
        }
        return .map(m)
    }

    static func parseRange(_ text: String) -> (Int64, Int64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int64(parts[0].trimmingCharacters()), let b = Int64(parts[1].trimmingCharacters()) else { return nil }
        return (a, b)
    }

    /// A normalized rule as the API takes it.
    static func apiRule(_ rule: Value) -> SecurityGroupRule {
        var from: Int64?, to: Int64?
        if let port = rule["port"]?.intValue {
            from = port
        } else if let text = rule["port_range"]?.stringValue, let (a, b) = parseRange(text) {
            (from, to) = (a, b)
        }
        return SecurityGroupRule(proto: rule["protocol"]?.stringValue ?? "TCP", direction: rule["direction"]?.stringValue ?? "inbound",
                                 action: rule["action"]?.stringValue ?? "accept", ipRange: rule["ip_range"]?.stringValue ?? "0.0.0.0/0",
                                 destPortFrom: from, destPortTo: to)
    }

    /// A rule read back, in the normalized script form (a bare address gets its /32 or /128).
    static func scriptRule(_ rule: SecurityGroupRule) -> Value {
        var m: [String: Value] = [
            "direction": .string(rule.direction),
            "action": .string(rule.action),
            "protocol": .string(rule.proto),
            "ip_range": .string(rule.ipRange.contains("/") ? rule.ipRange : rule.ipRange + (rule.ipRange.contains(":") ? "/128" : "/32")),
        ]
        if let from = rule.destPortFrom {
            if let to = rule.destPortTo, to != from { m["port_range"] = .string("\(from)-\(to)") } else { m["port"] = .int(from) }
        }
        return .map(m)
    }

    // MARK: Create, read, update

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        let finalTags = OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context)
        var group: SecurityGroup
        let pending = try await api.listSecurityGroups(zone: zone, tags: [OwnershipTags.urnTag(context), InstanceShared.pendingTag])
            .filter { OwnershipTags.owned($0.tags, by: context) }
        if let interrupted = pending.first {
            // An interrupted create left it without its rules: finish that one.
            context.phase("resuming the security group an interrupted create made")
            group = interrupted
        } else {
            let attempt = InstanceShared.attemptTag()
            do {
                group = try await api.createSecurityGroup(
                    zone: zone, name: try i.requireString("name"), projectID: i.string("project_id"), description: i.string("description"),
                    stateful: i.bool("stateful") ?? true, inboundDefaultPolicy: i.string("inbound_default_policy") ?? "accept",
                    outboundDefaultPolicy: i.string("outbound_default_policy") ?? "accept",
                    enableDefaultSecurity: i.bool("enable_default_security") ?? true, tags: finalTags + [InstanceShared.pendingTag, attempt])
            } catch let error as AmbiguousWriteError {
                // Made or not? This attempt's group still needs its rules: finish it if it is there.
                let mine = try await api.listSecurityGroups(zone: zone, tags: [attempt])
                guard mine.count == 1 else { throw AmbiguousCreateError(detail: String(describing: error)) }
                group = mine[0]
            }
        }
        let rules = inputs["rules"]?.listValue ?? []
        if !rules.isEmpty || !pending.isEmpty {
            context.phase("setting \(rules.count) rules")
            _ = try await api.setRules(zone: zone, securityGroupID: group.id, rules: rules.map(Self.apiRule))
        }
        // Done: the declared fields (a resumed group may predate a script change) and the final tags.
        group = try await api.updateSecurityGroup(zone: zone, id: group.id, body: InstanceAPI.updateSecurityGroupBody(
            name: i.string("name"), description: i.string("description").map(Value.string), stateful: i.bool("stateful"),
            inboundDefaultPolicy: i.string("inbound_default_policy"), outboundDefaultPolicy: i.string("outbound_default_policy"),
            enableDefaultSecurity: i.bool("enable_default_security"), tags: finalTags))
        return CreateResult(id: InstanceShared.zonalID(zone, group.id), outputs: Self.outputs(group))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let group = try await api.getSecurityGroup(zone: lid.locality, id: lid.uuid)
            let rules = try await api.listRules(zone: lid.locality, securityGroupID: lid.uuid)
            return ReadResult(outputs: Self.outputs(group), observed: Self.observed(group, rules: rules), ownerStack: OwnershipTags.stack(of: group.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// Sends only what differs from the cloud: the group's fields by one PATCH when one of
    /// them (or the tags) changed, the rules by one PUT when the editable rules differ (which
    /// also puts back rules changed outside scwlua).
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let i = Inputs(new, context.address)
        var group = try await api.getSecurityGroup(zone: lid.locality, id: lid.uuid)
        let description: Value? = i.string("description").map(Value.string) ?? (old["description"]?.stringValue != nil ? .null : nil)
        let body = InstanceAPI.updateSecurityGroupBody(
            name: UpdateFields.changed(i.string("name"), from: group.name),
            description: UpdateFields.changed(description, from: group.description.map(Value.string) ?? .null),
            stateful: UpdateFields.changed(i.bool("stateful"), from: group.stateful),
            inboundDefaultPolicy: UpdateFields.changed(i.string("inbound_default_policy"), from: group.inboundDefaultPolicy),
            outboundDefaultPolicy: UpdateFields.changed(i.string("outbound_default_policy"), from: group.outboundDefaultPolicy),
            enableDefaultSecurity: UpdateFields.changed(i.bool("enable_default_security"), from: group.enableDefaultSecurity),
            tags: UpdateFields.tags(i, current: group.tags, context: context))
        if !UpdateFields.isEmpty(body) {
            group = try await api.updateSecurityGroup(zone: lid.locality, id: lid.uuid, body: body)
        }
        if let rules = new["rules"]?.listValue {
            let current = try await api.listRules(zone: lid.locality, securityGroupID: lid.uuid)
            if Self.editableRules(current) != rules.map({ Self.scriptRule(Self.apiRule($0)) }) {
                context.phase("setting \(rules.count) rules")
                _ = try await api.setRules(zone: lid.locality, securityGroupID: lid.uuid, rules: rules.map(Self.apiRule))
            }
        }
        return Self.outputs(group)
    }

    // MARK: Delete, find

    /// Deletes the group. While servers use it the API answers 409: when they all belong to
    /// this stack (they are going in this run) the delete is retried until they are gone;
    /// when one does not, it fails at once, naming it.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let group: SecurityGroup
        do {
            group = try await api.getSecurityGroup(zone: lid.locality, id: lid.uuid)
        } catch let error as APIError where error.isNotFound {
            return
        }
        try await refuseForeignServers(group, zone: lid.locality, context: context)
        if !group.servers.isEmpty { context.phase("waiting for \(group.servers.count) server(s) to leave it") }
        try await Deletion.deleteRetryingWhileInUse(what: "security group \(id)", timeout: InstanceShared.timeout(context.timeouts.delete, default: 600),
                                                    interval: env.pollInterval, context: context) {
            try await api.deleteSecurityGroup(zone: lid.locality, id: lid.uuid)
        }
    }

    private func refuseForeignServers(_ group: SecurityGroup, zone: String, context: ProviderContext) async throws {
        var foreign: [String] = []
        for ref in group.servers {
            do {
                let server = try await api.getServer(zone: zone, id: ref.id)
                if !InstanceShared.sameStack(server.tags, context) { foreign.append("\(server.name) (\(zone)/\(server.id))") }
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
        if !foreign.isEmpty {
            throw Diagnostic("is used by server(s) this stack does not manage: \(foreign.joined(separator: ", ")); refusing to delete it",
                             at: .resource(context.address), hint: "move those servers to another security group first")
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        let found = try await api.listSecurityGroups(zone: zone, tags: [OwnershipTags.urnTag(context)])
        // A group still tagged pending lacks its rules: reported half-made (a deploy finishes it).
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map {
            CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0), halfMade: $0.tags.contains(InstanceShared.pendingTag))
        }
    }

    /// Every group of the stack in a zone and project, by the stack's tag, 100 a page. The
    /// rules have no list across groups: each group the list showed still costs one rules
    /// call (half of what `read` costs), ten at a time.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        let api = self.api
        return try await BatchRead.run(rows, defaultLocality: env.defaultZone) { scope, scopeRows in
            let wanted = Set(BatchRead.inputsByUUID(scopeRows, defaultLocality: scope.locality).keys)
            let found = try await api.listSecurityGroups(zone: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
                .filter { wanted.contains($0.id) }
            return try await BatchRead.each(found) { sg in
                do {
                    let rules = try await api.listRules(zone: scope.locality, securityGroupID: sg.id)
                    return (sg.id, ReadResult(outputs: Self.outputs(sg), observed: Self.observed(sg, rules: rules)))
                } catch let error as APIError where error.isNotFound {
                    return (sg.id, nil)   // went after the list: read on its own
                }
            }
        }
    }

    static func outputs(_ group: SecurityGroup) -> [String: Value] {
        [
            "id": .string(InstanceShared.zonalID(group.zone, group.id)),
            "name": .string(group.name),
            "zone": .string(group.zone),
            "project_id": .string(group.projectID),
            "state": group.state.map(Value.string) ?? .null,
        ]
    }

    /// The editable rules (Scaleway's own left out), in position order, in the script form.
    static func editableRules(_ rules: [SecurityGroupRule]) -> [Value] {
        rules.filter { $0.editable != false }.sorted { $0.position < $1.position }.map(scriptRule)
    }

    /// How the cloud has the props: editable rules only, in position order.
    static func observed(_ group: SecurityGroup, rules: [SecurityGroupRule]) -> [String: Value] {
        return [
            "name": .string(group.name),
            "description": group.description.map(Value.string) ?? .null,
            "stateful": .bool(group.stateful),
            "inbound_default_policy": .string(group.inboundDefaultPolicy),
            "outbound_default_policy": .string(group.outboundDefaultPolicy),
            "enable_default_security": .bool(group.enableDefaultSecurity),
            "rules": .list(editableRules(rules)),
            "zone": .string(group.zone),
            "project_id": .string(group.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(group.tags)),
        ]
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

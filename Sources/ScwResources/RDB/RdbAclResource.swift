// RdbAcl: the whole set of IPv4 ranges allowed to reach an RdbInstance's public endpoint.
// Applied with the fewest calls: nothing when the instance already has exactly these rules,
// else one PUT of the set; deleting removes these rules (one call). Idempotent, so a crashed
// create is simply applied again.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RdbAclResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let ruleFields: [PropSpec] = [
        PropSpec("ip", .string, required: true, format: .cidr, doc: "An IPv4 range, e.g. `203.0.113.0/24`."),
        PropSpec("description", .string, doc: "Why this range is allowed."),
    ]

    public static let schema = ResourceSchema(
        typeName: "RdbAcl",
        doc: "The IPv4 ranges allowed to reach an RdbInstance (the whole set: ranges not listed are removed). Its id is the instance's.",
        locality: .regional,
        props: [
            PropSpec("instance_id", .resourceID(types: ["RdbInstance"]), required: true, change: .replace,
                     doc: "The instance (an RdbInstance handle or `<region>/<uuid>`; `instance = handle` also works)."),
            PropSpec("rules", .list(.object(ruleFields)), required: true, doc: "`{ { ip = \"203.0.113.0/24\", description = \"office\" }, ... }`"),
            CommonProps.region,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The instance's id."),
            OutputSpec("rules", .list(.map(.string)), doc: "The rules as applied: `{ ip, description }`."),
            OutputSpec("region", .string),
        ])

    var api: RDBAPI { RDBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try RdbShared.normalizeChild(inputs, env: env, context: context)
        if let rules = out["rules"]?.listValue {
            var seen = Set<String>()
            out["rules"] = .list(try rules.map { rule in
                guard let ip = rule["ip"]?.stringValue else { return rule }
                let canonical = try Self.canonical(ip, context: context)
                if !seen.insert(canonical).inserted {
                    throw Diagnostic("rules: \(canonical) is listed twice", at: .resource(context.address))
                }
                return .map(["ip": .string(canonical), "description": rule["description"] ?? .string("")])
            })
        }
        return out
    }

    /// A bare address becomes a /32; host bits set or IPv6 are refused.
    static func canonical(_ text: String, context: ProviderContext) throws -> String {
        do {
            let cidr = try CIDR(parsing: text.contains("/") ? text : text + "/32")
            guard !cidr.isIPv6 else { throw Diagnostic("rules: '\(text)' is IPv6; ACLs take IPv4 ranges", at: .resource(context.address)) }
            return cidr.description
        } catch let problem as CIDR.Problem {
            throw Diagnostic("rules: \(problem)", at: .resource(context.address))
        }
    }

    static func rules(_ inputs: [String: Value]) -> [RDBACLRule] {
        (inputs["rules"]?.listValue ?? []).compactMap { rule in
            rule["ip"]?.stringValue.map { RDBACLRule(ip: $0, description: rule["description"]?.stringValue ?? "") }
        }
    }

    private func apply(_ wanted: [RDBACLRule], region: String, instance: String, timeout: Double, context: ProviderContext) async throws -> [RDBACLRule] {
        let api = self.api
        let sorted = wanted.sorted { $0.ip < $1.ip }
        let current = try await api.listACLs(region: region, instanceID: instance).sorted { $0.ip < $1.ip }
        if current == sorted { return current }
        return try await RdbShared.changing(api, region: region, id: instance, timeout: timeout, interval: env.pollInterval, context: context) {
            context.phase("setting \(sorted.count) rule(s)")
            return try await api.setACLs(region: region, instanceID: instance, rules: sorted)
        }
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let (region, instance) = try RdbShared.parent(inputs, env: env, context: context)
        let rules = try await apply(Self.rules(inputs), region: region, instance: instance, timeout: context.timeouts.create ?? RdbShared.defaultTimeout, context: context)
        return CreateResult(id: LocalizedID(locality: region, uuid: instance).description, outputs: Self.outputs(rules, region: region, instance: instance))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return nil }
        do {
            let rules = try await api.listACLs(region: lid.region, instanceID: lid.uuid)
            let declared = Self.rules(inputs)
            // The set, in the declared order when it is the same set.
            let observed: [RDBACLRule] = Set(rules.map(\.ip)) == Set(declared.map(\.ip))
                ? declared.map { d in rules.first { $0.ip == d.ip } ?? d } : rules
            return ReadResult(outputs: Self.outputs(rules, region: lid.region, instance: lid.uuid),
                              observed: ["rules": .list(observed.map { .map(["ip": .string($0.ip), "description": .string($0.description)]) }),
                                         "region": .string(lid.region),
                                         "instance_id": RdbShared.sameInstance(inputs["instance_id"], region: lid.region, uuid: lid.uuid)])
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let rules = try await apply(Self.rules(new), region: lid.region, instance: lid.uuid, timeout: context.timeouts.update ?? RdbShared.defaultTimeout, context: context)
        return Self.outputs(rules, region: lid.region, instance: lid.uuid)
    }

    /// Removes the declared ranges (one call); an instance already gone has none.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return }
        let ips = Self.rules(inputs).map(\.ip)
        guard !ips.isEmpty else { return }
        let api = self.api
        do {
            try await RdbShared.changing(api, region: lid.region, id: lid.uuid, timeout: context.timeouts.delete ?? RdbShared.defaultTimeout,
                                         interval: env.pollInterval, context: context) {
                try await api.deleteACLs(region: lid.region, instanceID: lid.uuid, ips: ips)
            }
        } catch let error as APIError where error.isNotFound {
            return
        } catch let diagnostic as Diagnostic where diagnostic.message.contains("does not exist (any more)") {
            return
        }
    }

    /// Applying the set is idempotent: after a crash it is applied again.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] { [] }

    static func outputs(_ rules: [RDBACLRule], region: String, instance: String) -> [String: Value] {
        [
            "id": .string(LocalizedID(locality: region, uuid: instance).description),
            "rules": .list(rules.map { .map(["ip": .string($0.ip), "description": .string($0.description)]) }),
            "region": .string(region),
        ]
    }
}

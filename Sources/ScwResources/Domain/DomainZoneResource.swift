// DomainZone: a DNS zone (`subdomain.domain`, Domain API, global). Its id is the zone's name;
// a create waits until the zone is `active`. Zones have no tags: a zone name is unique, so an
// interrupted create finds its zone by name (in the same project).

import ScalewayAPI
import ScwCore
import ScwEngine

public struct DomainZoneResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "DomainZone",
        doc: "A DNS zone of a domain managed by Scaleway (`app.example.com` for subdomain `app` of `example.com`).",
        locality: .global,
        props: [
            PropSpec("domain", .string, required: true, change: .replace, doc: "The domain (`example.com`)."),
            PropSpec("subdomain", .string, change: .replace, default: .string(""), doc: "The zone's labels under the domain (`app`); empty for the domain's root zone."),
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The zone's name: `subdomain.domain`."),
            OutputSpec("domain", .string),
            OutputSpec("subdomain", .string),
            OutputSpec("ns", .list(.string), doc: "Name servers of the zone."),
            OutputSpec("ns_default", .list(.string), doc: "Scaleway's default name servers."),
            OutputSpec("ns_master", .list(.string)),
            OutputSpec("status", .string, doc: "`active`, `pending`, `error` or `locked`."),
            OutputSpec("message", .string),
            OutputSpec("project_id", .string),
            OutputSpec("updated_at", .string),
        ])

    var api: DomainAPI { DomainAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let at = Diagnostic.Place.resource(context.address)
        if out["subdomain"] == nil || out["subdomain"] == .null { out["subdomain"] = .string("") }
        if let domain = out["domain"]?.stringValue {
            let d = domain.lowercased().trimmingSuffix(".")
            guard DnsNames.isHostname(d), d.contains(".") else { throw Diagnostic("domain '\(domain)' is not a domain name such as example.com", at: at) }
            out["domain"] = .string(d)
        }
        if let sub = out["subdomain"]?.stringValue {
            let s = sub.lowercased().trimmingSuffix(".")
            guard s.isEmpty || DnsNames.isHostname(s) else { throw Diagnostic("subdomain '\(sub)' is not made of DNS labels (such as app or eu.app)", at: at) }
            out["subdomain"] = .string(s)
        }
        if out["project_id"] == nil || out["project_id"] == .null {
            guard let project = env.defaultProjectID else {
                throw Diagnostic("no project: set project_id, scw.defaults { project_id = ... }, or default_project_id in the Scaleway config", at: at)
            }
            out["project_id"] = .string(project)
        }
        return out
    }

    static func fqdn(_ inputs: [String: Value]) -> String? {
        guard let domain = inputs["domain"]?.stringValue, let sub = inputs["subdomain"]?.stringValue else { return nil }
        return sub.isEmpty ? domain : "\(sub).\(domain)"
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try await CreateCall.run {
            try await api.createZone(domain: try i.requireString("domain"), subdomain: i.string("subdomain") ?? "",
                                     projectID: try i.requireString("project_id"))
        }
        let active = try await waitActive(zone.fqdn, timeout: context.timeouts.create ?? 300, context: context)
        return CreateResult(id: zone.fqdn, outputs: Self.outputs(active))
    }

    /// Polls the zone until `active`; `error` or `locked` end the wait.
    private func waitActive(_ fqdn: String, timeout: Double, context: ProviderContext) async throws -> DNSZone {
        context.phase("waiting for active")
        return try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 5, what: "DNS zone \(fqdn) to be active") {
            guard let zone = try await api.getZone(fqdn) else { throw Diagnostic("DNS zone \(fqdn) disappeared while waiting", at: .resource(context.address)) }
            switch zone.status {
            case "active": return .done(zone)
            case "error", "locked": return .failed(zone.status + (zone.message.map { ": \($0)" } ?? ""))
            default: return .pending(zone.status)
            }
        }
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let zone = try await api.getZone(id) else { return nil }
        return ReadResult(outputs: Self.outputs(zone),
                          observed: ["domain": .string(zone.domain), "subdomain": .string(zone.subdomain), "project_id": .string(zone.projectID)])
    }

    /// Every prop replaces: nothing to send.
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let zone = try await api.getZone(id) else { throw Diagnostic("DNS zone \(id) no longer exists", at: .resource(context.address)) }
        return Self.outputs(zone)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let project = inputs["project_id"]?.stringValue ?? env.defaultProjectID else { return }
        do { try await api.deleteZone(id, projectID: project) } catch let error as APIError where error.isNotFound { return }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let fqdn = Self.fqdn(inputs), let zone = try await api.getZone(fqdn),
              zone.projectID == inputs["project_id"]?.stringValue else { return [] }
        return [CreateResult(id: zone.fqdn, outputs: Self.outputs(zone))]
    }

    static func outputs(_ zone: DNSZone) -> [String: Value] {
        func list(_ items: [String]) -> Value { .list(items.map(Value.string)) }
        return ["id": .string(zone.fqdn), "domain": .string(zone.domain), "subdomain": .string(zone.subdomain), "ns": list(zone.ns),
                "ns_default": list(zone.nsDefault), "ns_master": list(zone.nsMaster), "status": .string(zone.status),
                "message": zone.message.map(Value.string) ?? .null, "project_id": .string(zone.projectID),
                "updated_at": zone.updatedAt.map(Value.string) ?? .null]
    }
}

/// DNS name checks shared by the Domain resources.
enum DnsNames {
    /// Dot-separated labels of letters, digits, hyphens and underscores (a leading `*` allowed when asked).
    static func isHostname(_ text: String, allowWildcard: Bool = false) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        for (i, label) in text.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            if allowWildcard && i == 0 && label == "*" { continue }
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return false }
        }
        return true
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

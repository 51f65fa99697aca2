// InstanceIp: a flexible IP of the Instance API (zonal). Attached to a server by the
// Instance resource (its `ip` / `ips`), never by itself; a reverse DNS name is retried
// until it resolves, as the API only accepts one pointing at the address.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct InstanceIpResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "InstanceIp",
        doc: "A flexible public IP for Instances (IPv4 address or IPv6 prefix); attach it with the Instance's `ip` or `ips`.",
        locality: .zonal,
        props: [
            PropSpec("type", .string, change: .replace, default: .string("routed_ipv4"), allowed: ["routed_ipv4", "routed_ipv6"],
                     doc: "`routed_ipv4` (an address) or `routed_ipv6` (a /64 prefix)."),
            PropSpec("reverse", .string, doc: "Reverse DNS name; it must resolve to the address first (retried until it does, within the update timeout)."),
            CommonProps.zone,
            CommonProps.projectID,
            CommonProps.tags,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("address", .string, doc: "The IPv4 address, or the IPv6 prefix for `routed_ipv6`."),
            OutputSpec("prefix", .string, doc: "The IPv6 prefix (CIDR), for `routed_ipv6`."),
            OutputSpec("type", .string),
            OutputSpec("reverse", .string),
            OutputSpec("server_id", .string, doc: "The server it is attached to (`<zone>/<uuid>`), if any."),
            OutputSpec("state", .string, doc: "`detached`, `attached`, `pending` or `error`."),
            OutputSpec("zone", .string),
            OutputSpec("project_id", .string),
        ])

    var api: InstanceAPI { InstanceAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        out["name"] = nil   // flexible IPs have no name
        try InstanceShared.normalizeZone(&out, env: env, context: context)
        if out["type"] == nil || out["type"] == .null { out["type"] = .string("routed_ipv4") }
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let zone = try i.requireString("zone")
        var ip: FlexibleIP
        do {
            ip = try await api.createIP(zone: zone, projectID: i.string("project_id"), type: i.string("type"),
                                        tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context))
        } catch let error as AmbiguousWriteError {
            throw AmbiguousCreateError(detail: String(describing: error))
        }
        if let reverse = i.string("reverse") {
            ip = try await setReverse(zone: zone, id: ip.id, reverse: .string(reverse), timeout: context.timeouts.create, context: context)
        }
        return CreateResult(id: InstanceShared.zonalID(zone, ip.id), outputs: Self.outputs(ip))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let ip = try await api.getIP(zone: lid.locality, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(ip), observed: Self.observed(ip), ownerStack: OwnershipTags.stack(of: ip.tags))
        } catch let error as APIError where InstanceAPI.isGoneIP(error) {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let i = Inputs(new, context.address)
        var ip = try await api.getIP(zone: lid.locality, id: lid.uuid)
        if let tags = UpdateFields.tags(i, current: ip.tags, context: context) {
            ip = try await api.updateIP(zone: lid.locality, id: lid.uuid, tags: tags)
        }
        if let wanted = i.string("reverse") {
            if wanted != ip.reverse {
                ip = try await setReverse(zone: lid.locality, id: lid.uuid, reverse: .string(wanted), timeout: context.timeouts.update, context: context)
            }
        } else if old["reverse"]?.stringValue != nil, ip.reverse != nil {
            ip = try await api.updateIP(zone: lid.locality, id: lid.uuid, reverse: .null)   // removed from the script
        }
        return Self.outputs(ip)
    }

    /// Sets (or clears, with `.null`) the reverse; 400 on `reverse` means it does not resolve
    /// to the address yet: retried with backoff until the timeout (the provider's 10 minutes).
    private func setReverse(zone: String, id: String, reverse: Value, timeout: Double?, context: ProviderContext) async throws -> FlexibleIP {
        context.phase("setting reverse DNS")
        return try await Waiter.poll(timeout: InstanceShared.timeout(timeout, default: 600), initialInterval: env.pollInterval,
                                     maxInterval: 30, what: "reverse DNS \(reverse.stringValue ?? "(none)") of \(context.address)") {
            do {
                return .done(try await api.updateIP(zone: zone, id: id, reverse: reverse))
            } catch let error as APIError where error.status == 400 && Self.isReverseRefusal(error) {
                return .pending("the name does not resolve to the address yet")
            }
        }
    }

    private static func isReverseRefusal(_ error: APIError) -> Bool {
        if case .invalidArguments(let details) = error.kind { return details.contains { $0.argumentName == "reverse" } }
        return false
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let ip = try await api.getIP(zone: lid.locality, id: lid.uuid)
            if ip.server != nil {
                context.phase("detaching from its server")
                _ = try await api.detachIP(zone: lid.locality, id: lid.uuid)
            }
            try await api.deleteIP(zone: lid.locality, id: lid.uuid)
        } catch let error as APIError where InstanceAPI.isGoneIP(error) {
            return
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let zone = inputs["zone"]?.stringValue else { return [] }
        let found = try await api.listIPs(zone: zone, tags: [OwnershipTags.urnTag(context)])
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map {
            CreateResult(id: InstanceShared.zonalID(zone, $0.id), outputs: Self.outputs($0))
        }
    }

    /// Every flexible IP of the stack in a zone and project, by the stack's tag, 100 a page.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        let api = self.api
        return try await BatchRead.run(rows, defaultLocality: env.defaultZone) { scope, _ in
            let found = try await api.listIPs(zone: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
            return Dictionary(found.map { ($0.id, ReadResult(outputs: Self.outputs($0), observed: Self.observed($0))) }, uniquingKeysWith: { a, _ in a })
        }
    }

    static func outputs(_ ip: FlexibleIP) -> [String: Value] {
        [
            "id": .string(InstanceShared.zonalID(ip.zone, ip.id)),
            "address": (ip.address ?? ip.prefix).map(Value.string) ?? .null,
            "prefix": ip.prefix.map(Value.string) ?? .null,
            "type": ip.type.map(Value.string) ?? .null,
            "reverse": ip.reverse.map(Value.string) ?? .null,
            "server_id": ip.server.map { .string(InstanceShared.zonalID(ip.zone, $0.id)) } ?? .null,
            "state": ip.state.map(Value.string) ?? .null,
            "zone": .string(ip.zone),
            "project_id": .string(ip.projectID),
        ]
    }

    static func observed(_ ip: FlexibleIP) -> [String: Value] {
        var out: [String: Value] = [
            "zone": .string(ip.zone),
            "project_id": .string(ip.projectID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(ip.tags)),
            "reverse": ip.reverse.map(Value.string) ?? .null,
        ]
        if let type = ip.type { out["type"] = .string(type) }
        return out
    }
}

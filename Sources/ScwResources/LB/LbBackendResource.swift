// LbBackend: a backend of a load balancer (LB API, zonal), like `scaleway_lb_backend`, with its
// health check (exactly one kind) and servers. An update sends only what changed: PUT backend,
// PUT healthcheck, PUT servers, each bracketed by waiting for the LB. The API cannot tag a
// backend: `find` matches its name on its LB. Props and their normal form: +Spec.swift.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct LbBackendResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    var api: LBAPI { LBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        try LbShared.normalizePartZone(&out, env: env, context: context)
        try Self.normalizeSpec(&out, context: context)
        return out
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let lb = try LbShared.parentLB(inputs, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.create)
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        context.phase("creating")
        let body = LBAPI.createBackendBody(try Self.spec(inputs, context: context), healthCheck: try Self.healthCheck(inputs, context: context),
                                           serverIPs: Self.servers(inputs))
        let backend = try await CreateCall.run { try await api.createBackend(zone: lb.locality, lbID: lb.uuid, body: body) }
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        return CreateResult(id: LbShared.zonalID(lb.locality, backend.id), outputs: Self.outputs(backend, zone: lb.locality))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let backend = try await api.getBackend(zone: lid.locality, id: lid.uuid)
            return ReadResult(outputs: Self.outputs(backend, zone: lid.locality), observed: Self.observed(backend, declared: inputs))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let lb = try LbShared.parentLB(new, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.update)
        func settle() async throws {
            try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        }
        if Self.backendProps.contains(where: { old[$0] != new[$0] }) {
            try await settle()
            context.phase("updating the backend")
            _ = try await api.updateBackend(zone: lid.locality, id: lid.uuid, spec: try Self.spec(new, context: context))
            try await settle()
        }
        if old["health_check"] != new["health_check"] {
            try await settle()
            context.phase("updating the health check")
            _ = try await api.updateHealthCheck(zone: lid.locality, backendID: lid.uuid, healthCheck: try Self.healthCheck(new, context: context))
            try await settle()
        }
        if old["server_ips"] != new["server_ips"] {
            try await settle()
            context.phase("setting the servers")
            _ = try await api.setBackendServers(zone: lid.locality, backendID: lid.uuid, serverIPs: Self.servers(new))
            try await settle()
        }
        let current = try await api.getBackend(zone: lid.locality, id: lid.uuid)
        return Self.outputs(current, zone: lid.locality)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.delete)
        do {
            let backend = try await api.getBackend(zone: lid.locality, id: lid.uuid)
            let lbID = backend.lb?.id ?? LbShared.uuid(inputs["lb_id"]?.stringValue ?? "")
            try await LbShared.waitSettled(api, zone: lid.locality, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
            try await Deletion.deleteRetryingWhileInUse(what: "backend \(id)", timeout: timeout, interval: env.pollInterval, context: context) {
                try await api.deleteBackend(zone: lid.locality, id: lid.uuid)
            }
            try await LbShared.waitSettled(api, zone: lid.locality, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
        } catch let error as APIError where error.isNotFound {
            return   // gone, or its LB is
        }
    }

    /// The backend of this name on its LB (backends cannot carry tags).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let text = inputs["lb_id"]?.stringValue, let lb = LocalizedID(parsing: text, defaultLocality: env.defaultZone),
              let name = inputs["name"]?.stringValue else { return [] }
        do {
            return try await api.listBackends(zone: lb.locality, lbID: lb.uuid, name: name).filter { $0.name == name }
                .map { CreateResult(id: LbShared.zonalID(lb.locality, $0.id), outputs: Self.outputs($0, zone: lb.locality)) }
        } catch let error as APIError where error.isNotFound {
            return []
        }
    }

    static func outputs(_ backend: LbBackend, zone: String) -> [String: Value] {
        [
            "id": .string(LbShared.zonalID(zone, backend.id)),
            "name": .string(backend.name),
            "lb_id": backend.lb.map { .string(LbShared.zonalID(zone, $0.id)) } ?? .null,
            "server_ips": .list(backend.pool.map(Value.string)),
            "zone": .string(zone),
        ]
    }
}

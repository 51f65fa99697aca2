// LbFrontend: a frontend of a load balancer (LB API, zonal), like `scaleway_lb_frontend`: a port
// the LB listens on, the backend it forwards to, certificates, and an ordered list of ACLs
// (+ACLs.swift). Two frontends on one port of one LB are refused at plan time (uniqueTogether).
// The API cannot tag a frontend: `find` matches its name on its LB.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct LbFrontendResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema: ResourceSchema = {
        var s = ResourceSchema(
            typeName: "LbFrontend",
            doc: "A frontend of a load balancer: the port it listens on, the backend it forwards to, TLS certificates and ACLs.",
            locality: .zonal,
            props: [
                CommonProps.name("Name; defaults to the resource's name in the script (it identifies the frontend on its LB)."),
                PropSpec("lb_id", .resourceID(types: ["LoadBalancer"]), required: true, change: .replace,
                         doc: "The load balancer (`lb = handle` also works)."),
                PropSpec("backend_id", .resourceID(types: ["LbBackend"]), required: true, doc: "The backend (`backend = handle` also works)."),
                PropSpec("inbound_port", .int, required: true, doc: "Port to listen on (1-65535), once per load balancer."),
                PropSpec("timeout_client", .string, format: .duration, doc: "Maximum client inactivity, e.g. `30s`."),
                PropSpec("certificate_ids", .list(.resourceID(types: ["LbCertificate"])), default: .list([]),
                         doc: "LbCertificates served on this port (`certificates = { cert }` also works)."),
                PropSpec("enable_http3", .bool, default: .bool(false), doc: "Serve HTTP/3 (QUIC)."),
                PropSpec("connection_rate_limit", .int, default: .int(0), doc: "Maximum new connections per second (0: no limit)."),
                PropSpec("enable_access_logs", .bool, default: .bool(false), doc: "Send access logs to Cockpit."),
                PropSpec("acls", .list(.object(aclFields)), default: .list([]),
                         doc: "Ordered ACLs: `{ name, action = { type = \"allow\"|\"deny\"|\"redirect\", redirect = { type, target, code } }, match = { ip_subnet, http_filter, http_filter_value, http_filter_option, invert } }`."),
                CommonProps.zone,
            ],
            outputs: [
                OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
                OutputSpec("name", .string),
                OutputSpec("lb_id", .string),
                OutputSpec("backend_id", .string),
                OutputSpec("inbound_port", .int),
                OutputSpec("acl_ids", .list(.string), doc: "The ACLs, in order (`<zone>/<uuid>`)."),
                OutputSpec("zone", .string),
            ])
        s.uniqueTogether = [["lb_id", "inbound_port"]]
        return s
    }()

    var api: LBAPI { LBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        try LbShared.normalizePartZone(&out, env: env, context: context)
        for (key, value) in [("certificate_ids", Value.list([])), ("enable_http3", .bool(false)), ("connection_rate_limit", .int(0)),
                             ("enable_access_logs", .bool(false)), ("acls", .list([]))] where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        try LbShared.checkPort(out["inbound_port"], "inbound_port", context: context)
        if let limit = out["connection_rate_limit"]?.intValue, limit < 0 {
            throw Diagnostic("connection_rate_limit must not be negative", at: .resource(context.address))
        }
        out["timeout_client"] = try LbBackendResource.canonicalDuration(out["timeout_client"], "timeout_client", context: context)
        out["acls"] = try Self.normalizeACLs(out["acls"], frontend: context.address.name, context: context)
        return out
    }

    func spec(_ inputs: [String: Value], context: ProviderContext) throws -> LbFrontendSpec {
        let i = Inputs(inputs, context.address)
        guard let port = inputs["inbound_port"]?.intValue else { throw Diagnostic("inbound_port is required", at: .resource(context.address)) }
        var s = LbFrontendSpec(name: try i.requireString("name"), inboundPort: port, backendID: LbShared.uuid(try i.requireString("backend_id")))
        s.timeoutClientMs = try LbShared.milliseconds(inputs["timeout_client"], "timeout_client", context: context)
        s.certificateIDs = (i.strings("certificate_ids") ?? []).map(LbShared.uuid)
        s.enableHTTP3 = i.bool("enable_http3") ?? false
        s.connectionRateLimit = inputs["connection_rate_limit"]?.intValue ?? 0
        s.enableAccessLogs = i.bool("enable_access_logs") ?? false
        return s
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let lb = try LbShared.parentLB(inputs, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.create)
        let spec = try spec(inputs, context: context)
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        let frontend: LbFrontend
        if let leftover = try await api.listFrontends(zone: lb.locality, lbID: lb.uuid, name: spec.name).first(where: { $0.name == spec.name }) {
            // Made by a run that stopped before its ACLs were set (`find` does not adopt it): finish it.
            context.phase("resuming the frontend an interrupted create made")
            frontend = try await api.updateFrontend(zone: lb.locality, id: leftover.id, spec: spec)
        } else {
            context.phase("creating")
            frontend = try await CreateCall.run { try await api.createFrontend(zone: lb.locality, lbID: lb.uuid, spec: spec) }
        }
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        let acls = try await syncACLs(zone: lb.locality, lbID: lb.uuid, frontendID: frontend.id, wanted: inputs["acls"], timeout: timeout, context: context)
        return CreateResult(id: LbShared.zonalID(lb.locality, frontend.id), outputs: Self.outputs(frontend, acls: acls, zone: lb.locality))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let frontend = try await api.getFrontend(zone: lid.locality, id: lid.uuid)
            let acls = try await api.listACLs(zone: lid.locality, frontendID: lid.uuid).sorted { $0.index < $1.index }
            return ReadResult(outputs: Self.outputs(frontend, acls: acls, zone: lid.locality),
                              observed: Self.observed(frontend, acls: acls, declared: inputs, zone: lid.locality))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let lb = try LbShared.parentLB(new, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.update)
        let frontendProps = ["name", "backend_id", "inbound_port", "timeout_client", "certificate_ids", "enable_http3",
                             "connection_rate_limit", "enable_access_logs"]
        var frontend: LbFrontend
        if frontendProps.contains(where: { old[$0] != new[$0] }) {
            let spec = try spec(new, context: context)
            try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
            context.phase("updating")
            frontend = try await api.updateFrontend(zone: lid.locality, id: lid.uuid, spec: spec)
            try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        } else {
            frontend = try await api.getFrontend(zone: lid.locality, id: lid.uuid)
        }
        let acls = try await syncACLs(zone: lid.locality, lbID: lb.uuid, frontendID: lid.uuid, wanted: new["acls"], timeout: timeout, context: context)
        return Self.outputs(frontend, acls: acls, zone: lid.locality)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.delete)
        do {
            let frontend = try await api.getFrontend(zone: lid.locality, id: lid.uuid)
            try await LbShared.waitSettled(api, zone: lid.locality, id: frontend.lbID, timeout: timeout, interval: env.pollInterval, context: context)
            context.phase("deleting")
            try await api.deleteFrontend(zone: lid.locality, id: lid.uuid)
            try await LbShared.waitSettled(api, zone: lid.locality, id: frontend.lbID, timeout: timeout, interval: env.pollInterval, context: context)
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// The frontend of this name on its LB (frontends cannot carry tags), once complete: one
    /// whose ACLs differ from the declared ones was left by an interrupted create, which the
    /// next create finishes.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let text = inputs["lb_id"]?.stringValue, let lb = LocalizedID(parsing: text, defaultLocality: env.defaultZone),
              let name = inputs["name"]?.stringValue else { return [] }
        var out: [CreateResult] = []
        do {
            for frontend in try await api.listFrontends(zone: lb.locality, lbID: lb.uuid, name: name) where frontend.name == name {
                let acls = try await api.listACLs(zone: lb.locality, frontendID: frontend.id).sorted { $0.index < $1.index }
                guard inputs["acls"].map({ .list(acls.map(Self.observedACL)) == $0 }) ?? acls.isEmpty else { continue }
                out.append(CreateResult(id: LbShared.zonalID(lb.locality, frontend.id), outputs: Self.outputs(frontend, acls: acls, zone: lb.locality)))
            }
        } catch let error as APIError where error.isNotFound {
            return []
        }
        return out
    }

    static func outputs(_ f: LbFrontend, acls: [LbACL], zone: String) -> [String: Value] {
        [
            "id": .string(LbShared.zonalID(zone, f.id)),
            "name": .string(f.name),
            "lb_id": .string(LbShared.zonalID(zone, f.lbID)),
            "backend_id": .string(LbShared.zonalID(zone, f.backendID)),
            "inbound_port": .int(f.inboundPort),
            "acl_ids": .list(acls.map { .string(LbShared.zonalID(zone, $0.id)) }),
            "zone": .string(zone),
        ]
    }

    static func observed(_ f: LbFrontend, acls: [LbACL], declared: [String: Value], zone: String) -> [String: Value] {
        func sameID(_ key: String, _ uuid: String) -> Value {
            if let text = declared[key]?.stringValue, LbShared.uuid(text) == uuid { return .string(text) }
            return .string(LbShared.zonalID(zone, uuid))
        }
        var out: [String: Value] = [
            "name": .string(f.name), "inbound_port": .int(f.inboundPort), "backend_id": sameID("backend_id", f.backendID),
            "enable_http3": .bool(f.enableHTTP3), "connection_rate_limit": .int(f.connectionRateLimit ?? 0),
            "enable_access_logs": .bool(f.enableAccessLogs), "acls": .list(acls.map(observedACL)),
        ]
        let wanted = declared["certificate_ids"]?.listValue?.compactMap(\.stringValue) ?? []
        out["certificate_ids"] = wanted.map(LbShared.uuid) == f.certificateIDs ? .list(wanted.map(Value.string))
            : .list(f.certificateIDs.map { .string(LbShared.zonalID(zone, $0)) })
        if declared["timeout_client"] != nil, declared["timeout_client"] != .null {
            out["timeout_client"] = f.timeoutClientMs.map { .string(LbBackendResource.canonical(seconds: Double($0) / 1000)) } ?? .null
        }
        return out
    }
}

// LbCertificate: a TLS certificate of a load balancer (LB API, zonal), like
// `scaleway_lb_certificate`: Let's Encrypt (`letsencrypt`) or a custom PEM chain
// (`custom_certificate.certificate_chain`, a secret: sent to the API and nowhere else).
// Waits for `ready`; an `error` status ends the wait with the API's `status_details`, and the
// refused certificate is deleted. The API cannot tag a certificate: `find` matches its name.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct LbCertificateResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    public static let schema = ResourceSchema(
        typeName: "LbCertificate",
        doc: "A TLS certificate of a load balancer, from Let's Encrypt or a PEM chain of your own; serve it with an LbFrontend's `certificates`.",
        locality: .zonal,
        props: [
            CommonProps.name("Name; defaults to the resource's name in the script (it identifies the certificate on its LB)."),
            PropSpec("lb_id", .resourceID(types: ["LoadBalancer"]), required: true, change: .replace,
                     doc: "The load balancer (`lb = handle` also works)."),
            PropSpec("letsencrypt", .object([
                PropSpec("common_name", .string, required: true, doc: "The main domain; it must resolve to the LB's IP."),
                PropSpec("subject_alternative_name", .list(.string), doc: "Other domains."),
            ]), change: .replace, doc: "`{ common_name, subject_alternative_name }`: a certificate issued by Let's Encrypt."),
            PropSpec("custom_certificate", .object([
                PropSpec("certificate_chain", .string, required: true,
                         doc: "PEM: the certificate, its intermediates and its private key."),
            ]), change: .replace, sensitive: true, doc: "`{ certificate_chain }`: your own certificate. Sensitive: never printed, encrypted in state."),
            CommonProps.zone,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<zone>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("lb_id", .string),
            OutputSpec("common_name", .string),
            OutputSpec("subject_alternative_name", .list(.string)),
            OutputSpec("not_valid_before", .string),
            OutputSpec("not_valid_after", .string),
            OutputSpec("fingerprint", .string, doc: "SHA-1 of the certificate."),
            OutputSpec("status", .string, doc: "`ready` once issued."),
            OutputSpec("zone", .string),
        ])

    var api: LBAPI { LBAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        try LbShared.normalizePartZone(&out, env: env, context: context)
        let letsencrypt = out["letsencrypt"].map { $0 != .null } ?? false
        let custom = out["custom_certificate"].map { $0 != .null } ?? false
        if letsencrypt && custom {
            throw Diagnostic("give letsencrypt or custom_certificate, not both", at: .resource(context.address))
        }
        if !letsencrypt && !custom {
            throw Diagnostic("give letsencrypt = { common_name = ... } or custom_certificate = { certificate_chain = ... }", at: .resource(context.address))
        }
        if var le = out["letsencrypt"]?.mapValue {
            if le["subject_alternative_name"] == nil || le["subject_alternative_name"] == .null { le["subject_alternative_name"] = .list([]) }
            out["letsencrypt"] = .map(le)
        }
        return out
    }

    /// The chain as a secret value (the prop is sensitive: it arrives wrapped, whole or in part).
    static func chain(_ inputs: [String: Value]) -> Value? {
        func unwrap(_ v: Value) -> Value { if case .secret(let inner) = v { return unwrap(inner) } else { return v } }
        guard let custom = inputs["custom_certificate"], custom != .null else { return nil }
        guard let text = unwrap(custom)["certificate_chain"].map(unwrap)?.stringValue else { return nil }
        return .secret(.string(text))
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let lb = try LbShared.parentLB(inputs, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.create)
        let le = inputs["letsencrypt"]?.mapValue
        let body = LBAPI.createCertificateBody(name: try Inputs(inputs, context.address).requireString("name"),
                                               letsencryptCommonName: le?["common_name"]?.stringValue,
                                               subjectAlternativeNames: le?["subject_alternative_name"]?.listValue?.compactMap(\.stringValue) ?? [],
                                               certificateChain: Self.chain(inputs))
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        context.phase("creating")
        let created = try await CreateCall.run { try await api.createCertificate(zone: lb.locality, lbID: lb.uuid, body: body) }
        let cert = try await waitReady(zone: lb.locality, id: created.id, timeout: timeout, context: context)
        try await LbShared.waitSettled(api, zone: lb.locality, id: lb.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        return CreateResult(id: LbShared.zonalID(lb.locality, cert.id), outputs: Self.outputs(cert, lbID: lb.uuid, zone: lb.locality))
    }

    /// Polls until `ready`; an `error` deletes the refused certificate and reports why.
    private func waitReady(zone: String, id: String, timeout: Double, context: ProviderContext) async throws -> LbCertificate {
        let cert = try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: max(env.pollInterval, 10),
                                         what: "certificate \(zone)/\(id)") { () -> WaitStep<LbCertificate> in
            let cert = try await api.getCertificate(zone: zone, id: id)
            if cert.status == "pending" {
                context.phase("waiting for the certificate to be issued")
                return .pending(cert.status)
            }
            return .done(cert)
        }
        guard cert.status == "ready" else {
            try? await api.deleteCertificate(zone: zone, id: id)
            throw Diagnostic("the certificate was refused (status \(cert.status)): \(cert.statusDetails ?? "no detail given")",
                             at: .resource(context.address))
        }
        return cert
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        do {
            let cert = try await api.getCertificate(zone: lid.locality, id: lid.uuid)
            let lbID = LbShared.uuid(inputs["lb_id"]?.stringValue ?? "")
            var observed: [String: Value] = ["name": .string(cert.name)]
            if var le = inputs["letsencrypt"]?.mapValue, cert.type != "custom" {
                le["common_name"] = .string(cert.commonName)
                le["subject_alternative_name"] = .list(cert.subjectAlternativeName.map(Value.string))
                observed["letsencrypt"] = .map(le)
            }
            return ReadResult(outputs: Self.outputs(cert, lbID: lbID, zone: lid.locality), observed: observed)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// Only the name changes in place.
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let cert = try await api.updateCertificate(zone: lid.locality, id: lid.uuid, name: try Inputs(new, context.address).requireString("name"))
        return Self.outputs(cert, lbID: LbShared.uuid(new["lb_id"]?.stringValue ?? ""), zone: lid.locality)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        let lid = try InstanceShared.parse(id, env: env, context: context)
        let timeout = LbShared.timeout(context.timeouts.delete)
        let lbID = LbShared.uuid(inputs["lb_id"]?.stringValue ?? "")
        do {
            if !lbID.isEmpty {
                try await LbShared.waitSettled(api, zone: lid.locality, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
            }
            try await Deletion.deleteRetryingWhileInUse(what: "certificate \(id)", timeout: timeout, interval: env.pollInterval, context: context) {
                try await api.deleteCertificate(zone: lid.locality, id: lid.uuid)
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    /// The certificate of this name on its LB (certificates cannot carry tags). One an
    /// interrupted create left `pending` is waited for, as the create would have; one in
    /// `error` is deleted and not returned.
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let text = inputs["lb_id"]?.stringValue, let lb = LocalizedID(parsing: text, defaultLocality: env.defaultZone),
              let name = inputs["name"]?.stringValue else { return [] }
        let found: [LbCertificate]
        do {
            found = try await api.listCertificates(zone: lb.locality, lbID: lb.uuid, name: name).filter { $0.name == name }
        } catch let error as APIError where error.isNotFound {
            return []
        }
        var out: [CreateResult] = []
        for cert in found {
            let ready: LbCertificate
            do {
                ready = try await waitReady(zone: lb.locality, id: cert.id, timeout: LbShared.timeout(context.timeouts.create), context: context)
            } catch is Diagnostic {
                continue   // refused by the API: deleted, so not found
            }
            out.append(CreateResult(id: LbShared.zonalID(lb.locality, ready.id), outputs: Self.outputs(ready, lbID: lb.uuid, zone: lb.locality)))
        }
        return out
    }

    static func outputs(_ c: LbCertificate, lbID: String, zone: String) -> [String: Value] {
        [
            "id": .string(LbShared.zonalID(zone, c.id)),
            "name": .string(c.name),
            "lb_id": lbID.isEmpty ? .null : .string(LbShared.zonalID(zone, lbID)),
            "common_name": .string(c.commonName),
            "subject_alternative_name": .list(c.subjectAlternativeName.map(Value.string)),
            "not_valid_before": c.notValidBefore.map(Value.string) ?? .null,
            "not_valid_after": c.notValidAfter.map(Value.string) ?? .null,
            "fingerprint": c.fingerprint.map(Value.string) ?? .null,
            "status": .string(c.status),
            "zone": .string(zone),
        ]
    }
}

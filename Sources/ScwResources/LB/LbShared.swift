// LbShared: what the load balancer resources share: waiting for an LB and its instances to
// settle (bounded, failure states end the wait), the zone's LB types (cached), the parent LB of a
// part, ids, ports and ownership by name for the parts the API cannot tag.

import ScalewayAPI
import ScwCore
import ScwEngine

enum LbShared {
    /// The provider's 15 minutes for every LB operation.
    static let defaultTimeout: Double = 900

    /// Polls until the LB and all its instances are `ready`; `error`/`locked`/`stopped` end the wait.
    @discardableResult
    static func waitSettled(_ api: LBAPI, zone: String, id: String, timeout: Double, interval: Double,
                            context: ProviderContext, what: String? = nil) async throws -> LoadBalancer {
        try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10),
                              what: what ?? "load balancer \(zone)/\(id)") {
            let lb = try await api.getLB(zone: zone, id: id)
            if let failure = lb.failure { return .failed(failure) }
            if lb.isSettled { return .done(lb) }
            context.phase("waiting for the load balancer (\(lb.status)\(lb.instances.map { ", instance \($0.status)" }.first ?? ""))")
            return .pending(lb.status)
        }
    }

    /// Polls until the LB answers 404 (after a delete).
    static func waitGone(_ api: LBAPI, zone: String, id: String, timeout: Double, interval: Double, context: ProviderContext) async throws {
        _ = try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10),
                                  what: "deletion of load balancer \(zone)/\(id)") { () -> WaitStep<Bool> in
            do {
                let lb = try await api.getLB(zone: zone, id: id)
                context.phase("waiting for the load balancer to go (\(lb.status))")
                return .pending(lb.status)
            } catch let error as APIError where error.isNotFound {
                return .done(true)
            }
        }
    }

    /// The parent LB of a backend, frontend or certificate: `lb_id` as `zone/uuid` (or a bare uuid).
    static func parentLB(_ inputs: [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws -> LocalizedID {
        guard let text = inputs["lb_id"]?.stringValue, let lid = LocalizedID(parsing: text, defaultLocality: env.defaultZone) else {
            throw Diagnostic("lb_id is required", at: .resource(context.address))
        }
        return lid
    }

    /// A zone for a part: its LB's zone (known from a `zone/uuid` id), else the configured one.
    static func normalizePartZone(_ out: inout [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws {
        if out["zone"] == nil || out["zone"] == .null {
            if let text = out["lb_id"]?.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["zone"] = .string(lid.locality)
            } else if out["lb_id"]?.containsUnknown == true {
                out["zone"] = .unknown
            } else {
                out["zone"] = .string(env.defaultZone)
            }
        }
        try InstanceShared.normalizeZone(&out, env: env, context: context, zonalRefs: ["lb_id", "backend_id", "certificate_ids"])
    }

    static func zonalID(_ zone: String, _ uuid: String) -> String { LocalizedID(locality: zone, uuid: uuid).description }

    static func uuid(_ text: String) -> String { InstanceShared.uuid(text) }

    /// Fails on a port outside 1–65535 (a known value only).
    static func checkPort(_ value: Value?, _ name: String, context: ProviderContext) throws {
        guard let port = value?.intValue else { return }
        guard (1...65535).contains(port) else {
            throw Diagnostic("\(name) must be between 1 and 65535, got \(port)", at: .resource(context.address))
        }
    }

    /// Milliseconds from a duration prop (`"30s"`, `"5m"`, or a number of milliseconds).
    static func milliseconds(_ value: Value?, _ name: String, context: ProviderContext) throws -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .int(let ms)?: return ms
        case .string(let text)?:
            guard let seconds = DurationText.seconds(text) else {
                throw Diagnostic("\(name): '\(text)' is not a duration (e.g. \"30s\", \"5m\")", at: .resource(context.address))
            }
            return Int64((seconds * 1000).rounded())
        default:
            return nil
        }
    }

    /// The timeout of a phase, in seconds.
    static func timeout(_ given: Double?) -> Double { given ?? defaultTimeout }
}

/// The LB types of each zone, fetched once per API and zone.
actor LbTypeCatalogue {
    static let shared = LbTypeCatalogue()

    private var byKey: [String: [LbType]] = [:]

    func types(zone: String, api: LBAPI) async throws -> [LbType] {
        let key = api.client.config.apiURL + "|" + zone
        if let cached = byKey[key] { return cached }
        let fetched = try await api.listTypes(zone: zone)
        byKey[key] = fetched
        return fetched
    }
}

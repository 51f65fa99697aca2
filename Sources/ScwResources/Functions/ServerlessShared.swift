// What the serverless resources share: the wait for a namespace, function or container to
// settle (bounded; `error` ends it with the API's message), regions taken from a parent's id,
// environment maps, secret environment variables (sent, never read back: the engine keeps
// them encrypted in state and a change shows as a changed secret), and durations as the API
// takes them ("300s").

import ScalewayAPI
import ScwCore
import ScwEngine

enum ServerlessShared {
    /// The provider's timeouts: namespaces 5 min, functions 15 min, containers 12 min 30 s.
    static let namespaceTimeout: Double = 300
    static let functionTimeout: Double = 900
    static let containerTimeout: Double = 750
    static let transient: Set<String> = ["pending", "creating", "deleting", "building", "updating", "locking", "upgrading"]

    /// Polls `fetch` until the status is out of the transient set; `error` and `locked` end the
    /// wait with an error carrying the API's message. Returns what was read last.
    static func waitSettled<T: Sendable>(what: String, timeout: Double, interval: Double, context: ProviderContext,
                                         acceptError: Bool = false,
                                         _ fetch: @escaping @Sendable () async throws -> (T, status: String, message: String?)) async throws -> T {
        var reported: String?
        do {
            return try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 5), what: what) {
                let (value, status, message) = try await fetch()
                if status != reported {
                    reported = status
                    context.phase("waiting (\(status))")
                }
                if transient.contains(status) { return .pending(status) }
                if status == "error" || status == "locked" {
                    if acceptError { return .done(value) }
                    throw Diagnostic("\(what) failed: \(status)" + (message.flatMap { $0.isEmpty ? nil : ": \($0)" } ?? ""),
                                     at: .resource(context.address))
                }
                return .done(value)
            }
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address))
        }
    }

    /// Polls until `fetch` answers 404 (bounded).
    static func waitGone(what: String, timeout: Double, interval: Double, context: ProviderContext,
                         _ fetch: @escaping @Sendable () async throws -> Void) async throws {
        do {
            try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 5), what: "\(what) to be deleted") { () -> WaitStep<Void> in
                do {
                    try await fetch()
                    return .pending("deleting")
                } catch let error as APIError where error.isNotFound {
                    return .done(())
                }
            }
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address))
        }
    }

    /// `fr-par/<uuid>` or a bare uuid (in `defaultRegion`).
    static func parse(_ id: String, defaultRegion: String) -> LocalizedID? {
        LocalizedID(parsing: id, defaultLocality: defaultRegion)
    }

    /// Fills `region` from the parent prop's id (unknown while the parent is being made) and
    /// refuses a region other than the parent's.
    static func regionFromParent(_ inputs: [String: Value], parent: String, env: ScalewayEnvironment, context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let parentValue = out[parent] ?? .null
        if out["region"] == nil || out["region"] == .null {
            if parentValue.containsUnknown {
                out["region"] = .unknown
            } else if let text = parentValue.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["region"] = .string(lid.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = parentValue.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text),
           let region = out["region"]?.stringValue, lid.region != region {
            throw Diagnostic("region \(region) differs from its \(parent)'s region \(lid.region)", at: .resource(context.address))
        }
        return out
    }

    /// The uuid of a parent prop (`fr-par/<uuid>` or a bare uuid).
    static func parentUUID(_ inputs: [String: Value], _ key: String, context: ProviderContext) throws -> String {
        guard let text = inputs[key]?.stringValue, let lid = LocalizedID(parsing: text, defaultLocality: "-") else {
            throw Diagnostic("\(key) is required", at: .resource(context.address))
        }
        return lid.uuid
    }

    static func stringMap(_ value: Value?) -> [String: String] {
        (value?.revealed.mapValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// The secret map as secrets (each value wrapped, so it is only revealed when sent).
    static func secretMap(_ value: Value?) -> [String: Value] {
        stringMap(value).mapValues { .secret(.string($0)) }
    }

    /// Whether the declared secrets changed since the last apply (compared in plaintext in
    /// memory; the engine keeps them encrypted in state).
    static func secretsChanged(old: [String: Value], new: [String: Value]) -> Bool {
        stringMap(old["secret_environment_variables"]) != stringMap(new["secret_environment_variables"])
    }

    /// `"30s"`, `"5m"` → `"30s"`, `"300s"` (whole seconds), nil when not a duration.
    static func apiDuration(_ text: String?) -> String? {
        guard let text, let seconds = DurationText.seconds(text) else { return nil }
        return "\(Int(seconds.rounded()))s"
    }

    /// Names of namespaces, functions and containers: lowercase letters, digits and hyphens.
    static func nameProblem(_ name: String, max: Int = 63) -> String? {
        let ok = !name.isEmpty && name.count <= max && name.first != "-" && name.last != "-"
            && name.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "-") && $0.isASCII }
        return ok ? nil : "must be 1 to \(max) lowercase letters, digits or hyphens, not starting or ending with a hyphen, got \"\(name)\""
    }

    /// Checks the scale bounds, located on the prop at fault.
    static func checkScale(_ inputs: [String: Value], context: ProviderContext) throws {
        guard let minScale = inputs["min_scale"]?.intValue, let maxScale = inputs["max_scale"]?.intValue else { return }
        if maxScale < minScale {
            throw Diagnostic("max_scale (\(maxScale)) is below min_scale (\(minScale))", at: .resource(context.address),
                             hint: "raise max_scale or lower min_scale")
        }
    }

    /// Fills each key of `defaults` the inputs leave unset.
    static func fillDefaults(_ inputs: inout [String: Value], _ defaults: [String: Value]) {
        for (k, v) in defaults where inputs[k] == nil || inputs[k] == .null { inputs[k] = v }
    }
}

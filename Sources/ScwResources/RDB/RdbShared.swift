// What the RDB resources share: ids (`<region>/<instance>`, `<region>/<instance>/<name>`),
// the engine and node type catalogue (fetched once per region), the wait for an instance to be
// ready (bounded, failure states end it), and the per-instance queue that runs every change to
// one instance after the previous one, each waiting for `ready` before and after (the API
// refuses changes to a busy instance with 409 transient_state).

import ScalewayAPI
import ScwCore
import ScwEngine

enum RdbShared {
    /// Statuses an instance passes through on its own.
    static let transient: Set<String> = ["provisioning", "configuring", "deleting", "autohealing", "initializing",
                                         "backuping", "snapshotting", "restarting"]
    /// Statuses that end a wait with an error.
    static let failures: Set<String> = ["error", "locked", "disk_full", "unknown"]
    /// The provider's 30 minutes.
    static let defaultTimeout: Double = 1800
    static let gb: Int64 = 1_000_000_000

    /// `fr-par/<uuid>` (or a bare uuid) → (region, uuid); a handle's id works too.
    static func instance(_ text: String, defaultRegion: String) -> (region: String, uuid: String)? {
        let parts = text.split(separator: "/").map(String.init)
        switch parts.count {
        case 1: return (defaultRegion, parts[0])
        case 2, 3, 4: return (parts[0], parts[1])
        default: return nil
        }
    }

    /// The name in `fr-par/<uuid>/<name>` (a database or user handle's id), or the text itself.
    static func lastName(_ text: String) -> String {
        text.contains("/") ? String(text.split(separator: "/").last ?? "") : text
    }

    static func childID(region: String, instance: String, name: String) -> String { "\(region)/\(instance)/\(name)" }

    /// The value of `key` as a plain string (secrets revealed), nil when unset or unknown.
    static func plainString(_ inputs: [String: Value], _ key: String) -> String? {
        guard let v = inputs[key], !v.containsUnknown else { return nil }
        return v.revealed.stringValue
    }

    /// The instance of a child resource's inputs (`instance_id`), or a located error.
    static func parent(_ inputs: [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws -> (region: String, uuid: String) {
        guard let text = inputs["instance_id"]?.stringValue, let parsed = instance(text, defaultRegion: inputs["region"]?.stringValue ?? env.defaultRegion) else {
            throw Diagnostic("instance_id is required (an RdbInstance handle or `<region>/<uuid>`)", at: .resource(context.address))
        }
        return parsed
    }

    /// Fills `region` from the instance id when it carries one (unknown while the instance is being made).
    static func normalizeChild(_ inputs: [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let instance = out["instance_id"] ?? .null
        if out["region"] == nil || out["region"] == .null {
            if instance.containsUnknown {
                out["region"] = .unknown
            } else if let text = instance.stringValue, text.contains("/"), let p = Self.instance(text, defaultRegion: env.defaultRegion) {
                out["region"] = .string(p.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = instance.stringValue, text.contains("/"), let p = Self.instance(text, defaultRegion: env.defaultRegion),
           let region = out["region"]?.stringValue, p.region != region {
            throw Diagnostic("region \(region) differs from its instance's region \(p.region)", at: .resource(context.address))
        }
        return out
    }

    // MARK: waiting

    /// Polls until the instance is `ready`; a failure status or its disappearance ends the wait
    /// with an error naming the resource.
    static func waitReady(_ api: RDBAPI, region: String, id: String, timeout: Double, interval: Double,
                          context: ProviderContext) async throws -> RDBInstance {
        var reported: String?
        do {
            return try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10),
                                         what: "database instance \(region)/\(id) to be ready") {
                let instance = try await api.getInstance(region: region, id: id)
                if instance.status == "ready" { return .done(instance) }
                if failures.contains(instance.status) { return .failed(instance.status) }
                if reported != instance.status {
                    reported = instance.status
                    context.phase("waiting for the database instance (\(instance.status))")
                }
                return .pending(instance.status)
            }
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address),
                             hint: failures.contains(where: { "\(error)".hasSuffix($0) }) ? "see the instance's logs in the Scaleway console" : nil)
        } catch let error as APIError where error.isNotFound {
            throw Diagnostic("database instance \(region)/\(id) does not exist (any more)", at: .resource(context.address))
        }
    }

    /// Polls until the instance answers 404.
    static func waitGone(_ api: RDBAPI, region: String, id: String, timeout: Double, interval: Double, context: ProviderContext) async throws {
        do {
            _ = try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10),
                                      what: "database instance \(region)/\(id) to be deleted") { () -> WaitStep<Void> in
                do {
                    let instance = try await api.getInstance(region: region, id: id)
                    return .pending(instance.status)
                } catch let error as APIError where error.isNotFound {
                    return .done(())
                }
            }
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address))
        }
    }

    /// Runs `change` on the instance once nothing else of this process is changing it and it
    /// is ready; waits for it to be ready again afterwards. A 409 transient_state (someone else
    /// made it busy in between) waits and tries again, a bounded number of times.
    static func changing<T: Sendable>(_ api: RDBAPI, region: String, id: String, timeout: Double, interval: Double,
                                      context: ProviderContext, _ change: @escaping @Sendable () async throws -> T) async throws -> T {
        try await RdbInstanceQueue.shared.run("\(region)/\(id)") {
            var attempt = 0
            while true {
                attempt += 1
                _ = try await waitReady(api, region: region, id: id, timeout: timeout, interval: interval, context: context)
                do {
                    let result = try await change()
                    _ = try await waitReady(api, region: region, id: id, timeout: timeout, interval: interval, context: context)
                    return result
                } catch let error as APIError where error.isTransientState && attempt < 5 {
                    context.phase("the instance became busy; waiting to try again")
                }
            }
        }
    }
}

/// One queue per database instance: changes to the same instance run one after the other
/// (those to different instances run in parallel), so parallel creations of databases and
/// users never meet the API's refusal of a busy instance.
actor RdbInstanceQueue {
    static let shared = RdbInstanceQueue()

    private var tails: [String: Task<Void, Never>] = [:]

    func run<T: Sendable>(_ key: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tails[key]
        let task = Task<T, Error> {
            await previous?.value
            return try await body()
        }
        tails[key] = Task { _ = try? await task.value }
        return try await task.value
    }
}

/// Engines and node types of each region, fetched once per process (they change rarely).
actor RdbCatalogue {
    static let shared = RdbCatalogue()

    private var engines: [String: [RDBEngine]] = [:]
    private var nodeTypes: [String: [RDBNodeType]] = [:]

    func engines(region: String, api: RDBAPI) async throws -> [RDBEngine] {
        let key = api.client.config.apiURL + " " + region
        if let known = engines[key] { return known }
        let fetched = try await api.listEngines(region: region)
        engines[key] = fetched
        return fetched
    }

    func nodeTypes(region: String, api: RDBAPI) async throws -> [RDBNodeType] {
        let key = api.client.config.apiURL + " " + region
        if let known = nodeTypes[key] { return known }
        let fetched = try await api.listNodeTypes(region: region)
        nodeTypes[key] = fetched
        return fetched
    }
}

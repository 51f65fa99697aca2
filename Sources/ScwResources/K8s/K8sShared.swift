// What the Kubernetes resources share: ids (`<region>/<uuid>`), the region's versions and node
// types (fetched once per process), version resolution (`1.31`, `1.31.12`, `latest`) and the
// one-minor-forward rule, node type spelling, and the bounded waits for clusters and pools
// (failure states end them with a clear error).

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

enum K8sShared {
    /// The provider's 15 minutes for clusters, 30 for pools.
    static let clusterTimeout: Double = 900
    static let poolTimeout: Double = 1800
    static let clusterSettled: Set<String> = ["ready", "pool_required"]
    static let clusterFailures: Set<String> = ["locked", "deleted"]
    static let poolFailures: Set<String> = ["warning", "locked", "deleted"]

    /// `fr-par/<uuid>` (or a bare uuid in `defaultRegion`).
    static func parse(_ text: String, defaultRegion: String) -> (region: String, uuid: String)? {
        guard let lid = LocalizedID(parsing: text, defaultLocality: defaultRegion) else { return nil }
        return (lid.region, lid.uuid)
    }

    static func id(region: String, uuid: String) -> String { LocalizedID(locality: region, uuid: uuid).description }

    /// The API spelling of a node type: `PRO2-XXS` → `pro2_xxs`.
    static func apiNodeType(_ name: String) -> String { name.lowercased().replacingOccurrences(of: "-", with: "_") }

    /// The Instance spelling: `pro2_xxs` → `PRO2-XXS`.
    static func instanceNodeType(_ name: String) -> String { name.uppercased().replacingOccurrences(of: "_", with: "-") }

    // MARK: versions

    /// The listed version `declared` names: `latest`, a minor (`1.31`, its latest patch) or an
    /// exact `1.31.12`; nil when none matches.
    static func resolve(_ declared: String, in versions: [K8sVersion]) -> K8sVersion? {
        let sorted = versions.sorted { K8sVersion.numbers($0.name).lexicographicallyPrecedes(K8sVersion.numbers($1.name)) }
        if declared == "latest" { return sorted.last }
        if declared.split(separator: ".").count == 2 { return sorted.last { $0.minor == declared } }
        return sorted.first { $0.name == declared }
    }

    /// How the cluster's version reads in the form the script declared it, so that a cluster
    /// on the declared minor (any patch) shows no change.
    static func declaredForm(of version: String, declared: String?, versions: [K8sVersion]?) -> String {
        guard let declared else { return version }
        if declared == "latest" {
            guard let versions, let latest = resolve("latest", in: versions) else { return declared }
            return latest.minor == K8sVersion.minor(of: version) ? declared : K8sVersion.minor(of: version)
        }
        if declared.split(separator: ".").count == 2 { return K8sVersion.minor(of: version) == declared ? declared : K8sVersion.minor(of: version) }
        return version
    }

    /// (major, minor) of a declared or served version; `latest` from the cached list.
    static func minorNumbers(_ text: String) -> [Int]? {
        if text == "latest" { return K8sCatalogue.cachedLatestMinor().map { Array(K8sVersion.numbers($0).prefix(2)) } }
        let parts = text.split(separator: ".")
        guard parts.count >= 2, parts.allSatisfy({ Int($0) != nil }) else { return nil }
        return Array(K8sVersion.numbers(text).prefix(2))
    }

    /// Why going from `old` to `new` cannot be an in-place upgrade: a downgrade, or more than
    /// one minor at a time. nil for an allowed upgrade (or when a side is not known yet).
    static func versionChangeProblem(from old: String, to new: String) -> String? {
        guard let o = minorNumbers(old), let n = minorNumbers(new) else { return nil }
        if n.lexicographicallyPrecedes(o) {
            return "Kubernetes cannot be downgraded in place (\(old) → \(new))"
        }
        if o == n, old.split(separator: ".").count == 3, new.split(separator: ".").count == 3,
           K8sVersion.numbers(new).lexicographicallyPrecedes(K8sVersion.numbers(old)) {
            return "Kubernetes cannot be downgraded in place (\(old) → \(new))"
        }
        if n[0] == o[0], n[1] - o[1] > 1 {
            return "Kubernetes upgrades go one minor version at a time (\(old) → \(new)); upgrade to \(o[0]).\(o[1] + 1) first to keep this cluster"
        }
        return nil
    }

    // MARK: waiting

    /// Polls until the cluster is settled (`ready` or `pool_required`).
    static func waitCluster(_ api: K8sAPI, region: String, id: String, timeout: Double, interval: Double,
                            context: ProviderContext) async throws -> K8sCluster {
        var reported: String?
        return try await wait(what: "Kubernetes cluster \(region)/\(id) to be ready", context: context) {
            try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10), what: "Kubernetes cluster \(region)/\(id) to be ready") {
                let cluster = try await api.getCluster(region: region, id: id)
                if clusterSettled.contains(cluster.status) { return .done(cluster) }
                if clusterFailures.contains(cluster.status) { return .failed(cluster.status) }
                if reported != cluster.status {
                    reported = cluster.status
                    context.phase("waiting for the cluster (\(cluster.status))")
                }
                return .pending(cluster.status)
            }
        }
    }

    /// Polls until the pool is `ready`; `warning`, `locked` end the wait with an error.
    static func waitPool(_ api: K8sAPI, region: String, id: String, timeout: Double, interval: Double,
                         context: ProviderContext) async throws -> K8sPool {
        var reported: String?
        return try await wait(what: "Kubernetes pool \(region)/\(id) to be ready", context: context) {
            try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10), what: "Kubernetes pool \(region)/\(id) to be ready") {
                let pool = try await api.getPool(region: region, id: id)
                if pool.status == "ready" { return .done(pool) }
                if poolFailures.contains(pool.status) { return .failed(pool.status) }
                if reported != pool.status {
                    reported = pool.status
                    context.phase("waiting for the pool (\(pool.status))")
                }
                return .pending(pool.status)
            }
        }
    }

    /// Polls until `get` answers 404.
    static func waitGone(what: String, timeout: Double, interval: Double, context: ProviderContext,
                         _ get: @escaping @Sendable () async throws -> String) async throws {
        do {
            _ = try await Waiter.poll(timeout: timeout, initialInterval: interval, maxInterval: max(interval, 10), what: "\(what) to be deleted") { () -> WaitStep<Void> in
                do {
                    return .pending(try await get())
                } catch let error as APIError where error.isNotFound {
                    return .done(())
                }
            }
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address))
        }
    }

    private static func wait<T>(what: String, context: ProviderContext, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as WaitError {
            throw Diagnostic("\(error)", at: .resource(context.address),
                             hint: "\(error)".contains("failed") ? "see the cluster's events in the Scaleway console" : nil)
        } catch let error as APIError where error.isNotFound {
            throw Diagnostic("\(what.components(separatedBy: " to be").first ?? what) does not exist (any more)", at: .resource(context.address))
        }
    }
}

/// The versions and node types of each region, fetched once per process (they change rarely).
/// The latest minor is also kept for the synchronous replacement check.
actor K8sCatalogue {
    static let shared = K8sCatalogue()

    private var versions: [String: [K8sVersion]] = [:]
    private var nodeTypes: [String: [K8sNodeType]] = [:]
    private var serverTypes: [String: Set<String>] = [:]

    /// The latest minor seen, readable without awaiting (replacementReason is synchronous).
    private final class LatestBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        var minor: String? { lock.withLock { value } }
        func set(_ minor: String) { lock.withLock { value = minor } }
    }
    private static let latest = LatestBox()

    static func cachedLatestMinor() -> String? {
        latest.minor
    }

    func versions(region: String, api: K8sAPI) async throws -> [K8sVersion] {
        let key = api.client.config.apiURL + " " + region
        if let known = versions[key] { return known }
        let fetched = try await api.listVersions(region: region)
        versions[key] = fetched
        if let latest = K8sShared.resolve("latest", in: fetched) {
            Self.latest.set(latest.minor)
        }
        return fetched
    }

    func nodeTypes(region: String, api: K8sAPI) async throws -> [K8sNodeType] {
        let key = api.client.config.apiURL + " " + region
        if let known = nodeTypes[key] { return known }
        let fetched = try await api.listNodeTypes(region: region)
        nodeTypes[key] = fetched
        return fetched
    }

    /// The Instance types a zone offers (upper case).
    func serverTypes(zone: String, client: ScalewayClient) async throws -> Set<String> {
        let key = client.config.apiURL + " " + zone
        if let known = serverTypes[key] { return known }
        let fetched = Set(try await InstanceAPI(client: client).listServerTypes(zone: zone).map { $0.name.uppercased() })
        serverTypes[key] = fetched
        return fetched
    }
}

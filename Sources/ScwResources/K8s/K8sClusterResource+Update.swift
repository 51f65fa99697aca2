// K8sCluster checks against the region's versions (version, CNI, feature gates, admission
// plugins), made at plan time and again before any write; what replaces the cluster (a
// downgrade, more than one minor at a time, a smaller control plane type); and in-place
// changes: type, then settings (only the fields that differ from the cloud), then the upgrade
// (pools along), each waited for.

import ScalewayAPI
import ScwCore
import ScwEngine

extension K8sClusterResource {
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        _ = try await checked(inputs, context: context)
    }

    /// The version the inputs name, once version, CNI, feature gates and admission plugins are
    /// known to be offered; nil when the region or version is not known yet.
    @discardableResult
    func checked(_ inputs: [String: Value], context: ProviderContext) async throws -> K8sVersion? {
        guard let declared = inputs["version"]?.stringValue else { return nil }
        // A private network made in the same run leaves the region unknown at plan time: the
        // configured region's catalogue is checked then (the create checks the real one again).
        let region = inputs["region"]?.stringValue ?? env.defaultRegion
        func fail(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        let versions = try await K8sCatalogue.shared.versions(region: region, api: api)
        guard let version = K8sShared.resolve(declared, in: versions) else {
            let minors = versions.map(\.minor)
            throw fail("unknown Kubernetes version '\(declared)' in \(region)",
                       hint: "available: \(minors.joined(separator: ", ")) (or an exact \(versions.map(\.name).joined(separator: ", ")), or latest)")
        }
        if let cni = inputs["cni"]?.stringValue, !version.availableCNIs.contains(cni) {
            throw fail("cni '\(cni)' is not available with Kubernetes \(version.name)",
                       hint: Suggest.closest(to: cni, in: version.availableCNIs).map { "did you mean '\($0)'?" } ?? "available: \(version.availableCNIs.joined(separator: ", "))")
        }
        for (prop, offered) in [("feature_gates", version.availableFeatureGates), ("admission_plugins", version.availableAdmissionPlugins)] {
            for item in inputs[prop]?.listValue?.compactMap(\.stringValue) ?? [] where !offered.contains(item) {
                throw fail("\(prop): '\(item)' is not available with Kubernetes \(version.name)",
                           hint: Suggest.closest(to: item, in: offered).map { "did you mean '\($0)'?" } ?? "available: \(offered.joined(separator: ", "))")
            }
        }
        return version
    }

    public func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? {
        switch prop {
        case "version":
            guard let o = old.stringValue, let n = new.stringValue else { return nil }
            return K8sShared.versionChangeProblem(from: o, to: n)
        case "type":
            guard let o = old.stringValue, let n = new.stringValue, let from = Self.clusterTypes.firstIndex(of: o),
                  let to = Self.clusterTypes.firstIndex(of: n), to < from else { return nil }
            return "a control plane type cannot move down in place (\(o) → \(n))"
        default:
            return nil
        }
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else {
            throw Diagnostic("bad cluster id '\(id)'", at: .resource(context.address))
        }
        let target = try await checked(new, context: context)
        let timeout = context.timeouts.update ?? K8sShared.clusterTimeout
        let i = Inputs(new, context.address)
        var cluster = try await K8sShared.waitCluster(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)

        if let type = UpdateFields.changed(i.string("type"), from: cluster.type) {
            context.phase("changing the control plane to \(type)")
            _ = try await api.setClusterType(region: region, id: uuid, type: type)
            cluster = try await K8sShared.waitCluster(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
        }

        let body = settingsBody(new, current: cluster, context: context)
        if !UpdateFields.isEmpty(body) {
            context.phase("updating")
            _ = try await api.updateCluster(region: region, id: uuid, body: body)
            cluster = try await K8sShared.waitCluster(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
        }

        if let target, K8sVersion.numbers(cluster.version).prefix(2).lexicographicallyPrecedes(K8sVersion.numbers(target.name).prefix(2)) {
            if let problem = K8sShared.versionChangeProblem(from: K8sVersion.minor(of: cluster.version), to: target.minor) {
                throw Diagnostic(problem, at: .resource(context.address))   // the plan replaces instead; this guards a stale plan
            }
            context.phase("upgrading to \(target.name)")
            _ = try await api.upgradeCluster(region: region, id: uuid, version: target.name, upgradePools: true)
            cluster = try await K8sShared.waitCluster(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
            for pool in try await api.listPools(region: region, clusterID: uuid) where pool.status != "ready" {
                context.phase("waiting for pool \(pool.name) to upgrade")
                _ = try await K8sShared.waitPool(api, region: region, id: pool.id, timeout: timeout, interval: env.pollInterval, context: context)
            }
        }
        return try await outputs(cluster)
    }

    /// The PATCH body: each declared setting that differs from the cloud's.
    func settingsBody(_ new: [String: Value], current: K8sCluster, context: ProviderContext) -> Value {
        let i = Inputs(new, context.address)
        let declared = Self.observed(current, declared: new, versions: nil)
        func differs(_ key: String) -> Bool { new[key] != nil && new[key] != .null && !Self.same(new[key]!, declared[key] ?? .null) }
        return K8sAPI.updateClusterBody(
            description: UpdateFields.changed(i.string("description"), from: current.description),
            tags: UpdateFields.tags(i, current: current.tags, context: context),
            autoscaler: differs("autoscaler_config") ? Self.autoscaler(new["autoscaler_config"]) : nil,
            autoUpgrade: differs("auto_upgrade") ? Self.autoUpgrade(new["auto_upgrade"]) : nil,
            openIDConnect: differs("open_id_connect_config") ? Self.oidc(new["open_id_connect_config"]) : nil,
            featureGates: UpdateFields.changed(i.strings("feature_gates"), from: current.featureGates),
            admissionPlugins: UpdateFields.changed(i.strings("admission_plugins"), from: current.admissionPlugins),
            apiserverCertSANs: UpdateFields.changed(i.strings("apiserver_cert_sans"), from: current.apiserverCertSANs))
    }

    /// Equal values, numbers compared by value (`1` and `1.0`).
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.map(let x), .map(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            if let x = number(a), let y = number(b) { return x == y }
            return a == b
        }
    }
}

// Kapsule clusters: create (checked like the API: version, CNI for that version, cluster type,
// private network, feature gates, admission plugins), get, list, patch (`updating` a moment),
// upgrade (one minor at most, pools along when asked), set-type, available versions,
// kubeconfig (base64 YAML naming the cluster's URL and its token) and delete
// (`with_additional_resources`, deleting → 404, its pools with it).

import Foundation

extension K8sService {
    static let autoscalerDefaults: [String: JSONValue] = [
        "scale_down_disabled": .bool(false), "scale_down_delay_after_add": .string("10m"), "estimator": .string("binpacking"),
        "expander": .string("random"), "ignore_daemonsets_utilization": .bool(false), "balance_similar_node_groups": .bool(false),
        "expendable_pods_priority_cutoff": .int(0), "scale_down_unneeded_time": .string("10m"), "scale_down_utilization_threshold": .double(0.5),
        "max_graceful_termination_sec": .int(0), "skip_nodes_with_local_storage": .bool(false), "log_level": .int(2),
    ]
    static let estimators = ["binpacking"]
    static let expanders = ["random", "most_pods", "least_waste", "priority", "price"]
    static let days = ["any", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    func createCluster(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let typeName = try input.string("type").flatMap { $0.isEmpty ? nil : $0 } ?? "kapsule"
        guard K8sCatalogue.clusterTypes.contains(typeName) else {
            throw APIError.invalidArgument("type", reason: "constraint", help: "unknown cluster type \"\(typeName)\"; one of \(K8sCatalogue.clusterTypes.joined(separator: ", "))")
        }
        guard let versionName = try input.string("version"), !versionName.isEmpty else {
            throw APIError.invalidArgument("version", reason: "required", help: "version is required (e.g. 1.34.6)")
        }
        guard let version = K8sCatalogue.version(named: versionName) else {
            throw APIError.invalidArgument("version", reason: "constraint",
                                           help: "unknown version \"\(versionName)\"; available: \(K8sCatalogue.versions.map(\.name).joined(separator: ", "))")
        }
        guard let cni = try input.string("cni"), !cni.isEmpty else {
            throw APIError.invalidArgument("cni", reason: "required", help: "cni is required (one of \(version.cnis.joined(separator: ", ")))")
        }
        guard version.cnis.contains(cni) else {
            throw APIError.invalidArgument("cni", reason: "constraint", help: "cni \"\(cni)\" is not available with \(version.name); available: \(version.cnis.joined(separator: ", "))")
        }
        if let pools = input.raw("pools")?.arrayValue, !pools.isEmpty {
            throw APIError.invalidArgument("pools", reason: "constraint", help: "the emulator makes pools through POST /clusters/{cluster_id}/pools only")
        }
        guard let pnID = try input.uuid("private_network_id") else {
            throw APIError.invalidArgument("private_network_id", reason: "required", help: "new Kapsule clusters must be attached to a private network")
        }
        let featureGates = try Self.checkedList(input, "feature_gates", allowed: version.featureGates, what: "feature gate") ?? []
        let plugins = try Self.checkedList(input, "admission_plugins", allowed: K8sCatalogue.admissionPlugins, what: "admission plugin") ?? []
        let autoscaler = try Self.autoscaler(merging: input.raw("autoscaler_config"), into: Self.autoscalerDefaults)
        let autoUpgrade = try Self.autoUpgrade(merging: input.raw("auto_upgrade"),
                                               into: ["enabled": .bool(false), "maintenance_window": .object(["start_hour": .int(0), "day": .string("any")])])
        let oidc = Self.oidc(merging: input.raw("open_id_connect_config"), into: Self.emptyOIDC)
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "k8s")
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let body: [String: JSONValue] = [
            "region": .string(region), "id": .string(id), "organization_id": .string(project), "project_id": .string(project),
            "created_at": .string(now), "updated_at": .string(now), "type": .string(typeName), "name": .string(name),
            "description": .string(try input.string("description") ?? ""), "status": .string(K8sStatus.creating),
            "version": .string(versionName), "cni": .string(cni), "tags": .array((try input.stringArray("tags") ?? []).map { .string($0) }),
            "cluster_url": .string("https://\(id).api.k8s.\(region).scw.cloud:6443"),
            "dns_wildcard": .string("*.\(id).nodes.k8s.\(region).scw.cloud"),
            "autoscaler_config": .object(autoscaler), "auto_upgrade": .object(autoUpgrade),
            "upgrade_available": .bool(K8sCatalogue.upgradeAvailable(from: versionName)),
            "feature_gates": .array(featureGates.map { .string($0) }), "admission_plugins": .array(plugins.map { .string($0) }),
            "open_id_connect_config": .object(oidc),
            "apiserver_cert_sans": .array((try input.stringArray("apiserver_cert_sans") ?? []).map { .string($0) }),
            "private_network_id": .string(pnID), "commitment_ends_at": .string(now), "acl_available": .bool(true),
            "iam_nodes_group_id": .string(Clock.uuid()), "pod_cidr": .string("100.64.0.0/15"), "service_cidr": .string("10.32.0.0/20"),
            "service_dns_ip": .string("10.32.0.10"),
        ]
        let rendered = try store.write { state, clock -> JSONValue in
            guard let pn = state.get(VPCService.privateNetworkKind, pnID), pn.region == region else {
                throw APIError.notFound(resource: "private_network", id: pnID)
            }
            var record = state.insert(kind: K8sService.clusterKind, id: id, body: body, meta: [
                "token": .string(Self.token()), "ca": .string(Self.certificateAuthority(for: id)),
            ])
            K8sTimeline.begin(&record, K8sStatus.creating, then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.clusterCreateSeconds)],
                              now: clock, speed: context.speed)
            state.put(record)
            return K8sService.render(cluster: record, in: state)
        }
        return .json(200, rendered)
    }

    func getCluster(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { state in
            K8sService.render(cluster: try K8sService.findCluster(request.param("id"), region: region, in: state), in: state)
        })
    }

    func listClusters(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let status = ListQuery.string(request, "status").flatMap { $0 == "unknown" ? nil : $0 }
        let items = try store.read { state in
            ListQuery.ordered(state.list(K8sService.clusterKind), request).filter { $0.region == region && common($0) }
                .map { K8sService.render(cluster: $0, in: state) }.filter { status == nil || $0["status"]?.stringValue == status }
        }
        return ListQuery.bodyPage("clusters", items, page)
    }

    func updateCluster(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, now in
            var cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(cluster, resource: "cluster")
            let version = K8sCatalogue.version(named: cluster.body["version"]?.stringValue ?? "")
            if let name = try input.string("name"), !name.isEmpty { cluster.body["name"] = .string(name) }
            if let description = try input.string("description") { cluster.body["description"] = .string(description) }
            if let tags = try input.stringArray("tags") { cluster.body["tags"] = .array(tags.map { .string($0) }) }
            if let gates = try Self.checkedList(input, "feature_gates", allowed: version?.featureGates ?? [], what: "feature gate") {
                cluster.body["feature_gates"] = .array(gates.map { .string($0) })
            }
            if let plugins = try Self.checkedList(input, "admission_plugins", allowed: K8sCatalogue.admissionPlugins, what: "admission plugin") {
                cluster.body["admission_plugins"] = .array(plugins.map { .string($0) })
            }
            if let sans = try input.stringArray("apiserver_cert_sans") { cluster.body["apiserver_cert_sans"] = .array(sans.map { .string($0) }) }
            cluster.body["autoscaler_config"] = .object(try Self.autoscaler(merging: input.raw("autoscaler_config"),
                                                                            into: cluster.body["autoscaler_config"]?.objectValue ?? Self.autoscalerDefaults))
            cluster.body["auto_upgrade"] = .object(try Self.autoUpgrade(merging: input.raw("auto_upgrade"), into: cluster.body["auto_upgrade"]?.objectValue ?? [:]))
            cluster.body["open_id_connect_config"] = .object(Self.oidc(merging: input.raw("open_id_connect_config"),
                                                                      into: cluster.body["open_id_connect_config"]?.objectValue ?? Self.emptyOIDC))
            K8sTimeline.begin(&cluster, K8sStatus.updating, then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.clusterUpdateSeconds)],
                              now: now, speed: context.speed)
            state.put(cluster)
            return K8sService.render(cluster: cluster, in: state)
        })
    }

    /// `{"version","upgrade_pools"}`: forward only, at most one minor at a time.
    func upgradeCluster(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let target = try input.string("version"), !target.isEmpty else {
            throw APIError.invalidArgument("version", reason: "required", help: "version is required")
        }
        let upgradePools = try input.bool("upgrade_pools") ?? false
        return .json(200, try store.write { state, now in
            var cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(cluster, resource: "cluster")
            let current = cluster.body["version"]?.stringValue ?? ""
            let allowed = K8sCatalogue.upgrades(from: current).map(\.name)
            guard allowed.contains(target) else {
                throw APIError.invalidArgument("version", reason: "constraint",
                    help: "cannot upgrade from \(current) to \(target): upgrades go forward one minor version at a time; available: \(allowed.isEmpty ? "none" : allowed.joined(separator: ", "))")
            }
            cluster.body["version"] = .string(target)
            K8sTimeline.begin(&cluster, K8sStatus.updating, then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.clusterUpgradeSeconds)],
                              now: now, speed: context.speed)
            state.put(cluster)
            if upgradePools {
                for var pool in K8sService.pools(of: cluster.id, in: state) {
                    K8sNodes.markAll(&pool, status: K8sStatus.upgrading)
                    K8sTimeline.begin(&pool, K8sStatus.upgrading,
                                      then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.poolUpgradeSeconds, version: target)],
                                      now: now, speed: context.speed)
                    state.put(pool)
                }
            }
            return K8sService.render(cluster: cluster, in: state)
        })
    }

    /// `{"type"}`: from shared to dedicated control planes (never back).
    func setClusterType(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let type = try input.string("type") ?? ""
        return .json(200, try store.write { state, now in
            var cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(cluster, resource: "cluster")
            let current = cluster.body["type"]?.stringValue ?? "kapsule"
            guard let from = K8sCatalogue.clusterTypes.firstIndex(of: current), let to = K8sCatalogue.clusterTypes.firstIndex(of: type), to > from else {
                throw APIError.invalidArgument("type", reason: "constraint", help: "cannot change the cluster type from \(current) to \"\(type)\"; a type can only grow")
            }
            cluster.body["type"] = .string(type)
            K8sTimeline.begin(&cluster, K8sStatus.updating, then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.clusterUpdateSeconds)],
                              now: now, speed: context.speed)
            state.put(cluster)
            return K8sService.render(cluster: cluster, in: state)
        })
    }

    func availableVersions(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { state in
            let cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            let upgrades = K8sCatalogue.upgrades(from: cluster.body["version"]?.stringValue ?? "")
            return .object(["versions": .array(upgrades.map { $0.json(region: region) })])
        })
    }

    func deleteCluster(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let withAdditional = try ListQuery.bool(request, "with_additional_resources") ?? false
        return .json(200, try store.write { state, now in
            var cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            if K8sTimeline.status(cluster) != K8sStatus.deleting {
                cluster.meta["with_additional_resources"] = .bool(withAdditional)
                K8sTimeline.begin(&cluster, K8sStatus.deleting, then: [K8sStep(status: K8sStatus.gone, seconds: K8sTimeline.deleteSeconds)],
                                  now: now, speed: context.speed)
                state.put(cluster)
            }
            return K8sService.render(cluster: cluster, in: state)
        })
    }

    /// `{"name":"kubeconfig","content_type":"application/octet-stream","content":<base64 YAML>}`.
    func kubeconfig(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { state in
            let cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            let yaml = Self.kubeconfigYAML(name: cluster.name, server: cluster.body["cluster_url"]?.stringValue ?? "",
                                           ca: cluster.meta["ca"]?.stringValue ?? "", token: cluster.meta["token"]?.stringValue ?? "")
            return .object(["name": .string("kubeconfig"), "content_type": .string("application/octet-stream"),
                            "content": .string(Data(yaml.utf8).base64EncodedString())])
        })
    }

    static func kubeconfigYAML(name: String, server: String, ca: String, token: String) -> String {
        """
        apiVersion: v1
        clusters:
        - name: "\(name)"
          cluster:
            certificate-authority-data: \(ca)
            server: \(server)
        contexts:
        - name: admin@\(name)
          context:
            cluster: "\(name)"
            user: \(name)-admin
        current-context: admin@\(name)
        kind: Config
        preferences: {}
        users:
        - name: \(name)-admin
          user:
            token: \(token)
        """
    }

    /// 56 letters and digits, like the recorded admin tokens.
    static func token() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<56).map { _ in alphabet.randomElement()! })
    }

    /// A PEM (random body, stable per cluster), base64-encoded as kubeconfigs carry it.
    static func certificateAuthority(for id: String) -> String {
        var bytes: [UInt8] = Array("scwlua-emulator-k8s-ca:\(id):".utf8)
        for _ in 0..<300 { bytes.append(UInt8.random(in: 0...255)) }
        let body = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Data("-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----\n".utf8).base64EncodedString()
    }

    // MARK: nested objects (null and unknown_* leave a field as it is, as the API does)

    static let emptyOIDC: [String: JSONValue] = [
        "issuer_url": .string(""), "client_id": .string(""), "username_claim": .string(""), "username_prefix": .string(""),
        "groups_claim": .array([]), "groups_prefix": .string(""), "required_claim": .array([]),
    ]

    static func autoscaler(merging raw: JSONValue?, into current: [String: JSONValue]) throws -> [String: JSONValue] {
        var out = current
        guard let fields = raw?.objectValue else { return out }
        for (key, value) in fields where !value.isNull && value.stringValue?.hasPrefix("unknown") != true {
            guard autoscalerDefaults[key] != nil else { continue }
            if key == "estimator", let s = value.stringValue, !estimators.contains(s) {
                throw APIError.invalidArgument("autoscaler_config.estimator", reason: "constraint", help: "estimator must be one of \(estimators.joined(separator: ", "))")
            }
            if key == "expander", let s = value.stringValue, !expanders.contains(s) {
                throw APIError.invalidArgument("autoscaler_config.expander", reason: "constraint", help: "expander must be one of \(expanders.joined(separator: ", "))")
            }
            out[key] = value
        }
        return out
    }

    /// Request `{"enable", "maintenance_window":{"start_hour","day"}}` → served `{"enabled", ...}`.
    static func autoUpgrade(merging raw: JSONValue?, into current: [String: JSONValue]) throws -> [String: JSONValue] {
        var out = current
        guard let fields = raw?.objectValue else { return out }
        if let enable = fields["enable"]?.boolValue { out["enabled"] = .bool(enable) }
        if let window = fields["maintenance_window"]?.objectValue {
            var w = out["maintenance_window"]?.objectValue ?? ["start_hour": .int(0), "day": .string("any")]
            if let hour = window["start_hour"]?.intValue {
                guard (0...23).contains(hour) else {
                    throw APIError.invalidArgument("auto_upgrade.maintenance_window.start_hour", reason: "constraint", help: "start_hour must be between 0 and 23")
                }
                w["start_hour"] = .int(hour)
            }
            if let day = window["day"]?.stringValue, !day.hasPrefix("unknown") {
                guard days.contains(day) else {
                    throw APIError.invalidArgument("auto_upgrade.maintenance_window.day", reason: "constraint", help: "day must be one of \(days.joined(separator: ", "))")
                }
                w["day"] = .string(day)
            }
            out["maintenance_window"] = .object(w)
        }
        return out
    }

    static func oidc(merging raw: JSONValue?, into current: [String: JSONValue]) -> [String: JSONValue] {
        var out = current
        for (key, value) in raw?.objectValue ?? [:] where !value.isNull && emptyOIDC[key] != nil { out[key] = value }
        return out
    }
}

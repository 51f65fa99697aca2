// K8sCluster: a Kubernetes Kapsule cluster (K8s API v1, regional) on a private network:
// schema, normalisation and static checks, create (a cluster an interrupted create left is
// resumed, never made twice), read, delete and find. Plan-time checks against the region's
// versions and in-place changes (upgrades one minor at a time) are in +Update.swift, outputs
// (the kubeconfig as a secret) and drift in +Outputs.swift.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct K8sClusterResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let days = ["any", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let clusterTypes = ["kapsule", "kapsule-dedicated-4", "kapsule-dedicated-8", "kapsule-dedicated-16"]

    static let autoUpgradeFields: [PropSpec] = [
        PropSpec("enable", .bool, required: true, doc: "Upgrade patch versions automatically in the maintenance window."),
        PropSpec("maintenance_window_start_hour", .int, required: true, range: 0...23, doc: "Hour (UTC) the window starts."),
        PropSpec("maintenance_window_day", .string, required: true, allowed: days, doc: "Day of the window (`any` or a weekday)."),
    ]

    /// Terraform name → API name of each autoscaler setting.
    static let autoscalerNames: [(String, String)] = [
        ("disable_scale_down", "scale_down_disabled"), ("scale_down_delay_after_add", "scale_down_delay_after_add"),
        ("scale_down_unneeded_time", "scale_down_unneeded_time"), ("estimator", "estimator"), ("expander", "expander"),
        ("ignore_daemonsets_utilization", "ignore_daemonsets_utilization"), ("balance_similar_node_groups", "balance_similar_node_groups"),
        ("expendable_pods_priority_cutoff", "expendable_pods_priority_cutoff"),
        ("scale_down_utilization_threshold", "scale_down_utilization_threshold"), ("max_graceful_termination_sec", "max_graceful_termination_sec"),
    ]

    static let autoscalerFields: [PropSpec] = [
        PropSpec("disable_scale_down", .bool, doc: "Never remove nodes."),
        PropSpec("scale_down_delay_after_add", .string, doc: "How long after a scale up scale down resumes, e.g. `10m`."),
        PropSpec("scale_down_unneeded_time", .string, doc: "How long a node stays unneeded before it goes, e.g. `10m`."),
        PropSpec("estimator", .string, allowed: ["binpacking"], doc: "`binpacking`."),
        PropSpec("expander", .string, allowed: ["random", "most_pods", "least_waste", "priority", "price"], doc: "Which pool grows."),
        PropSpec("ignore_daemonsets_utilization", .bool),
        PropSpec("balance_similar_node_groups", .bool),
        PropSpec("expendable_pods_priority_cutoff", .int, range: -1_000_000...1_000_000),
        PropSpec("scale_down_utilization_threshold", .number, doc: "Between 0 and 1."),
        PropSpec("max_graceful_termination_sec", .int, range: 0...86_400),
    ]

    static let oidcFields: [PropSpec] = [
        PropSpec("issuer_url", .string, required: true), PropSpec("client_id", .string, required: true),
        PropSpec("username_claim", .string), PropSpec("username_prefix", .string), PropSpec("groups_claim", .list(.string)),
        PropSpec("groups_prefix", .string), PropSpec("required_claim", .list(.string)),
    ]

    public static let schema = ResourceSchema(
        typeName: "K8sCluster",
        doc: "A Kubernetes Kapsule cluster on a private network, waited for until ready. Its `kubeconfig` is a secret: `scwlua output <name> --raw` prints it for kubectl.",
        locality: .regional,
        props: [
            CommonProps.name(),
            PropSpec("version", .string, required: true,
                     doc: "A minor such as `1.31` (its latest patch), an exact `1.31.12`, or `latest`; checked against the region's versions before any write. Upgrades in place go forward one minor at a time (pools too); a downgrade or a bigger jump replaces the cluster, and the plan says why."),
            PropSpec("cni", .string, required: true, change: .replace, doc: "`cilium`, `calico`, `kilo`, `none`... (checked against the version's CNIs)."),
            PropSpec("type", .string, default: .string("kapsule"), allowed: clusterTypes,
                     doc: "`kapsule` (shared control plane) or `kapsule-dedicated-4|8|16`; moves up in place, down replaces."),
            PropSpec("private_network_id", .resourceID(types: ["VpcPrivateNetwork"]), required: true, change: .replace,
                     doc: "The private network the nodes live on (a VpcPrivateNetwork handle or its id; `private_network` works too). Required for new clusters."),
            PropSpec("description", .string, default: .string(""), doc: "Free text."),
            CommonProps.tags,
            PropSpec("auto_upgrade", .object(autoUpgradeFields),
                     doc: "`{ enable = true, maintenance_window_start_hour = 3, maintenance_window_day = \"sunday\" }`."),
            PropSpec("autoscaler_config", .object(autoscalerFields), doc: "Settings of the cluster autoscaler (for pools with autoscaling)."),
            PropSpec("feature_gates", .list(.string), default: .list([]), doc: "Kubernetes feature gates (checked against the version's)."),
            PropSpec("admission_plugins", .list(.string), default: .list([]), doc: "Admission plugins (checked against the version's)."),
            PropSpec("apiserver_cert_sans", .list(.string), default: .list([]), doc: "Extra names in the API server's certificate."),
            PropSpec("open_id_connect_config", .object(oidcFields), doc: "OpenID Connect for the API server."),
            PropSpec("delete_additional_resources", .bool, required: true,
                     doc: "Required, as in Terraform: whether deleting the cluster also deletes the volumes and load balancers Kubernetes made for it. Changing it writes nothing to the cloud."),
            CommonProps.region,
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("apiserver_url", .string, doc: "The Kubernetes API URL."),
            OutputSpec("wildcard_dns", .string, doc: "The DNS wildcard resolving to the nodes' public addresses."),
            OutputSpec("status", .string, doc: "`ready` (or `pool_required` without a pool)."),
            OutputSpec("version", .string, changesWith: ["version"], doc: "The exact version running, e.g. `1.31.12`."),
            OutputSpec("upgrade_available", .bool, changesWith: ["version"]),
            OutputSpec("kubeconfig", .map(.string), sensitive: true,
                       doc: "Secret table: `config_file` (the whole kubeconfig YAML), `host`, `token`, `cluster_ca_certificate`."),
            OutputSpec("private_network_id", .string),
            OutputSpec("type", .string),
            OutputSpec("cni", .string),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("created_at", .string),
        ])

    var api: K8sAPI { K8sAPI(client: env.client) }

    // MARK: Normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        let pn = out["private_network_id"] ?? .null
        if out["region"] == nil || out["region"] == .null {
            if pn.containsUnknown {
                out["region"] = .unknown
            } else if let text = pn.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["region"] = .string(lid.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = pn.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text), let region = out["region"]?.stringValue, lid.region != region {
            throw Diagnostic("region \(region) differs from its private network's region \(lid.region)", at: .resource(context.address))
        }
        for (key, value) in [("type", Value.string("kapsule")), ("description", .string("")), ("feature_gates", .list([])),
                             ("admission_plugins", .list([])), ("apiserver_cert_sans", .list([]))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        for key in ["auto_upgrade", "autoscaler_config", "open_id_connect_config"] where out[key] == nil { out[key] = .null }
        if let version = out["version"]?.stringValue, version != "latest" {
            let parts = version.split(separator: ".", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count), parts.allSatisfy({ Int($0) != nil }) else {
                throw Diagnostic("version must be a Kubernetes minor such as 1.31, an exact version such as 1.31.12, or latest; got '\(version)'",
                                 at: .resource(context.address))
            }
        }
        if let threshold = out["autoscaler_config"]?["scale_down_utilization_threshold"], let v = Self.number(threshold), !(0...1).contains(v) {
            throw Diagnostic("autoscaler_config.scale_down_utilization_threshold must be between 0 and 1, got \(v)", at: .resource(context.address))
        }
        return out
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    // MARK: Create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        let version = try await checked(inputs, context: context)   // no write before the checks pass
        let timeout = context.timeouts.create ?? K8sShared.clusterTimeout
        // Only a cluster still being made is resumed: a finished one with these tags is the
        // old half of a create-before-destroy (or was adopted by the refresh already).
        let found = try await owned(region: region, context: context).filter { $0.status == "creating" }
        var cluster: K8sCluster
        if let resumed = found.first {
            context.phase("resuming the cluster an interrupted create made")
            cluster = resumed
            for extra in found.dropFirst() {   // never expected; not ours to keep
                try await delete(id: K8sShared.id(region: region, uuid: extra.id), inputs: inputs, context: context)
            }
        } else {
            let body = try Self.createBody(inputs, version: version?.name ?? i.string("version") ?? "",
                                           tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context), context: context)
            context.phase("creating")
            cluster = try await CreateCall.run { try await api.createCluster(region: region, body: body) }
        }
        cluster = try await K8sShared.waitCluster(api, region: region, id: cluster.id, timeout: timeout, interval: env.pollInterval, context: context)
        return CreateResult(id: K8sShared.id(region: region, uuid: cluster.id), outputs: try await outputs(cluster))
    }

    /// Clusters of the region carrying this resource's ownership tags, not being deleted.
    func owned(region: String, context: ProviderContext) async throws -> [K8sCluster] {
        try await api.listClusters(region: region, tags: [OwnershipTags.urnTag(context)])
            .filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
    }

    static func createBody(_ inputs: [String: Value], version: String, tags: [String], context: ProviderContext) throws -> Value {
        let i = Inputs(inputs, context.address)
        let pn = try i.requireString("private_network_id")
        return K8sAPI.createClusterBody(
            projectID: try i.requireString("project_id"), type: i.string("type") ?? "kapsule", name: try i.requireString("name"),
            description: i.string("description") ?? "", tags: tags, version: version, cni: try i.requireString("cni"),
            autoscaler: autoscaler(inputs["autoscaler_config"]) ?? K8sAPI.AutoscalerConfig(), autoUpgrade: autoUpgrade(inputs["auto_upgrade"]),
            featureGates: i.strings("feature_gates") ?? [], admissionPlugins: i.strings("admission_plugins") ?? [],
            apiserverCertSANs: i.strings("apiserver_cert_sans") ?? [], openIDConnect: oidc(inputs["open_id_connect_config"]),
            privateNetworkID: LocalizedID(parsing: pn, defaultLocality: "")?.uuid ?? pn)
    }

    static func autoscaler(_ value: Value?) -> K8sAPI.AutoscalerConfig? {
        guard let map = value?.mapValue else { return nil }
        var a = K8sAPI.AutoscalerConfig()
        a.scaleDownDisabled = map["disable_scale_down"]?.boolValue
        a.scaleDownDelayAfterAdd = map["scale_down_delay_after_add"]?.stringValue
        a.scaleDownUnneededTime = map["scale_down_unneeded_time"]?.stringValue
        a.estimator = map["estimator"]?.stringValue
        a.expander = map["expander"]?.stringValue
        a.ignoreDaemonsetsUtilization = map["ignore_daemonsets_utilization"]?.boolValue
        a.balanceSimilarNodeGroups = map["balance_similar_node_groups"]?.boolValue
        a.expendablePodsPriorityCutoff = map["expendable_pods_priority_cutoff"]?.intValue
        a.scaleDownUtilizationThreshold = map["scale_down_utilization_threshold"].flatMap(number)
        a.maxGracefulTerminationSec = map["max_graceful_termination_sec"]?.intValue
        return a
    }

    static func autoUpgrade(_ value: Value?) -> K8sAPI.AutoUpgrade? {
        guard let map = value?.mapValue else { return nil }
        return K8sAPI.AutoUpgrade(enable: map["enable"]?.boolValue, startHour: map["maintenance_window_start_hour"]?.intValue,
                                  day: map["maintenance_window_day"]?.stringValue)
    }

    static func oidc(_ value: Value?) -> K8sAPI.OpenIDConnect? {
        guard let map = value?.mapValue else { return nil }
        var o = K8sAPI.OpenIDConnect()
        o.issuerURL = map["issuer_url"]?.stringValue
        o.clientID = map["client_id"]?.stringValue
        o.usernameClaim = map["username_claim"]?.stringValue
        o.usernamePrefix = map["username_prefix"]?.stringValue
        o.groupsClaim = map["groups_claim"]?.listValue?.compactMap(\.stringValue)
        o.groupsPrefix = map["groups_prefix"]?.stringValue
        o.requiredClaim = map["required_claim"]?.listValue?.compactMap(\.stringValue)
        return o
    }

    // MARK: Read

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let cluster = try await api.getCluster(region: region, id: uuid)
            if cluster.status == "deleting" { return nil }
            let versions = try? await K8sCatalogue.shared.versions(region: region, api: api)
            return ReadResult(outputs: try await outputs(cluster), observed: Self.observed(cluster, declared: inputs, versions: versions),
                              ownerStack: OwnershipTags.stack(of: cluster.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    // MARK: Delete

    /// Deletes the cluster (its pools go with it), with or without the volumes and load
    /// balancers Kubernetes made, as `delete_additional_resources` says; waits until it is gone.
    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let timeout = context.timeouts.delete ?? K8sShared.clusterTimeout
        do {
            context.phase("deleting")
            var attempt = 0
            while true {
                attempt += 1
                do {
                    _ = try await api.deleteCluster(region: region, id: uuid, withAdditionalResources: inputs["delete_additional_resources"]?.boolValue ?? false)
                    break
                } catch let error as APIError where error.isTransientState && attempt < 5 {
                    _ = try await K8sShared.waitCluster(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
                }
            }
            try await K8sShared.waitGone(what: "Kubernetes cluster \(region)/\(uuid)", timeout: timeout, interval: env.pollInterval, context: context) {
                try await api.getCluster(region: region, id: uuid).status
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    // MARK: Find

    /// Clusters carrying this resource's ownership tags; one still `creating` is half-made (the
    /// next create waits for it rather than making another).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        var out: [CreateResult] = []
        for cluster in try await owned(region: region, context: context) {
            out.append(CreateResult(id: K8sShared.id(region: region, uuid: cluster.id), outputs: try await outputs(cluster),
                                    halfMade: !K8sShared.clusterSettled.contains(cluster.status)))
        }
        return out
    }
}

// K8sPool: a pool of identical nodes in a Kapsule cluster: schema, static checks (size bounds,
// autoscaling), plan-time checks (node type offered in the zone, zone in the cluster's region,
// kubelet args), create (waits for the cluster, resumes a pool an interrupted create left),
// in-place changes (size ignored while autoscaling), delete and find. A node type or zone
// change replaces the pool new-first (createBeforeDestroyByDefault), so the cluster keeps nodes.
// Outputs and drift are in +Outputs.swift.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct K8sPoolResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let upgradePolicyFields: [PropSpec] = [
        PropSpec("max_surge", .int, range: 0...100, doc: "Extra nodes made during an upgrade."),
        PropSpec("max_unavailable", .int, range: 0...100, doc: "Nodes that may be unavailable during an upgrade."),
    ]

    public static let schema: ResourceSchema = {
        var schema = ResourceSchema(
            typeName: "K8sPool",
            doc: "A pool of identical nodes in a K8sCluster, waited for until ready. A node type or zone change replaces it, the new pool first (create before destroy by default), so the cluster never runs without nodes.",
            locality: .regional,
            props: [
                PropSpec("cluster_id", .resourceID(types: ["K8sCluster"]), required: true, change: .replace,
                         doc: "The cluster (a K8sCluster handle or its id; `cluster` works too)."),
                PropSpec("name", .string, change: .replace, doc: "Name of the pool; defaults to the resource's name in the script."),
                PropSpec("node_type", .string, required: true, change: .replace,
                         doc: "Instance type of the nodes, e.g. `PRO2-S` (checked against what the pool's zone offers; at least 4 GiB of memory)."),
                PropSpec("size", .int, required: true, range: 0...500, doc: "Number of nodes; changed in place (ignored while autoscaling, as in Terraform)."),
                PropSpec("min_size", .int, range: 0...500, doc: "Lower bound of the autoscaler (needs autoscaling)."),
                PropSpec("max_size", .int, range: 0...500, doc: "Upper bound of the autoscaler (needs autoscaling)."),
                PropSpec("autoscaling", .bool, default: .bool(false), doc: "Let the cluster autoscaler size the pool between min_size and max_size."),
                PropSpec("autohealing", .bool, default: .bool(false), doc: "Replace unhealthy nodes."),
                PropSpec("container_runtime", .string, change: .replace, default: .string("containerd"), allowed: ["containerd"]),
                PropSpec("kubelet_args", .map(.string), default: .map([:]), doc: "Kubelet arguments, e.g. `{ maxPods = \"110\" }` (checked against the cluster's version)."),
                PropSpec("upgrade_policy", .object(upgradePolicyFields), doc: "`{ max_surge = 1, max_unavailable = 0 }`."),
                PropSpec("placement_group_id", .string, change: .replace, doc: "A placement group for the nodes."),
                PropSpec("root_volume_type", .string, change: .replace, allowed: ["default_volume_type", "l_ssd", "sbs_5k", "sbs_15k"],
                         doc: "Root volume of the nodes (`sbs_5k` by default)."),
                PropSpec("root_volume_size_in_gb", .int, change: .replace, range: 20...10_000, doc: "Root volume size in GB (20 by default)."),
                PropSpec("public_ip_disabled", .bool, change: .replace, default: .bool(false), doc: "Nodes without public addresses."),
                PropSpec("zone", .string, change: .replace, format: .zone, doc: "Zone of the nodes; defaults to the configured zone when it is in the cluster's region."),
                CommonProps.tags,
                PropSpec("wait_for_pool_ready", .bool, default: .bool(true), doc: "Wait until every node is ready (writes nothing to the cloud)."),
                PropSpec("region", .string, change: .replace, format: .region, doc: "Region; follows the cluster."),
            ],
            outputs: [
                OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
                OutputSpec("name", .string),
                OutputSpec("status", .string, doc: "`ready` once applied (with wait_for_pool_ready)."),
                OutputSpec("version", .string, doc: "Kubernetes version of the nodes."),
                OutputSpec("current_size", .int, changesWith: ["size", "min_size", "max_size", "autoscaling"]),
                OutputSpec("nodes", .list(.any), changesWith: ["size", "min_size", "max_size", "autoscaling"],
                           doc: "`{ name, status, public_ip, private_ip }` of each node."),
                OutputSpec("cluster_id", .string),
                OutputSpec("zone", .string),
                OutputSpec("region", .string),
            ])
        schema.createBeforeDestroyByDefault = true
        return schema
    }()

    var api: K8sAPI { K8sAPI(client: env.client) }

    // MARK: Normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        func fail(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["tags"] == nil || out["tags"] == .null { out["tags"] = .list([]) }
        for tag in out["tags"]?.listValue?.compactMap(\.stringValue) ?? [] where tag.hasPrefix(OwnershipTags.prefix) {
            throw fail("tag '\(tag)' uses the reserved prefix '\(OwnershipTags.prefix)'")
        }
        for (key, value) in [("autoscaling", Value.bool(false)), ("autohealing", .bool(false)), ("container_runtime", .string("containerd")),
                             ("kubelet_args", .map([:])), ("public_ip_disabled", .bool(false)), ("wait_for_pool_ready", .bool(true))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        for key in ["min_size", "max_size", "upgrade_policy", "placement_group_id", "root_volume_type", "root_volume_size_in_gb"] where out[key] == nil {
            out[key] = .null
        }
        let cluster = out["cluster_id"] ?? .null
        if out["region"] == nil || out["region"] == .null {
            if cluster.containsUnknown {
                out["region"] = .unknown
            } else if let text = cluster.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["region"] = .string(lid.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = cluster.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text), let region = out["region"]?.stringValue, lid.region != region {
            throw fail("region \(region) differs from its cluster's region \(lid.region)")
        }
        if out["zone"] == nil || out["zone"] == .null {
            if let region = out["region"]?.stringValue {
                out["zone"] = .string(Locality.region(ofZone: env.defaultZone) == region ? env.defaultZone : "\(region)-1")
            } else {
                out["zone"] = .unknown
            }
        }
        if let zone = out["zone"]?.stringValue, let region = out["region"]?.stringValue, Locality.region(ofZone: zone) != region {
            throw fail("zone \(zone) is not in the cluster's region \(region)")
        }
        try Self.checkSizes(out, fail: fail)
        return out
    }

    /// Bounds that need no call: min ≤ max, bounds only with autoscaling, size within them.
    static func checkSizes(_ inputs: [String: Value], fail: (String, String?) -> Diagnostic) throws {
        let autoscaling = inputs["autoscaling"]?.boolValue ?? false
        let size = inputs["size"]?.intValue
        let minSize = inputs["min_size"]?.intValue
        let maxSize = inputs["max_size"]?.intValue
        if !autoscaling, minSize != nil || maxSize != nil {
            throw fail("min_size and max_size bound the autoscaler, which is off for this pool",
                       "set autoscaling = true, or remove min_size and max_size")
        }
        if let minSize, let maxSize, minSize > maxSize {
            throw fail("min_size (\(minSize)) is greater than max_size (\(maxSize))", nil)
        }
        if autoscaling, let size {
            if let minSize, size < minSize { throw fail("size (\(size)) is below min_size (\(minSize))", "with autoscaling, size is the starting size, between min_size and max_size") }
            if let maxSize, size > maxSize { throw fail("size (\(size)) is above max_size (\(maxSize))", "with autoscaling, size is the starting size, between min_size and max_size") }
        }
        if !autoscaling, let size, size < 1 {
            throw fail("a pool without autoscaling needs at least one node (size = \(size))", nil)
        }
    }

    // MARK: Validate

    /// The node type against the Kapsule node types and the zone's Instance types; kubelet
    /// arguments against the cluster's version (when the cluster already exists).
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        // A cluster made in the same run leaves region and zone unknown at plan time: the
        // configured ones are checked then (the create checks the real ones again).
        let region = inputs["region"]?.stringValue ?? env.defaultRegion
        let zone = inputs["zone"]?.stringValue ?? (Locality.region(ofZone: env.defaultZone) == region ? env.defaultZone : "\(region)-1")
        func fail(_ message: String, hint: String? = nil) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        if let nodeType = inputs["node_type"]?.stringValue {
            let kapsule = try await K8sCatalogue.shared.nodeTypes(region: region, api: api).map(\.name)
            let wanted = K8sShared.apiNodeType(nodeType)
            let inZone = try await K8sCatalogue.shared.serverTypes(zone: zone, client: env.client)
            let offered = Set(kapsule).filter { inZone.contains(K8sShared.instanceNodeType($0)) }
            if !offered.contains(wanted) {
                let names = offered.map(K8sShared.instanceNodeType).sorted()
                throw fail("node type \(K8sShared.instanceNodeType(nodeType)) is not offered for Kapsule pools in \(zone)",
                           hint: Suggest.closest(to: K8sShared.instanceNodeType(nodeType), in: names).map { "did you mean '\($0)'?" }
                               ?? "Kapsule nodes need at least 4 GiB of memory; e.g. \(names.prefix(8).joined(separator: ", "))")
            }
        }
        if let args = inputs["kubelet_args"]?.mapValue, !args.isEmpty, let text = inputs["cluster_id"]?.stringValue,
           let (clusterRegion, uuid) = K8sShared.parse(text, defaultRegion: region),
           let cluster = try? await api.getCluster(region: clusterRegion, id: uuid) {
            let versions = try await K8sCatalogue.shared.versions(region: clusterRegion, api: api)
            if let version = versions.first(where: { $0.minor == K8sVersion.minor(of: cluster.version) }) {
                for key in args.keys.sorted() where version.availableKubeletArgs[key] == nil {
                    let known = version.availableKubeletArgs.keys.sorted()
                    throw fail("kubelet_args: '\(key)' is not a kubelet argument Kubernetes \(version.minor) accepts here",
                               hint: Suggest.closest(to: key, in: known).map { "did you mean '\($0)'?" } ?? "accepted: \(known.joined(separator: ", "))")
                }
            }
        }
    }

    // MARK: Create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        try await validate(inputs, context: context)   // no write before the checks pass
        let i = Inputs(inputs, context.address)
        let (region, clusterID) = try cluster(inputs, context: context)
        let timeout = context.timeouts.create ?? K8sShared.poolTimeout
        _ = try await K8sShared.waitCluster(api, region: region, id: clusterID, timeout: timeout, interval: env.pollInterval, context: context)
        var pool: K8sPool
        // Only a pool still scaling to its first size is resumed: a ready one with these tags is
        // the old half of a create-before-destroy (or was adopted by the refresh already).
        if let resumed = try await owned(region: region, clusterID: clusterID, context: context)
            .first(where: { $0.status == "scaling" && Self.sameShape($0, inputs) }) {
            context.phase("resuming the pool an interrupted create made")
            pool = resumed
        } else {
            let body = Self.createBody(inputs, tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context), context: context)
            context.phase("creating")
            pool = try await CreateCall.run { try await api.createPool(region: region, clusterID: clusterID, body: body) }
        }
        if i.bool("wait_for_pool_ready") ?? true {
            pool = try await K8sShared.waitPool(api, region: region, id: pool.id, timeout: timeout, interval: env.pollInterval, context: context)
        }
        return CreateResult(id: K8sShared.id(region: region, uuid: pool.id), outputs: try await outputs(pool))
    }

    func cluster(_ inputs: [String: Value], context: ProviderContext) throws -> (String, String) {
        guard let text = inputs["cluster_id"]?.stringValue,
              let parsed = K8sShared.parse(text, defaultRegion: inputs["region"]?.stringValue ?? env.defaultRegion) else {
            throw Diagnostic("cluster_id is required (a K8sCluster handle or `<region>/<uuid>`)", at: .resource(context.address))
        }
        return parsed
    }

    /// Pools of the cluster carrying this resource's ownership tags, not being deleted.
    func owned(region: String, clusterID: String, context: ProviderContext) async throws -> [K8sPool] {
        try await api.listPools(region: region, clusterID: clusterID)
            .filter { OwnershipTags.owned($0.tags, by: context) && $0.status != "deleting" }
    }

    /// True when `pool` has what the inputs cannot change in place (name, node type, zone,
    /// public addresses): a pool made for other inputs is not resumed.
    static func sameShape(_ pool: K8sPool, _ inputs: [String: Value]) -> Bool {
        pool.name == inputs["name"]?.stringValue
            && K8sShared.apiNodeType(pool.nodeType) == K8sShared.apiNodeType(inputs["node_type"]?.stringValue ?? "")
            && pool.zone == inputs["zone"]?.stringValue
            && pool.publicIPDisabled == (inputs["public_ip_disabled"]?.boolValue ?? false)
    }

    static func createBody(_ inputs: [String: Value], tags: [String], context: ProviderContext) -> Value {
        let i = Inputs(inputs, context.address)
        let policy = inputs["upgrade_policy"]?.mapValue.map { (maxUnavailable: $0["max_unavailable"]?.intValue, maxSurge: $0["max_surge"]?.intValue) }
        return K8sAPI.createPoolBody(
            name: i.string("name") ?? context.address.name, nodeType: K8sShared.apiNodeType(i.string("node_type") ?? ""),
            autoscaling: i.bool("autoscaling") ?? false, size: inputs["size"]?.intValue ?? 1,
            minSize: inputs["min_size"]?.intValue, maxSize: inputs["max_size"]?.intValue,
            containerRuntime: i.string("container_runtime") ?? "containerd", autohealing: i.bool("autohealing") ?? false, tags: tags,
            kubeletArgs: (inputs["kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue), upgradePolicy: policy,
            zone: i.string("zone") ?? "", rootVolumeType: i.string("root_volume_type") ?? "default_volume_type",
            rootVolumeSizeBytes: inputs["root_volume_size_in_gb"]?.intValue.map { $0 * 1_000_000_000 },
            publicIPDisabled: i.bool("public_ip_disabled") ?? false, placementGroupID: i.string("placement_group_id"))
    }

    // MARK: Read

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else { return nil }
        do {
            let pool = try await api.getPool(region: region, id: uuid)
            if pool.status == "deleting" { return nil }
            return ReadResult(outputs: try await outputs(pool), observed: Self.observed(pool, declared: inputs), ownerStack: OwnershipTags.stack(of: pool.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    // MARK: Update

    /// Sends what differs from the cloud: size (not while autoscaling), bounds, autohealing,
    /// tags, kubelet args, upgrade policy; then waits for the pool to be ready again.
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else {
            throw Diagnostic("bad pool id '\(id)'", at: .resource(context.address))
        }
        try await validate(new, context: context)
        let i = Inputs(new, context.address)
        let timeout = context.timeouts.update ?? K8sShared.poolTimeout
        var pool = try await K8sShared.waitPool(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
        let autoscaling = i.bool("autoscaling") ?? false
        let wantedArgs = (new["kubelet_args"]?.mapValue ?? [:]).compactMapValues(\.stringValue)
        var policy: (maxUnavailable: Int64?, maxSurge: Int64?)?
        if let p = new["upgrade_policy"]?.mapValue {
            let unavailable = UpdateFields.changed(p["max_unavailable"]?.intValue, from: pool.maxUnavailable)
            let surge = UpdateFields.changed(p["max_surge"]?.intValue, from: pool.maxSurge)
            if unavailable != nil || surge != nil { policy = (unavailable, surge) }
        }
        let body = K8sAPI.updatePoolBody(
            autoscaling: UpdateFields.changed(autoscaling, from: pool.autoscaling),
            size: autoscaling ? nil : UpdateFields.changed(new["size"]?.intValue, from: pool.size),
            minSize: autoscaling ? UpdateFields.changed(new["min_size"]?.intValue, from: pool.minSize) : nil,
            maxSize: autoscaling ? UpdateFields.changed(new["max_size"]?.intValue, from: pool.maxSize) : nil,
            autohealing: UpdateFields.changed(i.bool("autohealing"), from: pool.autohealing),
            tags: UpdateFields.tags(i, current: pool.tags, context: context),
            kubeletArgs: UpdateFields.changed(wantedArgs, from: pool.kubeletArgs), upgradePolicy: policy)
        if !UpdateFields.isEmpty(body) {
            context.phase("updating")
            pool = try await api.updatePool(region: region, id: uuid, body: body)
            if i.bool("wait_for_pool_ready") ?? true {
                pool = try await K8sShared.waitPool(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
            }
        }
        return try await outputs(pool)
    }

    // MARK: Delete

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let (region, uuid) = K8sShared.parse(id, defaultRegion: env.defaultRegion) else { return }
        let timeout = context.timeouts.delete ?? K8sShared.poolTimeout
        do {
            context.phase("deleting")
            var attempt = 0
            while true {
                attempt += 1
                do {
                    _ = try await api.deletePool(region: region, id: uuid)
                    break
                } catch let error as APIError where error.isTransientState && attempt < 5 {
                    _ = try? await K8sShared.waitPool(api, region: region, id: uuid, timeout: timeout, interval: env.pollInterval, context: context)
                }
            }
            try await K8sShared.waitGone(what: "Kubernetes pool \(region)/\(uuid)", timeout: timeout, interval: env.pollInterval, context: context) {
                try await api.getPool(region: region, id: uuid).status
            }
        } catch let error as APIError where error.isNotFound {
            return
        }
    }

    // MARK: Find

    /// Pools of the cluster with this resource's ownership tags; one still scaling to its first
    /// size is half-made (the next create waits for it rather than making another).
    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let text = inputs["cluster_id"]?.stringValue,
              let (region, clusterID) = K8sShared.parse(text, defaultRegion: inputs["region"]?.stringValue ?? env.defaultRegion) else { return [] }
        let pools: [K8sPool]
        do {
            pools = try await owned(region: region, clusterID: clusterID, context: context)
        } catch let error as APIError where error.isNotFound {
            return []   // the cluster is gone, and its pools with it
        }
        var out: [CreateResult] = []
        for pool in pools {
            out.append(CreateResult(id: K8sShared.id(region: region, uuid: pool.id), outputs: try await outputs(pool),
                                    halfMade: pool.status != "ready"))
        }
        return out
    }
}

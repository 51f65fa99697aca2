// Kapsule pools: create in a settled cluster (node type, size bounds, zone of the cluster's
// region, runtime, kubelet args, root volume checked), `scaling` one node at a time to `ready`;
// get, list, patch (a size change scales, other fields apply at once), upgrade (up to the
// cluster's version) and delete (deleting → 404); and the nodes list of a cluster.

import Foundation

extension K8sService {
    func createPool(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let nodeTypeName = try input.string("node_type") ?? ""
        guard K8sCatalogue.nodeType(nodeTypeName) != nil else {
            throw APIError.invalidArgument("node_type", reason: "constraint",
                help: "node type \"\(nodeTypeName)\" is not available for Kapsule pools (nodes need at least 4 GiB of memory; DEV1-S, PLAY2-PICO and STARDUST are refused)")
        }
        guard let size = try input.int("size") else {
            throw APIError.invalidArgument("size", reason: "required", help: "size is required")
        }
        let autoscaling = try input.bool("autoscaling") ?? false
        let minSize = try input.int("min_size") ?? (autoscaling ? min(size, 1) : size)
        let maxSize = try input.int("max_size") ?? max(size, minSize)
        try Self.checkSizes(size: size, min: minSize, max: maxSize, autoscaling: autoscaling)
        let zone = try input.string("zone").flatMap { $0.isEmpty ? nil : $0 } ?? "\(region)-1"
        guard Locality.zones.contains(zone), Locality.region(ofZone: zone) == region else {
            throw APIError.invalidArgument("zone", reason: "constraint", help: "zone \"\(zone)\" is not in region \(region)")
        }
        let runtime = try input.string("container_runtime").flatMap { $0.isEmpty || $0.hasPrefix("unknown") ? nil : $0 } ?? "containerd"
        guard runtime == "containerd" else {
            throw APIError.invalidArgument("container_runtime", reason: "constraint", help: "container_runtime must be containerd")
        }
        let volumeType = try input.string("root_volume_type").flatMap { $0.isEmpty ? nil : $0 } ?? "default_volume_type"
        guard K8sCatalogue.rootVolumeTypes.contains(volumeType) else {
            throw APIError.invalidArgument("root_volume_type", reason: "constraint", help: "root_volume_type must be one of \(K8sCatalogue.rootVolumeTypes.joined(separator: ", "))")
        }
        let volumeSize = try input.int("root_volume_size") ?? 20_000_000_000
        guard volumeSize >= 20_000_000_000 else {
            throw APIError.invalidArgument("root_volume_size", reason: "constraint", help: "root_volume_size must be at least 20 GB")
        }
        let kubeletArgs = try Self.kubeletArgs(input.raw("kubelet_args")) ?? [:]
        let policy = Self.upgradePolicy(merging: input.raw("upgrade_policy"), into: ["max_unavailable": .int(1), "max_surge": .int(0)])
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "pool")
        let rendered = try store.write { state, clock -> JSONValue in
            let cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(cluster, resource: "cluster")
            let body: [String: JSONValue] = [
                "region": .string(region), "id": .string(id), "cluster_id": .string(cluster.id), "created_at": .string(now),
                "updated_at": .string(now), "name": .string(name), "status": .string(K8sStatus.scaling),
                "version": cluster.body["version"] ?? .string(""), "node_type": .string(nodeTypeName), "autoscaling": .bool(autoscaling),
                "size": .int(size), "min_size": .int(minSize), "max_size": .int(maxSize), "container_runtime": .string(runtime),
                "autohealing": .bool(try input.bool("autohealing") ?? false), "tags": .array((try input.stringArray("tags") ?? []).map { .string($0) }),
                "placement_group_id": try input.uuid("placement_group_id").map { .string($0) } ?? .null,
                "kubelet_args": .object(kubeletArgs), "upgrade_policy": .object(policy), "zone": .string(zone),
                "root_volume_type": .string(volumeType == "default_volume_type" ? "sbs_5k" : volumeType), "root_volume_size": .int(volumeSize),
                "public_ip_disabled": .bool(try input.bool("public_ip_disabled") ?? false), "new_images_enabled": .bool(true),
                "security_group_id": .string(try input.uuid("security_group_id") ?? Clock.uuid()),
            ]
            var pool = state.insert(kind: K8sService.poolKind, id: id, body: body, meta: ["nodes": .array([])])
            K8sTimeline.begin(&pool, K8sStatus.scaling, then: Self.scalingSteps(from: 0, to: size), now: clock, speed: context.speed)
            state.put(pool)
            return K8sService.render(pool: pool)
        }
        return .json(200, rendered)
    }

    /// One step per node added or removed, then `ready`.
    static func scalingSteps(from: Int, to: Int) -> [K8sStep] {
        let counts: [Int] = from < to ? Array((from + 1)...to) : from > to ? Array((to..<from).reversed()) : []
        return counts.map { K8sStep(status: K8sStatus.scaling, seconds: K8sTimeline.nodeSeconds, nodes: $0) }
            + [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.nodeSeconds / 2, nodes: to)]
    }

    static func checkSizes(size: Int, min: Int, max: Int, autoscaling: Bool) throws {
        guard size >= 0, min >= 0, max >= 0 else {
            throw APIError.invalidArgument("size", reason: "constraint", help: "size, min_size and max_size cannot be negative")
        }
        guard min <= max else {
            throw APIError.invalidArgument("min_size", reason: "constraint", help: "min_size (\(min)) must not exceed max_size (\(max))")
        }
        if autoscaling, !(min...max).contains(size) {
            throw APIError.invalidArgument("size", reason: "constraint", help: "with autoscaling, size (\(size)) must be between min_size (\(min)) and max_size (\(max))")
        }
        if !autoscaling, size < 1 {
            throw APIError.invalidArgument("size", reason: "constraint", help: "a pool without autoscaling needs at least one node")
        }
    }

    static func kubeletArgs(_ raw: JSONValue?) throws -> [String: JSONValue]? {
        guard let raw, !raw.isNull else { return nil }
        guard let fields = raw.objectValue else {
            throw APIError.invalidArgument("kubelet_args", reason: "format", help: "kubelet_args must be an object of strings")
        }
        for (key, value) in fields {
            guard K8sCatalogue.kubeletArgs[key] != nil else {
                throw APIError.invalidArgument("kubelet_args", reason: "constraint", help: "unknown kubelet argument \"\(key)\"")
            }
            guard value.stringValue != nil else {
                throw APIError.invalidArgument("kubelet_args", reason: "format", help: "kubelet argument \(key) must be a string")
            }
        }
        return fields
    }

    static func upgradePolicy(merging raw: JSONValue?, into current: [String: JSONValue]) -> [String: JSONValue] {
        var out = current
        for key in ["max_unavailable", "max_surge"] {
            if let n = raw?[key]?.intValue { out[key] = .int(n) }
        }
        return out
    }

    func getPool(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { K8sService.render(pool: try K8sService.findPool(request.param("id"), region: region, in: $0)) })
    }

    /// `?status=unknown` (what the SDK sends by default) filters nothing.
    func listPools(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let status = ListQuery.string(request, "status").flatMap { $0 == "unknown" ? nil : $0 }
        let items = try store.read { state -> [JSONValue] in
            let cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            return ListQuery.ordered(K8sService.pools(of: cluster.id, in: state), request)
                .filter { (name == nil || $0.name.contains(name!)) && (status == nil || K8sTimeline.status($0) == status) }
                .map(K8sService.render(pool:))
        }
        return ListQuery.bodyPage("pools", items, page)
    }

    func updatePool(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, now in
            var pool = try K8sService.findPool(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(pool, resource: "pool")
            let autoscaling = try input.bool("autoscaling") ?? pool.body["autoscaling"]?.boolValue ?? false
            let oldSize = pool.body["size"]?.intValue ?? 0
            let size = try input.int("size") ?? oldSize
            let minSize = try input.int("min_size") ?? pool.body["min_size"]?.intValue ?? 0
            let maxSize = try input.int("max_size") ?? pool.body["max_size"]?.intValue ?? 0
            try Self.checkSizes(size: size, min: minSize, max: maxSize, autoscaling: autoscaling)
            if let args = try Self.kubeletArgs(input.raw("kubelet_args")) { pool.body["kubelet_args"] = .object(args) }
            if let tags = try input.stringArray("tags") { pool.body["tags"] = .array(tags.map { .string($0) }) }
            if let healing = try input.bool("autohealing") { pool.body["autohealing"] = .bool(healing) }
            pool.body["upgrade_policy"] = .object(Self.upgradePolicy(merging: input.raw("upgrade_policy"), into: pool.body["upgrade_policy"]?.objectValue ?? [:]))
            pool.body["autoscaling"] = .bool(autoscaling)
            pool.body["size"] = .int(size)
            pool.body["min_size"] = .int(minSize)
            pool.body["max_size"] = .int(maxSize)
            pool.body["updated_at"] = .string(Clock.timestamp())
            if size != K8sNodes.nodes(pool).count {
                K8sTimeline.begin(&pool, K8sStatus.scaling, then: Self.scalingSteps(from: K8sNodes.nodes(pool).count, to: size), now: now, speed: context.speed)
            }
            state.put(pool)
            return K8sService.render(pool: pool)
        })
    }

    /// `{"version"}`: newer than the pool's, not newer than its cluster's.
    func upgradePool(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let target = try request.body().string("version") ?? ""
        return .json(200, try store.write { state, now in
            var pool = try K8sService.findPool(request.param("id"), region: region, in: state)
            try K8sService.requireSettled(pool, resource: "pool")
            let cluster = try K8sService.findCluster(pool.body["cluster_id"]?.stringValue ?? "", region: region, in: state)
            let clusterVersion = cluster.body["version"]?.stringValue ?? ""
            let current = pool.body["version"]?.stringValue ?? ""
            guard K8sCatalogue.isNewer(target, than: current), !K8sCatalogue.isNewer(target, than: clusterVersion) else {
                throw APIError.invalidArgument("version", reason: "constraint",
                                               help: "a pool at \(current) can be upgraded up to its cluster's version \(clusterVersion), got \"\(target)\"")
            }
            K8sNodes.markAll(&pool, status: K8sStatus.upgrading)
            K8sTimeline.begin(&pool, K8sStatus.upgrading, then: [K8sStep(status: K8sStatus.ready, seconds: K8sTimeline.poolUpgradeSeconds, version: target)],
                              now: now, speed: context.speed)
            state.put(pool)
            return K8sService.render(pool: pool)
        })
    }

    func deletePool(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, now in
            var pool = try K8sService.findPool(request.param("id"), region: region, in: state)
            if K8sTimeline.status(pool) != K8sStatus.deleting {
                K8sTimeline.begin(&pool, K8sStatus.deleting, then: [K8sStep(status: K8sStatus.gone, seconds: K8sTimeline.deleteSeconds)],
                                  now: now, speed: context.speed)
                state.put(pool)
            }
            return K8sService.render(pool: pool)
        })
    }

    /// `GET /clusters/{id}/nodes?pool_id&name&status` (status `unknown` filters nothing).
    func listNodes(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let poolID = ListQuery.string(request, "pool_id")
        let name = ListQuery.string(request, "name")
        let status = ListQuery.string(request, "status").flatMap { $0 == "unknown" ? nil : $0 }
        let items = try store.read { state -> [JSONValue] in
            let cluster = try K8sService.findCluster(request.param("id"), region: region, in: state)
            return K8sService.pools(of: cluster.id, in: state).filter { poolID == nil || $0.id == poolID }
                .flatMap(K8sNodes.nodes)
                .filter { (name == nil || ($0["name"]?.stringValue ?? "").contains(name!)) && (status == nil || $0["status"]?.stringValue == status) }
                .map(K8sNodes.render)
        }
        return ListQuery.bodyPage("nodes", items, page)
    }
}

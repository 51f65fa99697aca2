// Kubernetes Kapsule API v1 (regional, `/k8s/v1/regions/{region}`): versions, node types,
// clusters (with kubeconfig, available upgrades, upgrade, type change) and their pools and
// nodes (ENDPOINTS.md section 8). Changes to a busy cluster or pool are refused with 409
// `transient_state`; missing ones answer 404 `not_found` with resource `cluster` / `pool`.

import Foundation

struct K8sService: EmulatedService {
    static let clusterKind = "k8s_cluster"
    static let poolKind = "k8s_pool"

    let context: ServiceContext
    let store: K8sStore

    init(context: ServiceContext) {
        self.context = context
        store = K8sStore(store: context.store)
    }

    func register(on router: Router) {
        let base = "/k8s/v1/regions/{region}"
        let cluster = base + "/clusters/{id}"
        let pool = base + "/pools/{id}"
        router.add("GET", base + "/versions") { try versions($0) }
        router.add("GET", base + "/versions/{name}") { try version($0) }
        router.add("GET", base + "/node-types") { try nodeTypes($0) }
        router.add("POST", base + "/clusters") { try createCluster($0) }
        router.add("GET", base + "/clusters") { try listClusters($0) }
        router.add("GET", cluster) { try getCluster($0) }
        router.add("PATCH", cluster) { try updateCluster($0) }
        router.add("DELETE", cluster) { try deleteCluster($0) }
        router.add("POST", cluster + "/upgrade") { try upgradeCluster($0) }
        router.add("POST", cluster + "/set-type") { try setClusterType($0) }
        router.add("GET", cluster + "/kubeconfig") { try kubeconfig($0) }
        router.add("GET", cluster + "/available-versions") { try availableVersions($0) }
        router.add("GET", cluster + "/nodes") { try listNodes($0) }
        router.add("POST", cluster + "/pools") { try createPool($0) }
        router.add("GET", cluster + "/pools") { try listPools($0) }
        router.add("GET", pool) { try getPool($0) }
        router.add("PATCH", pool) { try updatePool($0) }
        router.add("DELETE", pool) { try deletePool($0) }
        router.add("POST", pool + "/upgrade") { try upgradePool($0) }
    }

    // MARK: catalogue

    private func versions(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, .object(["versions": .array(K8sCatalogue.versions.map { $0.json(region: region) })]))
    }

    private func version(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        guard let v = K8sCatalogue.versions.first(where: { $0.name == request.param("name") }) else {
            throw APIError.notFound(resource: "version", id: request.param("name"))
        }
        return .json(200, v.json(region: region))
    }

    private func nodeTypes(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request, defaultSize: 100, maxSize: 1000)
        let items = K8sCatalogue.nodeTypes.map { type -> JSONValue in
            var json = K8sCatalogue.nodeTypeJSON(type).objectValue ?? [:]
            json["region"] = .string(region)
            return .object(json)
        }
        return ListQuery.bodyPage("node_types", items, page)
    }

    // MARK: shared

    /// The cluster `{id}` (or `id`) of the path's region, or the API's 404 (`resource: cluster`).
    static func findCluster(_ id: String, region: String, in state: CloudState) throws -> Record {
        guard let cluster = state.get(clusterKind, id), cluster.region == region else {
            throw APIError.notFound(resource: "cluster", id: id)
        }
        return cluster
    }

    static func findPool(_ id: String, region: String, in state: CloudState) throws -> Record {
        guard let pool = state.get(poolKind, id), pool.region == region else {
            throw APIError.notFound(resource: "pool", id: id)
        }
        return pool
    }

    static func pools(of clusterID: String, in state: CloudState) -> [Record] {
        state.list(poolKind).filter { $0.body["cluster_id"]?.stringValue == clusterID }
    }

    /// Refuses a change while the record is in a transient status: 409 `transient_state`.
    static func requireSettled(_ record: Record, resource: String) throws {
        let status = K8sTimeline.status(record)
        if K8sTimeline.isBusy(record) || [K8sStatus.creating, K8sStatus.updating, K8sStatus.deleting, K8sStatus.scaling, K8sStatus.upgrading].contains(status) {
            throw APIError.transientState(resource: resource, id: record.id, state: status)
        }
    }

    /// The cluster as served: once made, `ready` with at least one pool, `pool_required` without.
    static func render(cluster: Record, in state: CloudState) -> JSONValue {
        var body = cluster.body
        if K8sTimeline.status(cluster) == K8sStatus.ready {
            body["status"] = .string(pools(of: cluster.id, in: state).isEmpty ? K8sStatus.poolRequired : K8sStatus.ready)
        }
        if let version = body["version"]?.stringValue { body["upgrade_available"] = .bool(K8sCatalogue.upgradeAvailable(from: version)) }
        return .object(body)
    }

    static func render(pool: Record) -> JSONValue { .object(pool.body) }

    /// Removes a cluster and everything in it (pools, their nodes' addresses).
    static func removeCluster(_ id: String, in state: inout CloudState) {
        for pool in pools(of: id, in: state) { removePool(pool, in: &state) }
        state.remove(clusterKind, id)
    }

    static func removePool(_ pool: Record, in state: inout CloudState) {
        K8sNodes.releaseAll(pool, in: &state)
        state.remove(poolKind, pool.id)
    }

    /// A list of strings from a body field; refused unless every item is in `allowed`.
    static func checkedList(_ input: RequestBody, _ key: String, allowed: [String], what: String) throws -> [String]? {
        guard let items = try input.stringArray(key) else { return nil }
        for item in items where !allowed.contains(item) {
            throw APIError.invalidArgument(key, reason: "constraint", help: "\(what) \"\(item)\" is not available; available: \(allowed.joined(separator: ", "))")
        }
        return items
    }
}

// Instance API v1 (zonal, legacy conventions, ENDPOINTS.md 1): registers the routes of products,
// images, servers and their actions, user data and NICs, flexible IPs, volumes, security groups.

import Foundation

struct InstanceService: EmulatedService {
    static let serverKind = "server"
    static let ipKind = "ip"
    static let volumeKind = "volume"
    static let securityGroupKind = "security_group"

    let context: ServiceContext
    let store: InstanceStore
    let quotas: Quotas

    init(context: ServiceContext, quotas: [String: Int] = [:]) {
        self.context = context
        store = InstanceStore(store: context.store)
        self.quotas = Quotas(limits: quotas)
    }

    func register(on router: Router) {
        let base = "/instance/v1/zones/{zone}"
        router.add("GET", base + "/products/servers") { try InstanceProducts.list($0, path: "/products/servers") }
        router.add("GET", base + "/images/{id}") { try getImage($0) }

        router.add("POST", base + "/servers") { try createServer($0) }
        router.add("GET", base + "/servers") { try listServers($0) }
        router.add("GET", base + "/servers/{id}") { try getServer($0) }
        router.add("PATCH", base + "/servers/{id}") { try updateServer($0) }
        router.add("DELETE", base + "/servers/{id}") { try deleteServer($0) }
        router.add("POST", base + "/servers/{id}/action") { try serverAction($0) }
        router.add("POST", base + "/servers/{id}/attach-volume") { try attachVolume($0) }
        router.add("POST", base + "/servers/{id}/detach-volume") { try detachVolume($0) }

        router.add("GET", base + "/servers/{id}/user_data") { try listUserData($0) }
        router.add("GET", base + "/servers/{id}/user_data/{key}") { try getUserData($0) }
        router.add("PATCH", base + "/servers/{id}/user_data/{key}") { try setUserData($0) }
        router.add("PUT", base + "/servers/{id}/user_data/{key}") { try setUserData($0) }
        router.add("DELETE", base + "/servers/{id}/user_data/{key}") { try deleteUserData($0) }

        router.add("GET", base + "/servers/{id}/private_nics") { try listPrivateNICs($0) }
        router.add("POST", base + "/servers/{id}/private_nics") { try createPrivateNIC($0) }
        router.add("GET", base + "/servers/{id}/private_nics/{nic}") { try getPrivateNIC($0) }
        router.add("PATCH", base + "/servers/{id}/private_nics/{nic}") { try updatePrivateNIC($0) }
        router.add("DELETE", base + "/servers/{id}/private_nics/{nic}") { try deletePrivateNIC($0) }
        router.add("GET", "/instance/v2alpha1/zones/{zone}/private-network-interfaces") { try listNetworkInterfaces($0) }

        router.add("POST", base + "/ips") { try createIP($0) }
        router.add("GET", base + "/ips") { try listIPs($0) }
        router.add("GET", base + "/ips/{id}") { try getIP($0) }
        router.add("PATCH", base + "/ips/{id}") { try updateIP($0) }
        router.add("DELETE", base + "/ips/{id}") { try deleteIP($0) }

        router.add("POST", base + "/volumes") { try createVolume($0) }
        router.add("GET", base + "/volumes") { try listVolumes($0) }
        router.add("GET", base + "/volumes/{id}") { try getVolume($0) }
        router.add("PATCH", base + "/volumes/{id}") { try updateVolume($0) }
        router.add("DELETE", base + "/volumes/{id}") { try deleteVolume($0) }

        router.add("POST", base + "/security_groups") { try createSecurityGroup($0) }
        router.add("GET", base + "/security_groups") { try listSecurityGroups($0) }
        router.add("GET", base + "/security_groups/{id}") { try getSecurityGroup($0) }
        router.add("PATCH", base + "/security_groups/{id}") { try updateSecurityGroup($0) }
        router.add("DELETE", base + "/security_groups/{id}") { try deleteSecurityGroup($0) }
        router.add("PUT", base + "/security_groups/{id}/rules") { try setRules($0) }
        router.add("GET", base + "/security_groups/{id}/rules") { try listRules($0) }

        store.scheduleNext()   // transitions left pending in a loaded data file
    }

    private func getImage(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let id = request.param("id")
        guard let image = InstanceImages.find(id), image.zone == zone else {
            throw APIError.notFound(resource: "instance_image", id: id)
        }
        return .json(200, .object(["image": image.instanceJSON]))
    }

    // MARK: helpers shared by the Instance files

    /// The `resource` of a 404 for a record kind (`instance_server`...).
    static func resourceName(_ kind: String) -> String {
        switch kind {
        case serverKind: return "instance_server"
        case ipKind: return "instance_ip"
        case volumeKind: return "instance_volume"
        case securityGroupKind: return "instance_security_group"
        default: return kind
        }
    }

    /// The record of `kind` with this id in this zone, or the API's 404 `not_found`.
    static func find(_ kind: String, _ id: String, zone: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id), record.zone == zone else {
            throw APIError.notFound(resource: resourceName(kind), id: id)
        }
        return record
    }

    /// `{"<key>":{...}}`; a 201 also carries `Location` (the new resource's URL), as recorded.
    static func wrapped(_ status: Int, _ key: String, _ value: JSONValue, _ request: APIRequest, id: String? = nil) -> HTTPResponse {
        var response = HTTPResponse.json(status, .object([key: value]))
        if status == 201, let id {
            let host = request.http.header("Host") ?? "127.0.0.1"
            response.headers.append(("Location", "http://\(host)\(request.path)/\(id)"))
        }
        return response
    }

    /// A legacy list page (`page`, `per_page` ≤ 100, default 50) with X-Total-Count and Link relative to the zone.
    static func listPage(_ key: String, _ items: [JSONValue], _ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request, sizeParam: "per_page", defaultSize: 50, maxSize: 100)
        let zonePrefix = "/instance/v1/zones/\(request.param("zone"))"
        let path = request.path.hasPrefix(zonePrefix) ? String(request.path.dropFirst(zonePrefix.count)) : request.path
        return ListQuery.headerPage(key, items, page, path: path)
    }

    /// Legacy list filters: `project`, `organization`, `tags` (every tag given must be present),
    /// `name` (substring).
    static func commonFilter(_ request: APIRequest) -> (Record) -> Bool {
        let project = ListQuery.string(request, "project")
        let organization = ListQuery.string(request, "organization")
        let tags = ListQuery.strings(request, "tags") ?? []
        let name = ListQuery.string(request, "name")
        return { record in
            (project == nil || record.projectID == project)
                && (organization == nil || record.body["organization"]?.stringValue == organization)
                && Set(tags).isSubset(of: Set(record.tags))
                && (name == nil || record.name.contains(name!))
        }
    }

    /// `project` of a create body (the legacy `organization` is accepted too), else the default project.
    func project(_ input: RequestBody) throws -> String {
        try input.uuid("project") ?? input.uuid("organization") ?? context.defaultProjectID
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }
}

/// Short-lived states that have no side effect when they end (security group `syncing`, volume
/// `resizing`, Block `creating`): kept in `meta` and shown by the renderers while they last.
enum Transient {
    /// How long such a state lasts at speed 1.
    static let seconds = 1.0

    static func mark(_ record: inout Record, _ state: String, speed: Double, now: Double) {
        record.meta["busy"] = .object(["state": .string(state), "until": .double(now + Clock.scaled(seconds: seconds, speed: speed))])
    }

    /// The transient state to serve now, if one is still running.
    static func state(_ record: Record, now: Double) -> String? {
        guard let busy = record.meta["busy"], let state = busy["state"]?.stringValue else { return nil }
        let until: Double
        switch busy["until"] {
        case .double(let d)?: until = d
        case .int(let i)?: until = Double(i)
        default: return nil
        }
        return now < until ? state : nil
    }
}

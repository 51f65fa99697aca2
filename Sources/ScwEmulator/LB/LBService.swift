// LB API v1 (zoned): flexible IPs, load balancers with their status machine, private network
// attachments and migrate, backends (+ health check, servers), frontends and ACLs, certificates
// and the LB types listing (ENDPOINTS.md section 3). Routes here; each family in its own file.

struct LBService: EmulatedService {
    static let ipKind = "lb_ip"
    static let lbKind = "lb"
    static let backendKind = "lb_backend"
    static let frontendKind = "lb_frontend"
    static let aclKind = "lb_acl"
    static let certificateKind = "lb_certificate"
    static let privateNetworkKind = "lb_private_network"

    /// Fields kept in stored bodies for the emulator's own bookkeeping and never served.
    static let internalFields: Set<String> = ["lb_ref", "backend_ref", "frontend_ref"]

    let context: ServiceContext
    /// `lbs` limits how many load balancers a project may hold (EmulatorOptions.quotas).
    let quotas: [String: Int]

    init(context: ServiceContext, quotas: [String: Int] = [:]) {
        self.context = context
        self.quotas = quotas
    }

    var store: LBStore { LBStore(store: context.store) }
    var speed: Double { context.speed }

    func register(on router: Router) {
        let base = "/lb/v1/zones/{zone}"
        router.add("GET", base + "/lb-types") { try listTypes($0) }

        router.add("POST", base + "/ips") { try createIP($0) }
        router.add("GET", base + "/ips") { try listIPs($0) }
        router.add("GET", base + "/ips/{id}") { try getIP($0) }
        router.add("PATCH", base + "/ips/{id}") { try updateIP($0) }
        router.add("DELETE", base + "/ips/{id}") { try deleteIP($0) }

        router.add("POST", base + "/lbs") { try createLB($0) }
        router.add("GET", base + "/lbs") { try listLBs($0) }
        router.add("GET", base + "/lbs/{id}") { try getLB($0) }
        router.add("PUT", base + "/lbs/{id}") { try updateLB($0) }
        router.add("DELETE", base + "/lbs/{id}") { try deleteLB($0) }
        router.add("POST", base + "/lbs/{id}/migrate") { try migrateLB($0) }
        router.add("GET", base + "/lbs/{id}/private-networks") { try listLBPrivateNetworks($0) }
        router.add("POST", base + "/lbs/{id}/attach-private-network") { try attachPrivateNetwork($0) }
        router.add("POST", base + "/lbs/{id}/detach-private-network") { try detachPrivateNetwork($0) }

        router.add("POST", base + "/lbs/{id}/backends") { try createBackend($0) }
        router.add("GET", base + "/lbs/{id}/backends") { try listBackends($0) }
        router.add("GET", base + "/backends/{id}") { try getBackend($0) }
        router.add("PUT", base + "/backends/{id}") { try updateBackend($0) }
        router.add("DELETE", base + "/backends/{id}") { try deleteBackend($0) }
        router.add("PUT", base + "/backends/{id}/healthcheck") { try updateHealthCheck($0) }
        router.add("PUT", base + "/backends/{id}/servers") { try setBackendServers($0) }

        router.add("POST", base + "/lbs/{id}/frontends") { try createFrontend($0) }
        router.add("GET", base + "/lbs/{id}/frontends") { try listFrontends($0) }
        router.add("GET", base + "/frontends/{id}") { try getFrontend($0) }
        router.add("PUT", base + "/frontends/{id}") { try updateFrontend($0) }
        router.add("DELETE", base + "/frontends/{id}") { try deleteFrontend($0) }

        router.add("GET", base + "/frontends/{id}/acls") { try listACLs($0) }
        router.add("POST", base + "/frontends/{id}/acls") { try createACL($0) }
        router.add("GET", base + "/acls/{id}") { try getACL($0) }
        router.add("PUT", base + "/acls/{id}") { try updateACL($0) }
        router.add("DELETE", base + "/acls/{id}") { try deleteACL($0) }

        router.add("POST", base + "/lbs/{id}/certificates") { try createCertificate($0) }
        router.add("GET", base + "/lbs/{id}/certificates") { try listCertificates($0) }
        router.add("GET", base + "/certificates/{id}") { try getCertificate($0) }
        router.add("PUT", base + "/certificates/{id}") { try updateCertificate($0) }
        router.add("DELETE", base + "/certificates/{id}") { try deleteCertificate($0) }
    }

    // MARK: shared helpers

    /// The LB API's 404: `{"message":"lbs not Found"}`, with no `type` (as recorded).
    static func notFound(_ kind: String) -> APIError {
        let label: String
        switch kind {
        case lbKind: label = "lbs"
        case backendKind: label = "backend"
        case frontendKind: label = "frontend"
        case aclKind: label = "acl"
        case certificateKind: label = "certificate"
        case privateNetworkKind: label = "private network"
        default: label = "ip"
        }
        return APIError(status: 404, body: .object(["message": .string("\(label) not Found")]))
    }

    /// A record of `kind` with this id in this zone, or the LB API's 404.
    static func find(_ kind: String, _ id: String, zone: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id), record.zone == zone else { throw notFound(kind) }
        return record
    }

    /// The stored body of a backend, frontend, ACL or certificate as served: bookkeeping fields,
    /// the zone and the project (kept for `Record` and the control API's list) dropped.
    static func served(_ body: [String: JSONValue]) -> [String: JSONValue] {
        body.filter { !internalFields.contains($0.key) && $0.key != "zone" && $0.key != "project_id" }
    }

    /// A load balancer that is being created, migrated or deleted refuses changes to its parts.
    static func requireSettled(_ lb: Record) throws {
        let status = lb.body["status"]?.stringValue ?? ""
        if ["to_create", "creating", "migrating", "to_delete", "deleting"].contains(status) {
            throw APIError.transientState(resource: "lb", id: lb.id, state: status)
        }
    }

    /// `{"field": ...}` as a nested request body, or nil when absent or null.
    static func object(_ input: RequestBody, _ key: String) throws -> RequestBody? {
        guard let raw = input.raw(key), !raw.isNull else { return nil }
        guard case .object(let fields) = raw else {
            throw APIError.invalidArgument(key, reason: "format", help: "\(key) must be an object, got \(raw.typeName)")
        }
        return RequestBody(fields: fields)
    }

    static func port(_ value: Int?, _ name: String) throws -> Int? {
        guard let value else { return nil }
        guard (1...65535).contains(value) else {
            throw APIError.invalidArgument(name, reason: "constraint", help: "\(name) must be between 1 and 65535, got \(value)")
        }
        return value
    }

    static func oneOf(_ value: String?, _ name: String, _ allowed: [String]) throws -> String? {
        guard let value else { return nil }
        guard allowed.contains(value) else {
            throw APIError.invalidArgument(name, reason: "constraint", help: "\(name) must be one of \(allowed.joined(separator: ", ")), got \"\(value)\"")
        }
        return value
    }
}

// RDB API v1 (regional, `/rdb/v1/regions/{region}`): managed database instances with their
// status timeline, upgrade, settings, certificate, endpoints, and the databases, users,
// privileges and ACL rules held inside each instance (ENDPOINTS.md section 5). Changes to an
// instance that is not `ready` are refused with 409 `transient_state`, as the real API does.

import Foundation

struct RDBService: EmulatedService {
    static let instanceKind = "rdb_instance"

    let context: ServiceContext
    let store: RDBStore

    init(context: ServiceContext) {
        self.context = context
        store = RDBStore(store: context.store)
    }

    func register(on router: Router) {
        let base = "/rdb/v1/regions/{region}"
        let one = base + "/instances/{id}"
        router.add("GET", base + "/database-engines") { try engines($0) }
        router.add("GET", base + "/node-types") { try nodeTypes($0) }
        router.add("POST", base + "/instances") { try createInstance($0) }
        router.add("GET", base + "/instances") { try listInstances($0) }
        router.add("GET", one) { try getInstance($0) }
        router.add("PATCH", one) { try updateInstance($0) }
        router.add("DELETE", one) { try deleteInstance($0) }
        router.add("POST", one + "/upgrade") { try upgradeInstance($0) }
        router.add("PUT", one + "/settings") { try setSettings($0, replace: true) }
        router.add("POST", one + "/settings") { try setSettings($0, replace: false) }
        router.add("GET", one + "/certificate") { try certificate($0) }
        router.add("POST", one + "/endpoints") { try createEndpoint($0) }
        router.add("GET", base + "/endpoints/{endpoint}") { try getEndpoint($0) }
        router.add("DELETE", base + "/endpoints/{endpoint}") { try deleteEndpoint($0) }
        router.add("GET", one + "/databases") { try listDatabases($0) }
        router.add("POST", one + "/databases") { try createDatabase($0) }
        router.add("DELETE", one + "/databases/{name}") { try deleteDatabase($0) }
        router.add("GET", one + "/users") { try listUsers($0) }
        router.add("POST", one + "/users") { try createUser($0) }
        router.add("PATCH", one + "/users/{name}") { try updateUser($0) }
        router.add("DELETE", one + "/users/{name}") { try deleteUser($0) }
        router.add("GET", one + "/privileges") { try listPrivileges($0) }
        router.add("PUT", one + "/privileges") { try setPrivilege($0) }
        router.add("GET", one + "/acls") { try listACLs($0) }
        router.add("POST", one + "/acls") { try addACLs($0) }
        router.add("PUT", one + "/acls") { try setACLs($0) }
        router.add("DELETE", one + "/acls") { try deleteACLs($0) }
    }

    // MARK: catalogue

    private func engines(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        return ListQuery.bodyPage("engines", RDBCatalogue.enginesJSON(region: region), page)
    }

    private func nodeTypes(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request, defaultSize: 100)
        return ListQuery.bodyPage("node_types", RDBCatalogue.nodeTypes.map { RDBCatalogue.nodeTypeJSON($0, region: region) }, page)
    }

    // MARK: shared

    /// The instance `{id}` of the path's region, or the API's 404 (`resource: instance`).
    static func find(_ request: APIRequest, region: String, in state: CloudState) throws -> Record {
        let id = request.param("id")
        guard let instance = state.get(instanceKind, id), instance.region == region else {
            throw APIError.notFound(resource: "instance", id: id)
        }
        return instance
    }

    /// Refuses a change while the instance is busy: 409 `transient_state` with its status.
    static func requireReady(_ instance: Record) throws {
        let status = RDBStateMachine.status(instance)
        guard status == RDBStatus.ready else {
            throw APIError.transientState(resource: "instance", id: instance.id, state: status)
        }
    }

    /// The instance as served: while it is still being made it has no endpoint and no settings yet.
    static func render(_ instance: Record) -> JSONValue {
        var body = instance.body
        if instance.meta["initialized"] == nil {
            body["endpoint"] = .null
            body["endpoints"] = .array([])
            body["settings"] = .array([])
        }
        return .object(body)
    }

    /// First `ready`: the engine's settings appear (endpoints are served from then on too).
    static func finishProvisioning(_ instance: inout Record) {
        if instance.body["settings"]?.arrayValue?.isEmpty ?? true {
            instance.body["settings"] = .array(RDBCatalogue.initialSettings(engine: instance.body["engine"]?.stringValue ?? ""))
        }
    }

    /// `settings` with the `{name, value}` pair `item` set (replaced or appended, names sorted).
    static func merged(_ settings: [JSONValue], _ item: JSONValue) -> [JSONValue] {
        guard let name = item["name"]?.stringValue else { return settings }
        var out = settings.filter { $0["name"]?.stringValue != name }
        out.append(.object(["name": .string(name), "value": item["value"] ?? .string("")]))
        return out.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
    }

    /// The API's password policy: 8 to 128 characters with a digit, an upper and a lower case
    /// letter and a special character. nil when `password` satisfies it.
    static func passwordProblem(_ password: String) -> String? {
        let scalars = password.unicodeScalars
        let ok = (8...128).contains(password.count)
            && scalars.contains { CharacterSet.decimalDigits.contains($0) }
            && scalars.contains { CharacterSet.uppercaseLetters.contains($0) }
            && scalars.contains { CharacterSet.lowercaseLetters.contains($0) }
            && scalars.contains { !CharacterSet.alphanumerics.contains($0) }
        return ok ? nil : "password must be between 8 and 128 characters and contain at least one digit, one uppercase letter, one lowercase letter and one special character"
    }

    /// User and database names: a letter or underscore, then up to 62 letters, digits, `_` or `-`.
    static func nameProblem(_ name: String, what: String) -> String? {
        let chars = Array(name.unicodeScalars)
        guard let first = chars.first, chars.count <= 63,
              CharacterSet.letters.contains(first) || first == "_",
              chars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" || $0 == "-" }) else {
            return "\(what) must start with a letter or an underscore and hold at most 63 letters, digits, '_' or '-', got \"\(name)\""
        }
        return nil
    }

    /// After a change inside the instance: `configuring` for a moment, then `ready`.
    static func busyAfterChange(_ instance: inout Record, now: Double, speed: Double) {
        RDBStateMachine.begin(&instance, RDBStatus.configuring, then: [(RDBStatus.ready, RDBStateMachine.childChangeSeconds)], now: now, speed: speed)
    }

    /// A list of objects kept in the instance's meta (databases, users, privileges, acls).
    static func items(_ instance: Record, _ key: String) -> [JSONValue] { instance.meta[key]?.arrayValue ?? [] }
}

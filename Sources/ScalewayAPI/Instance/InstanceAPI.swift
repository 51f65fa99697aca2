// InstanceAPI: the Instance v1 service (zonal; `project` names, wrapped objects, 201, X-Total-Count):
// servers, actions, user data, private NICs, commercial types. IPs, volumes and security groups
// are in InstanceAPI+*.swift. Bodies are those the recorded cassettes show the API accepted.

import ScwCore

/// Typed calls to `/instance/v1/zones/{zone}`.
public struct InstanceAPI: Sendable {
    /// The client every call goes through.
    public let client: ScalewayClient

    /// The service over a client.
    public init(client: ScalewayClient) {
        self.client = client
    }

    func base(_ zone: String) -> String { "/instance/v1/zones/\(zone)" }

    func project(_ projectID: String?) throws -> String {
        if let projectID { return projectID }
        if let p = client.config.defaultProjectID { return p }
        throw Diagnostic("no project ID: none given and no default project in the config", at: .configKey("default_project_id"),
                         hint: "set default_project_id in the scw config or SCW_DEFAULT_PROJECT_ID")
    }

    /// The object under `key` in a wrapped answer (`{"server": {...}}`).
    static func unwrap(_ answer: Value, _ key: String, what: String) throws -> Value {
        guard let inner = answer[key], !inner.isNull else {
            throw DecodeError(what: what, field: key, problem: "is missing (the Instance API wraps its objects)")
        }
        return inner
    }

    static func tagsValue(_ tags: [String]) -> Value { .list(tags.map(Value.string)) }

    // MARK: Commercial types

    /// Every commercial type of a zone (`GET /products/servers`, all pages: the answer is a map
    /// keyed by type, the total is in `X-Total-Count`). Pages are asked with `page` only, as the
    /// SDK does (the server's default page size is 50).
    public func listServerTypes(zone: String) async throws -> [ServerType] {
        let path = "\(base(zone))/products/servers"
        var all: [ServerType] = []
        var page = 1, pages = 1
        repeat {
            let response = try await client.callRaw("GET", path, query: [("page", String(page))], headers: [("Accept", "application/json")])
            let what = "GET \(path) page \(page)"
            let body: Value
            do { body = try JSON.decode(bytes: response.body) } catch {
                throw DecodeError(what: what, field: nil, problem: "the body is not JSON (\(error))")
            }
            let r = try FieldReader(body, what: what)
            let items = try r.objectMap("servers") { try ServerType(name: $0, json: $1, what: $2) }
            if items.isEmpty { break }
            all += items
            if page == 1, let total = response.header("X-Total-Count").flatMap({ Int($0.trimmingSpaces) }) {
                pages = (total + items.count - 1) / items.count
            }
            page += 1
        } while page <= pages
        return all
    }

    // MARK: Servers

    /// The body of `POST /servers`, as the provider sends it: `volumes` defaults to
    /// `{"0": {"boot": false}}`; `public_ips`, `security_group`, `placement_group` and
    /// `protected` only when given.
    public static func createServerBody(name: String, commercialType: String, image: String, projectID: String, tags: [String],
                                        volumes: [String: Value]? = nil, publicIPs: [String] = [], dynamicIPRequired: Bool = false,
                                        bootType: String = "local", securityGroupID: String? = nil, placementGroupID: String? = nil,
                                        protected: Bool = false) -> Value {
        var body: [String: Value] = [
            "name": .string(name),
            "dynamic_ip_required": .bool(dynamicIPRequired),
            "commercial_type": .string(commercialType),
            "image": .string(image),
            "volumes": .map(volumes ?? ["0": .map(["boot": .bool(false)])]),
            "boot_type": .string(bootType),
            "project": .string(projectID),
            "tags": tagsValue(tags),
        ]
        if !publicIPs.isEmpty { body["public_ips"] = .list(publicIPs.map(Value.string)) }
        if let securityGroupID { body["security_group"] = .string(securityGroupID) }
        if let placementGroupID { body["placement_group"] = .string(placementGroupID) }
        if protected { body["protected"] = .bool(true) }
        return .map(body)
    }

    /// Creates a server (state `stopped`) from a body built by
    /// ``createServerBody(name:commercialType:image:projectID:tags:volumes:publicIPs:dynamicIPRequired:bootType:securityGroupID:placementGroupID:protected:)``.
    /// A POST: an ambiguous failure throws ``AmbiguousWriteError``.
    public func createServer(zone: String, body: Value) async throws -> InstanceServer {
        try InstanceServer(json: Self.unwrap(try await client.call("POST", "\(base(zone))/servers", body: body), "server", what: "POST /servers answer"))
    }

    /// One server; a missing one throws ``APIError`` with `isNotFound`.
    public func getServer(zone: String, id: String) async throws -> InstanceServer {
        try InstanceServer(json: Self.unwrap(try await client.call("GET", "\(base(zone))/servers/\(id)"), "server", what: "GET /servers/{id} answer"))
    }

    /// Every server matching the filters (all pages). `tags` keeps servers having all of them.
    public func listServers(zone: String, tags: [String] = [], name: String? = nil, projectID: String? = nil) async throws -> [InstanceServer] {
        var query: [(String, String)] = []
        if let name { query.append(("name", name)) }
        if let projectID { query.append(("project", projectID)) }
        if !tags.isEmpty { query.append(("tags", tags.joined(separator: ","))) }
        return try await client.listAll("\(base(zone))/servers", itemsKey: "servers", query: query, style: .perPage).map { try InstanceServer(json: $0) }
    }

    /// Changes a server with a `PATCH` body (see ``updateServerBody(name:tags:securityGroupID:commercialType:protected:dynamicIPRequired:bootType:placementGroup:volumes:)``).
    public func updateServer(zone: String, id: String, body: Value) async throws -> InstanceServer {
        try InstanceServer(json: Self.unwrap(try await client.call("PATCH", "\(base(zone))/servers/\(id)", body: body), "server", what: "PATCH /servers/{id} answer"))
    }

    /// The body of `PATCH /servers/{id}`: only the fields given. `security_group` goes as
    /// `{"id": ...}`; `placementGroup` `.null` leaves the group; `commercial_type` needs a
    /// stopped server.
    public static func updateServerBody(name: String? = nil, tags: [String]? = nil, securityGroupID: String? = nil,
                                        commercialType: String? = nil, protected: Bool? = nil, dynamicIPRequired: Bool? = nil,
                                        bootType: String? = nil, placementGroup: Value? = nil, volumes: [String: Value]? = nil) -> Value {
        var body: [String: Value] = [:]
        if let name { body["name"] = .string(name) }
        if let tags { body["tags"] = tagsValue(tags) }
        if let securityGroupID { body["security_group"] = .map(["id": .string(securityGroupID)]) }
        if let commercialType { body["commercial_type"] = .string(commercialType) }
        if let protected { body["protected"] = .bool(protected) }
        if let dynamicIPRequired { body["dynamic_ip_required"] = .bool(dynamicIPRequired) }
        if let bootType { body["boot_type"] = .string(bootType) }
        if let placementGroup { body["placement_group"] = placementGroup }
        if let volumes { body["volumes"] = .map(volumes) }
        return .map(body)
    }

    /// Runs `poweron`, `poweroff`, `stop_in_place`, `reboot` or `terminate` (202 with a task).
    /// Not retried on an ambiguous failure: the caller re-reads the server and decides.
    /// An action the current state forbids answers 400 `invalid_request_error`.
    public func serverAction(zone: String, id: String, action: String) async throws -> InstanceTask {
        let answer = try await client.call("POST", "\(base(zone))/servers/\(id)/action", body: .map(["action": .string(action)]))
        return try InstanceTask(json: Self.unwrap(answer, "task", what: "POST /servers/{id}/action answer"))
    }

    /// Deletes a stopped server (204); its volumes stay.
    public func deleteServer(zone: String, id: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/servers/\(id)")
    }

    // MARK: User data

    /// The user data keys of a server (`cloud-init`, ...).
    public func listUserData(zone: String, serverID: String) async throws -> [String] {
        let answer = try await client.call("GET", "\(base(zone))/servers/\(serverID)/user_data")
        return try FieldReader(answer, what: "GET /servers/{id}/user_data answer").strings("user_data")
    }

    /// One user data value, as text.
    public func getUserData(zone: String, serverID: String, key: String) async throws -> String {
        let path = "\(base(zone))/servers/\(serverID)/user_data/\(percentEncode(key))"
        return try await client.callRaw("GET", path, headers: [("Accept", "text/plain")]).bodyText
    }

    /// Sets one user data value: `PATCH` with the raw text as `text/plain` (204).
    public func setUserData(zone: String, serverID: String, key: String, value: String) async throws {
        let path = "\(base(zone))/servers/\(serverID)/user_data/\(percentEncode(key))"
        _ = try await client.callRaw("PATCH", path, body: Array(value.utf8), contentType: "text/plain")
    }

    /// Removes one user data key (204).
    public func deleteUserData(zone: String, serverID: String, key: String) async throws {
        _ = try await client.callRaw("DELETE", "\(base(zone))/servers/\(serverID)/user_data/\(percentEncode(key))")
    }

    // MARK: Private NICs

    /// The private NICs of a server (all pages).
    public func listPrivateNICs(zone: String, serverID: String) async throws -> [PrivateNIC] {
        try await client.listAll("\(base(zone))/servers/\(serverID)/private_nics", itemsKey: "private_nics", style: .perPage)
            .map { try PrivateNIC(json: $0) }
    }

    /// The body of `POST /servers/{id}/private_nics`.
    public static func createPrivateNICBody(privateNetworkID: String, tags: [String]) -> Value {
        var body: [String: Value] = ["private_network_id": .string(privateNetworkID)]
        if !tags.isEmpty { body["tags"] = tagsValue(tags) }
        return .map(body)
    }

    /// Plugs a server into a private network (201 `{"private_nic": ...}`).
    public func createPrivateNIC(zone: String, serverID: String, privateNetworkID: String, tags: [String] = []) async throws -> PrivateNIC {
        let answer = try await client.call("POST", "\(base(zone))/servers/\(serverID)/private_nics",
                                           body: Self.createPrivateNICBody(privateNetworkID: privateNetworkID, tags: tags))
        return try PrivateNIC(json: Self.unwrap(answer, "private_nic", what: "POST /private_nics answer"))
    }

    /// One private NIC.
    public func getPrivateNIC(zone: String, serverID: String, nicID: String) async throws -> PrivateNIC {
        let answer = try await client.call("GET", "\(base(zone))/servers/\(serverID)/private_nics/\(nicID)")
        return try PrivateNIC(json: Self.unwrap(answer, "private_nic", what: "GET /private_nics/{id} answer"))
    }

    /// Unplugs a private NIC (204).
    public func deletePrivateNIC(zone: String, serverID: String, nicID: String) async throws {
        _ = try await client.call("DELETE", "\(base(zone))/servers/\(serverID)/private_nics/\(nicID)")
    }
}

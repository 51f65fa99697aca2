// What lives inside an RDB instance: logical databases (`{name, owner, managed, size}`), users
// (`{name, is_admin}`; passwords checked against the policy, never stored or served) and
// privileges (one permission per user and database, `none` when nothing was granted). Every
// change needs the instance `ready`, and leaves it `configuring` for a moment.

extension RDBService {
    static let permissions = ["readonly", "readwrite", "all", "custom", "none"]
    /// What an empty PostgreSQL database weighs (as recorded).
    static let emptyDatabaseSize = 7_736_467

    /// Changes one list kept in the instance (databases, users...) after the readiness check;
    /// the instance is then busy for a moment, as the real one is while it applies the change.
    private func mutate<T>(_ request: APIRequest, _ body: (inout Record, inout CloudState) throws -> T) throws -> T {
        let region = try Locality.region(request)
        return try store.write { state, now in
            var instance = try RDBService.find(request, region: region, in: state)
            try RDBService.requireReady(instance)
            let result = try body(&instance, &state)
            RDBService.busyAfterChange(&instance, now: now, speed: context.speed)
            state.put(instance)
            return result
        }
    }

    private func inspect<T>(_ request: APIRequest, _ body: (Record) throws -> T) throws -> T {
        let region = try Locality.region(request)
        return try store.read { try body(try RDBService.find(request, region: region, in: $0)) }
    }

    /// Name filter (exact), `order_by` name_asc (default) / name_desc, one page.
    private static func page(_ items: [JSONValue], key: String, _ request: APIRequest) throws -> HTTPResponse {
        var list = items
        if let name = ListQuery.string(request, "name") { list = list.filter { $0["name"]?.stringValue == name } }
        list.sort { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        if ListQuery.string(request, "order_by") == "name_desc" { list.reverse() }
        return ListQuery.bodyPage(key, list, try ListQuery.page(request))
    }

    // MARK: databases

    func listDatabases(_ request: APIRequest) throws -> HTTPResponse {
        let items = try inspect(request) { instance in
            RDBService.items(instance, "databases").map { db -> JSONValue in
                var out = db.objectValue ?? [:]
                out["owner"] = .string("_rdb_superadmin")
                out["size"] = .int(RDBService.emptyDatabaseSize)
                return .object(out)
            }
        }
        return try Self.page(items, key: "databases", request)
    }

    func createDatabase(_ request: APIRequest) throws -> HTTPResponse {
        let name = try request.body().string("name") ?? ""
        if let problem = Self.nameProblem(name, what: "name") {
            throw APIError.invalidArgument("name", reason: "constraint", help: problem)
        }
        if ["postgres", "template0", "template1", "rdb", "mysql", "sys"].contains(name) {
            throw APIError.invalidArgument("name", reason: "constraint", help: "\"\(name)\" is a reserved database name")
        }
        let created: JSONValue = .object(["name": .string(name), "owner": .string(""), "managed": .bool(true), "size": .int(0)])
        try mutate(request) { instance, _ in
            var list = RDBService.items(instance, "databases")
            if list.contains(where: { $0["name"]?.stringValue == name }) {
                throw APIError.alreadyExists(resource: "database", id: name, help: "a database named \(name) already exists on this instance")
            }
            list.append(created)
            instance.meta["databases"] = .array(list)
        }
        return .json(200, created)
    }

    func deleteDatabase(_ request: APIRequest) throws -> HTTPResponse {
        let name = request.param("name")
        try mutate(request) { instance, _ in
            let list = RDBService.items(instance, "databases")
            guard list.contains(where: { $0["name"]?.stringValue == name }) else { throw APIError.notFound(resource: "database", id: name) }
            instance.meta["databases"] = .array(list.filter { $0["name"]?.stringValue != name })
            instance.meta["privileges"] = .array(RDBService.items(instance, "privileges").filter { $0["database_name"]?.stringValue != name })
        }
        return .empty(204)
    }

    // MARK: users

    func listUsers(_ request: APIRequest) throws -> HTTPResponse {
        try Self.page(try inspect(request) { RDBService.items($0, "users") }, key: "users", request)
    }

    func createUser(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = try input.string("name") ?? ""
        if let problem = Self.nameProblem(name, what: "name") {
            throw APIError.invalidArgument("name", reason: "constraint", help: problem)
        }
        if let problem = Self.passwordProblem(try input.string("password") ?? "") {
            throw APIError.invalidArgument("password", reason: "constraint", help: problem)
        }
        let user: JSONValue = .object(["name": .string(name), "is_admin": .bool(try input.bool("is_admin") ?? false)])
        try mutate(request) { instance, _ in
            var list = RDBService.items(instance, "users")
            if list.contains(where: { $0["name"]?.stringValue == name }) {
                throw APIError.alreadyExists(resource: "user", id: name, help: "a user named \(name) already exists on this instance")
            }
            list.append(user)
            instance.meta["users"] = .array(list)
            RDBService.countPasswordChange(&instance, user: name)
        }
        return .json(200, user)
    }

    func updateUser(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = request.param("name")
        let password = try input.string("password")
        let admin = try input.bool("is_admin")
        if let password, let problem = Self.passwordProblem(password) {
            throw APIError.invalidArgument("password", reason: "constraint", help: problem)
        }
        return .json(200, try mutate(request) { instance, _ in
            var list = RDBService.items(instance, "users")
            guard let index = list.firstIndex(where: { $0["name"]?.stringValue == name }) else { throw APIError.notFound(resource: "user", id: name) }
            var user = list[index].objectValue ?? [:]
            if let admin { user["is_admin"] = .bool(admin) }
            list[index] = .object(user)
            instance.meta["users"] = .array(list)
            if password != nil { RDBService.countPasswordChange(&instance, user: name) }
            return .object(user)
        })
    }

    /// The emulator keeps no password, only how many times each user's was set (for tests).
    static func countPasswordChange(_ instance: inout Record, user: String) {
        var counts = instance.meta["password_sets"]?.objectValue ?? [:]
        counts[user] = .int((counts[user]?.intValue ?? 0) + 1)
        instance.meta["password_sets"] = .object(counts)
    }

    func deleteUser(_ request: APIRequest) throws -> HTTPResponse {
        let name = request.param("name")
        try mutate(request) { instance, _ in
            let list = RDBService.items(instance, "users")
            guard list.contains(where: { $0["name"]?.stringValue == name }) else { throw APIError.notFound(resource: "user", id: name) }
            instance.meta["users"] = .array(list.filter { $0["name"]?.stringValue != name })
            instance.meta["privileges"] = .array(RDBService.items(instance, "privileges").filter { $0["user_name"]?.stringValue != name })
        }
        return .empty(204)
    }

    // MARK: privileges

    /// One entry per user and database (filtered by `user_name` / `database_name`): the granted
    /// permission, or `none`.
    func listPrivileges(_ request: APIRequest) throws -> HTTPResponse {
        let userFilter = ListQuery.string(request, "user_name")
        let databaseFilter = ListQuery.string(request, "database_name")
        let items: [JSONValue] = try inspect(request) { instance in
            let granted = RDBService.items(instance, "privileges")
            var out: [JSONValue] = []
            for user in RDBService.items(instance, "users").compactMap({ $0["name"]?.stringValue }).sorted() where userFilter == nil || userFilter == user {
                for db in RDBService.items(instance, "databases").compactMap({ $0["name"]?.stringValue }).sorted()
                where databaseFilter == nil || databaseFilter == db {
                    let permission = granted.first { $0["user_name"]?.stringValue == user && $0["database_name"]?.stringValue == db }?["permission"]
                    out.append(.object(["user_name": .string(user), "database_name": .string(db), "permission": permission ?? .string("none")]))
                }
            }
            return out
        }
        return ListQuery.bodyPage("privileges", items, try ListQuery.page(request))
    }

    func setPrivilege(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let user = try input.string("user_name") ?? ""
        let db = try input.string("database_name") ?? ""
        let permission = try input.string("permission") ?? ""
        guard Self.permissions.contains(permission) else {
            throw APIError.invalidArgument("permission", reason: "constraint", help: "permission must be one of \(Self.permissions.joined(separator: ", ")), got \"\(permission)\"")
        }
        let privilege: JSONValue = .object(["user_name": .string(user), "database_name": .string(db), "permission": .string(permission)])
        try mutate(request) { instance, _ in
            guard RDBService.items(instance, "users").contains(where: { $0["name"]?.stringValue == user }) else {
                throw APIError.notFound(resource: "user", id: user)
            }
            guard RDBService.items(instance, "databases").contains(where: { $0["name"]?.stringValue == db }) else {
                throw APIError.notFound(resource: "database", id: db)
            }
            var list = RDBService.items(instance, "privileges").filter {
                !($0["user_name"]?.stringValue == user && $0["database_name"]?.stringValue == db)
            }
            if permission != "none" { list.append(privilege) }
            instance.meta["privileges"] = .array(list)
        }
        return .json(200, privilege)
    }
}

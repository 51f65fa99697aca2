// IAM policies and their rules: create with exactly one principal (application, user, group or
// none) and rules naming known permission sets on projects or the organization; rules replaced
// as a whole with PUT /rules; counts (nb_rules, nb_scopes, nb_permission_sets) kept live.

extension IAMService {
    static let principals = ["application_id", "user_id", "group_id", "no_principal"]

    /// A policy as served: the body plus rule counts (rules live in `meta.rules`).
    static func render(policy: Record) -> JSONValue {
        var body = policy.body
        let rules = policy.meta["rules"]?.arrayValue ?? []
        body["nb_rules"] = .int(rules.count)
        body["nb_scopes"] = .int(rules.reduce(0) { $0 + max(1, $1["project_ids"]?.arrayValue?.count ?? 0) })
        body["nb_permission_sets"] = .int(rules.reduce(0) { $0 + ($1["permission_set_names"]?.arrayValue?.count ?? 0) })
        return .object(body)
    }

    /// Validated rules of a create or PUT body, as served (each with a new id).
    func rules(_ value: JSONValue?, field: String) throws -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else {
            throw APIError.invalidArgument(field, reason: "format", help: "\(field) must be an array of rules")
        }
        let known = Dictionary(IAMService.permissionSets.map { ($0.name, $0.scope) }, uniquingKeysWith: { a, _ in a })
        return try items.enumerated().map { index, item in
            let at = "\(field).\(index)"
            guard case .object(let fields) = item else { throw APIError.invalidArgument(at, reason: "format", help: "a rule must be an object") }
            let rule = RequestBody(fields: fields)
            let names = try rule.stringArray("permission_set_names") ?? []
            guard !names.isEmpty else {
                throw APIError.invalidArgument("\(at).permission_set_names", reason: "required", help: "a rule needs at least one permission set")
            }
            for name in names where known[name] == nil {
                throw APIError.invalidArgument("\(at).permission_set_names", reason: "constraint", help: "unknown permission set \"\(name)\"")
            }
            let projects = try rule.stringArray("project_ids")
            let organization = try rule.uuid("organization_id")
            guard (projects == nil) != (organization == nil) else {
                throw APIError.invalidArgument(at, reason: "constraint", help: "exactly one of project_ids and organization_id must be set")
            }
            var served: [String: JSONValue] = [
                "id": .string(Clock.uuid()), "permission_set_names": .array(names.map(JSONValue.string)),
                "condition": .string(try rule.string("condition") ?? ""),
            ]
            if let projects {
                guard !projects.isEmpty else {
                    throw APIError.invalidArgument("\(at).project_ids", reason: "required", help: "project_ids must name at least one project")
                }
                for p in projects where !Clock.isUUID(p) {
                    throw APIError.invalidArgument("\(at).project_ids", reason: "format", help: "\"\(p)\" is not a project ID")
                }
                for name in names where known[name] == "organization" {
                    throw APIError.invalidArgument("\(at).permission_set_names", reason: "constraint",
                                                   help: "permission set \"\(name)\" applies to the organization only; use organization_id")
                }
                served["project_ids"] = .array(projects.map(JSONValue.string))
                served["permission_sets_scope_type"] = .string("projects")
            } else {
                served["organization_id"] = .string(organization!)
                served["permission_sets_scope_type"] = .string("organization")
            }
            return .object(served)
        }
    }

    /// The one principal of a create or update body: (field, value), or nil when none is given.
    func principal(_ input: RequestBody, in state: CloudState) throws -> (String, JSONValue)? {
        let given = IAMService.principals.filter { key in
            key == "no_principal" ? (try? input.bool(key)) == true : input.has(key)
        }
        guard given.count <= 1 else {
            throw APIError.invalidArgument(given[1], reason: "constraint", help: "only one of application_id, user_id, group_id and no_principal may be set")
        }
        guard let key = given.first else { return nil }
        switch key {
        case "no_principal": return (key, .bool(true))
        case "application_id":
            let id = try input.uuid(key)!
            _ = try IAMService.find(IAMService.applicationKind, id, resource: "application", in: state)
            return (key, .string(id))
        case "user_id":
            let id = try input.uuid(key)!
            _ = try IAMService.user(id)
            return (key, .string(id))
        default:
            return (key, .string(try input.uuid(key)!))   // groups are not emulated: any group id is accepted
        }
    }

    func createPolicy(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "policy")
        let description = try input.string("description") ?? ""
        let organization = try input.uuid("organization_id") ?? organizationID
        let tags = try IAMService.tags(input) ?? []
        let rules = try rules(input.raw("rules"), field: "rules")
        let id = Clock.uuid()
        let now = Clock.timestamp()
        return .json(200, try context.store.write { state in
            guard let (key, value) = try principal(input, in: state) else {
                throw APIError.invalidArgument("principal", reason: "required",
                                               help: "one of application_id, user_id, group_id or no_principal must be set")
            }
            var body: [String: JSONValue] = [
                "id": .string(id), "name": .string(name), "description": .string(description), "organization_id": .string(organization),
                "created_at": .string(now), "updated_at": .string(now), "editable": .bool(true), "deletable": .bool(true),
                "managed": .bool(false), "tags": .array(tags),
            ]
            body[key] = value
            return IAMService.render(policy: state.insert(kind: IAMService.policyKind, id: id, body: body, meta: ["rules": .array(rules)]))
        })
    }

    func getPolicy(_ request: APIRequest) throws -> HTTPResponse {
        .json(200, try context.store.read { state in
            IAMService.render(policy: try IAMService.find(IAMService.policyKind, request.param("id"), resource: "policy", in: state))
        })
    }

    func listPolicies(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "policy_name")
        let ids = ListQuery.strings(request, "policy_ids").map(Set.init)
        let applications = ListQuery.strings(request, "application_ids").map(Set.init)
        let users = ListQuery.strings(request, "user_ids").map(Set.init)
        let groups = ListQuery.strings(request, "group_ids").map(Set.init)
        let noPrincipal = try ListQuery.bool(request, "no_principal")
        let tag = ListQuery.string(request, "tag")
        let items = context.store.read { state in
            IAMService.listed(IAMService.policyKind, request, in: state) { policy in
                func principal(_ key: String) -> String { policy.body[key]?.stringValue ?? "" }
                return (name == nil || policy.name.contains(name!)) && (ids == nil || ids!.contains(policy.id))
                    && (applications == nil || applications!.contains(principal("application_id")))
                    && (users == nil || users!.contains(principal("user_id")))
                    && (groups == nil || groups!.contains(principal("group_id")))
                    && (noPrincipal == nil || (policy.body["no_principal"]?.boolValue ?? false) == noPrincipal)
                    && (tag == nil || policy.tags.contains(tag!))
            }.map { IAMService.render(policy: $0) }
        }
        return ListQuery.bodyPage("policies", items, page)
    }

    func updatePolicy(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = try input.string("name")
        let description = try input.string("description")
        let tags = try IAMService.tags(input)
        return .json(200, try context.store.write { state in
            var policy = try IAMService.find(IAMService.policyKind, request.param("id"), resource: "policy", in: state)
            if let (key, value) = try principal(input, in: state) {
                for other in IAMService.principals { policy.body[other] = nil }
                policy.body[key] = value
            }
            if let name, !name.isEmpty { policy.body["name"] = .string(name) }
            if let description { policy.body["description"] = .string(description) }
            if let tags { policy.body["tags"] = .array(tags) }
            policy.body["updated_at"] = .string(Clock.timestamp())
            state.put(policy)
            return IAMService.render(policy: policy)
        })
    }

    func deletePolicy(_ request: APIRequest) throws -> HTTPResponse {
        try context.store.write { state in
            let policy = try IAMService.find(IAMService.policyKind, request.param("id"), resource: "policy", in: state)
            state.remove(IAMService.policyKind, policy.id)
        }
        return .empty(204)
    }

    /// GET /rules?policy_id=: the policy's rules.
    func listRules(_ request: APIRequest) throws -> HTTPResponse {
        guard let policyID = ListQuery.string(request, "policy_id") else {
            throw APIError.invalidArgument("policy_id", reason: "required", help: "policy_id is required")
        }
        let page = try ListQuery.page(request)
        let rules = try context.store.read { state in
            try IAMService.find(IAMService.policyKind, policyID, resource: "policy", in: state).meta["rules"]?.arrayValue ?? []
        }
        return ListQuery.bodyPage("rules", rules, page)
    }

    /// PUT /rules {policy_id, rules}: replaces every rule of the policy; answers the new rules.
    func setRules(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        guard let policyID = try input.uuid("policy_id") else {
            throw APIError.invalidArgument("policy_id", reason: "required", help: "policy_id is required")
        }
        let rules = try rules(input.raw("rules"), field: "rules")
        try context.store.write { state in
            var policy = try IAMService.find(IAMService.policyKind, policyID, resource: "policy", in: state)
            policy.meta["rules"] = .array(rules)
            policy.body["updated_at"] = .string(Clock.timestamp())
            state.put(policy)
        }
        return .json(200, .object(["rules": .array(rules)]))
    }
}

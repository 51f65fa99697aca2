// IamPolicy: grants permission sets to exactly one principal (an application, a user, a group,
// or none), on projects or the whole organization (global). Permission set names are checked
// against the API's catalogue at plan time; rules are kept as a set (order-free) and replaced
// with one PUT /rules only when they change.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct IamPolicyResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let principals = ["application_id", "user_id", "group_id", "no_principal"]

    static let rule = PropKind.object([
        PropSpec("permission_set_names", .list(.string), required: true, doc: "Permission sets granted (`ObjectStorageFullAccess`, ...)."),
        PropSpec("project_ids", .list(.string), doc: "Projects the sets apply to (give this or `organization_id`)."),
        PropSpec("organization_id", .string, format: .uuid, doc: "The organization the sets apply to (give this or `project_ids`)."),
    ])

    public static let schema = ResourceSchema(
        typeName: "IamPolicy",
        doc: "An IAM policy: permission sets granted to one principal on projects or the organization.",
        locality: .global,
        props: [
            CommonProps.name(),
            PropSpec("description", .string, default: .string(""), doc: "Free text."),
            CommonProps.tags,
            PropSpec("organization_id", .string, change: .replace, format: .uuid, doc: "Organization; defaults to the configured one."),
            PropSpec("application_id", .resourceID(types: ["IamApplication"]), doc: "The application granted the rules."),
            PropSpec("user_id", .string, format: .uuid, doc: "The user granted the rules."),
            PropSpec("group_id", .string, format: .uuid, doc: "The group granted the rules."),
            PropSpec("no_principal", .bool, doc: "A policy attached to no one (give exactly one of the four principals)."),
            PropSpec("rules", .list(rule), required: true, doc: "What is granted where; order does not matter."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "The policy's UUID."),
            OutputSpec("name", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("editable", .bool),
            OutputSpec("created_at", .string),
        ])

    var api: IAMAPI { IAMAPI(client: env.client) }

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let at = Diagnostic.Place.resource(context.address)
        if out["no_principal"] == .bool(false) { out["no_principal"] = nil }
        let given = Self.principals.filter { out[$0] != nil && out[$0] != .null }
        guard given.count == 1 else {
            throw Diagnostic(given.isEmpty ? "a policy needs exactly one principal: application_id, user_id, group_id or no_principal = true"
                                           : "a policy has exactly one principal; got \(given.joined(separator: " and "))", at: at)
        }
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["description"] == nil || out["description"] == .null { out["description"] = .string("") }
        if out["tags"] == nil || out["tags"] == .null { out["tags"] = .list([]) }
        for tag in out["tags"]?.listValue?.compactMap(\.stringValue) ?? [] where tag.hasPrefix(OwnershipTags.prefix) {
            throw Diagnostic("tag '\(tag)' uses the reserved prefix '\(OwnershipTags.prefix)'", at: at)
        }
        if out["organization_id"] == nil || out["organization_id"] == .null {
            guard let org = IamShared.organization(env) else {
                throw Diagnostic("no organization: set organization_id, or default_organization_id in the Scaleway config", at: at)
            }
            out["organization_id"] = .string(org)
        }
        guard let rules = out["rules"]?.listValue, !rules.isEmpty || out["rules"]?.containsUnknown == true else {
            throw Diagnostic("rules: a policy needs at least one rule", at: at)
        }
        out["rules"] = .list(try rules.enumerated().map { try Self.normalizeRule($1, index: $0, at: at) }.sorted { JSON.encode($0) < JSON.encode($1) })
        return out
    }

    /// One rule in canonical form (names and projects sorted, exactly one scope), so that rules
    /// compare as a set.
    static func normalizeRule(_ rule: Value, index: Int, at: Diagnostic.Place) throws -> Value {
        guard var fields = rule.mapValue else { return rule }
        let where_ = "rules[\(index + 1)]"
        guard let names = fields["permission_set_names"]?.listValue, !names.isEmpty else {
            throw Diagnostic("\(where_).permission_set_names: give at least one permission set", at: at)
        }
        if fields["project_ids"] == .list([]) { fields["project_ids"] = nil }
        let scopes = ["project_ids", "organization_id"].filter { fields[$0] != nil && fields[$0] != .null }
        guard scopes.count == 1 else {
            throw Diagnostic("\(where_): give exactly one of project_ids and organization_id", at: at)
        }
        func sorted(_ v: Value?) -> Value? {
            guard let list = v?.listValue, list.allSatisfy({ $0.stringValue != nil }) else { return v }
            return .list(Array(Set(list.compactMap(\.stringValue))).sorted().map(Value.string))
        }
        fields["permission_set_names"] = sorted(fields["permission_set_names"])
        if fields["project_ids"] != nil { fields["project_ids"] = sorted(fields["project_ids"]) }
        return .map(fields.filter { $0.value != .null })
    }

    /// Permission set names (and their scope) checked against the API's catalogue, before any write.
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {
        guard let rules = inputs["rules"]?.listValue, let org = inputs["organization_id"]?.stringValue else { return }
        let catalogue = try await api.listPermissionSets(organizationID: org)
        let scopes = Dictionary(catalogue.map { ($0.name, $0.scopeType) }, uniquingKeysWith: { a, _ in a })
        for (index, rule) in rules.enumerated() {
            for name in rule["permission_set_names"]?.listValue?.compactMap(\.stringValue) ?? [] {
                guard let scope = scopes[name] else {
                    throw Diagnostic("rules[\(index + 1)]: unknown permission set '\(name)'", at: .resource(context.address),
                                     hint: Suggest.closest(to: name, in: Array(scopes.keys)).map { "did you mean '\($0)'?" })
                }
                if scope == "organization", rule["project_ids"] != nil {
                    throw Diagnostic("rules[\(index + 1)]: '\(name)' applies to the organization only; use organization_id instead of project_ids",
                                     at: .resource(context.address))
                }
            }
        }
    }

    static func principal(_ inputs: [String: Value]) -> IAMPrincipal {
        if let a = IamShared.id(inputs["application_id"]) { return .application(a) }
        if let u = IamShared.id(inputs["user_id"]) { return .user(u) }
        if let g = IamShared.id(inputs["group_id"]) { return .group(g) }
        return .none
    }

    static func ruleSpecs(_ inputs: [String: Value]) -> [IAMRuleSpec] {
        (inputs["rules"]?.listValue ?? []).map { rule in
            IAMRuleSpec(permissionSetNames: rule["permission_set_names"]?.listValue?.compactMap(\.stringValue) ?? [],
                        projectIDs: rule["project_ids"]?.listValue?.compactMap(\.stringValue),
                        organizationID: rule["organization_id"]?.stringValue)
        }
    }

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let policy = try await CreateCall.run {
            try await api.createPolicy(name: try i.requireString("name"), description: i.string("description") ?? "",
                                       organizationID: try i.requireString("organization_id"),
                                       tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context),
                                       principal: Self.principal(inputs), rules: Self.ruleSpecs(inputs))
        }
        return CreateResult(id: policy.id, outputs: Self.outputs(policy))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        do {
            let policy = try await api.getPolicy(id: id)
            let rules = try await api.listRules(policyID: id)
            return ReadResult(outputs: Self.outputs(policy), observed: Self.observed(policy, rules: rules, address: context.address))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    /// One PATCH when name, description, tags or principal changed; one PUT /rules when the rules did.
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        let i = Inputs(new, context.address)
        var policy: IAMPolicy?
        let principalChanged = Self.principal(old) != Self.principal(new)
        if old["name"] != new["name"] || old["description"] != new["description"] || old["tags"] != new["tags"] || principalChanged {
            policy = try await api.updatePolicy(id: id, name: i.string("name"), description: i.string("description"),
                                                tags: OwnershipTags.withOwnership(i.strings("tags") ?? [], context: context),
                                                principal: principalChanged ? Self.principal(new) : nil)
        }
        if Set(Self.ruleSpecs(old)) != Set(Self.ruleSpecs(new)) {
            _ = try await api.setRules(policyID: id, rules: Self.ruleSpecs(new))
        }
        if policy == nil { policy = try await api.getPolicy(id: id) }
        return Self.outputs(policy!)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        do { try await api.deletePolicy(id: id) } catch let error as APIError where error.isNotFound { return }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        let found = try await api.listPolicies(organizationID: inputs["organization_id"]?.stringValue, tag: OwnershipTags.urnTag(context))
        return found.filter { OwnershipTags.owned($0.tags, by: context) }.map { CreateResult(id: $0.id, outputs: Self.outputs($0)) }
    }

    static func outputs(_ policy: IAMPolicy) -> [String: Value] {
        ["id": .string(policy.id), "name": .string(policy.name), "organization_id": .string(policy.organizationID),
         "editable": .bool(policy.raw["editable"]?.boolValue ?? true), "created_at": policy.createdAt.map(Value.string) ?? .null]
    }

    static func observed(_ policy: IAMPolicy, rules: [IAMRule], address: ResourceAddress) -> [String: Value] {
        var out: [String: Value] = [
            "name": .string(policy.name), "description": .string(policy.description), "organization_id": .string(policy.organizationID),
            "tags": CommonProps.tagsValue(OwnershipTags.userTags(policy.tags)),
            "application_id": .null, "user_id": .null, "group_id": .null, "no_principal": .null,
        ]
        switch policy.principal {
        case .application(let id): out["application_id"] = .string(id)
        case .user(let id): out["user_id"] = .string(id)
        case .group(let id): out["group_id"] = .string(id)
        case .none: out["no_principal"] = .bool(true)
        }
        let declared = rules.map { rule -> Value in
            var fields: [String: Value] = ["permission_set_names": .list(rule.spec.permissionSetNames.map(Value.string))]
            if let p = rule.spec.projectIDs { fields["project_ids"] = .list(p.map(Value.string)) }
            if let o = rule.spec.organizationID { fields["organization_id"] = .string(o) }
            return .map(fields)
        }
        let at = Diagnostic.Place.resource(address)
        out["rules"] = .list(declared.enumerated().compactMap { try? normalizeRule($1, index: $0, at: at) }.sorted { JSON.encode($0) < JSON.encode($1) })
        return out
    }
}

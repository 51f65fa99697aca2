// IAM API v1alpha1 (global): applications, API keys (secret shown once), policies and their
// rules, the permission-set catalogue, SSH keys and the users listing (ENDPOINTS.md section 9).

struct IAMService: EmulatedService {
    static let applicationKind = "iam_application"
    static let apiKeyKind = "iam_api_key"
    static let policyKind = "iam_policy"
    static let sshKeyKind = "iam_ssh_key"
    static let base = "/iam/v1alpha1"

    let context: ServiceContext

    func register(on router: Router) {
        let base = IAMService.base
        router.add("POST", base + "/applications") { try createApplication($0) }
        router.add("GET", base + "/applications") { try listApplications($0) }
        router.add("GET", base + "/applications/{id}") { try getApplication($0) }
        router.add("PATCH", base + "/applications/{id}") { try updateApplication($0) }
        router.add("DELETE", base + "/applications/{id}") { try deleteApplication($0) }

        router.add("POST", base + "/api-keys") { try createAPIKey($0) }
        router.add("GET", base + "/api-keys") { try listAPIKeys($0) }
        router.add("GET", base + "/api-keys/{access_key}") { try getAPIKey($0) }
        router.add("PATCH", base + "/api-keys/{access_key}") { try updateAPIKey($0) }
        router.add("DELETE", base + "/api-keys/{access_key}") { try deleteAPIKey($0) }

        router.add("POST", base + "/policies") { try createPolicy($0) }
        router.add("GET", base + "/policies") { try listPolicies($0) }
        router.add("GET", base + "/policies/{id}") { try getPolicy($0) }
        router.add("PATCH", base + "/policies/{id}") { try updatePolicy($0) }
        router.add("DELETE", base + "/policies/{id}") { try deletePolicy($0) }
        router.add("GET", base + "/rules") { try listRules($0) }
        router.add("PUT", base + "/rules") { try setRules($0) }
        router.add("GET", base + "/permission-sets") { try listPermissionSets($0) }

        router.add("POST", base + "/ssh-keys") { try createSSHKey($0) }
        router.add("GET", base + "/ssh-keys") { try listSSHKeys($0) }
        router.add("GET", base + "/ssh-keys/{id}") { try getSSHKey($0) }
        router.add("PATCH", base + "/ssh-keys/{id}") { try updateSSHKey($0) }
        router.add("DELETE", base + "/ssh-keys/{id}") { try deleteSSHKey($0) }

        router.add("GET", base + "/users") { try listUsers($0) }
        router.add("GET", base + "/users/{id}") { try getUser($0) }
    }

    /// The organization of the emulated account (Scaleway's default project has the organization's id).
    var organizationID: String { context.defaultProjectID }

    /// A record of `kind` or the API's 404 with the recorded resource name.
    static func find(_ kind: String, _ id: String, resource: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id) else { throw APIError.notFound(resource: resource, id: id) }
        return record
    }

    /// `tags` of a create or update body, or nil.
    static func tags(_ input: RequestBody) throws -> [JSONValue]? {
        try input.stringArray("tags").map { $0.map(JSONValue.string) }
    }

    /// Records filtered by `organization_id` (when given), ordered by `order_by`.
    static func listed(_ kind: String, _ request: APIRequest, in state: CloudState, where keep: (Record) -> Bool) -> [Record] {
        let organization = ListQuery.string(request, "organization_id")
        return ordered(state.list(kind), request).filter { record in
            (organization == nil || record.body["organization_id"]?.stringValue == organization) && keep(record)
        }
    }

    /// IAM order_by values: created_at_asc/desc, updated_at_asc/desc, name_asc/desc (others ignored).
    static func ordered(_ records: [Record], _ request: APIRequest) -> [Record] {
        let updated = { (r: Record) in r.body["updated_at"]?.stringValue ?? "" }
        switch ListQuery.string(request, "order_by") ?? "created_at_asc" {
        case "updated_at_asc": return records.sorted { (updated($0), $0.seq) < (updated($1), $1.seq) }
        case "updated_at_desc": return records.sorted { (updated($0), $0.seq) > (updated($1), $1.seq) }
        default: return ListQuery.ordered(records, request)
        }
    }
}

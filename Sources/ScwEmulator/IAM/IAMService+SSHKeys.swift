// IAM SSH keys: create (key validated, comment stripped, fingerprint computed, the same key
// twice in a project refused), get, list (name, project, disabled filters), update (name,
// disabled), delete.

extension IAMService {
    /// Projects are not modelled: a project is taken as its organization's default project, whose
    /// id is the organization's (as Scaleway's default projects are).
    static func organization(ofProject project: String) -> String { project }

    func createSSHKey(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        guard let text = try input.string("public_key"), !text.isEmpty else {
            throw APIError.invalidArgument("public_key", reason: "required", help: "public_key is required")
        }
        let key: SSHPublicKey
        switch SSHPublicKey.parse(text) {
        case .success(let k): key = k
        case .failure(let problem): throw APIError.invalidArgument("public_key", reason: "format", help: "invalid public key: \(problem.reason)")
        }
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "key")
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "public_key": .string(key.normalized), "fingerprint": .string(key.fingerprint),
            "created_at": .string(now), "updated_at": .string(now), "organization_id": .string(IAMService.organization(ofProject: project)),
            "project_id": .string(project), "disabled": .bool(false),
        ]
        return .json(200, .object(try context.store.write { state in
            if let same = state.list(IAMService.sshKeyKind).first(where: {
                $0.projectID == project && $0.body["public_key"]?.stringValue == key.normalized
            }) {
                throw APIError.alreadyExists(resource: "ssh_key", id: same.id, help: "this public key is already registered in the project")
            }
            return state.insert(kind: IAMService.sshKeyKind, id: id, body: body).body
        }))
    }

    func getSSHKey(_ request: APIRequest) throws -> HTTPResponse {
        .json(200, .object(try context.store.read { state in
            try IAMService.find(IAMService.sshKeyKind, request.param("id"), resource: "ssh_key", in: state).body
        }))
    }

    func listSSHKeys(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let project = ListQuery.string(request, "project_id")
        let disabled = try ListQuery.bool(request, "disabled")
        let items = context.store.read { state in
            IAMService.listed(IAMService.sshKeyKind, request, in: state) { key in
                (name == nil || key.name.contains(name!)) && (project == nil || key.projectID == project)
                    && (disabled == nil || key.body["disabled"]?.boolValue == disabled)
            }.map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("ssh_keys", items, page)
    }

    func updateSSHKey(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = try input.string("name")
        let disabled = try input.bool("disabled")
        return .json(200, .object(try context.store.write { state in
            var key = try IAMService.find(IAMService.sshKeyKind, request.param("id"), resource: "ssh_key", in: state)
            if let name, !name.isEmpty { key.body["name"] = .string(name) }
            if let disabled { key.body["disabled"] = .bool(disabled) }
            key.body["updated_at"] = .string(Clock.timestamp())
            state.put(key)
            return key.body
        }))
    }

    func deleteSSHKey(_ request: APIRequest) throws -> HTTPResponse {
        try context.store.write { state in
            let key = try IAMService.find(IAMService.sshKeyKind, request.param("id"), resource: "ssh_key", in: state)
            state.remove(IAMService.sshKeyKind, key.id)
        }
        return .empty(204)
    }
}

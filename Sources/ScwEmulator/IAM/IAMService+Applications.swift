// IAM applications: create, get, list (name, application_ids, editable filters), update, delete.
// Deleting an application deletes its API keys, as the real API does.

extension IAMService {
    /// An application as served: the stored body plus its live API key count.
    static func render(application: Record, in state: CloudState) -> JSONValue {
        var body = application.body
        body["nb_api_keys"] = .int(state.list(apiKeyKind).filter { $0.body["application_id"]?.stringValue == application.id }.count)
        return .object(body)
    }

    func createApplication(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        guard let name = try input.string("name"), !name.isEmpty else {
            throw APIError.invalidArgument("name", reason: "required", help: "name is required")
        }
        guard name.count <= 64 else {
            throw APIError.invalidArgument("name", reason: "constraint", help: "name must be at most 64 characters")
        }
        let organization = try input.uuid("organization_id") ?? organizationID
        let description = try input.string("description") ?? ""
        let tags = try IAMService.tags(input) ?? []
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "description": .string(description), "organization_id": .string(organization),
            "created_at": .string(now), "updated_at": .string(now), "editable": .bool(true), "deletable": .bool(true),
            "managed": .bool(false), "tags": .array(tags),
        ]
        return .json(200, try context.store.write { state in
            IAMService.render(application: state.insert(kind: IAMService.applicationKind, id: id, body: body), in: state)
        })
    }

    func getApplication(_ request: APIRequest) throws -> HTTPResponse {
        .json(200, try context.store.read { state in
            IAMService.render(application: try IAMService.find(IAMService.applicationKind, request.param("id"), resource: "application", in: state), in: state)
        })
    }

    func listApplications(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let ids = ListQuery.strings(request, "application_ids").map(Set.init)
        let editable = try ListQuery.bool(request, "editable")
        let tag = ListQuery.string(request, "tag")
        let items = context.store.read { state in
            IAMService.listed(IAMService.applicationKind, request, in: state) { app in
                (name == nil || app.name.contains(name!)) && (ids == nil || ids!.contains(app.id))
                    && (editable == nil || app.body["editable"]?.boolValue == editable)
                    && (tag == nil || app.tags.contains(tag!))
            }.map { IAMService.render(application: $0, in: state) }
        }
        return ListQuery.bodyPage("applications", items, page)
    }

    func updateApplication(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let name = try input.string("name")
        let description = try input.string("description")
        let tags = try IAMService.tags(input)
        return .json(200, try context.store.write { state in
            var app = try IAMService.find(IAMService.applicationKind, request.param("id"), resource: "application", in: state)
            if let name, !name.isEmpty { app.body["name"] = .string(name) }
            if let description { app.body["description"] = .string(description) }
            if let tags { app.body["tags"] = .array(tags) }
            app.body["updated_at"] = .string(Clock.timestamp())
            state.put(app)
            return IAMService.render(application: app, in: state)
        })
    }

    func deleteApplication(_ request: APIRequest) throws -> HTTPResponse {
        try context.store.write { state in
            let app = try IAMService.find(IAMService.applicationKind, request.param("id"), resource: "application", in: state)
            for key in state.list(IAMService.apiKeyKind) where key.body["application_id"]?.stringValue == app.id {
                state.remove(IAMService.apiKeyKind, key.id)
            }
            state.remove(IAMService.applicationKind, app.id)
        }
        return .empty(204)
    }
}

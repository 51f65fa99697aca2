// Serverless Containers API v1 (regional, `/containers/v1/regions/{region}`): namespaces
// (creating → ready; an environment change goes updating → ready) and containers
// (ContainersContainers.swift). v1 takes secret environment variables as a map and answers
// them hashed; its 404s are `not_found` with resource `namespace` or `container`.

import Foundation

struct ContainersService: EmulatedService {
    static let base = "/containers/v1/regions/{region}"
    static let namespaceSeconds = 2.0
    static let deleteSeconds = 1.0

    let context: ServiceContext
    let store: ServerlessStore

    init(context: ServiceContext) {
        self.context = context
        store = ServerlessStore(store: context.store)
    }

    func register(on router: Router) {
        let base = Self.base
        router.add("POST", base + "/namespaces") { try createNamespace($0) }
        router.add("GET", base + "/namespaces") { try listNamespaces($0) }
        router.add("GET", base + "/namespaces/{id}") { try getNamespace($0) }
        router.add("PATCH", base + "/namespaces/{id}") { try updateNamespace($0) }
        router.add("DELETE", base + "/namespaces/{id}") { try deleteNamespace($0) }
        router.add("POST", base + "/containers") { try createContainer($0) }
        router.add("GET", base + "/containers") { try listContainers($0) }
        router.add("GET", base + "/containers/{id}") { try getContainer($0) }
        router.add("PATCH", base + "/containers/{id}") { try updateContainer($0) }
        router.add("DELETE", base + "/containers/{id}") { try deleteContainer($0) }
        router.add("POST", base + "/containers/{id}/redeploy") { try redeployContainer($0) }
    }

    static func find(_ kind: String, resource: String, id: String, region: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id), record.region == region else { throw APIError.notFound(resource: resource, id: id) }
        return record
    }

    /// A `{key: value}` secret map, hashed.
    static func hashedSecrets(_ raw: JSONValue?, field: String = "secret_environment_variables") throws -> [String: JSONValue]? {
        guard let map = try ServerlessValues.stringMap(raw, field: field) else { return nil }
        try ServerlessValues.checkVariableNames(Array(map.keys), field: field)
        return map.mapValues { .string(ServerlessValues.hashed($0.stringValue ?? "")) }
    }

    // MARK: namespaces

    private func createNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "ns")
        try FunctionsService.checkName(name)
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables") ?? [:]
        try ServerlessValues.checkVariableNames(Array(env.keys), field: "environment_variables")
        let secrets = try Self.hashedSecrets(input.raw("secret_environment_variables")) ?? [:]
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "organization_id": .string(project), "project_id": .string(project),
            "description": .string(try input.string("description") ?? ""), "status": .string("creating"),
            "environment_variables": .object(env), "secret_environment_variables": .object(secrets),
            "tags": .array((try input.stringArray("tags") ?? []).map { .string($0) }), "created_at": .string(now),
            "updated_at": .string(now), "region": .string(region),
        ]
        return .json(200, try store.write { state, clock in
            if state.list(ServerlessKind.containerNamespace).contains(where: {
                $0.region == region && $0.projectID == project && $0.name == name && ServerlessTimeline.status($0) != "deleting"
            }) {
                throw APIError.alreadyExists(resource: "namespace", id: id, help: "a namespace named \(name) already exists in this project")
            }
            let slug = ServerlessValues.alnum(name, limit: 20) + String(id.prefix(8))
            let registry = ServerlessValues.makeHiddenRegistry(slug: ServerlessValues.alnum(name, limit: 20) + ServerlessValues.randomSuffix(8),
                                                               region: region, project: project, in: &state)
            var record = state.insert(kind: ServerlessKind.containerNamespace, id: id, body: body,
                                      meta: ["slug": .string(slug), "registry_namespace_id": .string(registry.id)])
            ServerlessTimeline.begin(&record, "creating", then: [TimelineStep(status: "ready", seconds: Self.namespaceSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            return .object(record.body)
        })
    }

    private func listNamespaces(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let items = try store.read { state in
            ListQuery.ordered(state.list(ServerlessKind.containerNamespace), request).filter { $0.region == region && common($0) }
                .map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("namespaces", items, page)
    }

    private func getNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read {
            .object(try Self.find(ServerlessKind.containerNamespace, resource: "namespace", id: request.param("id"), region: region, in: $0).body)
        })
    }

    private func updateNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let description = try input.string("description")
        let tags = try input.stringArray("tags")
        let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables")
        try ServerlessValues.checkVariableNames(Array((env ?? [:]).keys), field: "environment_variables")
        let secrets = try Self.hashedSecrets(input.raw("secret_environment_variables"))
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.containerNamespace, resource: "namespace", id: request.param("id"), region: region, in: state)
            let status = ServerlessTimeline.status(record)
            if status != "ready" && status != "error" {
                throw APIError.transientState(resource: "namespace", id: record.id, state: status)
            }
            if let description { record.body["description"] = .string(description) }
            if let tags { record.body["tags"] = .array(tags.map { .string($0) }) }
            var redeploy = false
            if let env { record.body["environment_variables"] = .object(env); redeploy = true }
            if let secrets { record.body["secret_environment_variables"] = .object(secrets); redeploy = true }
            record.body["updated_at"] = .string(Clock.timestamp())
            if redeploy {
                ServerlessTimeline.begin(&record, "updating", then: [TimelineStep(status: "ready", seconds: Self.namespaceSeconds / 2)],
                                         now: clock, speed: context.speed)
            }
            state.put(record)
            return .object(record.body)
        })
    }

    private func deleteNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.containerNamespace, resource: "namespace", id: request.param("id"), region: region, in: state)
            ServerlessTimeline.begin(&record, "deleting", then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.deleteSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            for var c in state.list(ServerlessKind.container) where c.body["namespace_id"]?.stringValue == record.id {
                ServerlessTimeline.begin(&c, "deleting", then: [], now: clock, speed: context.speed)
                state.put(c)
            }
            return .object(record.body)
        })
    }
}

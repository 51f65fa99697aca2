// Serverless Functions API v1beta1 (regional, `/functions/v1beta1/regions/{region}`):
// namespaces (pending → ready, with the registry namespace they get), runtimes, functions with
// code upload and deploy (FunctionsFunctions.swift), crons (FunctionsCrons.swift). Its 404s
// carry only a message (`{"message":"Namespace was not found"}`), as recorded.

import Foundation

struct FunctionsService: EmulatedService {
    static let base = "/functions/v1beta1/regions/{region}"
    /// Seconds at speed 1.
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
        router.add("GET", base + "/runtimes") { try runtimes($0) }
        router.add("POST", base + "/namespaces") { try createNamespace($0) }
        router.add("GET", base + "/namespaces") { try listNamespaces($0) }
        router.add("GET", base + "/namespaces/{id}") { try getNamespace($0) }
        router.add("PATCH", base + "/namespaces/{id}") { try updateNamespace($0) }
        router.add("DELETE", base + "/namespaces/{id}") { try deleteNamespace($0) }
        router.add("POST", base + "/functions") { try createFunction($0) }
        router.add("GET", base + "/functions") { try listFunctions($0) }
        router.add("GET", base + "/functions/{id}") { try getFunction($0) }
        router.add("PATCH", base + "/functions/{id}") { try updateFunction($0) }
        router.add("DELETE", base + "/functions/{id}") { try deleteFunction($0) }
        router.add("GET", base + "/functions/{id}/upload-url") { try uploadURL($0) }
        router.add("POST", base + "/functions/{id}/deploy") { try deployFunction($0) }
        router.add("PUT", Self.uploadPath) { try receiveUpload($0) }
        router.add("POST", base + "/crons") { try createCron($0) }
        router.add("GET", base + "/crons") { try listCrons($0) }
        router.add("GET", base + "/crons/{id}") { try getCron($0) }
        router.add("PATCH", base + "/crons/{id}") { try updateCron($0) }
        router.add("DELETE", base + "/crons/{id}") { try deleteCron($0) }
    }

    /// The API's bare 404: `{"message":"<What> was not found"}`.
    static func notFound(_ what: String) -> APIError {
        APIError(status: 404, body: .object(["message": .string("\(what) was not found")]))
    }

    static func find(_ kind: String, _ what: String, id: String, region: String, in state: CloudState) throws -> Record {
        guard let record = state.get(kind, id), record.region == region else { throw notFound(what) }
        return record
    }

    // MARK: runtimes

    private func runtimes(_ request: APIRequest) throws -> HTTPResponse {
        _ = try Locality.region(request)
        let page = try ListQuery.page(request)
        return ListQuery.bodyPage("runtimes", FunctionsRuntimes.all.map(FunctionsRuntimes.json), page)
    }

    // MARK: namespaces

    /// `[{key, value}]` secrets (v1beta1 shape) applied to `current` (`[{key, hashed_value}]`):
    /// a null value removes the key, others are set.
    static func applySecretList(_ raw: JSONValue?, to current: [JSONValue], field: String) throws -> [JSONValue] {
        guard let raw, !raw.isNull else { return current }
        guard let items = raw.arrayValue else {
            throw APIError.invalidArgument(field, reason: "format", help: "\(field) must be a list of {key, value}")
        }
        var out = current
        for item in items {
            guard let key = item["key"]?.stringValue else {
                throw APIError.invalidArgument(field, reason: "format", help: "each \(field) entry needs a string key")
            }
            try ServerlessValues.checkVariableNames([key], field: field)
            out.removeAll { $0["key"]?.stringValue == key }
            switch item["value"] {
            case .string(let value)?:
                out.append(.object(["key": .string(key), "hashed_value": .string(ServerlessValues.hashed(value))]))
            case nil, .null?:
                break
            default:
                throw APIError.invalidArgument(field, reason: "format", help: "\(field) values must be strings or null")
            }
        }
        return out.sorted { ($0["key"]?.stringValue ?? "") < ($1["key"]?.stringValue ?? "") }
    }

    static func checkName(_ name: String, field: String = "name") throws {
        let ok = !name.isEmpty && name.count <= 63 && name.first != "-" && name.last != "-"
            && name.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "-") && $0.isASCII }
        guard ok else {
            throw APIError.invalidArgument(field, reason: "constraint",
                help: "\(field) must be 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen, got \"\(name)\"")
        }
    }

    private func createNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "ns")
        try Self.checkName(name)
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables") ?? [:]
        try ServerlessValues.checkVariableNames(Array(env.keys), field: "environment_variables")
        let secrets = try Self.applySecretList(input.raw("secret_environment_variables"), to: [], field: "secret_environment_variables")
        let tags = try input.stringArray("tags") ?? []
        let description = try input.string("description") ?? ""
        let id = Clock.uuid()
        let now = Clock.timestamp()
        let slug = ServerlessValues.alnum(name, limit: 20) + ServerlessValues.randomSuffix(8)
        let rendered = try store.write { state, clock -> JSONValue in
            if state.list(ServerlessKind.functionNamespace).contains(where: {
                $0.region == region && $0.projectID == project && $0.name == name && ServerlessTimeline.status($0) != "deleting"
            }) {
                throw APIError(status: 409, body: .object(["message": .string("Namespace with name \(name) already exists"),
                                                           "type": .string("already_exists"), "resource": .string("namespace")]))
            }
            let registry = ServerlessValues.makeHiddenRegistry(slug: slug, region: region, project: project, in: &state)
            var record = state.insert(kind: ServerlessKind.functionNamespace, id: id, body: [
                "id": .string(id), "name": .string(name), "description": .string(description),
                "environment_variables": .object(env), "secret_environment_variables": .array(secrets),
                "error_message": .null, "registry_endpoint": .string(""), "registry_namespace_id": .string(""),
                "status": .string("pending"), "tags": .array(tags.map { .string($0) }), "region": .string(region),
                "project_id": .string(project), "organization_id": .string(project), "created_at": .string(now),
                "updated_at": .string(now), "vpc_integration_activated": .bool(false),
            ], meta: ["slug": .string(slug), "registry_namespace_id": .string(registry.id)])
            ServerlessTimeline.begin(&record, "pending", then: [
                TimelineStep(status: "ready", seconds: Self.namespaceSeconds, set: [
                    "registry_endpoint": registry.body["endpoint"] ?? .string(""), "registry_namespace_id": .string(registry.id),
                ]),
            ], now: clock, speed: context.speed)
            state.put(record)
            return .object(record.body)
        }
        return .json(200, rendered)
    }

    private func listNamespaces(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let items = try store.read { state in
            ListQuery.ordered(state.list(ServerlessKind.functionNamespace), request).filter { $0.region == region && common($0) }
                .map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("namespaces", items, page)
    }

    private func getNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read {
            .object(try Self.find(ServerlessKind.functionNamespace, "Namespace", id: request.param("id"), region: region, in: $0).body)
        })
    }

    private func updateNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        let description = try input.string("description")
        let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables")
        try ServerlessValues.checkVariableNames(Array((env ?? [:]).keys), field: "environment_variables")
        let tags = try input.stringArray("tags")
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.functionNamespace, "Namespace", id: request.param("id"), region: region, in: state)
            let status = ServerlessTimeline.status(record)
            if status == "deleting" || status == "pending" {
                throw APIError.transientState(resource: "namespace", id: record.id, state: status)
            }
            let secrets = try Self.applySecretList(input.raw("secret_environment_variables"),
                                                   to: record.body["secret_environment_variables"]?.arrayValue ?? [], field: "secret_environment_variables")
            var redeploy = false
            if let description { record.body["description"] = .string(description) }
            if let tags { record.body["tags"] = .array(tags.map { .string($0) }) }
            if let env, record.body["environment_variables"] != .object(env) { record.body["environment_variables"] = .object(env); redeploy = true }
            if input.has("secret_environment_variables") { record.body["secret_environment_variables"] = .array(secrets); redeploy = true }
            record.body["updated_at"] = .string(Clock.timestamp())
            if redeploy {
                ServerlessTimeline.begin(&record, "pending", then: [TimelineStep(status: "ready", seconds: Self.namespaceSeconds / 2)],
                                         now: clock, speed: context.speed)
            }
            state.put(record)
            return .object(record.body)
        })
    }

    private func deleteNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.functionNamespace, "Namespace", id: request.param("id"), region: region, in: state)
            ServerlessTimeline.begin(&record, "deleting", then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.deleteSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            for var fn in state.list(ServerlessKind.function) where fn.body["namespace_id"]?.stringValue == record.id {
                ServerlessTimeline.begin(&fn, "deleting", then: [], now: clock, speed: context.speed)
                state.put(fn)
            }
            return .object(record.body)
        })
    }
}

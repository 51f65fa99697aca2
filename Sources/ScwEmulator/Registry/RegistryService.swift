// Container Registry API v1 (regional, `/registry/v1/regions/{region}`): namespaces (ready at
// once; names lowercase and unique per region; deleting → gone, refused while images remain),
// images and their tags (RegistryImages.swift). 404s carry only a message, as recorded.

import Foundation

struct RegistryService: EmulatedService {
    static let base = "/registry/v1/regions/{region}"
    static let deleteSeconds = 0.3

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
        router.add("GET", base + "/images") { try listImages($0) }
        router.add("GET", base + "/images/{id}") { try getImage($0) }
        router.add("DELETE", base + "/images/{id}") { try deleteImage($0) }
        router.add("GET", base + "/images/{id}/tags") { try listTags($0) }
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: 404, body: .object(["message": .string("\(what) was not found")]))
    }

    /// Registry names: 4 to 54 lowercase letters, digits or hyphens, starting and ending with a
    /// letter or digit. nil when `name` follows them.
    static func nameProblem(_ name: String) -> String? {
        let ok = (4...54).contains(name.count) && name.first != "-" && name.last != "-"
            && name.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "-") && $0.isASCII }
        return ok ? nil : "name must be 4 to 54 lowercase letters, digits or hyphens, starting and ending with a letter or digit, got \"\(name)\""
    }

    /// The namespace as served: image count and size from the images it holds.
    static func render(_ record: Record, in state: CloudState) -> JSONValue {
        var body = record.body
        let images = state.list(ServerlessKind.registryImage).filter { $0.body["namespace_id"]?.stringValue == record.id }
        body["image_count"] = .int(images.count)
        body["size"] = .int(images.reduce(0) { $0 + ($1.body["size"]?.intValue ?? 0) })
        return .object(body)
    }

    private func createNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let name = try input.string("name") else { throw APIError.invalidArgument("name", reason: "required", help: "name is required") }
        if let problem = Self.nameProblem(name) { throw APIError.invalidArgument("name", reason: "constraint", help: problem) }
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let id = Clock.uuid()
        let now = Clock.timestamp()
        return .json(200, try store.write { state, _ in
            if state.list(ServerlessKind.registryNamespace).contains(where: { $0.region == region && $0.name == name }) {
                throw APIError.alreadyExists(resource: "namespace", id: id, help: "the registry namespace name \(name) is already taken in \(region)")
            }
            let record = state.insert(kind: ServerlessKind.registryNamespace, id: id, body: [
                "id": .string(id), "name": .string(name), "description": .string(try input.string("description") ?? ""),
                "endpoint": .string("rg.\(region).scw.cloud/\(name)"), "is_public": .bool(try input.bool("is_public") ?? false),
                "status": .string("ready"), "status_message": .string(""), "size": .int(0), "image_count": .int(0),
                "region": .string(region), "project_id": .string(project), "organization_id": .string(project),
                "created_at": .string(now), "updated_at": .string(now),
            ])
            return Self.render(record, in: state)
        })
    }

    private func listNamespaces(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let items = try store.read { state in
            ListQuery.ordered(state.list(ServerlessKind.registryNamespace), request).filter { $0.region == region && common($0) }
                .map { Self.render($0, in: state) }
        }
        return ListQuery.bodyPage("namespaces", items, page)
    }

    static func find(_ request: APIRequest, region: String, in state: CloudState) throws -> Record {
        guard let record = state.get(ServerlessKind.registryNamespace, request.param("id")), record.region == region else {
            throw notFound("Namespace")
        }
        return record
    }

    private func getNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { Self.render(try Self.find(request, region: region, in: $0), in: $0) })
    }

    private func updateNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, _ in
            var record = try Self.find(request, region: region, in: state)
            if let d = try input.string("description") { record.body["description"] = .string(d) }
            if let p = try input.bool("is_public") { record.body["is_public"] = .bool(p) }
            record.body["updated_at"] = .string(Clock.timestamp())
            state.put(record)
            return Self.render(record, in: state)
        })
    }

    private func deleteNamespace(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(request, region: region, in: state)
            let images = state.list(ServerlessKind.registryImage).filter { $0.body["namespace_id"]?.stringValue == record.id }
            if !images.isEmpty {
                let names = Set(images.compactMap { $0.body["name"]?.stringValue }).sorted().joined(separator: ", ")
                throw APIError.preconditionFailed("resource_still_in_use",
                    help: "namespace \(record.name) still holds \(images.count) image(s) (\(names)); delete them first")
            }
            ServerlessTimeline.begin(&record, "deleting", then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.deleteSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            return Self.render(record, in: state)
        })
    }
}

// Registry images: what a namespace holds, pushed through the emulator's control API
// (`POST /__emulator/registry/images {"image":"rg.fr-par.scw.cloud/ns/web:1.4.2"}`, since
// the emulator speaks no Docker registry protocol), listed with their tags, and deleted.

import Foundation

extension RegistryService {
    /// `rg.<region>.scw.cloud/<namespace>/<name>:<tag>` split, or nil.
    static func parse(reference: String) -> (region: String, namespace: String, name: String, tag: String)? {
        let parts = reference.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0].hasPrefix("rg."), parts[0].hasSuffix(".scw.cloud") else { return nil }
        let region = String(parts[0].dropFirst(3).dropLast(".scw.cloud".count))
        let nameTag = parts[2].split(separator: ":", maxSplits: 1).map(String.init)
        return (region, parts[1], nameTag[0], nameTag.count > 1 ? nameTag[1] : "latest")
    }

    /// The image record a reference names, when it was pushed with that tag.
    static func image(reference: String, in state: CloudState) -> Record? {
        guard let ref = parse(reference: reference),
              let namespace = state.list(ServerlessKind.registryNamespace).first(where: { $0.region == ref.region && $0.name == ref.namespace }) else {
            return nil
        }
        return state.list(ServerlessKind.registryImage).first {
            $0.body["namespace_id"]?.stringValue == namespace.id && $0.body["name"]?.stringValue == ref.name
                && ($0.meta["tags"]?.arrayValue ?? []).contains { $0["name"]?.stringValue == ref.tag }
        }
    }

    /// Adds `POST /__emulator/registry/images` to the control API.
    static func registerControl(on router: Router, store: Store) {
        router.add("POST", "/__emulator/registry/images") { request in
            let input = try request.body()
            guard let reference = try input.string("image"), let ref = parse(reference: reference) else {
                throw APIError.invalidArgument("image", reason: "format", help: "image must look like rg.<region>.scw.cloud/<namespace>/<name>:<tag>")
            }
            let size = try input.int("size") ?? 10_000_000
            let serverless = ServerlessStore(store: store)
            let image = try serverless.write { state, _ -> JSONValue in
                guard let namespace = state.list(ServerlessKind.registryNamespace).first(where: { $0.region == ref.region && $0.name == ref.namespace }) else {
                    throw notFound("Namespace")
                }
                let now = Clock.timestamp()
                var record = state.list(ServerlessKind.registryImage).first {
                    $0.body["namespace_id"]?.stringValue == namespace.id && $0.body["name"]?.stringValue == ref.name
                } ?? state.insert(kind: ServerlessKind.registryImage, id: Clock.uuid(), body: [:])
                record.body = [
                    "id": .string(record.id), "name": .string(ref.name), "namespace_id": .string(namespace.id), "status": .string("ready"),
                    "status_message": .string(""), "visibility": .string("inherit"), "size": .int(size), "region": .string(ref.region),
                    "created_at": record.body["created_at"] ?? .string(now), "updated_at": .string(now), "tags": .array([]),
                ]
                var tags = (record.meta["tags"]?.arrayValue ?? []).filter { $0["name"]?.stringValue != ref.tag }
                tags.append(.object(["id": .string(Clock.uuid()), "name": .string(ref.tag), "image_id": .string(record.id),
                                     "status": .string("ready"), "digest": .string("sha256:" + S3Crypto.sha256(Array(reference.utf8)).map { String(format: "%02x", $0) }.joined()),
                                     "created_at": .string(now), "updated_at": .string(now)]))
                record.meta["tags"] = .array(tags)
                state.put(record)
                return renderImage(record)
            }
            return .json(200, image)
        }
    }

    static func renderImage(_ record: Record) -> JSONValue {
        var body = record.body
        body["tags"] = .array((record.meta["tags"]?.arrayValue ?? []).compactMap { $0["name"] })
        return .object(body)
    }

    func listImages(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let namespace = ListQuery.string(request, "namespace_id")
        let name = ListQuery.string(request, "name")
        let items = try store.read { state in
            state.list(ServerlessKind.registryImage).filter {
                $0.region == region && (namespace == nil || $0.body["namespace_id"]?.stringValue == namespace) && (name == nil || $0.name == name)
            }.map(Self.renderImage)
        }
        return ListQuery.bodyPage("images", items, page)
    }

    private func findImage(_ request: APIRequest, region: String, in state: CloudState) throws -> Record {
        guard let record = state.get(ServerlessKind.registryImage, request.param("id")), record.region == region else { throw Self.notFound("Image") }
        return record
    }

    func getImage(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { Self.renderImage(try findImage(request, region: region, in: $0)) })
    }

    func listTags(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let tags = try store.read { try findImage(request, region: region, in: $0).meta["tags"]?.arrayValue ?? [] }
        return ListQuery.bodyPage("tags", tags, page)
    }

    func deleteImage(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, _ in
            var record = try findImage(request, region: region, in: state)
            state.remove(ServerlessKind.registryImage, record.id)
            record.body["status"] = .string("deleting")
            return Self.renderImage(record)
        })
    }
}

// Control API under /__emulator/ (no auth, no faults, not counted): health, the list of every
// resource held (the orphan check), reset, stats, and fault rates at run time.

struct ControlAPI: Sendable {
    static let prefix = "/__emulator"

    let store: Store
    let stats: Stats
    let faults: FaultInjector

    static func handles(_ path: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }

    func makeRouter() -> Router {
        let router = Router()
        router.add("GET", "/__emulator/health") { _ in .json(200, .object(["ok": .bool(true)])) }
        router.add("GET", "/__emulator/resources") { request in resources(request) }
        router.add("POST", "/__emulator/reset") { _ in
            try store.reset()
            stats.reset()
            return .json(200, .object(["ok": .bool(true)]))
        }
        router.add("GET", "/__emulator/stats") { _ in .json(200, stats.json) }
        router.add("POST", "/__emulator/stats/reset") { _ in
            stats.reset()
            return .json(200, stats.json)
        }
        router.add("GET", "/__emulator/faults") { _ in .json(200, faults.current.json) }
        router.add("PUT", "/__emulator/faults") { request in
            guard case .object(let fields)? = try? JSONValue.parse(bytes: request.http.body) else {
                throw APIError.invalidArgument("body", reason: "format", help: "expected a JSON object like {\"429\":0.1,\"503\":0.05,\"drop\":0.02}")
            }
            do {
                faults.set(try FaultRates(json: fields))
            } catch let error as FaultRates.ParseError {
                throw APIError.invalidArgument("body", reason: "constraint", help: error.description)
            }
            return .json(200, faults.current.json)
        }
        return router
    }

    /// `{"resources":[{"kind","id","region","name","tags","project_id"}...]}`, oldest first (buckets add
    /// `object_count`);
    /// `?kind=vpc` narrows the list.
    private func resources(_ request: APIRequest) -> HTTPResponse {
        let kind = request.http.queryValue("kind")
        let items: [JSONValue] = store.read { state in
            state.all.filter { kind == nil || $0.kind == kind }.map { record in
                var item: [String: JSONValue] = [
                    "kind": .string(record.kind), "id": .string(record.id), "region": .string(record.region),
                    "name": .string(record.name), "tags": .array(record.tags.map { .string($0) }),
                    "project_id": .string(record.projectID),
                ]
                if let zone = record.zone { item["zone"] = .string(zone) }
                if let count = record.body["object_count"] { item["object_count"] = count }   // buckets
                return .object(item)
            }
        }
        return .json(200, .object(["resources": .array(items)]))
    }
}

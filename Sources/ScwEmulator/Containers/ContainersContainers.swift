// Containers: create (creating → ready, or error when the image cannot start: an emulated
// registry image that was never pushed, or `hello-world` which exits at once, as recorded),
// get, list, patch (`unknown_*` enums and absent fields unchanged; updating → ready), redeploy,
// delete (deleting → gone). `error_message` is served only once the container has settled.

import Foundation

extension ContainersService {
    static let deploySeconds = 2.0
    static let transient: Set<String> = ["creating", "updating", "deleting", "pending"]

    static func render(_ record: Record) -> JSONValue {
        var body = record.body
        if transient.contains(ServerlessTimeline.status(record)) { body["error_message"] = nil }
        body["region"] = .string(record.region)
        return .object(body)
    }

    /// Checks and writes the fields a create or patch carries.
    private static func apply(_ input: RequestBody, to body: inout [String: JSONValue]) throws {
        if let image = try input.string("image") {
            guard !image.isEmpty else { throw APIError.invalidArgument("image", reason: "constraint", help: "image must not be empty") }
            body["image"] = .string(image)
        }
        if let port = try input.int("port") {
            guard (1...65_535).contains(port) else { throw APIError.invalidArgument("port", reason: "constraint", help: "port must be between 1 and 65535") }
            body["port"] = .int(port)
        }
        for key in ["min_scale", "max_scale", "memory_limit_bytes", "mvcpu_limit", "local_storage_limit_bytes"] {
            if let v = try input.int(key) {
                guard v >= 0 else { throw APIError.invalidArgument(key, reason: "constraint", help: "\(key) must not be negative") }
                body[key] = .int(v)
            }
        }
        let minScale = body["min_scale"]?.intValue ?? 0, maxScale = body["max_scale"]?.intValue ?? 5
        guard minScale <= maxScale, maxScale >= 1, maxScale <= 50 else {
            throw APIError.invalidArgument("max_scale", reason: "constraint",
                help: "min_scale (\(minScale)) must not exceed max_scale (\(maxScale)), and max_scale must be between 1 and 50")
        }
        if let timeout = try input.string("timeout") {
            guard let s = ServerlessValues.seconds(timeout), s >= 1, s <= 3600 else {
                throw APIError.invalidArgument("timeout", reason: "constraint", help: "timeout must be between 1s and 3600s, got \"\(timeout)\"")
            }
            body["timeout"] = .string(ServerlessValues.durationText(s))
        }
        for (field, allowed) in [("privacy", ["public", "private"]), ("protocol", ["http1", "h2c"]), ("sandbox", ["v1", "v2"])] {
            guard let value = try input.string(field), !value.hasPrefix("unknown") else { continue }
            guard allowed.contains(value) else {
                throw APIError.invalidArgument(field, reason: "constraint", help: "\(field) must be one of \(allowed.joined(separator: ", ")), got \"\(value)\"")
            }
            body[field] = .string(value)
        }
        for flag in ["https_connections_only", "https_connection_only"] {
            if let v = try input.bool(flag) { body["https_connections_only"] = .bool(v) }
        }
        if let v = try input.string("description") { body["description"] = .string(v) }
        if let v = try input.stringArray("tags") { body["tags"] = .array(v.map { .string($0) }) }
        if let v = try input.stringArray("command") { body["command"] = .array(v.map { .string($0) }) }
        if let v = try input.stringArray("args") { body["args"] = .array(v.map { .string($0) }) }
        if let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables") {
            try ServerlessValues.checkVariableNames(Array(env.keys), field: "environment_variables")
            body["environment_variables"] = .object(env)
        }
        if let secrets = try hashedSecrets(input.raw("secret_environment_variables")) { body["secret_environment_variables"] = .object(secrets) }
        for probe in ["liveness_probe", "startup_probe"] {
            guard let raw = input.raw(probe), !raw.isNull else { continue }
            guard let object = raw.objectValue else { throw APIError.invalidArgument(probe, reason: "format", help: "\(probe) must be an object") }
            if let interval = object["interval"]?.stringValue, ServerlessValues.seconds(interval) == nil {
                throw APIError.invalidArgument("\(probe).interval", reason: "format", help: "interval must be a duration in seconds like \"10s\"")
            }
            body[probe] = raw
        }
        if let scaling = input.raw("scaling_option"), !scaling.isNull { body["scaling_option"] = scaling }
    }

    /// Why the container cannot start, or nil.
    static func startProblem(_ body: [String: JSONValue], state: CloudState) -> String? {
        let image = body["image"]?.stringValue ?? ""
        let port = body["port"]?.intValue ?? 8080
        let bare = image.split(separator: "/").last.map(String.init) ?? image
        if bare.hasPrefix("hello-world") { return "Container is unable to start OR is not listening on port \(port)" }
        guard image.hasPrefix("rg.") else { return nil }
        if RegistryService.image(reference: image, in: state) == nil {
            return "Image \(image) could not be pulled: not found in the registry (push it first)"
        }
        return nil
    }

    private func startDeploy(_ record: inout Record, status: String, state: CloudState, now: Double) {
        let final: TimelineStep
        if let problem = Self.startProblem(record.body, state: state) {
            final = TimelineStep(status: "error", seconds: Self.deploySeconds, set: ["error_message": .string(problem)])
        } else {
            final = TimelineStep(status: "ready", seconds: Self.deploySeconds, set: ["error_message": .string("")])
        }
        ServerlessTimeline.begin(&record, status, then: [final], now: now, speed: context.speed)
    }

    func createContainer(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let namespaceID = try input.string("namespace_id") else {
            throw APIError.invalidArgument("namespace_id", reason: "required", help: "namespace_id is required")
        }
        guard try input.string("image") != nil else { throw APIError.invalidArgument("image", reason: "required", help: "image is required") }
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "co")
        try FunctionsService.checkName(name)
        let id = Clock.uuid()
        let now = Clock.timestamp()
        var body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "namespace_id": .string(namespaceID), "description": .string(""),
            "status": .string("creating"), "error_message": .string(""), "created_at": .string(now), "updated_at": .string(now),
            "min_scale": .int(0), "max_scale": .int(5), "memory_limit_bytes": .int(2_048_000_000), "mvcpu_limit": .int(1000),
            "timeout": .string("300s"), "privacy": .string("public"), "protocol": .string("http1"), "port": .int(8080),
            "https_connections_only": .bool(false), "sandbox": .string("v2"), "local_storage_limit_bytes": .int(1_000_000_000),
            "scaling_option": .object(["concurrent_requests_threshold": .int(50)]), "tags": .array([]), "command": .array([]),
            "args": .array([]), "environment_variables": .object([:]), "secret_environment_variables": .object([:]),
            "liveness_probe": .object(["failure_threshold": .int(30), "interval": .string("10s"), "timeout": .string("1s"), "tcp": .object([:])]),
            "startup_probe": .null, "region": .string(region),
        ]
        try Self.apply(input, to: &body)
        return .json(200, try store.write { state, clock in
            let namespace = try Self.find(ServerlessKind.containerNamespace, resource: "namespace", id: namespaceID, region: region, in: state)
            let status = ServerlessTimeline.status(namespace)
            guard status == "ready" else { throw APIError.transientState(resource: "namespace", id: namespace.id, state: status) }
            if state.list(ServerlessKind.container).contains(where: { $0.body["namespace_id"]?.stringValue == namespaceID && $0.name == name }) {
                throw APIError.alreadyExists(resource: "container", id: id, help: "a container named \(name) already exists in this namespace")
            }
            body["public_endpoint"] = .string("https://\(namespace.meta["slug"]?.stringValue ?? "")-\(name).functions.fnc.\(region).scw.cloud")
            var record = state.insert(kind: ServerlessKind.container, id: id, body: body)
            startDeploy(&record, status: "creating", state: state, now: clock)
            state.put(record)
            return Self.render(record)
        })
    }

    func listContainers(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let namespace = ListQuery.string(request, "namespace_id")
        let items = try store.read { state in
            ListQuery.ordered(state.list(ServerlessKind.container), request)
                .filter { $0.region == region && common($0) && (namespace == nil || $0.body["namespace_id"]?.stringValue == namespace) }
                .map(Self.render)
        }
        return ListQuery.bodyPage("containers", items, page)
    }

    func getContainer(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read {
            Self.render(try Self.find(ServerlessKind.container, resource: "container", id: request.param("id"), region: region, in: $0))
        })
    }

    func updateContainer(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.container, resource: "container", id: request.param("id"), region: region, in: state)
            let status = ServerlessTimeline.status(record)
            if status == "deleting" { throw APIError.transientState(resource: "container", id: record.id, state: status) }
            try Self.apply(input, to: &record.body)
            record.body["updated_at"] = .string(Clock.timestamp())
            startDeploy(&record, status: "updating", state: state, now: clock)
            state.put(record)
            return Self.render(record)
        })
    }

    func redeployContainer(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.container, resource: "container", id: request.param("id"), region: region, in: state)
            if ServerlessTimeline.status(record) == "deleting" { throw APIError.transientState(resource: "container", id: record.id, state: "deleting") }
            startDeploy(&record, status: "updating", state: state, now: clock)
            state.put(record)
            return Self.render(record)
        })
    }

    func deleteContainer(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.container, resource: "container", id: request.param("id"), region: region, in: state)
            ServerlessTimeline.begin(&record, "deleting", then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.deleteSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            return Self.render(record)
        })
    }
}

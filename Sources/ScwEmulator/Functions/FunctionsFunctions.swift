// Functions: create (`created`, no code yet), get, list, patch (a redeploy, unless only tags or
// the description change), delete, the upload URL (served by the emulator itself: the zip is
// PUT back to it and checked to be a zip), and deploy: pending → building → ready, or error
// with a message when there is no code or the archive lacks the handler's file.

import Foundation

extension FunctionsService {
    static let uploadPath = "/serverless-upload/{region}/{id}"
    static let memoryLimits = [128, 256, 512, 1024, 2048, 3072, 4096]
    /// The largest zip the upload URL accepts (bytes).
    static let maxCodeBytes = 100 * 1024 * 1024
    static let buildSeconds = 2.0

    static func cpuLimit(memory: Int) -> Int { memory * 140 / 256 }

    /// Checks the fields a create or patch may carry; writes the given ones into `body`.
    private static func apply(_ input: RequestBody, to body: inout [String: JSONValue], creating: Bool) throws {
        if let runtime = try input.string("runtime"), runtime != "unknown_runtime" {
            guard let known = FunctionsRuntimes.named(runtime), known.status != "end_of_life" else {
                let offered = FunctionsRuntimes.all.filter { $0.status != "end_of_life" }.map(\.name).joined(separator: ", ")
                throw APIError.invalidArgument("runtime", reason: "constraint", help: "unknown runtime \"\(runtime)\"; available: \(offered)")
            }
            body["runtime"] = .string(runtime)
        } else if creating {
            throw APIError.invalidArgument("runtime", reason: "required", help: "runtime is required")
        }
        if let memory = try input.int("memory_limit") {
            guard memoryLimits.contains(memory) else {
                throw APIError.invalidArgument("memory_limit", reason: "constraint",
                    help: "memory_limit must be one of \(memoryLimits.map(String.init).joined(separator: ", ")) (MB), got \(memory)")
            }
            body["memory_limit"] = .int(memory)
            body["cpu_limit"] = .int(cpuLimit(memory: memory))
        }
        if let v = try input.int("min_scale") { body["min_scale"] = .int(v) }
        if let v = try input.int("max_scale") { body["max_scale"] = .int(v) }
        let minScale = body["min_scale"]?.intValue ?? 0, maxScale = body["max_scale"]?.intValue ?? 20
        guard minScale >= 0, maxScale >= 1, maxScale <= 50, minScale <= maxScale else {
            throw APIError.invalidArgument("max_scale", reason: "constraint",
                help: "min_scale (\(minScale)) must be between 0 and max_scale (\(maxScale)), and max_scale between 1 and 50")
        }
        if let timeout = try input.string("timeout") {
            guard let s = ServerlessValues.seconds(timeout), s >= 1, s <= 900 else {
                throw APIError.invalidArgument("timeout", reason: "constraint", help: "timeout must be between 1s and 900s, got \"\(timeout)\"")
            }
            body["timeout"] = .string(ServerlessValues.durationText(s))
        }
        for (field, allowed) in [("privacy", ["public", "private"]), ("http_option", ["enabled", "redirected"]), ("sandbox", ["v1", "v2"])] {
            guard let value = try input.string(field), !value.hasPrefix("unknown") else { continue }
            guard allowed.contains(value) else {
                throw APIError.invalidArgument(field, reason: "constraint", help: "\(field) must be one of \(allowed.joined(separator: ", ")), got \"\(value)\"")
            }
            body[field] = .string(value)
        }
        if let handler = try input.string("handler") { body["handler"] = .string(handler) }
        if let description = try input.string("description") { body["description"] = .string(description) }
        if let tags = try input.stringArray("tags") { body["tags"] = .array(tags.map { .string($0) }) }
        if let env = try ServerlessValues.stringMap(input.raw("environment_variables"), field: "environment_variables") {
            try ServerlessValues.checkVariableNames(Array(env.keys), field: "environment_variables")
            body["environment_variables"] = .object(env)
        }
        body["secret_environment_variables"] = .array(try applySecretList(input.raw("secret_environment_variables"),
            to: body["secret_environment_variables"]?.arrayValue ?? [], field: "secret_environment_variables"))
    }

    func createFunction(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let namespaceID = try input.string("namespace_id") else {
            throw APIError.invalidArgument("namespace_id", reason: "required", help: "namespace_id is required")
        }
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "fn")
        try Self.checkName(name)
        let id = Clock.uuid()
        let now = Clock.timestamp()
        var body: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "namespace_id": .string(namespaceID), "description": .string(""),
            "environment_variables": .object([:]), "secret_environment_variables": .array([]), "min_scale": .int(0),
            "max_scale": .int(20), "memory_limit": .int(256), "cpu_limit": .int(Self.cpuLimit(memory: 256)), "timeout": .string("300s"),
            "handler": .string(""), "privacy": .string("public"), "http_option": .string("enabled"), "sandbox": .string("v2"),
            "status": .string("created"), "error_message": .null, "build_message": .null, "runtime_message": .string(""),
            "ready_at": .null, "private_network_id": .null, "tags": .array([]), "region": .string(region),
            "created_at": .string(now), "updated_at": .string(now),
        ]
        try Self.apply(input, to: &body, creating: true)
        if body["handler"]?.stringValue?.isEmpty ?? true, let runtime = body["runtime"]?.stringValue.flatMap(FunctionsRuntimes.named) {
            body["handler"] = .string(runtime.defaultHandler)
        }
        let rendered = try store.write { state, _ -> JSONValue in
            let namespace = try Self.find(ServerlessKind.functionNamespace, "Namespace", id: namespaceID, region: region, in: state)
            let status = ServerlessTimeline.status(namespace)
            guard status == "ready" else { throw APIError.transientState(resource: "namespace", id: namespace.id, state: status) }
            if state.list(ServerlessKind.function).contains(where: { $0.body["namespace_id"]?.stringValue == namespaceID && $0.name == name }) {
                throw APIError(status: 409, body: .object(["message": .string("Function with name \(name) already exists in this namespace"),
                                                           "type": .string("already_exists"), "resource": .string("function")]))
            }
            body["domain_name"] = .string("\(namespace.meta["slug"]?.stringValue ?? "")-\(name).functions.fnc.\(region).scw.cloud")
            return .object(state.insert(kind: ServerlessKind.function, id: id, body: body).body)
        }
        return .json(200, rendered)
    }

    func listFunctions(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let namespace = ListQuery.string(request, "namespace_id")
        let items = try store.read { state in
            ListQuery.ordered(state.list(ServerlessKind.function), request)
                .filter { $0.region == region && common($0) && (namespace == nil || $0.body["namespace_id"]?.stringValue == namespace) }
                .map { JSONValue.object($0.body) }
        }
        return ListQuery.bodyPage("functions", items, page)
    }

    func getFunction(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read {
            .object(try Self.find(ServerlessKind.function, "Function", id: request.param("id"), region: region, in: $0).body)
        })
    }

    func updateFunction(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.function, "Function", id: request.param("id"), region: region, in: state)
            if ServerlessTimeline.status(record) == "deleting" {
                throw APIError.transientState(resource: "function", id: record.id, state: "deleting")
            }
            try Self.apply(input, to: &record.body, creating: false)
            record.body["updated_at"] = .string(Clock.timestamp())
            // Tags and description are metadata: like a namespace's, they change without a redeploy.
            let redeploys = input.fields.contains { key, value in
                !["tags", "description"].contains(key) && !value.isNull && !(value.stringValue?.hasPrefix("unknown_") ?? false)
            }
            if redeploys { startBuild(&record, now: clock) }
            state.put(record)
            return .object(record.body)
        })
    }

    func deleteFunction(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.function, "Function", id: request.param("id"), region: region, in: state)
            ServerlessTimeline.begin(&record, "deleting", set: ["error_message": .null],
                                     then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.deleteSeconds)],
                                     now: clock, speed: context.speed)
            state.put(record)
            return .object(record.body)
        })
    }

    // MARK: code

    /// `{"url", "headers"}`: where to PUT the zip (this emulator), for `content_length` bytes.
    func uploadURL(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        guard let text = request.http.queryValue("content_length"), let length = Int(text), length > 0 else {
            throw APIError.invalidArgument("content_length", reason: "required", help: "content_length (bytes, greater than 0) is required")
        }
        guard length <= Self.maxCodeBytes else {
            throw APIError.invalidArgument("content_length", reason: "constraint",
                                           help: "the archive is \(length) bytes; the limit is \(Self.maxCodeBytes) bytes")
        }
        let id = request.param("id")
        try store.write { state, _ in
            var record = try Self.find(ServerlessKind.function, "Function", id: id, region: region, in: state)
            record.meta["upload_length"] = .int(length)
            state.put(record)
        }
        let host = request.http.header("Host") ?? "127.0.0.1"
        let url = "http://\(host)/serverless-upload/\(region)/\(id)?content_length=\(length)"
        return .json(200, .object(["url": .string(url), "headers": .object([
            "content-type": .array([.string("application/octet-stream")]), "content-length": .array([.string(String(length))]),
        ])]))
    }

    /// The PUT of the zip to the upload URL: checked (declared length, zip structure) and kept.
    func receiveUpload(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let bytes = request.http.body
        let names: [String]
        do {
            names = try ZipArchive.entryNames(bytes)
        } catch let error as ZipArchive.NotAZip {
            throw APIError.invalidArgument("body", reason: "format", help: "the uploaded file is not a zip archive: \(error.description)")
        }
        try store.write { state, _ in
            var record = try Self.find(ServerlessKind.function, "Function", id: request.param("id"), region: region, in: state)
            guard let expected = record.meta["upload_length"]?.intValue else {
                throw APIError.preconditionFailed("unknown_precondition", help: "ask for an upload URL (GET upload-url) before uploading")
            }
            guard expected == bytes.count else {
                throw APIError.invalidArgument("content_length", reason: "constraint",
                                               help: "the upload URL was issued for \(expected) bytes, got \(bytes.count)")
            }
            record.meta["code_files"] = .array(names.map { .string($0) })
            record.meta["code_sha256"] = .string(S3Crypto.sha256(bytes).map { String(format: "%02x", $0) }.joined())
            record.meta["code_size"] = .int(bytes.count)
            state.put(record)
        }
        return .empty(200)
    }

    func deployFunction(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.function, "Function", id: request.param("id"), region: region, in: state)
            if ServerlessTimeline.status(record) == "deleting" {
                throw APIError.transientState(resource: "function", id: record.id, state: "deleting")
            }
            startBuild(&record, now: clock)
            state.put(record)
            return .object(record.body)
        })
    }

    /// pending → building → ready, or → error with why the build failed.
    private func startBuild(_ record: inout Record, now: Double) {
        var final = TimelineStep(status: "ready", seconds: Self.buildSeconds / 2,
                                 set: ["error_message": .null, "build_message": .null, "ready_at": .string(Clock.timestamp())])
        if let problem = Self.buildProblem(record) {
            final = TimelineStep(status: "error", seconds: Self.buildSeconds / 2, set: ["error_message": .string(problem)])
        }
        ServerlessTimeline.begin(&record, "pending", set: ["error_message": .null], then: [
            TimelineStep(status: "building", seconds: Self.buildSeconds / 2), final,
        ], now: now, speed: context.speed)
    }

    /// Why the code cannot run: none uploaded (the API's bare "internal error"), or the handler's
    /// file missing from the archive.
    static func buildProblem(_ record: Record) -> String? {
        guard let files = record.meta["code_files"]?.arrayValue?.compactMap(\.stringValue) else { return "internal error" }
        guard let runtime = record.body["runtime"]?.stringValue.flatMap(FunctionsRuntimes.named) else { return "internal error" }
        let handler = record.body["handler"]?.stringValue ?? ""
        let wanted = FunctionsRuntimes.handlerFiles(runtime: runtime, handler: handler)
        guard !wanted.isEmpty, !wanted.contains(where: files.contains) else { return nil }
        return "build failed: handler \"\(handler)\" needs \(wanted.joined(separator: " or ")) at the root of the archive, which holds \(files.count) file(s): \(files.prefix(10).joined(separator: ", "))"
    }
}

// Function crons: a schedule (five-field cron syntax, checked) and JSON args that trigger a
// function; pending → ready on create and patch, deleting → gone.

import Foundation

extension FunctionsService {
    static let cronSeconds = 1.0

    /// nil when `schedule` has five fields of digits, `*`, `,`, `-` and `/`.
    static func scheduleProblem(_ schedule: String) -> String? {
        let fields = schedule.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5 else { return "schedule must have 5 fields (minute hour day month weekday), got \"\(schedule)\"" }
        for field in fields where !field.allSatisfy({ $0.isNumber || "*,-/".contains($0) }) {
            return "invalid cron field \"\(field)\" in \"\(schedule)\""
        }
        return nil
    }

    private static func cronFields(_ input: RequestBody, into body: inout [String: JSONValue]) throws {
        if let schedule = try input.string("schedule") {
            if let problem = scheduleProblem(schedule) { throw APIError.invalidArgument("schedule", reason: "constraint", help: problem) }
            body["schedule"] = .string(schedule)
        }
        if let args = input.raw("args"), !args.isNull {
            guard args.objectValue != nil else { throw APIError.invalidArgument("args", reason: "format", help: "args must be a JSON object") }
            body["args"] = args
        }
        if let name = try input.string("name"), !name.isEmpty { body["name"] = .string(name) }
    }

    func createCron(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        guard let functionID = try input.string("function_id") else {
            throw APIError.invalidArgument("function_id", reason: "required", help: "function_id is required")
        }
        guard try input.string("schedule") != nil else {
            throw APIError.invalidArgument("schedule", reason: "required", help: "schedule is required")
        }
        let id = Clock.uuid()
        var body: [String: JSONValue] = ["id": .string(id), "function_id": .string(functionID), "args": .object([:]),
                                         "name": .string(Clock.generatedName(prefix: "cron")), "status": .string("pending"),
                                         "region": .string(region)]
        try Self.cronFields(input, into: &body)
        return .json(200, try store.write { state, clock in
            let fn = try Self.find(ServerlessKind.function, "Function", id: functionID, region: region, in: state)
            if ServerlessTimeline.status(fn) == "deleting" { throw APIError.transientState(resource: "function", id: fn.id, state: "deleting") }
            var record = state.insert(kind: ServerlessKind.cron, id: id, body: body)
            ServerlessTimeline.begin(&record, "pending", then: [TimelineStep(status: "ready", seconds: Self.cronSeconds)], now: clock, speed: context.speed)
            state.put(record)
            return .object(Self.renderCron(record))
        })
    }

    /// Crons carry no region in their body.
    static func renderCron(_ record: Record) -> [String: JSONValue] {
        var body = record.body
        body["region"] = nil
        return body
    }

    func listCrons(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let page = try ListQuery.page(request)
        let function = ListQuery.string(request, "function_id")
        let items = try store.read { state in
            state.list(ServerlessKind.cron).filter { $0.region == region && (function == nil || $0.body["function_id"]?.stringValue == function) }
                .map { JSONValue.object(Self.renderCron($0)) }
        }
        return ListQuery.bodyPage("crons", items, page)
    }

    func getCron(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.read { .object(Self.renderCron(try Self.find(ServerlessKind.cron, "Cron", id: request.param("id"), region: region, in: $0))) })
    }

    func updateCron(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        let input = try request.body()
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.cron, "Cron", id: request.param("id"), region: region, in: state)
            try Self.cronFields(input, into: &record.body)
            if let fid = try input.string("function_id") {
                _ = try Self.find(ServerlessKind.function, "Function", id: fid, region: region, in: state)
                record.body["function_id"] = .string(fid)
            }
            ServerlessTimeline.begin(&record, "pending", then: [TimelineStep(status: "ready", seconds: Self.cronSeconds)], now: clock, speed: context.speed)
            state.put(record)
            return .object(Self.renderCron(record))
        })
    }

    func deleteCron(_ request: APIRequest) throws -> HTTPResponse {
        let region = try Locality.region(request)
        return .json(200, try store.write { state, clock in
            var record = try Self.find(ServerlessKind.cron, "Cron", id: request.param("id"), region: region, in: state)
            ServerlessTimeline.begin(&record, "deleting", then: [TimelineStep(status: ServerlessTimeline.gone, seconds: Self.cronSeconds / 2)],
                                     now: clock, speed: context.speed)
            state.put(record)
            return .object(Self.renderCron(record))
        })
    }
}

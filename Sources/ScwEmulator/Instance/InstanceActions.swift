// Server actions: `POST /servers/{id}/action {"action": ...}` → 202 `{"task":{...}}`. Terminate
// detaches the flexible IPs at once; the rest happens when the transition settles.

extension InstanceService {
    func serverAction(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let action = try input.string("action") else { throw APIError.instanceValidation("action", "required key not provided") }
        let id = request.param("id")
        try store.write { state, now in
            var server = try InstanceService.find(InstanceService.serverKind, id, zone: zone, in: state)
            if action == "terminate" { try InstanceService.checkNotProtected(server) }
            try InstanceServerStateMachine.begin(action, on: &server, now: now, speed: context.speed)
            state.put(server)
            if action == "terminate" { InstanceService.detachIPs(from: server.id, in: &state) }
        }
        // The real API answers a placeholder task (zero id, "fake task"), as recorded.
        return .json(202, .object(["task": .object([
            "id": .string("00000000-0000-0000-0000-000000000000"), "description": .string("fake task"),
            "status": .string("pending"), "href_from": .string("/servers/\(id)/action"), "href_result": .string("/servers/\(id)"),
            "started_at": .string(Clock.instanceTimestamp()), "terminated_at": .null, "progress": .int(0), "zone": .string(zone),
        ])]))
    }
}

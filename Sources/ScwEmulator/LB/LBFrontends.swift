// LB API v1, frontends (`/lbs/{id}/frontends`, `/frontends/{id}`): an inbound port unique per
// LB, a backend of the same LB, certificates of the same LB; served with the backend and the LB
// embedded. Deleting one takes its ACLs along.

extension LBService {
    static func renderFrontend(_ frontend: Record, in state: CloudState) -> JSONValue {
        var body = served(frontend.body)
        if let id = frontend.body["backend_ref"]?.stringValue, let backend = state.get(backendKind, id) {
            body["backend"] = renderBackend(backend, in: state)
        }
        if let id = frontend.body["lb_ref"]?.stringValue, let lb = state.get(lbKind, id) { body["lb"] = render(lb: lb, in: state) }
        let certs = body["certificate_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        body["certificate"] = certs.first.flatMap { state.get(certificateKind, $0) }.map { renderCertificate($0, in: state) } ?? .null
        return .object(body)
    }

    /// Frontend fields of a POST or PUT, checked against the LB (backend, certificates, port).
    private static func frontendFields(_ input: RequestBody, into body: inout [String: JSONValue], lb: Record, selfID: String,
                                       in state: CloudState) throws {
        if let name = try input.string("name"), !name.isEmpty { body["name"] = .string(name) }
        guard let port = try port(try input.int("inbound_port"), "inbound_port") else {
            throw APIError.invalidArgument("inbound_port", reason: "required", help: "inbound_port is required")
        }
        if let clash = state.list(frontendKind).first(where: {
            $0.body["lb_ref"]?.stringValue == lb.id && $0.id != selfID && $0.body["inbound_port"]?.intValue == port
        }) {
            throw APIError.invalidArgument("inbound_port", reason: "constraint",
                                           help: "port \(port) is already used by frontend \(clash.id) of this load balancer")
        }
        body["inbound_port"] = .int(port)
        guard let backendID = try input.uuid("backend_id") else {
            throw APIError.invalidArgument("backend_id", reason: "required", help: "backend_id is required")
        }
        guard let backend = state.get(backendKind, backendID), backend.body["lb_ref"]?.stringValue == lb.id else {
            throw notFound(backendKind)
        }
        body["backend_ref"] = .string(backend.id)
        if input.isPresent("timeout_client") {
            if let v = try input.int("timeout_client"), v < 0 {
                throw APIError.invalidArgument("timeout_client", reason: "constraint", help: "timeout_client must not be negative")
            }
            body["timeout_client"] = try input.int("timeout_client").map { .int($0) } ?? .null
        }
        var certs = try input.stringArray("certificate_ids") ?? body["certificate_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let single = try input.uuid("certificate_id"), !certs.contains(single) { certs.insert(single, at: 0) }
        for id in certs {
            guard let cert = state.get(certificateKind, id), cert.body["lb_ref"]?.stringValue == lb.id else { throw notFound(certificateKind) }
            if cert.body["status"]?.stringValue != "ready" {
                throw APIError.invalidArgument("certificate_ids", reason: "constraint",
                                               help: "certificate \(id) is \(cert.body["status"]?.stringValue ?? "unknown"), not ready")
            }
        }
        body["certificate_ids"] = .array(certs.map { .string($0) })
        if let v = try input.bool("enable_http3") { body["enable_http3"] = .bool(v) }
        if let v = try input.bool("enable_access_logs") { body["enable_access_logs"] = .bool(v) }
        if input.isPresent("connection_rate_limit") {
            let v = try input.int("connection_rate_limit")
            body["connection_rate_limit"] = v.flatMap { $0 > 0 ? .int($0) : nil } ?? .null   // 0 reads back as null
        }
    }

    func createFrontend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let rendered = try store.write { state, now -> JSONValue in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            try LBService.requireSettled(lb)
            let id = Clock.uuid()
            let stamp = Clock.timestamp()
            var body: [String: JSONValue] = [
                "id": .string(id), "name": .string(Clock.generatedName(prefix: "lb-frt")), "timeout_client": .null,
                "certificate_ids": .array([]), "enable_http3": .bool(false), "enable_access_logs": .bool(false),
                "connection_rate_limit": .null, "created_at": .string(stamp), "updated_at": .string(stamp),
                "lb_ref": .string(lb.id), "zone": .string(zone), "project_id": .string(lb.projectID),
            ]
            try LBService.frontendFields(input, into: &body, lb: lb, selfID: id, in: state)
            let record = state.insert(kind: LBService.frontendKind, id: id, body: body)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderFrontend(record, in: state)
        }
        return .json(200, rendered)
    }

    func getFrontend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.read { state in
            LBService.renderFrontend(try LBService.find(LBService.frontendKind, request.param("id"), zone: zone, in: state), in: state)
        })
    }

    func listFrontends(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let name = ListQuery.string(request, "name")
        let items = try store.read { state -> [JSONValue] in
            let lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            return ListQuery.ordered(state.list(LBService.frontendKind), request)
                .filter { $0.body["lb_ref"]?.stringValue == lb.id && (name == nil || $0.name.contains(name!)) }
                .map { LBService.renderFrontend($0, in: state) }
        }
        return ListQuery.bodyPage("frontends", items, page)
    }

    func updateFrontend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        return .json(200, try store.write { state, now in
            var frontend = try LBService.find(LBService.frontendKind, request.param("id"), zone: zone, in: state)
            var lb = try LBService.lb(frontend.body["lb_ref"]?.stringValue ?? "", zone: zone, in: state)
            try LBService.requireSettled(lb)
            try LBService.frontendFields(input, into: &frontend.body, lb: lb, selfID: frontend.id, in: state)
            frontend.body["updated_at"] = .string(Clock.timestamp())
            state.put(frontend)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderFrontend(frontend, in: state)
        })
    }

    func deleteFrontend(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        try store.write { state, now in
            let frontend = try LBService.find(LBService.frontendKind, request.param("id"), zone: zone, in: state)
            for acl in state.list(LBService.aclKind) where acl.body["frontend_ref"]?.stringValue == frontend.id {
                state.remove(LBService.aclKind, acl.id)
            }
            state.remove(LBService.frontendKind, frontend.id)
            if var lb = state.get(LBService.lbKind, frontend.body["lb_ref"]?.stringValue ?? "") {
                LBStatusMachine.markApplying(&lb, speed: speed, now: now)
                state.put(lb)
            }
        }
        return .empty(204)
    }
}

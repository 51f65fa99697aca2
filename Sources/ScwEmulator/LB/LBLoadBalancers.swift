// LB API v1, load balancers (`/lbs`): create (given IPs or a new flexible IP, the `lbs` quota),
// get/list/update, migrate to another type, delete (`to_delete` → gone, `release_ip`), all
// through the timed status machine. Rendering adds the IPs and the live counts.

extension LBService {
    static let sslLevels = ["ssl_compatibility_level_intermediate", "ssl_compatibility_level_modern", "ssl_compatibility_level_old"]

    /// A load balancer as served: the stored body, its IPs (in attach order), live counts.
    static func render(lb: Record, in state: CloudState) -> JSONValue {
        var body = lb.body
        let order = lb.meta["ip_ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let ips = state.list(ipKind).filter { $0.body["lb_id"]?.stringValue == lb.id }
            .sorted { (order.firstIndex(of: $0.id) ?? Int.max, $0.seq) < (order.firstIndex(of: $1.id) ?? Int.max, $1.seq) }
        body["ip"] = .array(ips.map { .object($0.body) })
        func count(_ kind: String) -> JSONValue { .int(state.list(kind).filter { $0.body["lb_ref"]?.stringValue == lb.id }.count) }
        body["backend_count"] = count(backendKind)
        body["frontend_count"] = count(frontendKind)
        body["private_network_count"] = count(privateNetworkKind)
        return .object(body)
    }

    static func lb(_ id: String, zone: String, in state: CloudState) throws -> Record {
        try find(lbKind, id, zone: zone, in: state)
    }

    // MARK: create

    func createLB(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let region = Locality.region(ofZone: zone)
        let input = try request.body()
        let name = try input.string("name").flatMap { $0.isEmpty ? nil : $0 } ?? Clock.generatedName(prefix: "lb")
        let description = try input.string("description") ?? ""
        guard let givenType = try input.string("type") else {
            throw APIError.invalidArgument("type", reason: "required", help: "type is required (e.g. LB-S)")
        }
        let type = try LBService.canonicalType(givenType).lowercased()
        let project = try input.uuid("project_id") ?? context.defaultProjectID
        let tags = try input.stringArray("tags") ?? []
        let ssl = try LBService.oneOf(try input.string("ssl_compatibility_level"), "ssl_compatibility_level", LBService.sslLevels)
            ?? "ssl_compatibility_level_intermediate"
        var ipIDs = try input.stringArray("ip_ids") ?? []
        if let single = try input.uuid("ip_id"), !ipIDs.contains(single) { ipIDs.insert(single, at: 0) }
        for id in ipIDs where !Clock.isUUID(id) {
            throw APIError.invalidArgument("ip_ids", reason: "format", help: "ip_ids must hold UUIDs, got \"\(id)\"")
        }
        let assignV4 = try input.bool("assign_flexible_ip") ?? ipIDs.isEmpty
        let assignV6 = try input.bool("assign_flexible_ipv6") ?? false
        let id = Clock.uuid()
        let stamp = Clock.timestamp()

        let rendered = try store.write { state, now -> JSONValue in
            if let limit = quotas["lbs"] {
                let current = state.list(LBService.lbKind).filter { $0.projectID == project }.count
                if current + 1 > limit { throw APIError.quotasExceeded("lbs", quota: limit, current: current) }
            }
            var order: [String] = []
            for ipID in ipIDs {
                var ip = try LBService.find(LBService.ipKind, ipID, zone: zone, in: state)
                if let holder = ip.body["lb_id"]?.stringValue {
                    throw APIError.invalidArgument("ip_ids", reason: "constraint", help: "IP \(ipID) is already used by load balancer \(holder)")
                }
                ip.body["lb_id"] = .string(id)
                state.put(ip)
                order.append(ip.id)
            }
            if ipIDs.isEmpty && assignV4 {
                order.append(LBService.insertIP(zone: zone, project: project, ipv6: false, tags: [], reverse: nil, lbID: id, in: &state).id)
            }
            if assignV6 {
                order.append(LBService.insertIP(zone: zone, project: project, ipv6: true, tags: [], reverse: nil, lbID: id, in: &state).id)
            }
            let body: [String: JSONValue] = [
                "id": .string(id), "name": .string(name), "description": .string(description), "status": .string("to_create"),
                "type": .string(type), "instances": .array([]), "tags": .array(tags.map { .string($0) }),
                "ssl_compatibility_level": .string(ssl), "subscriber": .null, "route_count": .int(0),
                "project_id": .string(project), "organization_id": .string(project), "zone": .string(zone), "region": .string(region),
                "created_at": .string(stamp), "updated_at": .string(stamp),
            ]
            var record = state.insert(kind: LBService.lbKind, id: id, body: body, meta: ["ip_ids": .array(order.map { .string($0) })])
            let instance: [String: JSONValue] = [
                "id": .string(Clock.uuid()), "status": .string("unknown"), "ip_address": .string(""), "zone": .string(zone),
                "region": .string(region), "created_at": .string(stamp), "updated_at": .string(stamp),
            ]
            LBStatusMachine.schedule(&record, after: LBStatusMachine.toCreateSeconds, speed: speed, now: now,
                                     set: ["status": .string("creating"), "instances": .array([.object(instance)])])
            LBStatusMachine.schedule(&record, after: LBStatusMachine.creatingSeconds, speed: speed, now: now,
                                     set: ["status": .string("ready")], instances: "ready")
            state.put(record)
            return LBService.render(lb: record, in: state)
        }
        return .json(200, rendered)
    }

    // MARK: read

    func getLB(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        return .json(200, try store.read { state in LBService.render(lb: try LBService.lb(request.param("id"), zone: zone, in: state), in: state) })
    }

    func listLBs(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let common = ListQuery.commonFilter(request)
        let items = try store.read { state in
            ListQuery.ordered(state.list(LBService.lbKind), request).filter { $0.zone == zone && common($0) }
                .map { LBService.render(lb: $0, in: state) }
        }
        return ListQuery.bodyPage("lbs", items, page)
    }

    // MARK: update, migrate, delete

    func updateLB(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        let name = try input.string("name")
        let description = try input.string("description")
        let tags = try input.stringArray("tags")
        let ssl = try LBService.oneOf(try input.string("ssl_compatibility_level"), "ssl_compatibility_level", LBService.sslLevels)
        return .json(200, try store.write { state, now in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            if let name, !name.isEmpty { lb.body["name"] = .string(name) }
            if let description { lb.body["description"] = .string(description) }
            if let tags { lb.body["tags"] = .array(tags.map { .string($0) }) }
            if let ssl { lb.body["ssl_compatibility_level"] = .string(ssl) }
            lb.body["updated_at"] = .string(Clock.timestamp())
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.render(lb: lb, in: state)
        })
    }

    func migrateLB(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let given = try input.string("type") else {
            throw APIError.invalidArgument("type", reason: "required", help: "type is required (e.g. LB-GP-M)")
        }
        let type = try LBService.canonicalType(given).lowercased()
        return .json(200, try store.write { state, now in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            try LBService.requireSettled(lb)
            lb.body["status"] = .string("migrating")
            lb.body["updated_at"] = .string(Clock.timestamp())
            LBStatusMachine.schedule(&lb, after: LBStatusMachine.migrateSeconds, speed: speed, now: now,
                                     set: ["status": .string("ready"), "type": .string(type)], instances: "ready")
            state.put(lb)
            return LBService.render(lb: lb, in: state)
        })
    }

    func deleteLB(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let release = try ListQuery.bool(request, "release_ip") ?? false
        try store.write { state, now in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            if lb.body["status"]?.stringValue == "to_delete" { return }
            LBStatusMachine.cancel(&lb)
            lb.body["status"] = .string("to_delete")
            lb.meta["release_ip"] = .bool(release)
            LBStatusMachine.schedule(&lb, after: LBStatusMachine.deleteSeconds, speed: speed, now: now, remove: true)
            state.put(lb)
        }
        return .empty(204)
    }
}

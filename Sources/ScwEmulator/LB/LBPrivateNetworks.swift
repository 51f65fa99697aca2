// LB API v1, private network attachments (`/lbs/{id}/private-networks`, attach and detach):
// DHCP, static or IPAM configuration; DHCP and IPAM book an address in the network through the
// emulated IPAM; an attachment goes `pending` → `ready`.

extension LBService {
    static func renderAttachment(_ attachment: Record, in state: CloudState) -> JSONValue {
        var body = served(attachment.body)
        if let lbID = attachment.body["lb_ref"]?.stringValue, let lb = state.get(lbKind, lbID) {
            body["lb"] = render(lb: lb, in: state)
        }
        return .object(body)
    }

    func listLBPrivateNetworks(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let page = try ListQuery.page(request)
        let items = try store.read { state -> [JSONValue] in
            let lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            return ListQuery.ordered(state.list(LBService.privateNetworkKind), request)
                .filter { $0.body["lb_ref"]?.stringValue == lb.id }.map { LBService.renderAttachment($0, in: state) }
        }
        return ListQuery.bodyPage("private_network", items, page)
    }

    func attachPrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let pnID = try input.uuid("private_network_id") else {
            throw APIError.invalidArgument("private_network_id", reason: "required", help: "private_network_id is required")
        }
        let staticConfig = try LBService.object(input, "static_config")
        let addresses = try staticConfig?.stringArray("ip_address") ?? []
        let dhcp = input.has("dhcp_config")
        let ipamIDs = try input.stringArray("ipam_ids") ?? []
        let ipam = input.has("ipam_config") || !ipamIDs.isEmpty
        if [staticConfig != nil, dhcp, ipam].filter({ $0 }).count > 1 {
            throw APIError.invalidArgument("static_config", reason: "constraint", help: "give one of static_config, dhcp_config or ipam_config")
        }
        let rendered = try store.write { state, now -> JSONValue in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            try LBService.requireSettled(lb)
            guard let network = state.get(VPCService.privateNetworkKind, pnID), network.region == lb.region else {
                throw APIError.notFound(resource: "private_network", id: pnID)
            }
            if state.list(LBService.privateNetworkKind).contains(where: {
                $0.body["lb_ref"]?.stringValue == lb.id && $0.body["private_network_id"]?.stringValue == pnID
            }) {
                throw APIError.alreadyExists(resource: "lb_private_network", id: pnID, help: "the load balancer is already attached to this private network")
            }
            let id = Clock.uuid()
            let stamp = Clock.timestamp()
            var body: [String: JSONValue] = [
                "id": .string(id), "private_network_id": .string(pnID), "status": .string("pending"),
                "created_at": .string(stamp), "updated_at": .string(stamp), "lb_ref": .string(lb.id), "zone": .string(zone),
                "project_id": .string(lb.projectID),
            ]
            if let staticConfig {
                guard !addresses.isEmpty, addresses.allSatisfy({ CIDR($0) != nil || CIDR($0 + "/32") != nil }) else {
                    throw APIError.invalidArgument("static_config.ip_address", reason: "format", help: "give one or more IP addresses")
                }
                _ = staticConfig
                body["static_config"] = .object(["ip_address": .array(addresses.map { .string($0) })])
                body["ipam_ids"] = .array([])
            } else {
                let ids = IPAMService.allocate(nicID: id, macAddress: "02:00:00:00:00:00", serverName: lb.name, project: lb.projectID,
                                               network: network, in: &state)
                body["ipam_ids"] = .array(ids.map { .string($0) })
                if ipam { body["ipam_config"] = .object([:]) } else { body["dhcp_config"] = .object(["ip_id": ids.first.map { .string($0) } ?? .null]) }
            }
            var record = state.insert(kind: LBService.privateNetworkKind, id: id, body: body)
            LBStatusMachine.schedule(&record, after: LBStatusMachine.attachSeconds, speed: speed, now: now, set: ["status": .string("ready")])
            state.put(record)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
            return LBService.renderAttachment(record, in: state)
        }
        return .json(200, rendered)
    }

    func detachPrivateNetwork(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let input = try request.body()
        guard let pnID = try input.uuid("private_network_id") else {
            throw APIError.invalidArgument("private_network_id", reason: "required", help: "private_network_id is required")
        }
        try store.write { state, now in
            var lb = try LBService.lb(request.param("id"), zone: zone, in: state)
            guard let attachment = state.list(LBService.privateNetworkKind).first(where: {
                $0.body["lb_ref"]?.stringValue == lb.id && $0.body["private_network_id"]?.stringValue == pnID
            }) else { throw LBService.notFound(LBService.privateNetworkKind) }
            IPAMService.release(nicID: attachment.id, in: &state)
            state.remove(LBService.privateNetworkKind, attachment.id)
            LBStatusMachine.markApplying(&lb, speed: speed, now: now)
            state.put(lb)
        }
        return .empty(204)
    }
}

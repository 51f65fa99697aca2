// LoadBalancer private networks: entries normalised to `{ private_network_id, ipam, static_config }`
// (DHCP when neither), read back in the declared order, and synced by detaching what is gone or
// changed and attaching what is new, waiting for the LB after each.

import ScalewayAPI
import ScwCore
import ScwEngine

extension LoadBalancerResource {
    /// One wanted attachment: the network's UUID, `static`, `dhcp` or `ipam`, and static addresses.
    struct WantedNetwork: Equatable {
        var uuid: String
        var config: String
        var addresses: [String]
    }

    /// Each entry as `{ private_network_id, ipam, static_config }`; exactly one configuration.
    static func normalizeNetworks(_ value: Value?, zone: String?, context: ProviderContext) throws -> Value {
        guard let items = value?.listValue else { return .list([]) }
        var seen = Set<String>()
        var out: [Value] = []
        for (n, item) in items.enumerated() {
            guard var entry = item.mapValue else { out.append(item); continue }
            let where_ = "private_networks[\(n + 1)]"
            let ipam = entry["ipam"]?.boolValue ?? false
            let dhcp = entry["dhcp_config"]?.boolValue ?? false
            let addresses = entry["static_config"]?.listValue ?? []
            if [ipam, dhcp, !addresses.isEmpty].filter({ $0 }).count > 1 {
                throw Diagnostic("\(where_): give one of ipam, dhcp_config or static_config", at: .resource(context.address))
            }
            if let text = entry["private_network_id"]?.stringValue {
                let uuid = InstanceShared.uuid(text)
                if !seen.insert(uuid).inserted {
                    throw Diagnostic("\(where_): private network \(text) is attached twice", at: .resource(context.address))
                }
                if let zone, text.contains("/"), let lid = LocalizedID(parsing: text), let region = Locality.region(ofZone: zone), lid.region != region {
                    throw Diagnostic("\(where_): private network \(text) is in region \(lid.region), not in \(region)", at: .resource(context.address))
                }
            }
            entry["dhcp_config"] = nil
            entry["ipam"] = .bool(ipam)
            entry["static_config"] = .list(addresses)
            out.append(.map(entry))
        }
        return .list(out)
    }

    static func networks(_ value: Value?) -> [WantedNetwork] {
        (value?.listValue ?? []).compactMap { item in
            guard let text = item["private_network_id"]?.stringValue else { return nil }
            let addresses = item["static_config"]?.listValue?.compactMap(\.stringValue) ?? []
            let config = item["ipam"]?.boolValue == true ? "ipam" : addresses.isEmpty ? "dhcp" : "static"
            return WantedNetwork(uuid: InstanceShared.uuid(text), config: config, addresses: addresses)
        }
    }

    /// The attachments as normalised entries: declared ones first, in the declared order and with
    /// the id text as declared; others after, as `region/uuid`.
    static func observedNetworks(_ attachments: [LbPrivateNetwork], declared: Value?, region: String) -> Value {
        let declaredItems = declared?.listValue ?? []
        func declaredIndex(_ uuid: String) -> Int? {
            declaredItems.firstIndex { $0["private_network_id"]?.stringValue.map(InstanceShared.uuid) == uuid }
        }
        let ordered = attachments.sorted { (declaredIndex($0.privateNetworkID) ?? Int.max) < (declaredIndex($1.privateNetworkID) ?? Int.max) }
        return .list(ordered.map { a in
            let text = declaredIndex(a.privateNetworkID).flatMap { declaredItems[$0]["private_network_id"] }
                ?? .string(LocalizedID(locality: region, uuid: a.privateNetworkID).description)
            return .map(["private_network_id": text, "ipam": .bool(a.config == "ipam"), "static_config": .list(a.staticAddresses.map(Value.string))])
        })
    }

    /// Detaches attachments not wanted (or wanted with another configuration), attaches the missing ones.
    func syncNetworks(zone: String, lbID: String, wanted: [WantedNetwork], timeout: Double, context: ProviderContext) async throws {
        let current = try await api.listPrivateNetworks(zone: zone, lbID: lbID)
        for attachment in current {
            let have = WantedNetwork(uuid: attachment.privateNetworkID, config: attachment.config, addresses: attachment.staticAddresses)
            guard !wanted.contains(have) else { continue }
            context.phase("detaching private network \(attachment.privateNetworkID)")
            do {
                try await api.detachPrivateNetwork(zone: zone, lbID: lbID, privateNetworkID: attachment.privateNetworkID)
            } catch let error as APIError where error.isNotFound {}
            try await LbShared.waitSettled(api, zone: zone, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
        }
        let kept = Set(current.map { WantedNetwork(uuid: $0.privateNetworkID, config: $0.config, addresses: $0.staticAddresses) }
            .filter { wanted.contains($0) }.map(\.uuid))
        for network in wanted where !kept.contains(network.uuid) {
            context.phase("attaching private network \(network.uuid)")
            do {
                _ = try await api.attachPrivateNetwork(zone: zone, lbID: lbID, body: LBAPI.attachBody(
                    privateNetworkID: network.uuid, config: network.config, staticAddresses: network.addresses))
            } catch let error as APIError where error.status == 409 {
                // attached already (a retried attach whose first answer was lost)
            }
            try await LbShared.waitSettled(api, zone: zone, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
        }
    }
}

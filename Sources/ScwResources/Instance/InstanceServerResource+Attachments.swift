// Instance attachments, brought to what the script wants: flexible IPs (PATCH of each IP),
// private NICs (one per private network, waited until available), user data (text/plain per
// key, written only when it differs), and the changes that need a stopped server (type,
// placement group, local volumes).

import ScalewayAPI
import ScwCore
import ScwEngine

extension InstanceServerResource {
    /// Attaches the wanted flexible IPs and detaches the others (dynamic IPs are left alone).
    func syncIPs(zone: String, server: InstanceServer, wanted: [String], context: ProviderContext) async throws {
        let current = server.publicIPs.filter { !$0.dynamic }.map(\.id)
        for id in current where !wanted.contains(id) {
            context.phase("detaching IP \(id)")
            do {
                _ = try await api.detachIP(zone: zone, id: id)
            } catch let error as APIError where InstanceAPI.isGoneIP(error) {
                continue   // deleted in the same run
            }
        }
        for id in wanted where !current.contains(id) {
            context.phase("attaching IP \(id)")
            _ = try await api.attachIP(zone: zone, id: id, serverID: server.id)
        }
    }

    /// Plugs the server into the wanted private networks and unplugs it from the others.
    func syncPrivateNICs(zone: String, server: InstanceServer, wanted: [String], context: ProviderContext) async throws {
        if wanted.isEmpty, server.privateNICs.isEmpty { return }
        let current = try await api.listPrivateNICs(zone: zone, serverID: server.id)
        for nic in current where !wanted.contains(nic.privateNetworkID) {
            context.phase("unplugging private network \(nic.privateNetworkID)")
            do {
                try await api.deletePrivateNIC(zone: zone, serverID: server.id, nicID: nic.id)
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
        let have = Set(current.map(\.privateNetworkID))
        for network in wanted where !have.contains(network) {
            context.phase("plugging into private network \(network)")
            let nic: PrivateNIC
            do {
                nic = try await api.createPrivateNIC(zone: zone, serverID: server.id, privateNetworkID: network)
            } catch let error as AmbiguousWriteError {
                // Lost answer: the NIC is there or not; a server has at most one per network.
                let now = try await api.listPrivateNICs(zone: zone, serverID: server.id)
                if let made = now.first(where: { $0.privateNetworkID == network }) {
                    nic = made
                } else {
                    context.phase("plugging into private network \(network) again (\(error.method) answer lost)")
                    nic = try await api.createPrivateNIC(zone: zone, serverID: server.id, privateNetworkID: network)
                }
            }
            try await waitNIC(zone: zone, serverID: server.id, nicID: nic.id, context: context)
        }
    }

    private func waitNIC(zone: String, serverID: String, nicID: String, context: ProviderContext) async throws {
        let timeout = InstanceShared.timeout(context.timeouts.create, default: Self.defaultTimeout)
        try await Waiter.poll(timeout: timeout, initialInterval: env.pollInterval, maxInterval: 10, what: "private NIC \(nicID) of \(context.address)") { () async throws -> WaitStep<Void> in
            let nic = try await api.getPrivateNIC(zone: zone, serverID: serverID, nicID: nicID)
            switch nic.state ?? "available" {
            case "available": return .done(())
            case "syncing_error": return .failed("syncing_error")
            case let state: return .pending(state)
            }
        }
    }

    /// Sets the wanted user data keys (text/plain) whose value differs from the server's, and
    /// removes the keys no longer wanted; a key already holding the wanted text is not written.
    func setUserData(zone: String, serverID: String, wanted: [String: Value], current: [String], context: ProviderContext) async throws {
        for key in current where wanted[key] == nil {
            context.phase("removing user data \(key)")
            try await api.deleteUserData(zone: zone, serverID: serverID, key: key)
        }
        for key in wanted.keys.sorted() {
            guard let text = wanted[key]?.revealed.stringValue else { continue }
            if current.contains(key), try await api.getUserData(zone: zone, serverID: serverID, key: key) == text { continue }
            context.phase("setting user data \(key)")
            try await api.setUserData(zone: zone, serverID: serverID, key: key, value: text)
        }
    }

    /// Type, placement group and local volume changes: the server is stopped first (it is
    /// brought back to its wanted state afterwards by the caller), then patched at once.
    func applyStoppedChanges(_ server: InstanceServer, zone: String, new: [String: Value], old: [String: Value],
                             additional: [InstanceVolume], timeout: Double, context: ProviderContext) async throws -> InstanceServer {
        let newType = (new["type"]?.stringValue ?? server.commercialType).uppercased()
        let typeChange = newType != server.commercialType
        let wantedGroup = new["placement_group_id"]?.stringValue.map(InstanceShared.uuid)
        let currentGroup = server.placementGroup?.id
        let groupChange = wantedGroup.map { $0 != currentGroup } ?? (old["placement_group_id"]?.stringValue != nil && currentGroup != nil)
        let currentExtra = server.volumes.filter { $0.index != "0" }
        let wantedExtra = additional.map(\.id)
        let volumesChange = currentExtra.map(\.id) != wantedExtra && (new["additional_volumes"] != nil || old["additional_volumes"] != nil)
        guard typeChange || groupChange || volumesChange else { return server }

        let isLocal = { (type: String) in type == "l_ssd" || type == "scratch" }
        let movedLocal = currentExtra.contains { !wantedExtra.contains($0.id) && isLocal($0.volumeType) }
            || additional.contains { !currentExtra.map(\.id).contains($0.id) && isLocal($0.volumeType) }
        var current = server
        if (typeChange || groupChange || movedLocal), current.state != "stopped" {
            current = try await reachState("stopped", zone: zone, id: server.id, timeout: timeout, context: context)
        }
        var volumes: [String: Value]?
        if volumesChange, let root = server.rootVolume {
            var map: [String: Value] = ["0": Self.volumeRef(root)]
            for (n, v) in additional.enumerated() { map[String(n + 1)] = .map(["id": .string(v.id), "volume_type": .string(v.volumeType)]) }
            volumes = map
        }
        if typeChange { context.phase("changing type to \(newType)") }
        let body = InstanceAPI.updateServerBody(commercialType: typeChange ? newType : nil,
                                                placementGroup: groupChange ? (wantedGroup.map(Value.string) ?? .null) : nil, volumes: volumes)
        return try await api.updateServer(zone: zone, id: server.id, body: body)
    }
}

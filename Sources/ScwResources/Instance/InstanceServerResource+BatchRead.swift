// Instance batched read: the stack's servers of a zone and project by one tagged list (100 a
// page), their SBS root volume sizes by one Block list, their private NICs' addresses by one
// IPAM list per region and project; what no list carries (user data, a volume the Block list
// did not show) is read per server exactly as `read` does, so the results are the same.

import ScalewayAPI
import ScwCore
import ScwEngine

extension InstanceServerResource {
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? {
        try await BatchRead.run(rows, defaultLocality: env.defaultZone) { scope, scopeRows in
            let declared = BatchRead.inputsByUUID(scopeRows, defaultLocality: scope.locality)
            let servers = try await api.listServers(zone: scope.locality, tags: [BatchRead.stackTag(stack)], projectID: scope.projectID)
                .filter { declared[$0.id] != nil }
            guard !servers.isEmpty else { return [:] }
            let sizes = try await rootVolumeBytes(servers, zone: scope.locality)
            let addresses = try await nicAddresses(servers)
            return try await BatchRead.each(servers) { server in
                let inputs = declared[server.id] ?? [:]
                do {
                    let rootGB: Int64?
                    if let root = server.rootVolume, let bytes = sizes[root.id] {
                        rootGB = InstanceShared.gb(bytes: bytes)
                    } else {
                        rootGB = try await rootVolumeSize(server)
                    }
                    let userData = inputs["user_data"] != nil ? try await userDataValues(zone: server.zone, serverID: server.id) : nil
                    let ips = server.privateNICs.flatMap { addresses[$0.id] ?? [] }
                    return (server.id, ReadResult(outputs: Self.outputs(server, rootSizeGB: rootGB, privateIPs: ips),
                                                  observed: Self.observed(server, rootSizeGB: rootGB, userData: userData, declared: inputs)))
                } catch let error as APIError where error.isNotFound {
                    return (server.id, nil)   // went after the list: read on its own
                }
            }
        }
    }

    /// Root volume sizes in bytes, by volume id: from the server when it carries them, else
    /// SBS volumes from one Block list of the zone and project. A volume missing from both is
    /// left out (the caller reads it on its own).
    private func rootVolumeBytes(_ servers: [InstanceServer], zone: String) async throws -> [String: Int64] {
        var sizes: [String: Int64] = [:]
        var projects = Set<String>()
        for server in servers {
            guard let root = server.rootVolume else { continue }
            if let size = root.size, size > 0 { sizes[root.id] = size } else if root.volumeType == "sbs_volume" { projects.insert(server.projectID) }
        }
        for project in projects.sorted() {
            for volume in try await block.listVolumes(zone: zone, projectID: project) where sizes[volume.id] == nil {
                sizes[volume.id] = volume.size
            }
        }
        return sizes
    }

    /// The IPAM addresses of every private NIC of the servers, by NIC id, in the order a
    /// per-NIC list gives them (one list per region and project).
    private func nicAddresses(_ servers: [InstanceServer]) async throws -> [String: [IPAMIP]] {
        let withNICs = servers.filter { !$0.privateNICs.isEmpty }
        let scopes = Set(withNICs.map { "\(Locality.region(ofZone: $0.zone) ?? $0.zone) \($0.projectID)" })
        var out: [String: [IPAMIP]] = [:]
        for scope in scopes.sorted() {
            let parts = scope.split(separator: " ", maxSplits: 1).map(String.init)
            for ip in try await ipam.listIPs(region: parts[0], resourceID: nil, resourceType: "instance_private_nic", projectID: parts[1]) {
                if let nic = ip.resourceID { out[nic, default: []].append(ip) }
            }
        }
        return out
    }

    /// Every user data key of a server with its text, as `read` gets them.
    func userDataValues(zone: String, serverID: String) async throws -> [String: Value] {
        var values: [String: Value] = [:]
        for key in try await api.listUserData(zone: zone, serverID: serverID) {
            values[key] = .string(try await api.getUserData(zone: zone, serverID: serverID, key: key))
        }
        return values
    }
}

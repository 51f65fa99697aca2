// RdbInstance changes in place, each through the instance's queue (ready before and after):
// node type, HA, volume growth and encryption by upgrade (one per call, as the API takes
// them), settings (changed and removed keys; the instance goes through `configuring`), the
// admin password, endpoints (private network, public), then name, tags and backups by PATCH.
// What cannot change in place (a shrink, HA or encryption off) is planned as a replacement.

import ScalewayAPI
import ScwCore
import ScwEngine

extension RdbInstanceResource {
    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { throw Diagnostic("bad id \(id)", at: .resource(context.address)) }
        let timeout = context.timeouts.update ?? RdbShared.defaultTimeout
        try await validate(new, context: context)
        let current = try await api.getInstance(region: lid.region, id: lid.uuid)
        let instance = try await applyChanges(region: lid.region, current: current, old: old, new: new, creating: false, timeout: timeout, context: context)
        return try await outputs(instance)
    }

    /// Refuses, before any write, what the API cannot do in place (the plan replaces the
    /// instance for these through `replacementReason`; this guards direct calls).
    static func checkInPlace(_ current: RDBInstance, new: [String: Value], context: ProviderContext) throws {
        func fail(_ message: String, hint: String) -> Diagnostic { Diagnostic(message, at: .resource(context.address), hint: hint) }
        if current.volumeType != "lssd", let gb = new["volume_size_in_gb"]?.intValue, gb * RdbShared.gb < current.volumeSize {
            throw fail("volume_size_in_gb cannot shrink in place (\(current.volumeSize / RdbShared.gb) GB → \(gb) GB)",
                       hint: "keep the size, or replace the instance (a new one, data restored from a backup)")
        }
        if current.isHACluster, new["is_ha_cluster"]?.boolValue == false {
            throw fail("is_ha_cluster cannot be turned off in place", hint: "set it back to true, or replace the instance")
        }
        if current.encryptionEnabled, new["encryption_at_rest"]?.boolValue == false {
            throw fail("encryption_at_rest cannot be turned off in place", hint: "set it back to true, or replace the instance")
        }
    }

    /// Brings `current` to `new`, call by call; returns the instance as it ends.
    func applyChanges(region: String, current: RDBInstance, old: [String: Value], new: [String: Value], creating: Bool = true,
                      timeout: Double, context: ProviderContext) async throws -> RDBInstance {
        try Self.checkInPlace(current, new: new, context: context)
        let id = current.id
        let api = self.api
        func change(_ phase: String, _ call: @escaping @Sendable () async throws -> Void) async throws {
            context.phase(phase)
            try await RdbShared.changing(api, region: region, id: id, timeout: timeout, interval: env.pollInterval, context: context, call)
        }

        if let node = new["node_type"]?.stringValue, node.lowercased() != current.nodeType.lowercased() {
            try await change("changing the node type") { _ = try await api.upgradeInstance(region: region, id: id, .nodeType(node.lowercased())) }
        }
        if new["is_ha_cluster"]?.boolValue == true, !current.isHACluster {
            try await change("turning high availability on") { _ = try await api.upgradeInstance(region: region, id: id, .enableHA) }
        }
        if current.volumeType != "lssd", let gb = new["volume_size_in_gb"]?.intValue, gb * RdbShared.gb > current.volumeSize {
            try await change("growing the volume") { _ = try await api.upgradeInstance(region: region, id: id, .volumeSize(gb * RdbShared.gb)) }
        }
        if new["encryption_at_rest"]?.boolValue == true, !current.encryptionEnabled {
            try await change("turning encryption on") { _ = try await api.upgradeInstance(region: region, id: id, .enableEncryption) }
        }
        let settings = try await settingsToSend(region: region, current: current, old: old, new: new)
        if !settings.isEmpty {
            try await change("changing settings") { _ = try await api.setSettings(region: region, id: id, settings) }
        }
        if !creating, let user = new["user_name"]?.stringValue, let password = new["password"], password != .null,
           !Diff.same(old["password"] ?? .null, password) {
            try await change("changing the password") { _ = try await api.updateUser(region: region, instanceID: id, name: user, password: password) }
        }
        try await syncEndpoints(region: region, current: current, new: new, change: change)
        let patch = Self.patchBody(current, new: new, context: context)
        if patch != .map([:]) {
            try await change("updating") { _ = try await api.updateInstance(region: region, id: id, body: patch) }
        }
        return try await api.getInstance(region: region, id: id)
    }

    /// Declared settings whose value differs, and settings the script no longer declares set
    /// back to the engine's default.
    private func settingsToSend(region: String, current: RDBInstance, old: [String: Value], new: [String: Value]) async throws -> [(String, String)] {
        let have = Dictionary(current.settings.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        let wanted = (new["settings"]?.mapValue ?? [:]).compactMapValues(\.stringValue)
        var out = wanted.filter { have[$0.key] != $0.value }.map { ($0.key, $0.value) }
        let dropped = (old["settings"]?.mapValue ?? [:]).keys.filter { wanted[$0] == nil }
        if !dropped.isEmpty {
            let engines = try await RdbCatalogue.shared.engines(region: region, api: api)
            let available = engines.flatMap(\.versions).first { $0.name.lowercased() == current.engine.lowercased() }?.availableSettings ?? []
            for key in dropped {
                if let value = available.first(where: { $0.name == key })?.defaultValue, have[key] != value { out.append((key, value)) }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Private endpoint and public endpoint as declared: removed, added or moved.
    private func syncEndpoints(region: String, current: RDBInstance, new: [String: Value],
                               change: (String, @escaping @Sendable () async throws -> Void) async throws -> Void) async throws {
        let api = self.api
        let id = current.id
        let wanted = Self.privateNetworkSpec(new)
        let have = current.privateEndpoint
        let same: Bool
        switch (wanted, have) {
        case (nil, nil): same = true
        case (.privateNetwork(let pn, let ip)?, let endpoint?):
            same = endpoint.privateNetworkID == pn && (ip == nil ? endpoint.provisioningMode != "static" : endpoint.serviceIP == ip)
        default: same = false
        }
        if !same {
            if let endpoint = have {
                try await change("removing the private endpoint") { try await api.deleteEndpoint(region: region, id: endpoint.id) }
            }
            if let wanted {
                try await change("adding the private endpoint") { _ = try await api.createEndpoint(region: region, instanceID: id, wanted) }
            }
        }
        let wantsPublic = new["load_balancer"]?.boolValue ?? true
        if wantsPublic, current.publicEndpoint == nil {
            try await change("adding the public endpoint") { _ = try await api.createEndpoint(region: region, instanceID: id, .publicEndpoint) }
        } else if !wantsPublic, let endpoint = current.publicEndpoint {
            try await change("removing the public endpoint") { try await api.deleteEndpoint(region: region, id: endpoint.id) }
        }
    }

    /// The PATCH: name, tags (ownership kept, pending dropped) and backups, only what differs.
    static func patchBody(_ current: RDBInstance, new: [String: Value], context: ProviderContext) -> Value {
        let tags = OwnershipTags.withOwnership(new["tags"]?.listValue?.compactMap(\.stringValue) ?? [], context: context)
        let name = new["name"]?.stringValue
        let frequency = new["backup_schedule_frequency"]?.intValue
        let retention = new["backup_schedule_retention"]?.intValue
        let disabled = new["disable_backup"]?.boolValue
        let sameRegion = new["backup_same_region"]?.boolValue
        return RDBAPI.updateInstanceBody(
            name: name == current.name ? nil : name, tags: tags == current.tags ? nil : tags,
            backupScheduleFrequency: frequency == current.backupFrequency ? nil : frequency,
            backupScheduleRetention: retention == current.backupRetention ? nil : retention,
            isBackupScheduleDisabled: disabled == current.backupDisabled ? nil : disabled,
            backupSameRegion: sameRegion == current.backupSameRegion ? nil : sameRegion)
    }
}

// RdbInstance: a managed database instance (RDB API v1, regional): schema, normalisation,
// create (tagged pending until finished, so a crash resumes it), read, delete and find.
// Plan-time checks are in +Checks.swift, in-place changes in +Update.swift, outputs and
// drift in +Outputs.swift.

import ScalewayAPI
import ScwCore
import ScwEngine

public struct RdbInstanceResource: ResourceProvider {
    let env: ScalewayEnvironment

    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let privateNetworkFields: [PropSpec] = [
        PropSpec("pn_id", .resourceID(types: ["VpcPrivateNetwork"]), required: true, doc: "The private network (a VpcPrivateNetwork handle or its id)."),
        PropSpec("enable_ipam", .bool, doc: "Take the address from IPAM (default when `ip_net` is not given)."),
        PropSpec("ip_net", .string, doc: "A static address with the network's prefix length, e.g. `10.20.0.5/24`."),
    ]

    /// Marks an instance whose create has not finished (settings, backups...): `find` reports it
    /// half-made, and the next create resumes it.
    static let pendingTag = "scwlua:pending"

    public static let schema = ResourceSchema(
        typeName: "RdbInstance",
        doc: "A managed database instance (PostgreSQL or MySQL), waited for until ready; every change to it waits for it to be ready before and after.",
        locality: .regional,
        props: [
            CommonProps.name(),
            PropSpec("engine", .string, required: true, change: .replace,
                     doc: "Engine and major version, e.g. `PostgreSQL-16`, `MySQL-8` (checked against the region's engines before any write)."),
            PropSpec("node_type", .string, required: true, disruption: "the database restarts (a short downtime)",
                     doc: "Node type, e.g. `DB-DEV-S` (case does not matter); changed in place through an upgrade."),
            PropSpec("user_name", .string, change: .replace, doc: "The first (admin) user, created with the instance."),
            PropSpec("password", .string, sensitive: true,
                     doc: "The first user's password (secret): 8 to 128 characters with a digit, an upper and a lower case letter and a special character. Changed in place."),
            PropSpec("is_ha_cluster", .bool, default: .bool(false),
                     doc: "A high-availability cluster (a standby node). Turned on in place through an upgrade; turning it off replaces the instance."),
            PropSpec("disable_backup", .bool, default: .bool(false), doc: "Turn the automatic backups off."),
            PropSpec("backup_schedule_frequency", .int, range: 1...24, doc: "Hours between backups."),
            PropSpec("backup_schedule_retention", .int, range: 1...365, doc: "Days backups are kept."),
            PropSpec("backup_same_region", .bool, default: .bool(false), doc: "Keep backups in the instance's region."),
            PropSpec("volume_type", .string, change: .replace, default: .string("lssd"), allowed: ["lssd", "bssd", "sbs_5k", "sbs_15k"],
                     doc: "`lssd` (local, sized by the node type), `sbs_5k` or `sbs_15k` (Block storage), `bssd` (legacy)."),
            PropSpec("volume_size_in_gb", .int, range: 1...10_000,
                     doc: "Size of a Block volume in GB (not for `lssd`). Grows in place through an upgrade; a smaller size replaces the instance (the plan says why)."),
            PropSpec("settings", .map(.string), default: .map([:]),
                     doc: "Engine settings, e.g. `{ max_connections = \"200\" }`, changed in place (the instance goes through `configuring`). Checked against the engine's settings before any write."),
            PropSpec("init_settings", .map(.string), change: .replace, default: .map([:]),
                     doc: "Settings that can only be given at creation (MySQL `lower_case_table_names`); a change replaces the instance."),
            PropSpec("private_network", .object(privateNetworkFields),
                     doc: "`{ pn_id = pn, enable_ipam = true }` or `{ pn_id = pn, ip_net = \"10.0.0.5/24\" }`: an endpoint on a private network."),
            PropSpec("load_balancer", .bool,
                     doc: "A public endpoint. Defaults to true without `private_network`, false with one."),
            PropSpec("encryption_at_rest", .bool, default: .bool(false), doc: "Encrypt the volume. Turned on in place; turning it off replaces the instance."),
            CommonProps.tags,
            CommonProps.region,
            CommonProps.projectID,
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<uuid>`"),
            OutputSpec("name", .string),
            OutputSpec("status", .string, doc: "`ready` once applied."),
            OutputSpec("engine", .string),
            OutputSpec("node_type", .string),
            OutputSpec("endpoint_ip", .string, doc: "Public endpoint address (when `load_balancer`)."),
            OutputSpec("endpoint_port", .int, doc: "Public endpoint port."),
            OutputSpec("private_ip", .string, doc: "Address on the private network (when `private_network`)."),
            OutputSpec("private_port", .int, doc: "Port on the private network."),
            OutputSpec("certificate", .string, sensitive: true, doc: "The instance's CA certificate (PEM), for `sslrootcert`."),
            OutputSpec("read_replicas", .list(.any)),
            OutputSpec("upgradable_versions", .list(.string), doc: "Engine versions this instance can be upgraded to."),
            OutputSpec("volume_type", .string),
            OutputSpec("volume_size_in_gb", .int),
            OutputSpec("settings", .map(.string), doc: "Every setting the instance has (defaults included)."),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("organization_id", .string),
            OutputSpec("created_at", .string),
        ])

    var api: RDBAPI { RDBAPI(client: env.client) }

    // MARK: Normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = try CommonProps.normalizeCommon(inputs, env: env, context: context)
        let pn = out["private_network"]?["pn_id"] ?? .null
        if out["region"] == nil || out["region"] == .null {
            if pn.containsUnknown {
                out["region"] = .unknown
            } else if let text = pn.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text) {
                out["region"] = .string(lid.region)
            } else {
                out["region"] = .string(env.defaultRegion)
            }
        }
        if let text = pn.stringValue, text.contains("/"), let lid = LocalizedID(parsing: text), let region = out["region"]?.stringValue, lid.region != region {
            throw Diagnostic("region \(region) differs from its private network's region \(lid.region)", at: .resource(context.address))
        }
        if let node = out["node_type"]?.stringValue { out["node_type"] = .string(node.lowercased()) }
        for (key, value) in [("is_ha_cluster", Value.bool(false)), ("disable_backup", .bool(false)), ("backup_same_region", .bool(false)),
                             ("volume_type", .string("lssd")), ("settings", .map([:])), ("init_settings", .map([:])),
                             ("encryption_at_rest", .bool(false))]
        where out[key] == nil || out[key] == .null {
            out[key] = value
        }
        if out["load_balancer"] == nil || out["load_balancer"] == .null {
            out["load_balancer"] = .bool(out["private_network"] == nil || out["private_network"] == .null)
        }
        if out["private_network"] == nil { out["private_network"] = .null }
        try Self.checkStatically(out, context: context)
        return out
    }

    // MARK: Create

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let region = try i.requireString("region")
        try await validate(inputs, context: context)   // no write before the checks pass
        let timeout = context.timeouts.create ?? RdbShared.defaultTimeout
        let userTags = i.strings("tags") ?? []
        let pending = try await api.listInstances(region: region, tags: [OwnershipTags.urnTag(context)])
            .filter { OwnershipTags.owned($0.tags, by: context) && $0.tags.contains(Self.pendingTag) }
        var instance: RDBInstance
        if let resumed = pending.first(where: { $0.engine.lowercased() == (i.string("engine") ?? "").lowercased() }) {
            context.phase("resuming the instance an interrupted create made")
            instance = resumed
        } else {
            for stale in pending {   // made for other inputs: not ours to keep
                try await delete(id: LocalizedID(locality: region, uuid: stale.id).description, inputs: inputs, context: context)
            }
            let body = try Self.createBody(inputs, tags: OwnershipTags.withOwnership(userTags, context: context) + [Self.pendingTag], context: context)
            context.phase("creating")
            instance = try await CreateCall.run { try await api.createInstance(region: region, body: body) }
        }
        instance = try await RdbShared.waitReady(api, region: region, id: instance.id, timeout: timeout, interval: env.pollInterval, context: context)
        // Finish what the create body cannot carry: backups, settings; then drop the pending tag.
        instance = try await applyChanges(region: region, current: instance, old: [:], new: inputs, timeout: timeout, context: context)
        let final = instance
        instance = try await RdbShared.changing(api, region: region, id: instance.id, timeout: timeout, interval: env.pollInterval, context: context) {
            try await api.updateInstance(region: region, id: final.id,
                                         body: RDBAPI.updateInstanceBody(tags: OwnershipTags.withOwnership(userTags, context: context)))
        }
        return CreateResult(id: LocalizedID(locality: region, uuid: instance.id).description, outputs: try await outputs(instance))
    }

    /// The create body: settings and backup schedule follow once the instance is ready (as the
    /// provider does); the private network and/or public endpoint are made with it.
    static func createBody(_ inputs: [String: Value], tags: [String], context: ProviderContext) throws -> Value {
        let i = Inputs(inputs, context.address)
        let volumeType = i.string("volume_type") ?? "lssd"
        let sizeGB = inputs["volume_size_in_gb"]?.intValue
        let initSettings = (inputs["init_settings"]?.mapValue ?? [:]).compactMap { k, v in v.stringValue.map { (k, $0) } }.sorted { $0.0 < $1.0 }
        return RDBAPI.createInstanceBody(
            projectID: try i.requireString("project_id"), name: try i.requireString("name"), engine: try i.requireString("engine"),
            userName: i.string("user_name") ?? "", password: inputs["password"] ?? .string(""),
            nodeType: try i.requireString("node_type"), isHACluster: i.bool("is_ha_cluster") ?? false,
            disableBackup: i.bool("disable_backup") ?? false, tags: tags, initSettings: initSettings.isEmpty ? nil : initSettings,
            volumeType: volumeType, volumeSize: volumeType == "lssd" ? 0 : (sizeGB ?? 0) * RdbShared.gb,
            initEndpoints: endpointSpecs(inputs), backupSameRegion: i.bool("backup_same_region") ?? false,
            encryption: i.bool("encryption_at_rest") ?? false)
    }

    /// What endpoints the inputs ask for: nil = the API's default (one public endpoint).
    static func endpointSpecs(_ inputs: [String: Value]) -> [RDBAPI.EndpointSpec]? {
        var specs: [RDBAPI.EndpointSpec] = []
        if let pn = privateNetworkSpec(inputs) { specs.append(pn) }
        if inputs["load_balancer"]?.boolValue ?? true { specs.append(.publicEndpoint) }
        return specs == [.publicEndpoint] ? nil : specs
    }

    static func privateNetworkSpec(_ inputs: [String: Value]) -> RDBAPI.EndpointSpec? {
        guard let pn = inputs["private_network"], pn != .null, let id = pn["pn_id"]?.stringValue else { return nil }
        let uuid = LocalizedID(parsing: id, defaultLocality: "")?.uuid ?? id
        return .privateNetwork(id: uuid, serviceIP: pn["ip_net"]?.stringValue)
    }

    // MARK: Read

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return nil }
        do {
            let instance = try await api.getInstance(region: lid.region, id: lid.uuid)
            return ReadResult(outputs: try await outputs(instance), observed: Self.observed(instance, declared: inputs),
                              ownerStack: OwnershipTags.stack(of: instance.tags))
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    // MARK: Delete

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultRegion) else { return }
        let timeout = context.timeouts.delete ?? RdbShared.defaultTimeout
        do {
            try await RdbInstanceQueue.shared.run("\(lid.region)/\(lid.uuid)") {
                var attempt = 0
                while true {
                    attempt += 1
                    let current = try await api.getInstance(region: lid.region, id: lid.uuid)
                    if current.status == "deleting" { break }
                    if !RdbShared.failures.contains(current.status) {
                        _ = try await RdbShared.waitReady(api, region: lid.region, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
                    }
                    context.phase("deleting")
                    do {
                        _ = try await api.deleteInstance(region: lid.region, id: lid.uuid)
                        break
                    } catch let error as APIError where error.isTransientState && attempt < 5 {
                        continue
                    }
                }
            }
            try await RdbShared.waitGone(api, region: lid.region, id: lid.uuid, timeout: timeout, interval: env.pollInterval, context: context)
        } catch let error as APIError where error.isNotFound {
            return
        } catch let diagnostic as Diagnostic where diagnostic.message.contains("does not exist (any more)") {
            return
        }
    }

    // MARK: Replacement

    /// What the API cannot do in place replaces the instance: a smaller volume, HA or
    /// encryption turned off.
    public func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? {
        switch prop {
        case "volume_size_in_gb":
            guard let was = old.intValue, let now = new.intValue, now < was else { return nil }
            return "volume_size_in_gb cannot shrink in place (\(was) GB → \(now) GB)"
        case "is_ha_cluster" where old.boolValue == true && new.boolValue == false:
            return "high availability cannot be turned off in place"
        case "encryption_at_rest" where old.boolValue == true && new.boolValue == false:
            return "encryption at rest cannot be turned off in place"
        default:
            return nil
        }
    }

    // MARK: Find

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let region = inputs["region"]?.stringValue else { return [] }
        var out: [CreateResult] = []
        for instance in try await api.listInstances(region: region, tags: [OwnershipTags.urnTag(context)])
        where OwnershipTags.owned(instance.tags, by: context) && instance.status != "deleting" {
            out.append(CreateResult(id: LocalizedID(locality: region, uuid: instance.id).description, outputs: try await outputs(instance),
                                    halfMade: instance.tags.contains(Self.pendingTag)))
        }
        return out
    }
}

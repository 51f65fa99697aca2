// InstanceShared: what the Instance-family resources (Instance, InstanceIp, InstanceVolume,
// SecurityGroup) share: zone defaults and checks, ids of referenced resources, GB sizes,
// the commercial-type catalogue cache, and "does this server belong to this stack".

import ScalewayAPI
import ScwCore
import ScwEngine

enum InstanceShared {
    /// Scripts give sizes in GB (10^9 bytes, as the Terraform provider); the API takes bytes.
    static let bytesPerGB: Int64 = 1_000_000_000

    /// Saturating: sizes are range-checked at plan time, and this never traps on what slips by.
    static func bytes(gb: Int64) -> Int64 {
        let (product, overflow) = gb.multipliedReportingOverflow(by: bytesPerGB)
        return overflow ? (gb < 0 ? .min : .max) : product
    }

    /// Whole GB, rounded up (a volume of 20 000 000 001 bytes is not 20 GB).
    static func gb(bytes: Int64) -> Int64 {
        let whole = bytes / bytesPerGB
        return bytes % bytesPerGB > 0 ? whole + 1 : whole
    }

    /// Fills `zone` with the configured zone and checks that the zonal resources referenced
    /// by `zonalRefs` (ids `zone/uuid`) and the regional ones by `regionalRefs` live there.
    static func normalizeZone(_ inputs: inout [String: Value], env: ScalewayEnvironment, context: ProviderContext,
                              zonalRefs: [String] = [], regionalRefs: [String] = []) throws {
        if inputs["zone"] == nil || inputs["zone"] == .null { inputs["zone"] = .string(env.defaultZone) }
        guard let zone = inputs["zone"]?.stringValue else { return }
        for key in zonalRefs {
            for text in idTexts(inputs[key]) where text.contains("/") {
                if let lid = LocalizedID(parsing: text), lid.locality != zone {
                    throw Diagnostic("\(context.address): \(key) \(text) is in zone \(lid.locality), not in \(zone)")
                }
            }
        }
        let region = Locality.region(ofZone: zone) ?? zone
        for key in regionalRefs {
            for text in idTexts(inputs[key]) where text.contains("/") {
                if let lid = LocalizedID(parsing: text), lid.region != region {
                    throw Diagnostic("\(context.address): \(key) \(text) is in region \(lid.region), not in \(region) (zone \(zone))")
                }
            }
        }
    }

    /// The known id strings in a prop holding one id or a list of ids.
    static func idTexts(_ value: Value?) -> [String] {
        switch value {
        case .string(let s)?: return [s]
        case .list(let items)?: return items.compactMap(\.stringValue)
        default: return []
        }
    }

    /// The UUID of an id given as `zone/uuid`, `region/uuid` or a bare UUID.
    static func uuid(_ idText: String) -> String {
        LocalizedID(parsing: idText)?.uuid ?? idText
    }

    /// A tag unique to one create attempt. After an ambiguous POST, a multi-step create finds
    /// what this very attempt made by it (never the old half of a create-before-destroy, which
    /// carries the same address) and carries on; ownership tags alone are for the engine.
    static func attemptTag() -> String { "scwlua:attempt=" + String(UInt64.random(in: 0...UInt64.max), radix: 16) }

    /// Marks a resource whose create has not finished (a server not yet powered on, a group
    /// without its rules). `find` skips such a resource; the next create resumes it.
    static let pendingTag = "scwlua:pending"

    /// The tag every resource of this stack carries.
    static func stackTag(_ context: ProviderContext) -> String { "scwlua:stack=\(context.stack)" }

    /// True when a resource with these tags was made by this stack (whatever its address).
    static func sameStack(_ tags: [String], _ context: ProviderContext) -> Bool { tags.contains(stackTag(context)) }

    /// The `zone/uuid` id of an object.
    static func zonalID(_ zone: String, _ uuid: String) -> String { LocalizedID(locality: zone, uuid: uuid).description }

    /// Parses a stored `zone/uuid` id; throws a located error when it cannot.
    static func parse(_ id: String, env: ScalewayEnvironment, context: ProviderContext) throws -> LocalizedID {
        guard let lid = LocalizedID(parsing: id, defaultLocality: env.defaultZone) else {
            throw Diagnostic("bad id \(id)", at: .resource(context.address))
        }
        return lid
    }

    /// The timeout to use for a phase, in seconds.
    static func timeout(_ given: Double?, default fallback: Double) -> Double { given ?? fallback }
}

/// The commercial types of each zone, fetched once per API and zone (three pages on the
/// real API), so that checking types does not cost three requests per server.
actor ServerTypeCatalogue {
    static let shared = ServerTypeCatalogue()

    private var byKey: [String: [ServerType]] = [:]

    /// The zone's commercial types, from cache when already fetched.
    func types(zone: String, api: InstanceAPI) async throws -> [ServerType] {
        let key = api.client.config.apiURL + "|" + zone
        if let cached = byKey[key] { return cached }
        let fetched = try await api.listServerTypes(zone: zone)
        byKey[key] = fetched
        return fetched
    }
}

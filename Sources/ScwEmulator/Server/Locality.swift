// Locality: the regions and zones the emulated cloud has, and the error the API gives for others.

enum Locality {
    static let regions = ["fr-par", "nl-ams", "pl-waw", "it-mil"]
    static let zones = ["fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3",
                        "pl-waw-1", "pl-waw-2", "pl-waw-3", "it-mil-1"]

    /// The `{region}` path parameter, validated.
    static func region(_ request: APIRequest) throws -> String {
        let region = request.param("region")
        guard regions.contains(region) else {
            throw APIError.invalidArgument("region", reason: "constraint",
                                           help: "unknown region \"\(region)\"; must be one of \(regions.joined(separator: ", "))")
        }
        return region
    }

    /// The `{zone}` path parameter, validated.
    static func zone(_ request: APIRequest) throws -> String {
        let zone = request.param("zone")
        guard zones.contains(zone) else {
            throw APIError.invalidArgument("zone", reason: "constraint",
                                           help: "unknown zone \"\(zone)\"; must be one of \(zones.joined(separator: ", "))")
        }
        return zone
    }

    /// `fr-par-1` → `fr-par`.
    static func region(ofZone zone: String) -> String {
        let parts = zone.split(separator: "-")
        return parts.count == 3 ? "\(parts[0])-\(parts[1])" : zone
    }
}

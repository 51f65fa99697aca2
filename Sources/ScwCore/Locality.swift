// Locality: Scaleway's regions and zones, as the scw CLI and the SDKs know them.

public enum Locality {
    public static let regions = ["fr-par", "nl-ams", "pl-waw", "it-mil"]
    public static let zones = ["fr-par-1", "fr-par-2", "fr-par-3", "nl-ams-1", "nl-ams-2", "nl-ams-3",
                               "pl-waw-1", "pl-waw-2", "pl-waw-3", "it-mil-1"]

    /// The region a zone belongs to: `fr-par-1` → `fr-par`.
    public static func region(ofZone zone: String) -> String? {
        guard zones.contains(zone), let dash = zone.lastIndex(of: "-") else { return nil }
        return String(zone[..<dash])
    }

    public static func isRegion(_ s: String) -> Bool { regions.contains(s) }
    public static func isZone(_ s: String) -> Bool { zones.contains(s) }
}

// LocalizedID: resource ids as `<region or zone>/<uuid>`, the form the Terraform provider
// uses; only the UUID goes on the wire.

import ScwCore

public struct LocalizedID: Hashable, Sendable, CustomStringConvertible {
    public var locality: String
    public var uuid: String

    public init(locality: String, uuid: String) {
        self.locality = locality
        self.uuid = uuid
    }

    /// Parses `fr-par/uuid`; a bare id takes `defaultLocality`.
    public init?(parsing text: String, defaultLocality: String? = nil) {
        if let slash = text.lastIndex(of: "/") {
            locality = String(text[..<slash])
            uuid = String(text[text.index(after: slash)...])
        } else if let defaultLocality {
            locality = defaultLocality
            uuid = text
        } else {
            return nil
        }
        if uuid.isEmpty || locality.isEmpty { return nil }
    }

    public var description: String { "\(locality)/\(uuid)" }

    /// The region part of a regional id, or the region of a zonal one.
    public var region: String { Locality.region(ofZone: locality) ?? locality }
}

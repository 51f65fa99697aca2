// ScriptDefaults: what `scw.defaults { ... }` set, overriding the Scaleway config.

import ScwCore

public struct ScriptDefaults: Sendable, Equatable {
    public var region: String?
    public var zone: String?
    public var projectID: String?
    public init(region: String? = nil, zone: String? = nil, projectID: String? = nil) {
        self.region = region
        self.zone = zone
        self.projectID = projectID
    }
}

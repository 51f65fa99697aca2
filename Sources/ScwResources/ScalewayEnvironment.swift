// ScalewayEnvironment: what every Scaleway resource needs: the API client and the
// defaults (project, region, zone) taken from the config and `scw.defaults`.

import ScalewayAPI
import ScwCore

public struct ScalewayEnvironment: Sendable {
    public var client: ScalewayClient
    public var defaultProjectID: String?
    public var defaultRegion: String
    public var defaultZone: String
    /// How often waits poll at first, in seconds (tests and the emulator use small values).
    public var pollInterval: Double

    public init(client: ScalewayClient, defaultProjectID: String?, defaultRegion: String, defaultZone: String, pollInterval: Double = 1) {
        self.client = client
        self.defaultProjectID = defaultProjectID
        self.defaultRegion = defaultRegion
        self.defaultZone = defaultZone
        self.pollInterval = pollInterval
    }
}

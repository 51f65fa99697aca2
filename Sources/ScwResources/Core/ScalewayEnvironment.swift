// ScalewayEnvironment: what every Scaleway resource needs: the API clients (JSON APIs and
// Object Storage) and the defaults (project, region, zone) taken from the config and `scw.defaults`.

import ScalewayAPI
import ScwCore

public struct ScalewayEnvironment: Sendable {
    public var client: ScalewayClient
    /// Object Storage (S3); by default on the same config, transport and retry policy as `client`.
    public var s3: S3Client
    public var defaultProjectID: String?
    public var defaultRegion: String
    public var defaultZone: String
    /// How often waits poll at first, in seconds (tests and the emulator use small values).
    public var pollInterval: Double

    public init(client: ScalewayClient, defaultProjectID: String?, defaultRegion: String, defaultZone: String, pollInterval: Double = 1,
                s3: S3Client? = nil) {
        self.client = client
        var s3Config = client.config
        s3Config.s3Endpoint = s3Config.effectiveS3Endpoint   // an emulator (any non-default API URL) serves S3 too
        self.s3 = s3 ?? S3Client(config: s3Config, transport: client.transport, retry: client.retry, userAgent: client.userAgent,
                                 timeout: client.timeout, usePathStyle: s3Config.s3UsePathStyle, log: client.log)
        self.defaultProjectID = defaultProjectID
        self.defaultRegion = defaultRegion
        self.defaultZone = defaultZone
        self.pollInterval = pollInterval
    }

}

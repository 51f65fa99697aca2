// ScalewayEnvironment: what every Scaleway resource needs: the API clients (JSON APIs and
// Object Storage) and the defaults (project, region, zone) taken from the config and `scw.defaults`.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

public struct ScalewayEnvironment: Sendable {
    public var client: ScalewayClient
    /// Object Storage (S3); by default on the same config, transport and retry policy as `client`.
    public var s3: S3Client
    public var defaultProjectID: String?
    public var defaultRegion: String
    public var defaultZone: String
    /// How often waits poll at first, in seconds (tests and the emulator use small values).
    public var pollInterval: Double
    /// The folder relative file props (a function's `source`, `zip_file`) are read from: the script's.
    public var baseDirectory: String = "."
    /// Folders a provider may read files below (a function's `source` or `zip_file`): the
    /// script's folder and those given with `--allow-read`; nil when scripts run unrestricted.
    /// What a sandboxed script may not read itself, it may not have uploaded either.
    public var readableDirectories: [String]? = nil

    /// Refuses `path` (already resolved) when it lies outside `readableDirectories`; `prop`
    /// and `given` name it in the message.
    public func checkReadable(_ path: String, prop: String, given: String, context: ProviderContext) throws {
        guard let dirs = readableDirectories else { return }
        func canonical(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().standardizedFileURL.path }
        let target = canonical(path)
        for dir in dirs {
            let base = canonical(dir)
            if target == base || target.hasPrefix(base.hasSuffix("/") ? base : base + "/") { return }
        }
        throw Diagnostic("\(prop): \(given) is outside the script's folder; scripts read only below it",
                         at: .resource(context.address), hint: "pass --allow-read DIR to allow reading DIR")
    }

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

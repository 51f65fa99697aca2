import XCTest
import ScalewayAPI
@testable import ScwResources

/// The S3 client follows the config: virtual-host style by default, path style when asked.
final class ScalewayEnvironmentTests: XCTestCase {
    func environment(_ configure: (inout ScalewayConfig) -> Void) -> ScalewayEnvironment {
        var config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-1111-4111-8111-111111111111")
        configure(&config)
        let client = ScalewayClient(config: config, transport: CurlTransport())
        return ScalewayEnvironment(client: client, defaultProjectID: nil, defaultRegion: "fr-par", defaultZone: "fr-par-1")
    }

    func testPathStyleFollowsTheConfig() {
        XCTAssertFalse(environment { _ in }.s3.usePathStyle)
        XCTAssertTrue(environment { $0.s3UsePathStyle = true }.s3.usePathStyle)
        XCTAssertTrue(environment { $0.s3Endpoint = "https://s3.example.test" }.s3.usePathStyle)
        XCTAssertFalse(environment { $0.s3Endpoint = "https://s3.example.test"; $0.s3UsePathStyle = false }.s3.usePathStyle)
    }
}

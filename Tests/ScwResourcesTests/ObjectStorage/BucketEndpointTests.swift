// BucketEndpointTests: where Object Storage calls go. An API URL other than the production one
// (an emulator, a gateway) takes Object Storage with it unless an S3 endpoint is set; a create
// that never reached the server (connection refused) is a definite failure, never "answer
// lost, looking for the resource by its tags".

import Foundation
import ScwTestSupport
import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class BucketEndpointTests: XCTestCase {
    private func env(_ config: ScalewayConfig) -> ScalewayEnvironment {
        let client = ScalewayClient(config: config, transport: CurlTransport(), retry: .testing)
        return ScalewayEnvironment(client: client, defaultProjectID: config.defaultProjectID, defaultRegion: "fr-par", defaultZone: "fr-par-1",
                                   pollInterval: 0.01)
    }

    private func config(api: String = ScalewayConfig.defaultAPIURL, s3: String? = nil) -> ScalewayConfig {
        ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-2222-4333-8444-555555555555",
                       defaultProjectID: "951df375-e094-4d26-97c1-ba548eeb9c42", apiURL: api, s3Endpoint: s3)
    }

    func testANonDefaultAPIURLTakesObjectStorageAlongUnlessAnS3EndpointIsSet() {
        XCTAssertNil(env(config()).s3.config.s3Endpoint, "the production API: the real s3.<region>.scw.cloud")
        XCTAssertNil(env(config(api: ScalewayConfig.defaultAPIURL + "/")).s3.config.s3Endpoint)
        XCTAssertEqual(env(config(api: "https://scw-gateway.example.com/")).s3.config.s3Endpoint, "https://scw-gateway.example.com")
        XCTAssertEqual(env(config(api: "http://emulator.internal:4599")).s3.config.s3Endpoint, "http://emulator.internal:4599")
        XCTAssertEqual(env(config(api: "http://emulator.internal:4599", s3: "https://s3.example.net")).s3.config.s3Endpoint, "https://s3.example.net",
                       "s3_endpoint says otherwise")
        let outputs = BucketResource(env: env(config(api: "http://emulator.internal:4599")))
            .outputs(S3Bucket(name: "assets", region: "fr-par"))
        XCTAssertEqual(outputs["endpoint"], .string("http://emulator.internal:4599/assets"))
    }

    func testACreateThatNeverReachedTheServerIsADefiniteFailure() async throws {
        // Port 1 on loopback: refused at once, so no attempt is ever sent.
        let provider = BucketResource(env: env(config(s3: "http://127.0.0.1:1")))
        let context = ProviderContext(stack: "default", address: ResourceAddress(type: "Bucket", name: "data"))
        let inputs = try provider.normalize(["name": .string("never-made-\(UUID().uuidString.prefix(6).lowercased())")], context: context)
        do {
            _ = try await provider.create(inputs, context: context)
            XCTFail("the create succeeded against a closed port")
        } catch let error as CreateRefusedError {
            XCTAssertTrue(error.description.contains("cannot reach Object Storage"), error.description)
            XCTAssertTrue(error.description.contains("the bucket was not created"), error.description)
        } catch {
            XCTFail("expected a definite failure, got \(type(of: error)): \(error)")
        }
    }
}

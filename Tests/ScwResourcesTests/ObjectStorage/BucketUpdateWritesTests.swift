// BucketUpdateWritesTests: a Bucket update sends only the configuration calls whose part
// changed, counted by the emulator: nothing for an update to what the bucket has, one PUT for
// a tag change, one for a versioning change; what changed outside scwlua is put back.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class BucketUpdateWritesTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private func writes(_ provider: BucketResource, id: String, from old: [String: Value], to new: [String: Value],
                        context: ProviderContext) async throws -> WriteCount {
        try await cloud.env.client.resetEmulatorStats()
        _ = try await provider.update(id: id, from: old, to: new, context: context)
        return try await cloud.env.client.emulatorWrites()
    }

    func testOnlyTheChangedPartIsWritten() async throws {
        let provider = BucketResource(env: cloud.env)
        let ctx = cloud.context("Bucket", "assets")
        var props: [String: Value] = [
            "name": .string("scwlua-update-writes"), "acl": .string("public-read"), "versioning": .bool(true),
            "tags": .map(["env": .string("prod")]),
            "cors_rules": .list([.map(["allowed_methods": .list([.string("GET")]), "allowed_origins": .list([.string("*")])])]),
            "lifecycle_rules": .list([.map(["prefix": .string("logs/"), "expiration_days": .int(30)])]),
        ]
        let (created, inputs) = try await cloud.create(provider, props, context: ctx)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        let noop = try await writes(provider, id: created.id, from: inputs, to: inputs, context: ctx)
        XCTAssertEqual(noop.writes, 0, "\(noop)")

        props["tags"] = .map(["env": .string("staging")])
        let retagged = try provider.normalize(props, context: ctx)
        let tagging = try await writes(provider, id: created.id, from: inputs, to: retagged, context: ctx)
        XCTAssertEqual(tagging.writes, 1, "the tagging PUT alone: \(tagging)")
        XCTAssertEqual(tagging.count("PUT"), 1, "\(tagging)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: retagged, context: ctx)
        let bucket = S3Bucket(name: "scwlua-update-writes", region: "fr-par", projectID: ScalewayConfig.localProjectID)
        let tags = try await cloud.env.s3.getBucketTagging(bucket)
        XCTAssertEqual(Set(tags), [S3Tag("env", "staging"), S3Tag("scwlua:stack", ComputeEmulator.stack), S3Tag("scwlua:urn", "Bucket/assets")])

        props["versioning"] = .bool(false)
        let unversioned = try provider.normalize(props, context: ctx)
        let versioning = try await writes(provider, id: created.id, from: retagged, to: unversioned, context: ctx)
        XCTAssertEqual(versioning.writes, 1, "the versioning PUT alone: \(versioning)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: unversioned, context: ctx)

        // Changed outside scwlua: put back, and only that.
        try await cloud.env.s3.putBucketACL(bucket, .private)
        let repair = try await writes(provider, id: created.id, from: unversioned, to: unversioned, context: ctx)
        XCTAssertEqual(repair.writes, 1, "the ACL PUT alone: \(repair)")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: unversioned, context: ctx)

        try await provider.delete(id: created.id, inputs: unversioned, context: ctx)
    }
}

// BucketResourceTests: the Bucket resource against moto's S3 server and against the local
// emulator (the same scenarios): create, read back (no drift), update and destroy with every
// option; force_destroy of a versioned bucket; a non-empty bucket kept without it; finding
// and adopting after an interrupted create.

import Foundation
import ScwTestSupport
import XCTest
import ScalewayAPI
import ScwCore
import ScwEmulator
import ScwEngine
@testable import ScwResources

final class BucketMotoTests: XCTestCase {
    nonisolated(unsafe) private static var server: MotoServer?
    nonisolated(unsafe) private static var startError: Error?

    override class func setUp() {
        do { server = try MotoServer.start() } catch { startError = error }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func scenarios() throws -> BucketScenarios {
        if let skip = Self.startError as? XCTSkip { throw skip }
        let server = try XCTUnwrap(Self.server, "moto did not start: \(Self.startError.map { "\($0)" } ?? "?")")
        let project = "951df375-e094-4d26-97c1-ba548eeb9c42"
        let config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-2222-4333-8444-555555555555",
                                    defaultProjectID: project, s3Endpoint: server.endpoint)
        let transport = CurlTransport()
        let client = ScalewayClient(config: config, transport: transport, retry: .testing)
        return BucketScenarios(env: ScalewayEnvironment(client: client, defaultProjectID: project, defaultRegion: "fr-par", defaultZone: "fr-par-1",
                                                        pollInterval: 0.01, s3: S3Client(config: config, transport: transport, retry: .testing, timeout: 20)))
    }

    func testCreateUpdateDestroyWithEveryOption() async throws { try await scenarios().everyOption() }
    func testGeneratedNameBucket() async throws { try await scenarios().generatedName() }
    func testNonEmptyBucketIsKeptWithoutForceDestroy() async throws { try await scenarios().nonEmptyKept() }
    func testForceDestroyOfAVersionedBucketWithObjects() async throws { try await scenarios().forceDestroyVersioned() }
    func testInterruptedCreateIsFinishedAndFoundAgain() async throws { try await scenarios().interruptedCreate() }
    func testSomeoneElsesBucketIsNotAdopted() async throws { try await scenarios().someoneElses() }
}

final class BucketEmulatorTests: XCTestCase {
    private var emulators: [Emulator] = []

    override func tearDown() {
        for e in emulators { e.stop() }
        emulators = []
    }

    /// The environment `--local` builds: the emulator's config, S3 on the same port.
    private func scenarios() throws -> BucketScenarios {
        let e = try Emulator(options: EmulatorOptions())
        try e.start()
        emulators.append(e)
        let config = ScalewayConfig.local(baseURL: e.baseURL)
        let client = ScalewayClient(config: config, transport: CurlTransport(), retry: .testing)
        let env = ScalewayEnvironment(client: client, defaultProjectID: config.defaultProjectID, defaultRegion: "fr-par", defaultZone: "fr-par-1",
                                      pollInterval: 0.01)
        XCTAssertEqual(env.s3.config.s3Endpoint, e.baseURL, "a local config sends S3 to the emulator")
        return BucketScenarios(env: env)
    }

    func testCreateUpdateDestroyWithEveryOption() async throws { try await scenarios().everyOption() }
    func testGeneratedNameBucket() async throws { try await scenarios().generatedName() }
    func testNonEmptyBucketIsKeptWithoutForceDestroy() async throws { try await scenarios().nonEmptyKept() }
    func testForceDestroyOfAVersionedBucketWithObjects() async throws { try await scenarios().forceDestroyVersioned() }
    func testInterruptedCreateIsFinishedAndFoundAgain() async throws { try await scenarios().interruptedCreate() }
    func testSomeoneElsesBucketIsNotAdopted() async throws { try await scenarios().someoneElses() }
}

/// The Bucket scenarios, against whatever S3 the environment names.
struct BucketScenarios {
    let env: ScalewayEnvironment
    var project: String { env.defaultProjectID ?? "" }

    private func context(_ name: String, stack: String = "test-stack") -> ProviderContext {
        ProviderContext(stack: stack, address: ResourceAddress(type: "Bucket", name: name))
    }

    private func unique(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }

    private func assertNoDrift(_ provider: BucketResource, id: String, inputs: [String: Value], context: ProviderContext,
                               file: StaticString = #filePath, line: UInt = #line) async throws {
        let read = try await provider.read(id: id, inputs: inputs, context: context)
        let observed = try XCTUnwrap(read?.observed, "the bucket is gone", file: file, line: line)
        let drift = Diff.changes(schema: BucketResource.schema, old: observed, new: inputs)
        XCTAssertEqual(drift.map(\.name), [], "observed \(observed)\ninputs \(inputs)", file: file, line: line)
    }

    func everyOption() async throws {
        let provider = BucketResource(env: env)
        let ctx = context("assets")
        let name = unique("scwlua-every-option")
        var inputs = try provider.normalize([
            "name": .string(name),
            "visibility": .string("public-read"),
            "versioning": .bool(true),
            "tags": .map(["env": .string("prod"), "team": .string("web")]),
            "cors_rules": .list([.map([
                "allowed_methods": .list([.string("get"), .string("HEAD")]),
                "allowed_origins": .list([.string("https://www.example.com")]),
                "allowed_headers": .list([.string("*")]),
                "expose_headers": .list([.string("ETag")]),
                "max_age_seconds": .int(3000),
            ])]),
            "lifecycle_rules": .list([
                .map(["prefix": .string("logs/"), "expiration_days": .int(365),
                      "transitions": .list([.map(["days": .int(30), "storage_class": .string("GLACIER")])])]),
                .map(["id": .string("tmp"), "prefix": .string("tmp/"), "enabled": .bool(false), "expiration_days": .int(1)]),
            ]),
        ], context: ctx)
        XCTAssertEqual(inputs["acl"], .string("public-read"))
        XCTAssertNil(inputs["visibility"])

        let created = try await provider.create(inputs, context: ctx)
        XCTAssertEqual(created.id, "fr-par/\(name)")
        XCTAssertEqual(created.outputs["name"], .string(name))
        XCTAssertEqual(created.outputs["region"], .string("fr-par"))
        XCTAssertEqual(created.outputs["api_endpoint"]?.stringValue, env.s3.config.s3Endpoint)
        try await assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        // What S3 holds: ownership tags next to the user's, no pending mark.
        let bucket = S3Bucket(name: name, region: "fr-par", projectID: project)
        let tags = try await env.s3.getBucketTagging(bucket)
        XCTAssertEqual(Set(tags), [S3Tag("env", "prod"), S3Tag("team", "web"), S3Tag("scwlua:stack", "test-stack"), S3Tag("scwlua:urn", "Bucket/assets")])
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        let notOurs = try await provider.find(inputs: inputs, context: context("other"))
        XCTAssertEqual(notOurs.count, 0, "another resource's tags do not match")

        // Update everything in place.
        var changed = inputs
        changed["acl"] = .string("authenticated-read")
        changed["versioning"] = .bool(false)
        changed["tags"] = .map(["env": .string("staging")])
        changed["cors_rules"] = .list([.map(["allowed_methods": .list([.string("PUT")]), "allowed_origins": .list([.string("*")])])])
        changed["lifecycle_rules"] = .list([])
        changed = try provider.normalize(changed, context: ctx)
        let changes = Diff.changes(schema: BucketResource.schema, old: inputs, new: changed)
        XCTAssertEqual(Set(changes.map(\.name)), ["acl", "versioning", "tags", "cors_rules", "lifecycle_rules"])
        XCTAssertFalse(changes.contains(where: \.forcesReplacement))
        _ = try await provider.update(id: created.id, from: inputs, to: changed, context: ctx)
        try await assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)
        let versioning = try await env.s3.getBucketVersioning(bucket)
        XCTAssertEqual(versioning, .suspended)

        // Drift made outside is repaired by the next update.
        try await env.s3.putBucketACL(bucket, .publicRead)
        let drifted = try await provider.read(id: created.id, inputs: changed, context: ctx)
        XCTAssertEqual(drifted?.observed["acl"], .string("public-read"))
        _ = try await provider.update(id: created.id, from: changed, to: changed, context: ctx)
        try await assertNoDrift(provider, id: created.id, inputs: changed, context: ctx)

        // Name and region changes replace.
        var renamed = changed
        renamed["region"] = .string("nl-ams")
        XCTAssertTrue(Diff.changes(schema: BucketResource.schema, old: changed, new: try provider.normalize(renamed, context: ctx))
            .contains { $0.name == "region" && $0.forcesReplacement })

        inputs = changed
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        XCTAssertNil(gone)
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)   // already gone: success
    }

    func generatedName() async throws {
        let provider = BucketResource(env: env)
        let ctx = context(unique("logs"), stack: "Prod Stack")
        let inputs = try provider.normalize([:], context: ctx)
        let name = try XCTUnwrap(inputs["name"]?.stringValue)
        XCTAssertTrue(name.hasPrefix("scwlua-prod-stack-logs-"), name)
        let created = try await provider.create(inputs, context: ctx)
        XCTAssertEqual(created.outputs["name"], .string(name))
        try await assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
    }

    func nonEmptyKept() async throws {
        let provider = BucketResource(env: env)
        let ctx = context("data")
        let inputs = try provider.normalize(["name": .string(unique("scwlua-not-empty"))], context: ctx)
        let created = try await provider.create(inputs, context: ctx)
        let bucket = S3Bucket(name: inputs["name"]!.stringValue!, region: "fr-par")
        _ = try await env.s3.putObject(bucket, key: "keep/me.txt", body: Array("precious".utf8))
        do {
            try await provider.delete(id: created.id, inputs: inputs, context: ctx)
            XCTFail("a non-empty bucket must not be deleted without force_destroy")
        } catch let error as Diagnostic {
            XCTAssertTrue(error.message.contains("is not empty: nothing was deleted"), error.message)
            XCTAssertTrue(error.hint?.contains("force_destroy = true") ?? false)
        }
        let kept = try await env.s3.getObject(bucket, key: "keep/me.txt")
        XCTAssertEqual(String(decoding: kept.body, as: UTF8.self), "precious")

        var forced = inputs
        forced["force_destroy"] = .bool(true)
        try await provider.delete(id: created.id, inputs: forced, context: ctx)
        let head = try await env.s3.headBucket(bucket)
        XCTAssertNil(head)
    }

    func forceDestroyVersioned() async throws {
        let provider = BucketResource(env: env)
        let ctx = context("versioned")
        let inputs = try provider.normalize(["name": .string(unique("scwlua-force")), "versioning": .bool(true), "force_destroy": .bool(true)],
                                            context: ctx)
        let created = try await provider.create(inputs, context: ctx)
        let bucket = S3Bucket(name: inputs["name"]!.stringValue!, region: "fr-par")
        for n in 0..<12 {
            _ = try await env.s3.putObject(bucket, key: "dir \(n % 3)/é+\(n).txt", body: Array("v\(n)".utf8))
        }
        _ = try await env.s3.putObject(bucket, key: "dir 0/é+0.txt", body: Array("second version".utf8))
        try await env.s3.deleteObject(bucket, key: "dir 1/é+1.txt")   // a delete marker
        let versions = try await env.s3.listAllObjectVersions(bucket)
        XCTAssertEqual(versions.count, 14)
        XCTAssertTrue(versions.contains(where: \.isDeleteMarker))

        let phases = Phases()
        let watched = ProviderContext(stack: ctx.stack, address: ctx.address, phase: { phases.add($0) })
        try await provider.delete(id: created.id, inputs: inputs, context: watched)
        let head = try await env.s3.headBucket(bucket)
        XCTAssertNil(head)
        XCTAssertTrue(phases.all.contains("force_destroy: deleted 14 object versions"), "\(phases.all)")
    }

    // MARK: recovery

    func interruptedCreate() async throws {
        let provider = BucketResource(env: env)
        let ctx = context("half")
        let inputs = try provider.normalize(["name": .string(unique("scwlua-half")), "acl": .string("public-read"), "versioning": .bool(true)],
                                            context: ctx)
        let bucket = S3Bucket(name: inputs["name"]!.stringValue!, region: "fr-par", projectID: project)
        // What a create killed after its first tagging call leaves behind.
        try await env.s3.createBucket(bucket)
        try await env.s3.putBucketTagging(bucket, BucketResource.ownershipTags(ctx) + [BucketResource.pendingTag])
        let notYet = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(notYet.map(\.halfMade), [true], "a pending bucket is reported half-made, never adopted as it is")
        let created = try await provider.create(inputs, context: ctx)
        try await assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
    }

    func someoneElses() async throws {
        let provider = BucketResource(env: env)
        let ctx = context("taken")
        let inputs = try provider.normalize(["name": .string(unique("scwlua-taken"))], context: ctx)
        let bucket = S3Bucket(name: inputs["name"]!.stringValue!, region: "fr-par")
        try await env.s3.createBucket(bucket)
        try await env.s3.putBucketTagging(bucket, [S3Tag("owner", "someone")])
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.count, 0)
        do {
            _ = try await provider.create(inputs, context: ctx)
            XCTFail("an existing bucket without our tags must not be taken over")
        } catch let error as CreateRefusedError {
            XCTAssertTrue(error.description.contains("not managed by this stack"), error.description)
        }
        let tags = try await env.s3.getBucketTagging(bucket)
        XCTAssertEqual(tags, [S3Tag("owner", "someone")], "left untouched")
        try await env.s3.deleteBucket(bucket)

        // A generated name is ours by construction: an untagged bucket of that name is adopted.
        let genCtx = context(unique("gen"))
        let generated = try provider.normalize([:], context: genCtx)
        let genBucket = S3Bucket(name: generated["name"]!.stringValue!, region: "fr-par")
        try await env.s3.createBucket(genBucket)
        let adopted = try await provider.create(generated, context: genCtx)
        try await assertNoDrift(provider, id: adopted.id, inputs: generated, context: genCtx)
        try await provider.delete(id: adopted.id, inputs: generated, context: genCtx)
    }
}

/// Phase lines reported by a provider.
final class Phases: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}

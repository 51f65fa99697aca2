// ServerlessResourceTests: the serverless resources against the in-process emulator: a
// namespace, a function from a folder (uploaded, deployed, ready, then redeployed when its
// code changes), a cron; bad input refused before any write, each naming the prop; a failing
// build reported with the API's message; finds after an interrupted create; a registry
// namespace holding images refused deletion with the images named.

import Foundation
import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class ServerlessResourceTests: XCTestCase {
    var cloud: ComputeEmulator!
    var folder = ""
    /// The emulator's environment, reading code paths from the test's folder.
    var env: ScalewayEnvironment {
        var e = cloud.env
        e.baseDirectory = folder
        return e
    }

    override func setUpWithError() throws {
        cloud = try ComputeEmulator(speed: 200)
        folder = NSTemporaryDirectory() + "fn-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/hello/lib", withIntermediateDirectories: true)
        try "exports.handle = () => 1\n".write(toFile: folder + "/hello/handler.js", atomically: false, encoding: .utf8)
        try "x".write(toFile: folder + "/hello/lib/u.js", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        cloud.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    var namespaces: FunctionNamespaceResource { FunctionNamespaceResource(env: env) }
    var functions: FunctionResource { FunctionResource(env: env) }

    func makeNamespace() async throws -> String {
        let ctx = cloud.context("FunctionNamespace", "api")
        let (ns, inputs) = try await cloud.create(namespaces, [
            "environment_variables": .map(["LOG_LEVEL": .string("info")]),
            "secret_environment_variables": .secret(.map(["TOKEN": .string("s3cr3t")])),
        ], context: ctx)
        XCTAssertTrue(ns.outputs["registry_endpoint"]?.stringValue?.hasPrefix("rg.fr-par.scw.cloud/funcscwapi") ?? false, "\(ns.outputs)")
        try await cloud.assertNoDrift(namespaces, id: ns.id, inputs: inputs, context: ctx)
        return ns.id
    }

    func testFunctionFromAFolderDeploysAndRedeploysWhenItsCodeChanges() async throws {
        let ns = try await makeNamespace()
        let ctx = cloud.context("Function", "hello")
        let props: [String: Value] = ["namespace_id": .string(ns), "runtime": .string("node22"), "source": .string("hello"),
                                      "timeout": .string("30s"), "memory_limit": .int(512)]
        let (fn, inputs) = try await cloud.create(functions, props, context: ctx)
        XCTAssertEqual(fn.outputs["status"], .string("ready"))
        XCTAssertEqual(fn.outputs["cpu_limit"], .int(280))
        XCTAssertEqual(fn.outputs["code_hash"], inputs["zip_hash"])
        XCTAssertEqual(inputs["handler"], .string("handler.handle"), "the node default")
        try await cloud.assertNoDrift(functions, id: fn.id, inputs: inputs, context: ctx)
        XCTAssertEqual(try functions.normalize(props, context: ctx)["zip_hash"], inputs["zip_hash"], "same files, same hash")

        try "exports.handle = () => 2\n".write(toFile: folder + "/hello/handler.js", atomically: false, encoding: .utf8)
        let changed = try functions.normalize(props, context: ctx)
        XCTAssertNotEqual(changed["zip_hash"], inputs["zip_hash"])
        let diff = Diff.changes(schema: functions.schema, old: inputs, new: changed)
        XCTAssertEqual(diff.map(\.name), ["zip_hash"])
        XCTAssertFalse(diff[0].forcesReplacement, "a code change is an in-place redeploy")
        try await cloud.env.client.resetEmulatorStats()
        let out = try await functions.update(id: fn.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(out["code_hash"], changed["zip_hash"])
        let writes = try await cloud.env.client.emulatorWrites()
        XCTAssertEqual(writes.count("PUT"), 1, "one upload: \(writes)")
        XCTAssertEqual(writes.count("POST"), 1, "one deploy: \(writes)")
        XCTAssertEqual(writes.count("PATCH"), 0, "no config change: \(writes)")

        // only an enum (privacy) changes: one PATCH, no upload
        var privateOne = changed
        privateOne["privacy"] = .string("private")
        try await cloud.env.client.resetEmulatorStats()
        _ = try await functions.update(id: fn.id, from: changed, to: privateOne, context: ctx)
        let enumWrites = try await cloud.env.client.emulatorWrites()
        XCTAssertEqual(enumWrites.count("PATCH"), 1, "\(enumWrites)")
        XCTAssertEqual(enumWrites.count("PUT"), 0, "\(enumWrites)")

        // a cron on it
        let crons = FunctionCronResource(env: cloud.env)
        let cctx = cloud.context("FunctionCron", "nightly")
        let (cron, cronInputs) = try await cloud.create(crons, ["function_id": .string(fn.id), "schedule": .string("0 3 * * *"),
                                                                "args": .map(["job": .string("cleanup")])], context: cctx)
        XCTAssertEqual(cron.outputs["status"], .string("ready"))
        let foundCrons = try await crons.find(inputs: cronInputs, context: cctx)
        XCTAssertEqual(foundCrons.map(\.id), [cron.id], "found again by its name")
        try await cloud.assertNoDrift(crons, id: cron.id, inputs: cronInputs, context: cctx)

        try await crons.delete(id: cron.id, inputs: cronInputs, context: cctx)
        try await functions.delete(id: fn.id, inputs: inputs, context: ctx)
        try await namespaces.delete(id: ns, inputs: [:], context: cloud.context("FunctionNamespace", "api"))
        let left = try await cloud.resources()
        XCTAssertEqual(left, [], "the namespace's registry goes with it")
    }

    func testBadInputIsRefusedBeforeAnyWrite() async throws {
        let ctx = cloud.context("Function", "hello")
        let ns = "fr-par/11111111-1111-4111-8111-111111111111"
        func props(_ extra: [String: Value]) -> [String: Value] {
            ["namespace_id": .string(ns), "runtime": .string("node22"), "source": .string("hello")].merging(extra) { $1 }
        }
        try await cloud.env.client.resetEmulatorStats()
        await assertDiagnostic(["memory_limit 300 MB is not offered", "512"]) { _ = try functions.normalize(props(["memory_limit": .int(300)]), context: ctx) }
        await assertDiagnostic(["max_scale (1) is below min_scale (3)"]) {
            _ = try functions.normalize(props(["min_scale": .int(3), "max_scale": .int(1)]), context: ctx)
        }
        await assertDiagnostic(["source: folder nope does not exist"]) { _ = try functions.normalize(props(["source": .string("nope")]), context: ctx) }
        await assertDiagnostic(["source: folder empty holds no file"]) { _ = try functions.normalize(props(["source": .string("empty")]), context: ctx) }
        await assertDiagnostic(["zip_hash is computed by scwlua"]) { _ = try functions.normalize(props(["zip_hash": .string("x")]), context: ctx) }
        // a zip over the upload limit (a sparse file: no disk used)
        let big = folder + "/big.zip"
        _ = FileManager.default.createFile(atPath: big, contents: Data([0x50, 0x4b, 3, 4]))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: UInt64(FunctionCode.maxBytes + 1))
        try handle.close()
        await assertDiagnostic(["zip_file: big.zip is 104857601 bytes; the upload limit is 104857600 bytes"]) {
            _ = try functions.normalize(["namespace_id": .string(ns), "runtime": .string("node22"), "zip_file": .string("big.zip")], context: ctx)
        }
        let inputs = try functions.normalize(props(["runtime": .string("nodejs22")]), context: ctx)
        await assertDiagnostic(["runtime 'nodejs22' is not offered in fr-par", "did you mean 'node22'?"]) {
            try await functions.validate(inputs, context: ctx)
        }
        await assertDiagnostic(["schedule: day of week field \"9\": 9 is outside 0-7"]) {
            _ = try FunctionCronResource(env: cloud.env).normalize(["function_id": .string(ns), "schedule": .string("0 3 * * 9")],
                                                                   context: cloud.context("FunctionCron", "c"))
        }
        await assertDiagnostic(["schedule: \"every night\" has 2 field(s)"]) {
            _ = try FunctionCronResource(env: cloud.env).normalize(["function_id": .string(ns), "schedule": .string("every night")],
                                                                   context: cloud.context("FunctionCron", "c"))
        }
        await assertDiagnostic(["name must be 4 to 54 lowercase letters"]) {
            _ = try RegistryNamespaceResource(env: cloud.env).normalize(["name": .string("Apps_1")], context: cloud.context("RegistryNamespace", "r"))
        }
        await assertDiagnostic(["max_scale (2) is below min_scale (4)"]) {
            _ = try ContainerResource(env: cloud.env).normalize(["namespace_id": .string(ns), "registry_image": .string("nginx"),
                                                                  "min_scale": .int(4), "max_scale": .int(2)], context: cloud.context("Container", "c"))
        }
        let writes = try await cloud.env.client.emulatorWrites()
        XCTAssertEqual(writes.writes, 0, "no write: \(writes)")
    }

    func testAFailingBuildReportsTheAPIMessage() async throws {
        let ns = try await makeNamespace()
        try FileManager.default.moveItem(atPath: folder + "/hello/handler.js", toPath: folder + "/hello/index.js")
        let ctx = cloud.context("Function", "broken")
        await assertDiagnostic(["function broken failed: error", "handler.js"]) {
            _ = try await cloud.create(functions, ["namespace_id": .string(ns), "runtime": .string("node22"), "source": .string("hello")], context: ctx)
        }
        let inputs = try functions.normalize(["namespace_id": .string(ns), "runtime": .string("node22"), "source": .string("hello")], context: ctx)
        let found = try await functions.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.halfMade, true, "a function left in error is half-made: the next create finishes it")
        try FileManager.default.moveItem(atPath: folder + "/hello/index.js", toPath: folder + "/hello/handler.js")
        let fixed = try functions.normalize(["namespace_id": .string(ns), "runtime": .string("node22"), "source": .string("hello")], context: ctx)
        let again = try await functions.create(fixed, context: ctx)
        XCTAssertEqual(again.id, found.first?.id, "the same function, finished")
        XCTAssertEqual(again.outputs["status"], .string("ready"))
    }

    func testRegistryNamespaceHoldingImagesIsNotDeleted() async throws {
        let registry = RegistryNamespaceResource(env: cloud.env)
        let ctx = cloud.context("RegistryNamespace", "apps")
        let (ns, inputs) = try await cloud.create(registry, ["is_public": .bool(true)], context: ctx)
        XCTAssertEqual(ns.outputs["endpoint"], .string("rg.fr-par.scw.cloud/apps"))
        let found = try await registry.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [ns.id])
        try await cloud.assertNoDrift(registry, id: ns.id, inputs: inputs, context: ctx)
        _ = try await cloud.env.client.call("POST", "/__emulator/registry/images", body: .map(["image": .string("rg.fr-par.scw.cloud/apps/web:1.4.2")]))
        await assertDiagnostic(["registry namespace apps still holds 1 image(s): web:1.4.2", "cannot be deleted"]) {
            try await registry.delete(id: ns.id, inputs: inputs, context: ctx)
        }
    }
}

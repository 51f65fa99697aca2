// ContainerResourceTests: a container namespace and a container against the in-process
// emulator: created and ready with its health check and limits, read back without drift, an
// image change redeployed in place by one PATCH, an image that cannot be pulled reported with
// the API's message, secrets sent and never read back.

import Foundation
import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class ContainerResourceTests: XCTestCase {
    var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator(speed: 200) }
    override func tearDownWithError() throws { cloud.stop() }

    func testContainerLifecycle() async throws {
        let namespaces = ContainerNamespaceResource(env: cloud.env)
        let nctx = cloud.context("ContainerNamespace", "web")
        let (ns, nsInputs) = try await cloud.create(namespaces, ["secret_environment_variables": .secret(.map(["K": .string("v4lue")]))], context: nctx)
        XCTAssertEqual(ns.outputs["status"], .string("ready"))
        try await cloud.assertNoDrift(namespaces, id: ns.id, inputs: nsInputs, context: nctx)

        let containers = ContainerResource(env: cloud.env)
        let ctx = cloud.context("Container", "web")
        let props: [String: Value] = [
            "namespace_id": .string(ns.id), "registry_image": .string("nginx:1.29.4-alpine"), "port": .int(8080), "min_scale": .int(1),
            "max_scale": .int(10), "http_option": .string("redirected"), "timeout": .string("5m"),
            "health_check": .map(["http": .map(["path": .string("/healthz")]), "failure_threshold": .int(3), "interval": .string("10s")]),
            "secret_environment_variables": .secret(.map(["DATABASE_URL": .string("postgres://u:pw@db/app")])),
        ]
        let (c, inputs) = try await cloud.create(containers, props, context: ctx)
        XCTAssertEqual(c.outputs["status"], .string("ready"))
        XCTAssertEqual(c.outputs["error_message"], .string(""))
        XCTAssertTrue(c.outputs["domain_name"]?.stringValue?.hasSuffix("-web.functions.fnc.fr-par.scw.cloud") ?? false)
        try await cloud.assertNoDrift(containers, id: c.id, inputs: inputs, context: ctx)
        let raw = try await cloud.env.client.call("GET", "/containers/v1/regions/fr-par/containers/\(uuidPart(c.id))")
        XCTAssertEqual(raw["liveness_probe"]?["http"]?["path"], .string("/healthz"))
        XCTAssertEqual(raw["https_connections_only"], .bool(true))
        XCTAssertEqual(raw["timeout"], .string("300s"))
        XCTAssertFalse(JSON.encode(raw).contains("postgres://u:pw"), "the secret is never served back")

        // an image change: one PATCH, waited for
        var changed = inputs
        changed["registry_image"] = .string("nginx:1.30-alpine")
        try await cloud.env.client.resetEmulatorStats()
        let out = try await containers.update(id: c.id, from: inputs, to: changed, context: ctx)
        XCTAssertEqual(out["status"], .string("ready"))
        let writes = try await cloud.env.client.emulatorWrites()
        XCTAssertEqual(writes.byMethod.filter { ["POST", "PUT", "PATCH", "DELETE"].contains($0.key) }, ["PATCH": 1], "\(writes)")

        // only an enum (privacy) changes: still one PATCH
        var privateOne = changed
        privateOne["privacy"] = .string("private")
        try await cloud.env.client.resetEmulatorStats()
        _ = try await containers.update(id: c.id, from: changed, to: privateOne, context: ctx)
        let enumWrites = try await cloud.env.client.emulatorWrites()
        XCTAssertEqual(enumWrites.count("PATCH"), 1, "\(enumWrites)")
        let privacy = try await cloud.env.client.call("GET", "/containers/v1/regions/fr-par/containers/\(uuidPart(c.id))")["privacy"]
        XCTAssertEqual(privacy, .string("private"))

        // an image that cannot be pulled: the API's message
        let bad = cloud.context("Container", "missing")
        await assertDiagnostic(["container missing failed: error", "not found in the registry"]) {
            _ = try await cloud.create(containers, ["namespace_id": .string(ns.id), "registry_image": .string("rg.fr-par.scw.cloud/none/web:1")], context: bad)
        }

        try await containers.delete(id: c.id, inputs: privateOne, context: ctx)
        try await namespaces.delete(id: ns.id, inputs: nsInputs, context: nctx)
        let left = try await cloud.resources()
        XCTAssertEqual(left, [])
    }
}

// LbPartsResourceTests: LbBackend, LbFrontend (with ACLs) and LbCertificate against the
// emulator: creates read back without drift, updates send only the calls that changed, bad
// input is refused before any write, certificates reach ready (or report the API's error), and
// the parts are found again by name after a lost answer.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class LbPartsResourceTests: XCTestCase {
    private var cloud: LbCloud!

    override func setUpWithError() throws { cloud = try LbCloud() }
    override func tearDown() { cloud.stop() }

    private func backendProps(_ lb: String) -> [String: Value] {
        ["lb": .string(lb), "forward_protocol": .string("http"), "forward_port": .int(80),
         "server_ips": .list([.string("10.10.0.2"), .string("10.10.0.3")]),
         "health_check": .map(["port": .int(80), "http": .map(["uri": .string("/healthz")])])]
    }

    func testBackendUpdatesOnlyWhatChanged() async throws {
        let (lb, _) = try await cloud.loadBalancer()
        let provider = LbBackendResource(env: cloud.env)
        let ctx = cloud.context("LbBackend", "web")
        var props = backendProps(lb)
        props["lb_id"] = props.removeValue(forKey: "lb")
        props["timeout_server"] = .string("5m")
        let (created, inputs) = try await cloud.compute.create(provider, props, context: ctx)
        XCTAssertEqual(created.outputs["server_ips"], .list([.string("10.10.0.2"), .string("10.10.0.3")]))
        let raw = try await cloud.api.getBackend(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(raw.healthCheck.kind, "http_config")
        XCTAssertEqual(raw.healthCheck.config["uri"], .string("/healthz"))
        XCTAssertEqual(raw.timeoutServerMs, 300_000)
        XCTAssertEqual(inputs["timeout_server"], .string("5m"))
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        // A third server: PUT servers only.
        var scaled = props
        scaled["server_ips"] = .list([.string("10.10.0.2"), .string("10.10.0.3"), .string("10.10.0.4")])
        let scaledInputs = try provider.normalize(scaled, context: ctx)
        cloud.recorder.reset()
        let out = try await provider.update(id: created.id, from: inputs, to: scaledInputs, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["PUT /lb/v1/zones/fr-par-1/backends/{id}/servers"])
        XCTAssertEqual(out["server_ips"]?.listValue?.count, 3)
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: scaledInputs, context: ctx)

        // The health check and the algorithm: PUT backend then PUT healthcheck, nothing else.
        var tuned = scaled
        tuned["forward_port_algorithm"] = .string("leastconn")
        tuned["health_check"] = .map(["port": .int(8080), "tcp": .map([:]), "delay": .string("10s")])
        let tunedInputs = try provider.normalize(tuned, context: ctx)
        cloud.recorder.reset()
        _ = try await provider.update(id: created.id, from: scaledInputs, to: tunedInputs, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["PUT /lb/v1/zones/fr-par-1/backends/{id}", "PUT /lb/v1/zones/fr-par-1/backends/{id}/healthcheck"])
        let now = try await cloud.api.getBackend(zone: "fr-par-1", id: uuidPart(created.id))
        XCTAssertEqual(now.healthCheck.port, 8080)
        XCTAssertEqual(now.healthCheck.checkDelayMs, 10_000)
        XCTAssertEqual(now.forwardPortAlgorithm, "leastconn")
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: tunedInputs, context: ctx)

        // Found again by its name on its LB (backends cannot be tagged).
        let foundByName = try await provider.find(inputs: tunedInputs, context: ctx).map(\.id)
        XCTAssertEqual(foundByName, [created.id])
        try await provider.delete(id: created.id, inputs: tunedInputs, context: ctx)
        let gone = try await provider.read(id: created.id, inputs: tunedInputs, context: ctx)
        XCTAssertNil(gone)
    }

    func testBackendBadInput() async throws {
        let provider = LbBackendResource(env: cloud.env)
        let ctx = cloud.context("LbBackend", "bad")
        let lb = "fr-par-1/11111111-1111-4111-8111-111111111111"
        var two = backendProps(lb)
        two["lb_id"] = two.removeValue(forKey: "lb")
        two["health_check"] = .map(["port": .int(80), "tcp": .map([:]), "http": .map(["uri": .string("/")])])
        await assertDiagnostic(["health_check", "one kind of check", "tcp and http"]) { _ = try provider.normalize(two, context: ctx) }
        var port = two
        port["health_check"] = nil
        port["forward_port"] = .int(70000)
        await assertDiagnostic(["forward_port must be between 1 and 65535, got 70000"]) { _ = try provider.normalize(port, context: ctx) }
        port["forward_port"] = .int(80)
        port["health_check"] = .map(["port": .int(0)])
        await assertDiagnostic(["health_check.port must be between 1 and 65535"]) { _ = try provider.normalize(port, context: ctx) }
        port["health_check"] = nil
        port["sticky_sessions"] = .string("cookie")
        await assertDiagnostic(["sticky_sessions_cookie_name"]) { _ = try provider.normalize(port, context: ctx) }
        XCTAssertEqual(cloud.recorder.writes, [])
    }

    func testFrontendWithACLs() async throws {
        let (lb, _) = try await cloud.loadBalancer()
        var bprops = backendProps(lb)
        bprops["lb_id"] = bprops.removeValue(forKey: "lb")
        let (backend, _) = try await cloud.compute.create(LbBackendResource(env: cloud.env), bprops, context: cloud.context("LbBackend", "web"))
        let provider = LbFrontendResource(env: cloud.env)
        let ctx = cloud.context("LbFrontend", "https")
        let noAdmin: Value = .map(["name": .string("no-admin"), "action": .map(["type": .string("deny")]),
                                   "match": .map(["ip_subnet": .list([.string("0.0.0.0/0")]), "http_filter": .string("path_begin"),
                                                  "http_filter_value": .list([.string("/admin")])])])
        let props: [String: Value] = ["lb_id": .string(lb), "backend_id": backend.outputs["id"]!, "inbound_port": .int(80),
                                      "timeout_client": .string("30s"), "acls": .list([noAdmin])]
        let (created, inputs) = try await cloud.compute.create(provider, props, context: ctx)
        XCTAssertEqual(created.outputs["acl_ids"]?.listValue?.count, 1)
        let acls = try await cloud.api.listACLs(zone: "fr-par-1", frontendID: uuidPart(created.id))
        XCTAssertEqual(acls.map(\.name), ["no-admin"])
        XCTAssertEqual(acls[0].match["http_filter_value"], .list([.string("/admin")]))
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        // One ACL added (a redirect): one POST, nothing else.
        let redirect: Value = .map(["action": .map(["type": .string("redirect"), "redirect": .map(["type": .string("scheme"), "target": .string("https")])]),
                                    "match": .map(["ip_subnet": .list([.string("10.0.0.0/8")])])])
        var more = props
        more["acls"] = .list([noAdmin, redirect])
        let moreInputs = try provider.normalize(more, context: ctx)
        cloud.recorder.reset()
        let out = try await provider.update(id: created.id, from: inputs, to: moreInputs, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["POST /lb/v1/zones/fr-par-1/frontends/{id}/acls"])
        XCTAssertEqual(out["acl_ids"]?.listValue?.count, 2)
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: moreInputs, context: ctx)
        let second = try await cloud.api.listACLs(zone: "fr-par-1", frontendID: uuidPart(created.id)).first { $0.index == 1 }
        XCTAssertEqual(second?.name, "https-acl-2")
        XCTAssertEqual(second?.action["redirect"]?["code"], .int(302))

        // The first one dropped: index 0 is rewritten (PUT), index 1 deleted.
        var fewer = props
        fewer["acls"] = .list([redirect])
        let fewerInputs = try provider.normalize(fewer, context: ctx)
        cloud.recorder.reset()
        _ = try await provider.update(id: created.id, from: moreInputs, to: fewerInputs, context: ctx)
        XCTAssertEqual(cloud.recorder.writes, ["DELETE /lb/v1/zones/fr-par-1/acls/{id}", "PUT /lb/v1/zones/fr-par-1/acls/{id}"])
        try await cloud.compute.assertNoDrift(provider, id: created.id, inputs: fewerInputs, context: ctx)

        // Bad input: an ACL without a match, a port out of range.
        var bad = props
        bad["acls"] = .list([.map(["action": .map(["type": .string("deny")])])])
        await assertDiagnostic(["acls[1]", "needs a match"]) { _ = try provider.normalize(bad, context: ctx) }
        bad["acls"] = .list([.map(["action": .map(["type": .string("deny")]), "match": .map([:])])])
        await assertDiagnostic(["acls[1]", "the match is empty"]) { _ = try provider.normalize(bad, context: ctx) }
        bad["acls"] = nil
        bad["inbound_port"] = .int(0)
        await assertDiagnostic(["inbound_port must be between 1 and 65535"]) { _ = try provider.normalize(bad, context: ctx) }
        XCTAssertEqual(LbFrontendResource.schema.uniqueTogether, [["lb_id", "inbound_port"]])

        let foundFrontend = try await provider.find(inputs: fewerInputs, context: ctx).map(\.id)
        XCTAssertEqual(foundFrontend, [created.id])
        try await provider.delete(id: created.id, inputs: fewerInputs, context: ctx)
        let aclsLeft = try await cloud.compute.resources(kind: "lb_acl").count
        XCTAssertEqual(aclsLeft, 0)
    }

    /// A run killed between the frontend's POST and its ACLs: `find` does not adopt the
    /// half-made frontend, and the next create finishes that one rather than making another.
    func testAHalfMadeFrontendIsFinishedNotDuplicated() async throws {
        let (lb, _) = try await cloud.loadBalancer()
        var bprops = backendProps(lb)
        bprops["lb_id"] = bprops.removeValue(forKey: "lb")
        let (backend, _) = try await cloud.compute.create(LbBackendResource(env: cloud.env), bprops, context: cloud.context("LbBackend", "web"))
        let provider = LbFrontendResource(env: cloud.env)
        let ctx = cloud.context("LbFrontend", "https")
        let acl: Value = .map(["action": .map(["type": .string("deny")]), "match": .map(["ip_subnet": .list([.string("192.0.2.0/24")])])])
        let inputs = try provider.normalize(["lb_id": .string(lb), "backend_id": backend.outputs["id"]!, "inbound_port": .int(443),
                                             "acls": .list([acl])], context: ctx)
        let half = try await cloud.api.createFrontend(zone: "fr-par-1", lbID: uuidPart(lb),
                                                      spec: LbFrontendSpec(name: "https", inboundPort: 443, backendID: uuidPart(backend.id)))
        let adopted = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(adopted.count, 0, "a frontend without its ACLs is not adopted")
        let created = try await provider.create(inputs, context: ctx)
        XCTAssertEqual(uuidPart(created.id), half.id, "the half-made frontend is finished")
        let frontends = try await cloud.api.listFrontends(zone: "fr-par-1", lbID: uuidPart(lb))
        XCTAssertEqual(frontends.count, 1)
        XCTAssertEqual(created.outputs["acl_ids"]?.listValue?.count, 1)
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
    }

    func testCertificates() async throws {
        let (lb, _) = try await cloud.loadBalancer()
        let provider = LbCertificateResource(env: cloud.env)
        let le = cloud.context("LbCertificate", "www")
        let (issued, leInputs) = try await cloud.compute.create(provider, ["lb_id": .string(lb), "letsencrypt": .map(["common_name": .string("www.example.com")])], context: le)
        XCTAssertEqual(issued.outputs["status"], .string("ready"))
        XCTAssertEqual(issued.outputs["fingerprint"]?.stringValue?.count, 40)
        XCTAssertNotEqual(issued.outputs["not_valid_after"], .null)
        try await cloud.compute.assertNoDrift(provider, id: issued.id, inputs: leInputs, context: le)

        let chain = try LbCloud.chain()
        let customCtx = cloud.context("LbCertificate", "custom")
        let (custom, customInputs) = try await cloud.compute.create(provider, [
            "lb_id": .string(lb), "custom_certificate": .secret(.map(["certificate_chain": .string(chain)])),
        ], context: customCtx)
        XCTAssertEqual(custom.outputs["common_name"], .string("www.example.com"))
        XCTAssertEqual(custom.outputs["subject_alternative_name"], .list([.string("example.com")]))
        XCTAssertEqual(custom.outputs["fingerprint"], .string("7c5be628f209a3aa379f3e2a3de22016649d90ec"))
        XCTAssertEqual(custom.outputs["not_valid_after"], .string("2036-12-01T18:19:14Z"))
        XCTAssertFalse("\(custom.outputs)".contains("PRIVATE KEY"))
        try await cloud.compute.assertNoDrift(provider, id: custom.id, inputs: customInputs, context: customCtx)

        // A chain the API cannot read: its message, and no certificate left behind.
        let badCtx = cloud.context("LbCertificate", "bad")
        await assertDiagnostic(["certificate was refused", "no private key"]) {
            let certOnly = String(chain[..<chain.range(of: "-----BEGIN PRIVATE KEY-----")!.lowerBound])
            _ = try await self.cloud.compute.create(provider, ["lb_id": .string(lb), "custom_certificate": .secret(.map(["certificate_chain": .string(certOnly)]))],
                                                    context: badCtx)
        }
        let certificateNames = try await cloud.api.listCertificates(zone: "fr-par-1", lbID: uuidPart(lb)).map(\.name).sorted()
        XCTAssertEqual(certificateNames, ["custom", "www"])

        await assertDiagnostic(["not both"]) {
            _ = try provider.normalize(["lb_id": .string(lb), "letsencrypt": .map(["common_name": .string("a.example.com")]),
                                        "custom_certificate": .secret(.map(["certificate_chain": .string("x")]))], context: badCtx)
        }
        await assertDiagnostic(["give letsencrypt"]) { _ = try provider.normalize(["lb_id": .string(lb)], context: badCtx) }
        XCTAssertTrue(LbCertificateResource.schema.prop("custom_certificate")!.sensitive)

        for (id, inputs, ctx) in [(issued.id, leInputs, le), (custom.id, customInputs, customCtx)] {
            try await provider.delete(id: id, inputs: inputs, context: ctx)
        }
        let certificatesLeft = try await cloud.compute.resources(kind: "lb_certificate").count
        XCTAssertEqual(certificatesLeft, 0)
    }
}

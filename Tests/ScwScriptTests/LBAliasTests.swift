// LBAliasTests: the handle aliases the load balancer props rely on: `private_network = pn`
// inside a table of a list (for `private_network_id`), and `certificates = { cert }` for
// `certificate_ids`; both resolve to the real prop and keep the reference (the dependency edge).

import XCTest
import ScwCore
@testable import ScwScript

final class LBAliasTests: XCTestCase {
    func testAliasesInsideTablesAndPluralIDs() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "app" {}
        local lb = scw.LoadBalancer "web" { type = "LB-S", private_networks = { { private_network = pn, ipam = true } } }
        local be = scw.LbBackend "web" { lb = lb, forward_protocol = "tcp", forward_port = 80 }
        local cert = scw.LbCertificate "c" { lb = lb, letsencrypt = { common_name = "www.example.com" } }
        scw.LbFrontend "https" { lb = lb, backend = be, inbound_port = 443, certificates = { cert } }
        """)
        let byType = Dictionary(program.declarations.map { ($0.address.type + "/" + $0.address.name, $0) }, uniquingKeysWith: { a, _ in a })
        let entry = try XCTUnwrap(byType["LoadBalancer/web"]?.props["private_networks"]?.listValue?.first?.mapValue)
        XCTAssertEqual(Set(entry.keys), ["private_network_id", "ipam"])
        XCTAssertEqual(entry["private_network_id"]?.references.map(\.address.type), ["VpcPrivateNetwork"])
        let frontend = try XCTUnwrap(byType["LbFrontend/https"])
        XCTAssertEqual(frontend.props["certificate_ids"]?.references.map(\.address.type), ["LbCertificate"])
        XCTAssertNotNil(frontend.props["lb_id"])
        XCTAssertTrue(frontend.dependencies.contains { $0.type == "LbCertificate" }, "\(frontend.dependencies)")
        XCTAssertTrue(byType["LoadBalancer/web"]!.dependencies.contains { $0.type == "VpcPrivateNetwork" })
    }

    func testAliasAndPropTogetherAreRefused() {
        let e = scriptError("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "app" {}
        scw.LoadBalancer "web" { type = "LB-S", private_networks = { { private_network = pn, private_network_id = pn } } }
        """)
        XCTAssertTrue(e.contains("infra.lua:3:"), e)
        XCTAssertTrue(e.contains("are the same field"), e)
    }

    func testSecretChainIsWrappedAtDeclaration() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local lb = scw.LoadBalancer "web" { type = "LB-S" }
        scw.LbCertificate "c" { lb = lb, custom_certificate = { certificate_chain = "-----BEGIN CERTIFICATE-----" } }
        """)
        let cert = try XCTUnwrap(program.declarations.first { $0.address.type == "LbCertificate" })
        XCTAssertEqual(cert.props["custom_certificate"]?.isSensitive, true)
    }
}

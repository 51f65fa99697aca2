// LoadBalancerTests: the load balancer slice end to end: the built binary deploys
// `examples/load-balanced-web.lua` against the emulator, re-plans with zero writes, scales the
// servers from 2 to 3 (only the backend's servers change), adds an ACL, migrates the LB type in
// place and destroys everything; bad input is refused before any write; a custom certificate
// chain never shows. LoadBalancerCase holds what these and LoadBalancerResilienceTests share.

import Foundation
import ScwEmulator
import ScwTestSupport
import XCTest

class LoadBalancerCase: ComputeCase {
    /// The kinds of the LB API's parts, which the API cannot tag (found by name on their LB).
    static let untaggedKinds: Set<String> = ["lb_backend", "lb_frontend", "lb_acl", "lb_certificate", "lb_private_network"]

    static func example() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/load-balanced-web.lua"), encoding: .utf8)
    }

    static func addresses(servers: Int) -> Set<String> {
        Set(["VpcPrivateNetwork/app", "LbIp/web", "LoadBalancer/web", "LbBackend/web", "LbCertificate/www", "LbFrontend/http", "LbFrontend/https"]
            + (1...servers).map { "Instance/web\($0)" })
    }

    func kindCount(_ kind: String) throws -> Int { try cloud.resources().filter { $0.kind == kind }.count }

    /// State and cloud agree: one tagged resource per urn, each in state; exactly one LB, IP,
    /// backend, certificate, two frontends, `acls` ACLs and one attachment, the untagged parts in
    /// state too; no create-in-progress tag; nothing else untagged but what the API makes itself.
    func assertLBConverged(servers: Int, acls: Int, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try stateList(file: file, line: line)
        XCTAssertEqual(Set(rows.map(\.address)), Self.addresses(servers: servers), "\(context): state addresses", file: file, line: line)
        for row in rows where row.status != "created" { XCTFail("\(context): \(row) not created", file: file, line: line) }
        let all = try cloud.resources()
        let tagged = all.filter { $0.stack == stack && !Self.isRootVolume($0) }
        var byURN: [String: [CloudResource]] = [:]
        for r in tagged { byURN[r.urn ?? "?", default: []].append(r) }
        for (urn, list) in byURN where list.count != 1 { XCTFail("\(context): duplicates for \(urn): \(list)", file: file, line: line) }
        let stateIDs = Set(rows.map(\.uuid))
        for r in tagged where !stateIDs.contains(r.id) { XCTFail("\(context): orphan \(r)", file: file, line: line) }
        for r in all where r.tags.contains(where: { $0 == "scwlua:pending" || $0.hasPrefix("scwlua:attempt=") }) {
            XCTFail("\(context): a create-in-progress tag is left: \(r)", file: file, line: line)
        }
        let counts = Dictionary(all.map { ($0.kind, 1) }, uniquingKeysWith: +)
        let expected: [String: Int] = ["lb": 1, "lb_ip": 1, "lb_backend": 1, "lb_frontend": 2, "lb_certificate": 1, "lb_acl": acls,
                                       "lb_private_network": 1, "server": servers]
        for (kind, n) in expected { XCTAssertEqual(counts[kind] ?? 0, n, "\(context): \(kind) count", file: file, line: line) }
        for r in all where ["lb_backend", "lb_frontend", "lb_certificate"].contains(r.kind) && !stateIDs.contains(r.id) {
            XCTFail("\(context): untracked \(r)", file: file, line: line)
        }
        let others = all.filter { $0.stack == nil && !$0.isDefaultVPC && !$0.isIPAMAddress && !Self.isDefaultSecurityGroup($0)
            && !Self.untaggedKinds.contains($0.kind) }
        XCTAssertEqual(others, [], "\(context): untagged leftovers", file: file, line: line)
    }

    /// The LB, backend and frontends as the LB API has them.
    func lb(_ uuid: String) throws -> [String: Any]? { try getJSON("/lb/v1/zones/\(Self.zone)/lbs/\(uuid)") }
    func backend(_ uuid: String) throws -> [String: Any]? { try getJSON("/lb/v1/zones/\(Self.zone)/backends/\(uuid)") }
    func acls(frontend uuid: String) throws -> [[String: Any]] {
        try getJSON("/lb/v1/zones/\(Self.zone)/frontends/\(uuid)/acls")?["acls"] as? [[String: Any]] ?? []
    }

    /// The plan's change lines (`+ Instance/web3 (create)`...), for checking what a change touches.
    func changedAddresses(_ plan: RunResult) -> [String] {
        plan.stdout.split(separator: "\n").compactMap { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard let symbol = t.first, ["+", "~", "-"].contains(symbol), t.contains(" (") else { return nil }
            return t.split(separator: " ").dropFirst().first.map(String.init)
        }.sorted()
    }
}

final class LoadBalancerTests: LoadBalancerCase {
    func testLoadBalancedWebExampleLifecycle() throws {
        try startCloud(speed: 50)
        try writeScript(try Self.example())

        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(d.stdout.contains("Plan: 9 to create, 0 to update, 0 to replace, 0 to delete."), d.description)
        try assertLBConverged(servers: 2, acls: 1, "after deploy")
        var rows = try rowsByAddress()
        let lbRow = try XCTUnwrap(rows["LoadBalancer/web"]), ipRow = try XCTUnwrap(rows["LbIp/web"]), beRow = try XCTUnwrap(rows["LbBackend/web"])
        let httpsRow = try XCTUnwrap(rows["LbFrontend/https"])
        let lbNow = try XCTUnwrap(try lb(lbRow.uuid))
        XCTAssertEqual(lbNow["type"] as? String, "lb-s")
        XCTAssertEqual(lbNow["status"] as? String, "ready")
        let address = try XCTUnwrap(((lbNow["ip"] as? [[String: Any]])?.first)?["ip_address"] as? String)
        XCTAssertEqual((lbNow["ip"] as? [[String: Any]])?.first?["id"] as? String, ipRow.uuid, "the LB uses the LbIp")
        var out = try outputsJSON()
        XCTAssertEqual(out["url"] as? String, "https://\(address)")
        XCTAssertEqual(out["lb_id"] as? String, lbRow.id)
        let privateIPs = out["lb_private_ips"] as? [[String: Any]] ?? []
        XCTAssertEqual(privateIPs.count, 1)
        XCTAssertTrue((privateIPs.first?["address"] as? String ?? "").hasPrefix("10.10.0."), "\(privateIPs)")
        let servers = out["servers"] as? [String] ?? []
        XCTAssertEqual(servers.count, 2)
        XCTAssertTrue(servers.allSatisfy { $0.hasPrefix("10.10.0.") }, "the servers' private IPs: \(servers)")
        XCTAssertEqual(try backend(beRow.uuid)?["pool"] as? [String], servers)
        let check = try backend(beRow.uuid)?["health_check"] as? [String: Any]
        XCTAssertEqual((check?["http_config"] as? [String: Any])?["uri"] as? String, "/healthz")
        XCTAssertEqual(try acls(frontend: httpsRow.uuid).map { $0["name"] as? String }, ["no-admin"])
        XCTAssertNotNil(out["certificate_expires"] as? String)
        try assertNoChange("after deploy")

        // 2 → 3 servers: the new server, and the backend's servers in place; nothing else.
        knobs["servers"] = "3"
        XCTAssertEqual(changedAddresses(expectSuccess(try plan(knobArgs), "plan 3 servers")), ["Instance/web3", "LbBackend/web"])
        try cloud.resetStats()
        let scaled = expectSuccess(try deploy(knobArgs), "deploy 3 servers")
        XCTAssertTrue(scaled.stdout.contains("Apply complete: 1 created, 1 updated, 0 replaced, 0 deleted."), scaled.description)
        let lbWrites = try cloud.stats().byMethod
        rows = try rowsByAddress()
        XCTAssertEqual(rows["LbBackend/web"]?.id, beRow.id, "the backend is updated in place")
        out = try outputsJSON()
        let three = out["servers"] as? [String] ?? []
        XCTAssertEqual(three.count, 3)
        XCTAssertEqual(Array(three.prefix(2)), servers)
        XCTAssertEqual(try backend(beRow.uuid)?["pool"] as? [String], three)
        XCTAssertEqual(lbWrites["DELETE"] ?? 0, 0, "scaling deletes nothing: \(lbWrites)")
        try assertLBConverged(servers: 3, acls: 1, "after scaling")
        try assertNoChange("after scaling")

        // One more ACL: the https frontend only, one POST of an ACL.
        knobs["block_bots"] = "true"
        XCTAssertEqual(changedAddresses(expectSuccess(try plan(knobArgs), "plan ACL")), ["LbFrontend/https"])
        expectSuccess(try deploy(knobArgs), "deploy ACL")
        XCTAssertEqual(try rowsByAddress()["LbFrontend/https"]?.id, httpsRow.id)
        let names = try acls(frontend: httpsRow.uuid).sorted { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }.map { $0["name"] as? String }
        XCTAssertEqual(names, ["no-admin", "no-bots"])
        try assertLBConverged(servers: 3, acls: 2, "after adding an ACL")
        try assertNoChange("after adding an ACL")

        // Another type: a migration, in place.
        knobs["lb_type"] = "LB-GP-M"
        let p = expectSuccess(try plan(knobArgs), "plan type")
        XCTAssertEqual(changedAddresses(p), ["LoadBalancer/web"])
        XCTAssertTrue(p.stdout.contains("LoadBalancer/web (update in place)"), p.description)
        expectSuccess(try deploy(knobArgs), "deploy type")
        XCTAssertEqual(try rowsByAddress()["LoadBalancer/web"]?.id, lbRow.id, "migrated, not replaced")
        XCTAssertEqual(try lb(lbRow.uuid)?["type"] as? String, "lb-gp-m")
        try assertLBConverged(servers: 3, acls: 2, "after the migration")
        try assertNoChange("after the migration")

        // Destroy: nothing left but what the API makes by itself.
        expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertEqual(try stateList(), [])
        let left = try cloud.resources().filter { !$0.isDefaultVPC && !Self.isDefaultSecurityGroup($0) }
        XCTAssertEqual(left, [], "destroy left resources behind")
    }

    private struct BadInput {
        let what: String
        let script: String
        let line: Int
        let mentions: [String]
    }

    /// Each bad input fails the plan (and the deploy) at its script line, naming the problem,
    /// with no write to the cloud and nothing in state.
    func testBadLoadBalancerInputIsRefusedBeforeAnyWrite() throws {
        try startCloud(speed: 50)
        let head = """
        local scw = require "scaleway"
        local lb = scw.LoadBalancer "web" { type = "LB-S" }
        local be = scw.LbBackend "web" { lb = lb, forward_protocol = "http", forward_port = 80 }

        """
        let cases = [
            BadInput(what: "unknown LB type", script: #"local scw = require "scaleway"\#nscw.LoadBalancer "web" { type = "LB-XXL" }"#,
                     line: 2, mentions: ["unknown load balancer type 'LB-XXL'"]),
            BadInput(what: "two health-check kinds", script: head + #"scw.LbBackend "two" { lb = lb, forward_protocol = "http", forward_port = 80, health_check = { tcp = {}, http = { uri = "/" } } }"#,
                     line: 4, mentions: ["one kind of check", "tcp and http"]),
            BadInput(what: "port out of range", script: head + #"scw.LbFrontend "f" { lb = lb, backend = be, inbound_port = 70000 }"#,
                     line: 4, mentions: ["inbound_port must be between 1 and 65535, got 70000"]),
            BadInput(what: "frontend port used twice", script: head + """
                     scw.LbFrontend "a" { lb = lb, backend = be, inbound_port = 80 }
                     scw.LbFrontend "b" { lb = lb, backend = be, inbound_port = 80 }
                     """, line: 5, mentions: ["lb_id and inbound_port already used by LbFrontend/a"]),
            BadInput(what: "ACL without match", script: head + #"scw.LbFrontend "f" { lb = lb, backend = be, inbound_port = 80, acls = { { action = { type = "deny" } } } }"#,
                     line: 4, mentions: ["acls[1]", "needs a match"]),
            BadInput(what: "certificate both ways", script: head + #"scw.LbCertificate "c" { lb = lb, letsencrypt = { common_name = "a.example.com" }, custom_certificate = { certificate_chain = "x" } }"#,
                     line: 4, mentions: ["letsencrypt or custom_certificate, not both"]),
        ]
        for c in cases {
            try writeScript(c.script)
            for command in ["plan", "deploy"] {
                try cloud.resetStats()
                let r = expectFailure(try scwlua([command, "infra.lua"] + target + (command == "deploy" ? ["--yes"] : [])), "\(command) with \(c.what)")
                XCTAssertTrue(r.combined.contains("infra.lua:\(c.line):"), "\(c.what), \(command): should be located at line \(c.line): \(r)")
                for m in c.mentions { XCTAssertTrue(r.combined.contains(m), "\(c.what), \(command): should mention \(m): \(r)") }
                XCTAssertFalse(r.combined.contains("Fatal error"), "\(c.what): crashed: \(r)")
                XCTAssertEqual(try cloud.stats().writes, 0, "\(c.what), \(command): wrote to the cloud before refusing")
                XCTAssertEqual(try stateList(), [], "\(c.what), \(command): state changed")
            }
        }
    }

    /// A custom chain (certificate and private key) never appears in stdout, stderr, --debug,
    /// --json, outputs, state commands, nor in the state files' bytes; the API got it (it
    /// reports the chain's fingerprint and dates).
    func testCustomCertificateChainNeverShows() throws {
        try startCloud(speed: 50)
        let chainURL = Fixture.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/lb/self-signed-chain.pem")
        let chain = try String(contentsOf: chainURL, encoding: .utf8)
        try chain.write(toFile: dir + "/chain.pem", atomically: true, encoding: .utf8)
        try writeScript(Fixture.text("lb_custom_cert.lua"))
        // Every base64 line of the PEM, and the markers: none may show anywhere.
        let needles = chain.split(separator: "\n").map(String.init).filter { $0.count > 20 } + ["PRIVATE KEY", "BEGIN CERTIFICATE"]
        var transcripts: [RunResult] = []
        transcripts.append(expectSuccess(try plan(), "plan"))
        transcripts.append(expectSuccess(try scwlua(["plan", "infra.lua", "--json"] + target), "plan --json"))
        transcripts.append(expectSuccess(try deploy(["--debug"]), "deploy --debug"))
        transcripts.append(expectSuccess(try scwlua(["deploy", "infra.lua", "--json", "--yes"] + target), "deploy --json"))
        transcripts.append(expectSuccess(try scwlua(["refresh", "infra.lua"] + target), "refresh"))
        transcripts.append(expectSuccess(try scwlua(["output", "--json"] + location), "output --json"))
        transcripts.append(expectSuccess(try scwlua(["state", "export"] + location), "state export"))
        transcripts.append(expectSuccess(try scwlua(["state", "show", "LbCertificate/custom"] + location), "state show"))
        let out = try outputsJSON()
        XCTAssertEqual(out["fingerprint"] as? String, "7c5be628f209a3aa379f3e2a3de22016649d90ec", "the API parsed the chain it was sent")
        XCTAssertEqual(out["expires"] as? String, "2036-12-01T18:19:14Z")
        XCTAssertTrue(transcripts[0].stdout.contains("(sensitive)"), "the plan shows the chain as sensitive: \(transcripts[0])")
        for file in try FileManager.default.contentsOfDirectory(atPath: stateDir) where file.hasPrefix("state.db") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stateDir + "/" + file))
            for n in needles { XCTAssertNil(bytes.range(of: Data(n.utf8)), "\(n) is in the raw bytes of \(file)") }
        }
        transcripts.append(expectSuccess(try destroy(), "destroy"))
        for t in transcripts {
            for n in needles { XCTAssertFalse(t.combined.contains(n), "the chain leaked (\(n.prefix(12))…) by `scwlua \(t.arguments.joined(separator: " "))`") }
        }
        XCTAssertEqual(try cloud.resources().filter { !$0.isDefaultVPC }, [])
    }
}

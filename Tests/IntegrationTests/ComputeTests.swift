// ComputeTests: the compute slice end to end: the built binary deploys `examples/web-server.lua`
// (an Instance behind a flexible IP and a security group, with an extra local volume and a
// private network) against the emulator, then changes its type (stop-patch-start), a rule, its
// image (replace), drops its IP and destroys it; and bad input (unknown type or image, a root
// volume too small, a port out of range) is refused before any write. ComputeCase holds what
// these and ComputeResilienceTests share: the example, `--var` knobs, reads of the Instance API
// behind scwlua's back, and a convergence check that knows about root volumes.

import Foundation
import ScwEmulator
import XCTest

class ComputeCase: IntegrationCase {
    static let zone = "fr-par-1"

    /// What `examples/web-server.lua` declares.
    static let webServer: Set<String> = [
        "Vpc/web", "VpcPrivateNetwork/backend", "SecurityGroup/web", "InstanceIp/web", "InstanceVolume/data", "Instance/web",
    ]

    /// `examples/web-server.lua` as shipped.
    static func webServerScript() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("examples/web-server.lua"), encoding: .utf8)
    }

    /// `text` with `needle` (which must occur exactly once) replaced.
    func replacing(_ needle: String, with replacement: String, in text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(text.components(separatedBy: needle).count, 2, "the script should contain `\(needle)` once", file: file, line: line)
        return text.replacingOccurrences(of: needle, with: replacement)
    }

    /// The script's knobs, passed as `--var name=value` to every plan and deploy.
    var knobs: [String: String] = [:]
    var knobArgs: [String] { knobs.sorted { $0.key < $1.key }.flatMap { ["--var", "\($0.key)=\($0.value)"] } }

    func rowsByAddress(file: StaticString = #filePath, line: UInt = #line) throws -> [String: StateRow] {
        Dictionary(try stateList(file: file, line: line).map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// `plan` with the knobs shows no change and writes nothing.
    func assertNoChange(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try cloud.resetStats()
        let p = try plan(knobArgs)
        expectSuccess(p, "\(context): plan", file: file, line: line)
        XCTAssertTrue(p.stdout.contains("No changes"), "\(context): expected a no-op plan: \(p)", file: file, line: line)
        let stats = try cloud.stats()
        XCTAssertEqual(stats.writes, 0, "\(context): plan wrote to the cloud: \(stats.byMethod)", file: file, line: line)
    }

    // MARK: the Instance API, read behind scwlua's back

    /// The JSON object of a GET on the emulator's public API; nil on 404.
    func getJSON(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any]? {
        let (status, text) = try cloud.api("GET", path)
        if status == 404 { return nil }
        guard status == 200 else {
            XCTFail("GET \(path) → \(status): \(text)", file: file, line: line)
            return nil
        }
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    func server(_ uuid: String, zone: String = ComputeCase.zone) throws -> [String: Any]? {
        try getJSON("/instance/v1/zones/\(zone)/servers/\(uuid)")?["server"] as? [String: Any]
    }

    func flexibleIP(_ uuid: String, zone: String = ComputeCase.zone) throws -> [String: Any]? {
        try getJSON("/instance/v1/zones/\(zone)/ips/\(uuid)")?["ip"] as? [String: Any]
    }

    func blockVolume(_ uuid: String, zone: String = ComputeCase.zone) throws -> [String: Any]? {
        try getJSON("/block/v1alpha1/zones/\(zone)/volumes/\(uuid)")
    }

    /// The rules a script can edit (Scaleway's own non-editable ones left out), in order.
    func editableRules(_ groupUUID: String, zone: String = ComputeCase.zone) throws -> [[String: Any]] {
        let rules = try getJSON("/instance/v1/zones/\(zone)/security_groups/\(groupUUID)/rules?per_page=100")?["rules"] as? [[String: Any]] ?? []
        return rules.filter { $0["editable"] as? Bool == true }
    }

    static func rootVolumeID(_ server: [String: Any]) -> String? {
        ((server["volumes"] as? [String: Any])?["0"] as? [String: Any])?["id"] as? String
    }

    /// The project's default security group, made by the API on demand (untagged).
    static func isDefaultSecurityGroup(_ r: CloudResource) -> Bool {
        r.kind == "security_group" && r.tags.isEmpty && r.name == "Default security group"
    }

    /// A server's root volume: a Block volume carrying its server's urn.
    static func isRootVolume(_ r: CloudResource) -> Bool {
        r.kind == "block_volume" && (r.urn ?? "").hasPrefix("Instance/")
    }

    /// Cloud resources tagged by no stack, besides what the API makes by itself (default VPCs,
    /// default security groups, private NICs' IPAM addresses).
    func untaggedLeftovers() throws -> [CloudResource] {
        try cloud.resources().filter { $0.stack == nil && !$0.isDefaultVPC && !$0.isIPAMAddress && !Self.isDefaultSecurityGroup($0) }
    }

    /// The stack and the cloud agree, compute included: one cloud resource per urn (servers,
    /// IPs, volumes, groups...), every tagged one in `state list` and every row in the cloud,
    /// all rows `created`, no `scwlua:pending`/`scwlua:attempt` tag left, each server running
    /// with exactly one root volume carrying its urn (the one it boots from), and nothing
    /// untagged but what the API makes by itself.
    func assertComputeConverged(expected: Set<String>? = nil, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let rows = try stateList(file: file, line: line)
        let tagged = try cloud.stackResources(stack)
        let roots = tagged.filter(Self.isRootVolume)
        let owned = tagged.filter { !Self.isRootVolume($0) }

        var byURN: [String: [CloudResource]] = [:]
        for r in owned { byURN[r.urn ?? "(no urn)", default: []].append(r) }
        for (urn, list) in byURN where list.count != 1 {
            XCTFail("\(context): \(list.count) cloud resources for urn \(urn) (duplicates): \(list)", file: file, line: line)
        }
        let stateUUIDs = Set(rows.map(\.uuid))
        for r in owned where !stateUUIDs.contains(r.id) {
            XCTFail("\(context): untracked (orphan) cloud resource \(r); state: \(rows)", file: file, line: line)
        }
        let ownedIDs = Set(owned.map(\.id))
        for row in rows where !ownedIDs.contains(row.uuid) {
            XCTFail("\(context): state row \(row) has no cloud resource", file: file, line: line)
        }
        for row in rows where row.status != "created" {
            XCTFail("\(context): state row left as \(row.status) after a completed run: \(row)", file: file, line: line)
        }
        for r in tagged where r.tags.contains(where: { $0 == "scwlua:pending" || $0.hasPrefix("scwlua:attempt=") }) {
            XCTFail("\(context): a resource still carries a create-in-progress tag: \(r)", file: file, line: line)
        }
        for row in rows where row.address.hasPrefix("Instance/") {
            guard let server = try server(row.uuid, zone: row.region) else {
                XCTFail("\(context): \(row.address) \(row.id) is not in the Instance API", file: file, line: line)
                continue
            }
            XCTAssertEqual(server["state"] as? String, "running", "\(context): \(row.address)", file: file, line: line)
            let mine = roots.filter { $0.urn == row.address }.map(\.id)
            XCTAssertEqual(mine, Self.rootVolumeID(server).map { [$0] } ?? [],
                           "\(context): the Block volumes tagged \(row.address) should be exactly the root volume it boots from",
                           file: file, line: line)
        }
        for r in roots where !rows.contains(where: { $0.address == r.urn }) {
            XCTFail("\(context): a root volume of a server the stack does not hold: \(r)", file: file, line: line)
        }
        XCTAssertEqual(try untaggedLeftovers(), [], "\(context): untagged cloud resources", file: file, line: line)
        if let expected {
            XCTAssertEqual(Set(rows.map(\.address)), expected, "\(context): state addresses", file: file, line: line)
            XCTAssertEqual(Set(owned.compactMap(\.urn)), expected, "\(context): cloud urns", file: file, line: line)
        }
    }
}

final class ComputeTests: ComputeCase {
    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }

    /// 1. examples/web-server.lua through its life: deploy, no-op, type change, rule change,
    /// image change, IP detached then deleted, destroy.
    func testWebServerExampleLifecycle() throws {
        try startCloud(speed: 50)
        let example = try Self.webServerScript()
        try writeScript(example)

        // Deploy: six resources, real outputs.
        let d = expectSuccess(try deploy(knobArgs), "deploy")
        XCTAssertTrue(d.stdout.contains("Plan: 6 to create, 0 to update, 0 to replace, 0 to delete."), d.description)
        let rows = try rowsByAddress()
        XCTAssertEqual(Set(rows.keys), Self.webServer)
        let web = try XCTUnwrap(rows["Instance/web"])
        let ipRow = try XCTUnwrap(rows["InstanceIp/web"])
        let sg = try XCTUnwrap(rows["SecurityGroup/web"])
        let data = try XCTUnwrap(rows["InstanceVolume/data"])
        let backend = try XCTUnwrap(rows["VpcPrivateNetwork/backend"])
        XCTAssertEqual(web.region, Self.zone, "\(web)")

        let ip = try XCTUnwrap(try flexibleIP(ipRow.uuid), "the flexible IP is in the cloud")
        let address = try XCTUnwrap(ip["address"] as? String)
        XCTAssertTrue(Self.isIPv4(address), address)
        XCTAssertEqual((ip["server"] as? [String: Any])?["id"] as? String, web.uuid, "the IP is attached to the server")
        var out = try outputsJSON()
        XCTAssertEqual(out["server_id"] as? String, web.id)
        XCTAssertEqual(out["public_ip"] as? String, address)
        XCTAssertEqual(out["url"] as? String, "http://\(address)/")

        let created = try XCTUnwrap(try server(web.uuid))
        XCTAssertEqual(created["state"] as? String, "running")
        XCTAssertEqual(created["commercial_type"] as? String, "DEV1-S")
        XCTAssertTrue(((created["image"] as? [String: Any])?["name"] as? String ?? "").contains("Jammy"), "\(created["image"] ?? "")")
        XCTAssertEqual((created["security_group"] as? [String: Any])?["id"] as? String, sg.uuid)
        XCTAssertEqual(((created["volumes"] as? [String: Any])?["1"] as? [String: Any])?["id"] as? String, data.uuid, "the extra volume")
        let nics = created["private_nics"] as? [[String: Any]] ?? []
        XCTAssertEqual(nics.map { $0["private_network_id"] as? String }, [backend.uuid], "one NIC on the backend network")
        XCTAssertEqual(out["private_nic"] as? String, nics.first?["mac_address"] as? String)
        let userData = try getJSON("/instance/v1/zones/\(Self.zone)/servers/\(web.uuid)/user_data")?["user_data"] as? [String]
        XCTAssertEqual(userData, ["cloud-init"])
        let rootVolume = try XCTUnwrap(Self.rootVolumeID(created))
        let rootSize = (try blockVolume(rootVolume)?["size"] as? NSNumber)?.int64Value
        XCTAssertEqual(rootSize, 20_000_000_000, "root_volume = { size = 20 } (GB)")
        let rules = try editableRules(sg.uuid)
        XCTAssertEqual(rules.map { ($0["dest_port_from"] as? NSNumber)?.intValue ?? 0 }, [80, 443, 22, 0], "\(rules)")
        XCTAssertEqual(rules.map { $0["protocol"] as? String ?? "" }, ["TCP", "TCP", "TCP", "ICMP"])
        XCTAssertEqual(rules[safe: 2]?["ip_range"] as? String, "192.0.2.0/24")
        try assertComputeConverged(expected: Self.webServer, "after deploy")

        // Re-plan and re-deploy: nothing to do, nothing written.
        try cloud.resetStats()
        let p0 = expectSuccess(try plan(knobArgs), "plan")
        XCTAssertTrue(p0.stdout.contains("No changes"), p0.description)
        let d0 = expectSuccess(try deploy(knobArgs), "second deploy")
        XCTAssertTrue(d0.stdout.contains("No changes"), d0.description)
        var stats = try cloud.stats()
        XCTAssertEqual(stats.writes, 0, "no-op plan + deploy wrote: \(stats.byMethod)")
        XCTAssertEqual(try rowsByAddress(), rows)

        // Commercial type: stop, patch, start; same server.
        knobs["type"] = "DEV1-M"
        try cloud.resetStats()
        let p1 = expectSuccess(try plan(knobArgs), "plan type change")
        XCTAssertEqual(p1.stdout.planSymbol(for: "Instance/web"), "~", p1.description)
        XCTAssertTrue(p1.stdout.contains("Plan: 0 to create, 1 to update (1 disruptive), 0 to replace, 0 to delete."), p1.description)
        XCTAssertTrue(p1.stdout.contains("\"DEV1-S\" -> \"DEV1-M\"  # the server stops and starts"), "the plan shows the type change: \(p1)")
        XCTAssertEqual(try cloud.stats().writes, 0, "plan wrote")
        let d1 = expectSuccess(try deploy(knobArgs), "deploy type change")
        XCTAssertTrue(d1.stdout.contains("1 updated"), d1.description)
        stats = try cloud.stats()
        XCTAssertEqual(stats.byMethod["DELETE"] ?? 0, 0, "a type change deletes nothing: \(stats.byMethod)")
        XCTAssertEqual(stats.byMethod["POST"] ?? 0, 2, "poweroff and poweron, nothing created: \(stats.byMethod)")
        XCTAssertEqual(stats.writes, 3, "poweroff, one PATCH of the type, poweron; user data not rewritten: \(stats.byMethod)")
        XCTAssertEqual(try rowsByAddress().mapValues(\.id), rows.mapValues(\.id), "an in-place type change keeps every id")
        let resized = try XCTUnwrap(try server(web.uuid))
        XCTAssertEqual(resized["commercial_type"] as? String, "DEV1-M")
        XCTAssertEqual(resized["state"] as? String, "running")
        XCTAssertEqual(try flexibleIP(ipRow.uuid)?["address"] as? String, address)
        try assertNoChange("after the type change")

        // One rule: the group updated in place, its rules set by one PUT.
        knobs["admin_range"] = "198.51.100.0/24"
        let p2 = expectSuccess(try plan(knobArgs), "plan rule change")
        XCTAssertEqual(p2.stdout.planSymbol(for: "SecurityGroup/web"), "~", p2.description)
        XCTAssertNil(p2.stdout.planLine(for: "Instance/web"), "the server is unchanged: \(p2)")
        XCTAssertTrue(p2.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), p2.description)
        try cloud.resetStats()
        expectSuccess(try deploy(knobArgs), "deploy rule change")
        stats = try cloud.stats()
        XCTAssertEqual(stats.byMethod["PUT"] ?? 0, 1, "the rules are set as one list by one PUT: \(stats.byMethod)")
        XCTAssertEqual(stats.writes, 1, "a rules-only change is the rules PUT alone (no PATCH of the group): \(stats.byMethod)")
        XCTAssertEqual((stats.byMethod["POST"] ?? 0) + (stats.byMethod["DELETE"] ?? 0), 0, "rules are never added or removed one by one: \(stats.byMethod)")
        let newRules = try editableRules(sg.uuid)
        XCTAssertEqual(newRules.map { $0["ip_range"] as? String ?? "" }, ["0.0.0.0/0", "0.0.0.0/0", "198.51.100.0/24", "0.0.0.0/0"], "\(newRules)")
        XCTAssertEqual(newRules.map { ($0["dest_port_from"] as? NSNumber)?.intValue ?? 0 }, [80, 443, 22, 0])
        XCTAssertEqual(try rowsByAddress()["SecurityGroup/web"]?.id, sg.id)
        try assertNoChange("after the rule change")

        // Image: the server is replaced; the new one keeps the IP, the old one and its root volume go.
        knobs["image"] = "ubuntu_noble"
        let p3 = expectSuccess(try plan(knobArgs), "plan image change")
        XCTAssertEqual(p3.stdout.planSymbol(for: "Instance/web"), "-/+", p3.description)
        XCTAssertTrue(p3.stdout.contains("Plan: 0 to create, 0 to update, 1 to replace, 0 to delete."), p3.description)
        let d3 = expectSuccess(try deploy(knobArgs), "deploy image change")
        XCTAssertTrue(d3.stdout.contains("1 replaced"), d3.description)
        let replaced = try XCTUnwrap(try rowsByAddress()["Instance/web"])
        XCTAssertNotEqual(replaced.uuid, web.uuid, "an image change replaces the server")
        XCTAssertNil(try server(web.uuid), "the old server is still in the Instance API")
        XCTAssertFalse(try cloud.resources().contains { $0.id == web.uuid || $0.id == rootVolume }, "the old server or its root volume is left")
        let reimaged = try XCTUnwrap(try server(replaced.uuid))
        XCTAssertTrue(((reimaged["image"] as? [String: Any])?["name"] as? String ?? "").contains("Noble"), "\(reimaged["image"] ?? "")")
        XCTAssertEqual(reimaged["commercial_type"] as? String, "DEV1-M")
        XCTAssertEqual((try flexibleIP(ipRow.uuid)?["server"] as? [String: Any])?["id"] as? String, replaced.uuid, "the IP follows the new server")
        out = try outputsJSON()
        XCTAssertEqual(out["server_id"] as? String, replaced.id)
        XCTAssertEqual(out["public_ip"] as? String, address)
        try assertComputeConverged(expected: Self.webServer, "after the image change")
        try assertNoChange("after the image change")

        // The IP left out of the server (still declared): detached, kept.
        try writeScript(replacing("ip = ip,", with: "ip = nil,", in: example))
        let p4 = expectSuccess(try plan(knobArgs), "plan detach")
        XCTAssertEqual(p4.stdout.planSymbol(for: "Instance/web"), "~", p4.description)
        XCTAssertNil(p4.stdout.planLine(for: "InstanceIp/web"), p4.description)
        expectSuccess(try deploy(knobArgs), "deploy detach")
        let detached = try XCTUnwrap(try flexibleIP(ipRow.uuid), "a detached IP is kept")
        XCTAssertTrue(detached["server"] == nil || detached["server"] is NSNull, "the IP is still attached: \(detached)")
        XCTAssertEqual((try server(replaced.uuid)?["public_ips"] as? [Any])?.count, 0, "the server still has a public IP")
        out = try outputsJSON()
        XCTAssertTrue(out["public_ip"] == nil || out["public_ip"] is NSNull, "public_ip output after detach: \(out)")
        try assertComputeConverged(expected: Self.webServer, "after detaching the IP")
        try assertNoChange("after detaching the IP")

        // The IP removed from the script: deleted.
        try writeScript(example)
        knobs["with_ip"] = "false"
        let p5 = expectSuccess(try plan(knobArgs), "plan IP removal")
        XCTAssertEqual(p5.stdout.planSymbol(for: "InstanceIp/web"), "-", p5.description)
        XCTAssertTrue(p5.stdout.contains("1 to delete"), p5.description)
        expectSuccess(try deploy(knobArgs), "deploy IP removal")
        XCTAssertNil(try flexibleIP(ipRow.uuid), "the removed IP is still in the cloud")
        let remaining = Self.webServer.subtracting(["InstanceIp/web"])
        try assertComputeConverged(expected: remaining, "after removing the IP")
        try assertNoChange("after removing the IP")

        // Destroy: nothing of the stack is left.
        let x = expectSuccess(try destroy(knobArgs), "destroy")
        XCTAssertTrue(x.stdout.contains("5 deleted"), x.description)
        XCTAssertEqual(try cloud.stackResources(), [], "destroy left tagged resources")
        XCTAssertEqual(try untaggedLeftovers(), [], "destroy left untagged resources (root volumes, IPs...)")
        XCTAssertEqual(try stateList(), [])
    }

    // MARK: 4. Bad input

    private struct BadInput {
        let what: String
        let script: String
        let knobs: [String: String]
        /// The script line, or the resource address, the message must carry (one of them).
        let located: [String]
        let mentions: [String]
    }

    /// Each bad input fails with a non-zero exit and a message located in the script (or
    /// naming the resource), writes nothing and leaves state as it was: on a deployed stack
    /// (the server exists) and on a fresh one (the whole stack is to be created, so the
    /// server's references are still unknown at plan time).
    func testBadComputeInputIsRefusedBeforeAnyWrite() throws {
        try startCloud(speed: 50)
        let example = try Self.webServerScript()
        try writeScript(example)
        expectSuccess(try deploy(), "good deploy")
        let deployedRows = try stateList()

        let cases = [
            BadInput(what: "unknown commercial type", script: example, knobs: ["type": "DEV1-XXL"],
                     located: ["infra.lua:36:", "Instance/web"], mentions: ["DEV1-XXL", "did you mean 'DEV1-XL'"]),
            BadInput(what: "unknown image label", script: example, knobs: ["image": "ubuntu_jamy"],
                     located: ["infra.lua:36:", "Instance/web"], mentions: ["ubuntu_jamy"]),
            BadInput(what: "root volume too small", script: replacing("root_volume = { size = 20 }", with: "root_volume = { size = 5 }", in: example),
                     knobs: [:], located: ["infra.lua:36:", "Instance/web"], mentions: ["5 GB", "too small"]),
            BadInput(what: "port out of range", script: replacing("{ port = 443 }", with: "{ port = 70000 }", in: example),
                     knobs: [:], located: ["infra.lua:15:"], mentions: ["70000", "1-65535"]),
        ]
        for c in cases {
            try writeScript(c.script)
            for target in ["default", "fresh"] {
                for command in ["plan", "deploy"] {
                    stack = target == "default" ? "default" : "fresh-\(command)-\(c.what.replacingOccurrences(of: " ", with: "-"))"
                    let before = target == "default" ? deployedRows : []
                    try cloud.resetStats()
                    let vars = c.knobs.sorted { $0.key < $1.key }.flatMap { ["--var", "\($0.key)=\($0.value)"] }
                    let r = expectFailure(try scwlua([command, "infra.lua"] + self.target + vars + (command == "deploy" ? ["--yes"] : [])),
                                          "\(command) with \(c.what) (\(target) stack)")
                    let label = "\(c.what), \(command), \(target) stack"
                    XCTAssertTrue(c.located.contains { r.combined.contains($0) }, "\(label): the message should carry one of \(c.located): \(r)")
                    for m in c.mentions {
                        XCTAssertTrue(r.combined.contains(m), "\(label): the message should mention \(m): \(r)")
                    }
                    XCTAssertFalse(r.combined.contains("Fatal error"), "\(label): crashed: \(r)")
                    let stats = try cloud.stats()
                    XCTAssertEqual(stats.writes, 0, "\(label): wrote to the cloud before refusing (\(stats.byMethod))")
                    XCTAssertEqual(try stateList(), before, "\(label): state changed")
                    if target == "fresh" {
                        XCTAssertEqual(try cloud.stackResources(stack), [], "\(label): the cloud holds part of the stack")
                    }
                }
            }
        }
    }
}

fileprivate extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

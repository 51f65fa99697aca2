// InstanceCassetteTests: every response body of the instance-* and security-group-* cassettes
// decodes; the bodies built for create server/IP/volume/SG, attach/detach IP, PATCH SG and PUT
// rules equal the recorded ones; products are paged by X-Total-Count; labels resolve.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class InstanceCassetteTests: XCTestCase {
    private func interactions() throws -> [(String, Interaction)] {
        let files = try Cassettes.files(prefix: "instance-") + Cassettes.files(prefix: "security-group-")
        XCTAssertEqual(files.count, 8)
        return try files.flatMap { file in try Cassettes.load(file).map { (file.split(separator: "/").last.map(String.init) ?? file, $0) } }
    }

    func testEveryRecordedResponseDecodes() throws {
        var decoded = 0, servers = 0, rules = 0, types = 0
        for (file, x) in try interactions() {
            let context = "\(file) \(x.method) \(x.path)"
            let p = x.path
            if x.status >= 400 {
                let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: p, headers: x.responseHeaders)
                XCTAssertTrue(e.isNotFound, context)
                if case .notFound(let resource, let id) = e.kind {
                    XCTAssertEqual(id, String(p.split(separator: "/").last!), context)
                    XCTAssertTrue(["instance_server", "instance_ip", "instance_volume", "instance_security_group"].contains(resource ?? ""), context)
                } else {
                    XCTFail("not a not_found: \(context)")
                }
            } else if x.responseBody == .null {
                XCTAssertEqual(x.status, 204, context)
            } else if p.hasSuffix("/products/servers") {
                let page = try FieldReader(x.responseBody, what: "products").objectMap("servers") { try ServerType(name: $0, json: $1, what: $2) }
                XCTAssertFalse(page.isEmpty, context)
                types += page.count
            } else if p.hasPrefix("/marketplace/v2/local-images") {
                let images = try FieldReader(x.responseBody, what: "local images").objects("local_images") { try LocalImage(json: $0, what: $1) }
                XCTAssertNotNil(MarketplaceAPI.pick(images, commercialType: "DEV1-S"), context)
            } else if p.hasPrefix("/block/v1/") {
                let v = try BlockVolume(json: x.responseBody)
                XCTAssertEqual(v.id, String(p.split(separator: "/").last!), context)
                XCTAssertEqual(v.size, 10_000_000_000, context)
            } else if p.hasPrefix("/instance/v2alpha1/") {
                XCTAssertEqual(x.responseBody["private_network_interfaces"], .list([]), context)
            } else if p.hasSuffix("/action") {
                let task = try InstanceTask(json: InstanceAPI.unwrap(x.responseBody, "task", what: context))
                XCTAssertEqual(task.status, "pending", context)
            } else if p.hasSuffix("/user_data") {
                XCTAssertEqual(try FieldReader(x.responseBody, what: context).strings("user_data"), [], context)
            } else if p.hasSuffix("/private_nics") {
                XCTAssertEqual(try FieldReader(x.responseBody, what: context).objects("private_nics") { try PrivateNIC(json: $0, what: $1) }.count, 0)
            } else if p.contains("/servers") {
                let s = try InstanceServer(json: InstanceAPI.unwrap(x.responseBody, "server", what: context))
                XCTAssertEqual(s.rootVolume?.volumeType, "sbs_volume", context)
                XCTAssertEqual(s.securityGroup?.name, "Default security group", context)
                XCTAssertFalse(s.allowedActions.isEmpty, context)
                servers += 1
            } else if p.contains("/ips") {
                let ip = try FlexibleIP(json: InstanceAPI.unwrap(x.responseBody, "ip", what: context))
                XCTAssertEqual(ip.type, "routed_ipv4", context)
                XCTAssertNotNil(ip.address, context)
            } else if p.contains("/volumes") {
                let v = try InstanceVolume(json: InstanceAPI.unwrap(x.responseBody, "volume", what: context))
                XCTAssertEqual(v.size, 20_000_000_000, context)
            } else if p.hasSuffix("/rules") {
                let list = try FieldReader(x.responseBody, what: context).objects("rules") { try SecurityGroupRule(json: $0, what: $1) }
                XCTAssertEqual(list.filter { $0.editable == false }.count, 6, context)
                rules += list.count
            } else if p.contains("/security_groups") {
                let sg = try SecurityGroup(json: InstanceAPI.unwrap(x.responseBody, "security_group", what: context))
                XCTAssertTrue(sg.enableDefaultSecurity, context)
            } else {
                XCTFail("no decoder for \(context)")
            }
            decoded += 1
        }
        XCTAssertEqual(decoded, 12 + 11 + 100 + 36 + 13 + 8 + 38 + 47)
        XCTAssertEqual(types, 135 * 2)
        XCTAssertGreaterThan(servers, 30)
        XCTAssertGreaterThan(rules, 100)
    }

    func testCreateServerBodiesEqualTheRecordedOnes() throws {
        let posts = try interactions().map(\.1).filter { $0.method == "POST" && $0.path.hasSuffix("/servers") }
        XCTAssertEqual(posts.count, 2)
        for x in posts {
            let r = x.requestBody
            let body = InstanceAPI.createServerBody(
                name: r["name"]!.stringValue!, commercialType: r["commercial_type"]!.stringValue!, image: r["image"]!.stringValue!,
                projectID: r["project"]!.stringValue!, tags: r["tags"]!.listValue!.compactMap(\.stringValue),
                publicIPs: r["public_ips"]?.listValue?.compactMap(\.stringValue) ?? [])
            XCTAssertEqual(body, r)
        }
    }

    func testIPBodiesEqualTheRecordedOnes() throws {
        let all = try interactions().map(\.1)
        let creates = all.filter { $0.method == "POST" && $0.path.hasSuffix("/ips") }
        XCTAssertEqual(creates.count, 5)
        for x in creates {
            XCTAssertEqual(InstanceAPI.createIPBody(projectID: x.requestBody["project"]!.stringValue!, type: x.requestBody["type"]?.stringValue, tags: []),
                           x.requestBody)
        }
        let patches = all.filter { $0.method == "PATCH" && $0.path.contains("/ips/") }
        XCTAssertEqual(patches.map(\.requestBody), [
            .map(["tags": .list([.string("foo"), .string("bar")])]),
            InstanceAPI.attachIPBody(serverID: "587c9223-8cd9-454a-8f28-368d947d122d"),
            InstanceAPI.attachIPBody(serverID: nil),
        ])
        XCTAssertEqual(InstanceAPI.updateIPBody(tags: ["foo", "bar"], reverse: nil), patches[0].requestBody)
        XCTAssertEqual(JSON.encode(InstanceAPI.attachIPBody(serverID: nil)), #"{"server":null}"#)
    }

    func testVolumeAndSecurityGroupBodiesEqualTheRecordedOnes() throws {
        let all = try interactions().map(\.1)
        for x in all where x.method == "POST" && x.path.hasSuffix("/volumes") {
            let r = x.requestBody
            XCTAssertEqual(InstanceAPI.createVolumeBody(name: r["name"]!.stringValue!, projectID: r["project"]!.stringValue!,
                                                        volumeType: r["volume_type"]!.stringValue!, size: r["size"]!.intValue!,
                                                        baseSnapshot: nil, tags: r["tags"]?.listValue?.compactMap(\.stringValue) ?? []), r)
        }
        for x in all where x.method == "PATCH" && x.path.contains("/volumes/") {
            XCTAssertEqual(InstanceAPI.updateVolumeBody(name: "terraform-test", tags: [], size: nil), x.requestBody)
        }
        for x in all where x.method == "POST" && x.path.hasSuffix("/security_groups") {
            let r = x.requestBody
            XCTAssertEqual(InstanceAPI.createSecurityGroupBody(
                name: r["name"]!.stringValue!, projectID: r["project"]!.stringValue!, description: nil, stateful: true,
                inboundDefaultPolicy: r["inbound_default_policy"]!.stringValue!, outboundDefaultPolicy: "accept",
                enableDefaultSecurity: true, tags: []), r)
        }
        let sgPatches = all.filter { $0.method == "PATCH" && $0.path.contains("/security_groups/") }
        XCTAssertEqual(sgPatches.count, 3)
        XCTAssertEqual(InstanceAPI.updateSecurityGroupBody(name: "sg-name", stateful: true, inboundDefaultPolicy: "drop", outboundDefaultPolicy: "accept",
                                                           enableDefaultSecurity: true, tags: []), sgPatches[0].requestBody)
        XCTAssertEqual(InstanceAPI.updateSecurityGroupBody(name: "sg-name", stateful: true, inboundDefaultPolicy: "accept", outboundDefaultPolicy: "accept",
                                                           tags: ["test-terraform"]), sgPatches[1].requestBody)
    }

    func testPutRulesBodiesEqualTheRecordedOnes() throws {
        let puts = try interactions().map(\.1).filter { $0.method == "PUT" && $0.path.hasSuffix("/rules") }
        XCTAssertEqual(puts.count, 8)
        for x in puts {
            let rules = x.requestBody["rules"]!.listValue!.map { r in
                SecurityGroupRule(proto: r["protocol"]!.stringValue!, direction: r["direction"]!.stringValue!, action: r["action"]!.stringValue!,
                                  ipRange: r["ip_range"]!.stringValue!, destPortFrom: r["dest_port_from"]?.intValue, destPortTo: r["dest_port_to"]?.intValue)
            }
            XCTAssertEqual(InstanceAPI.setRulesBody(rules, zone: "fr-par-1"), x.requestBody)
        }
    }

    func testProductsAreFetchedPageByPageFromTheTotalCount() async throws {
        let recorded = try Cassettes.load(try Cassettes.files(prefix: "instance-server-minimal").first!).prefix(3)
        let transport = ReplayTransport(Array(recorded))
        let types = try await InstanceAPI(client: .testing(transport, retry: .none)).listServerTypes(zone: "fr-par-1")
        XCTAssertEqual(types.count, 135)
        XCTAssertEqual(transport.sent.map(\.url), (1...3).map { "https://api.scaleway.com/instance/v1/zones/fr-par-1/products/servers?page=\($0)" })
        let dev1s = try XCTUnwrap(types.first { $0.name == "DEV1-S" })
        XCTAssertEqual(dev1s.volumesConstraint, ServerType.SizeRange(min: 0, max: 20_000_000_000))
        XCTAssertEqual(dev1s.perVolumeConstraint["l_ssd"]?.min, 1_000_000_000)
        XCTAssertTrue(dev1s.blockStorage)
        XCTAssertEqual(dev1s.privateNetworkLimit, 8)
    }

    func testImageLabelResolutionPicksTheCompatibleImage() async throws {
        let recorded = try Cassettes.load(try Cassettes.files(prefix: "instance-server-minimal").first!)
        let transport = ReplayTransport([recorded[3]])
        let image = try await MarketplaceAPI(client: .testing(transport, retry: .none))
            .resolveImage(zone: "fr-par-1", label: "ubuntu-focal", commercialType: "dev1-s", type: "instance_sbs")
        XCTAssertEqual(image?.id, "fc4d4e26-849d-4e03-b933-cb1626ca8cad")
        XCTAssertTrue(transport.sent[0].url.contains("image_label=ubuntu_focal&order_by=type_asc&type=instance_sbs&zone=fr-par-1"))
        XCTAssertEqual(MarketplaceAPI.pick([], commercialType: "DEV1-S")?.id, nil)
    }
}

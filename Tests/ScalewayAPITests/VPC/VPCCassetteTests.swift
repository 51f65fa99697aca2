// VPCCassetteTests: the recorded VPC cassettes, two ways. Every response body decodes into
// VPC, PrivateNetwork or APIError; and replaying each cassette through VPCAPI (inputs taken
// from the recorded request) sends exactly the recorded method, path and JSON body.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class VPCCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        let files = try Cassettes.files(prefix: "vpc-")
        XCTAssertEqual(files.count, 4)
        var decoded = 0
        for file in files {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertTrue(e.isNotFound, context)
                    let resource = x.path.contains("/vpcs/") ? "vpc" : "private_network"
                    XCTAssertEqual(e.kind, .notFound(resource: resource, resourceID: String(x.path.split(separator: "/").last!)), context)
                } else if x.responseBody == .null {
                    XCTAssertEqual(x.status, 204, context)
                } else if x.path.contains("/private-networks") {
                    let pn = try PrivateNetwork(json: x.responseBody)
                    XCTAssertEqual(pn.subnets.count, 2, context)
                    XCTAssertEqual(pn.subnets.filter(\.isIPv6).count, 1, context)
                    XCTAssertEqual(pn.region, "fr-par")
                    XCTAssertTrue(pn.dhcpEnabled)
                } else {
                    let vpc = try VPC(json: x.responseBody)
                    XCTAssertFalse(vpc.isDefault, context)
                    XCTAssertTrue(vpc.routingEnabled, context)
                    XCTAssertEqual(vpc.id, vpc.raw["id"]?.stringValue)
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 7 + 17 + 19 + 12)
    }

    func testReplayingThroughVPCAPISendsTheRecordedRequests() async throws {
        for file in try Cassettes.files(prefix: "vpc-") {
            let interactions = try Cassettes.load(file)
            let transport = ReplayTransport(interactions)
            let api = VPCAPI(client: .testing(transport, retry: .none))
            for x in interactions {
                do {
                    try await drive(api, x)
                    XCTAssertLessThan(x.status, 400, "\(x.method) \(x.path) should have failed")
                } catch let e as APIError {
                    XCTAssertEqual(e.status, x.status)
                    XCTAssertTrue(e.isNotFound)
                }
            }
            XCTAssertEqual(transport.sent.count, interactions.count)
            for (x, request) in zip(interactions, transport.sent) {
                let name = "\(file.split(separator: "/").last!) \(x.method) \(x.path)"
                XCTAssertEqual(request.method, x.method, name)
                XCTAssertEqual(Interaction(method: "", url: request.url, requestBody: .null, status: 0, responseBody: .null, responseHeaders: [:]).path, x.path, name)
                let sentBody: Value = try request.body.map { try JSON.decode(bytes: $0) } ?? .null
                XCTAssertEqual(sentBody, x.requestBody, "request body differs for \(name):\n sent \(JSON.encode(sentBody))\n recorded \(JSON.encode(x.requestBody))")
                XCTAssertEqual(request.header("X-Auth-Token"), ScalewayConfig.localSecretKey)
                XCTAssertEqual(request.header("User-Agent"), "scwlua/\(ScalewayClient.version)")
                if x.requestBody != .null { XCTAssertEqual(request.header("Content-Type"), "application/json") }
            }
        }
    }

    /// Calls the VPCAPI method matching a recorded interaction, with the recorded inputs.
    private func drive(_ api: VPCAPI, _ x: Interaction) async throws {
        let parts = x.path.split(separator: "/").map(String.init)  // vpc v2 regions fr-par <collection> [id] [action]
        let region = parts[3], collection = parts[4]
        let id = parts.count > 5 ? parts[5] : nil
        let b = x.requestBody
        let tags = b["tags"]?.listValue?.compactMap(\.stringValue)
        switch (x.method, collection, id, parts.count > 6 ? parts[6] : nil) {
        case ("POST", "vpcs", nil, nil):
            _ = try await api.createVPC(region: region, name: b["name"]!.stringValue!, projectID: b["project_id"]?.stringValue, tags: tags ?? [],
                                        enableRouting: b["enable_routing"]?.boolValue ?? false, enableTransitivity: b["enable_transitivity"]?.boolValue)
        case ("GET", "vpcs", let id?, nil): _ = try await api.getVPC(region: region, id: id)
        case ("PATCH", "vpcs", let id?, nil): _ = try await api.updateVPC(region: region, id: id, name: b["name"]?.stringValue, tags: tags)
        case ("DELETE", "vpcs", let id?, nil): try await api.deleteVPC(region: region, id: id)
        case ("POST", "vpcs", let id?, "enable-custom-routes-propagation"): _ = try await api.enableCustomRoutesPropagation(region: region, id: id)
        case ("POST", "private-networks", nil, nil):
            _ = try await api.createPrivateNetwork(region: region, name: b["name"]!.stringValue!, projectID: b["project_id"]?.stringValue,
                                                   tags: tags ?? [], subnets: b["subnets"]?.listValue?.compactMap(\.stringValue),
                                                   vpcID: b["vpc_id"]?.stringValue,
                                                   defaultRoutePropagationEnabled: b["default_route_propagation_enabled"]?.boolValue ?? false)
        case ("GET", "private-networks", let id?, nil): _ = try await api.getPrivateNetwork(region: region, id: id)
        case ("PATCH", "private-networks", let id?, nil):
            _ = try await api.updatePrivateNetwork(region: region, id: id, name: b["name"]?.stringValue, tags: tags,
                                                   defaultRoutePropagationEnabled: b["default_route_propagation_enabled"]?.boolValue)
        case ("DELETE", "private-networks", let id?, nil): try await api.deletePrivateNetwork(region: region, id: id)
        default: XCTFail("no VPCAPI call for \(x.method) \(x.path)")
        }
    }

    func testRequestBodiesForDirectInputs() {
        // Written from the recordings, independent of the replay driver.
        XCTAssertEqual(JSON.encode(VPCAPI.createVPCBody(name: "test-vpc", projectID: "p", tags: [], enableRouting: false, enableTransitivity: nil)),
                       #"{"enable_routing":false,"name":"test-vpc","project_id":"p","tags":[]}"#)
        XCTAssertEqual(JSON.encode(VPCAPI.createPrivateNetworkBody(name: "pn", projectID: "p", tags: [], subnets: nil, vpcID: nil, defaultRoutePropagationEnabled: false)),
                       #"{"default_route_propagation_enabled":false,"name":"pn","project_id":"p","subnets":null,"tags":[]}"#)
        XCTAssertEqual(JSON.encode(VPCAPI.createPrivateNetworkBody(name: "pn", projectID: "p", tags: ["a"], subnets: ["172.16.32.0/22"], vpcID: "v", defaultRoutePropagationEnabled: true)),
                       #"{"default_route_propagation_enabled":true,"name":"pn","project_id":"p","subnets":["172.16.32.0/22"],"tags":["a"],"vpc_id":"v"}"#)
        XCTAssertEqual(JSON.encode(VPCAPI.updateVPCBody(name: nil, tags: ["terraform-test", "vpc"])), #"{"tags":["terraform-test","vpc"]}"#)
        XCTAssertEqual(JSON.encode(VPCAPI.updatePrivateNetworkBody(name: nil, tags: nil, defaultRoutePropagationEnabled: nil)), "{}")
    }

    func testDecodingErrorsNameTheField() {
        XCTAssertThrowsError(try VPC(json: .map(["name": .string("x")]))) {
            XCTAssertEqual("\($0)", "cannot read VPC: field 'id' is missing (expected a string)")
        }
        let pn: Value = .map(["id": .string("i"), "name": .string("n"), "vpc_id": .string("v"), "project_id": .string("p"), "region": .string("fr-par"),
                              "subnets": .list([.map(["id": .string("s"), "subnet": .int(3)])])])
        XCTAssertThrowsError(try PrivateNetwork(json: pn)) {
            XCTAssertEqual("\($0)", "cannot read PrivateNetwork.subnets[0]: field 'subnet' should be a string, got a number")
        }
        XCTAssertThrowsError(try VPC(json: .list([]))) { XCTAssertEqual("\($0)", "cannot read VPC: expected an object, got a list") }
        let badTags: Value = .map(["id": .string("i"), "name": .string("n"), "project_id": .string("p"), "region": .string("r"), "tags": .list([.int(1)])])
        XCTAssertThrowsError(try VPC(json: badTags)) { XCTAssertEqual("\($0)", "cannot read VPC: field 'tags[0]' should be a string, got a number") }
    }
}

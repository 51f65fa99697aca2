// RegistryCassetteTests: the recorded registry-* cassette decodes into the Registry models,
// and replaying it through RegistryAPI sends the recorded requests.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class RegistryCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        var decoded = 0
        for file in try Cassettes.files(prefix: "registry-") {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "#\(i + 1) \(x.method) \(x.path)"
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertTrue(e.isNotFound, context)
                } else {
                    let ns = try RegistryNamespace(json: x.responseBody)
                    XCTAssertEqual(ns.endpoint, "rg.pl-waw.scw.cloud/test-cr-ns-01", context)
                    XCTAssertEqual(ns.imageCount, 0, context)
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 15)
    }

    func testReplayingThroughRegistryAPISendsTheRecordedRequests() async throws {
        let count = try await ServerlessCassetteReplay.run(prefix: "registry-") { client, x in
            let api = RegistryAPI(client: client)
            let parts = x.path.split(separator: "/").map(String.init)
            let region = parts[3], id = parts.count > 5 ? parts[5] : ""
            let b = x.requestBody
            switch (x.method, parts.count) {
            case ("POST", 5):
                _ = try await api.createNamespace(region: region, body: RegistryAPI.createNamespaceBody(
                    name: b["name"]!.stringValue!, description: b["description"]!.stringValue!, projectID: b["project_id"]!.stringValue!,
                    isPublic: b["is_public"]!.boolValue!))
            case ("GET", 6): _ = try await api.getNamespace(region: region, id: id)
            case ("PATCH", 6):
                _ = try await api.updateNamespace(region: region, id: id, body: RegistryAPI.updateNamespaceBody(
                    description: b["description"]?.stringValue, isPublic: b["is_public"]?.boolValue))
            case ("DELETE", 6): try await api.deleteNamespace(region: region, id: id)
            default: XCTFail("no RegistryAPI call for \(x.method) \(x.path)")
            }
        }
        XCTAssertEqual(count, 15)
    }
}

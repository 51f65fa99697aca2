// ContainersCassetteTests: the recorded container-* cassettes: every body decodes into the
// Containers models, and replaying them through ContainersAPI sends the recorded requests.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class ContainersCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        var decoded = 0
        for file in try Cassettes.files(prefix: "container-") {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertTrue(e.isNotFound, context)
                } else if x.path.contains("/containers/v1/regions/fr-par/containers") {
                    let c = try Container(json: x.responseBody)
                    XCTAssertTrue(c.publicEndpoint.hasPrefix("https://"), context)
                    XCTAssertTrue(c.domainName.hasSuffix(".functions.fnc.fr-par.scw.cloud"), context)
                    if c.status == "error" { XCTAssertTrue(c.errorMessage?.contains("not listening on port") ?? false, context) }
                    if c.status == "creating" { XCTAssertNil(c.errorMessage, context) }
                } else {
                    let ns = try ContainerNamespace(json: x.responseBody)
                    XCTAssertFalse(ns.name.isEmpty, context)
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 40 + 40 + 66)
    }

    func testReplayingThroughContainersAPISendsTheRecordedRequests() async throws {
        let count = try await ServerlessCassetteReplay.run(prefix: "container-") { client, x in
            let api = ContainersAPI(client: client)
            let parts = x.path.split(separator: "/").map(String.init)
            let region = parts[3], id = parts.count > 5 ? parts[5] : ""
            let b = x.requestBody
            typealias R = ServerlessCassetteReplay
            func secrets(_ v: Value?) -> [String: Value]? { v?.mapValue?.mapValues { .secret($0) } }
            switch (x.method, parts[4], parts.count) {
            case ("POST", "namespaces", 5):
                _ = try await api.createNamespace(region: region, body: ContainersAPI.createNamespaceBody(
                    projectID: b["project_id"]!.stringValue!, name: b["name"]!.stringValue!, description: b["description"]?.stringValue,
                    environmentVariables: R.stringMap(b["environment_variables"]) ?? [:], secrets: secrets(b["secret_environment_variables"]) ?? [:],
                    tags: R.strings(b["tags"])))
            case ("GET", "namespaces", 6): _ = try await api.getNamespace(region: region, id: id)
            case ("PATCH", "namespaces", 6):
                _ = try await api.updateNamespace(region: region, id: id, body: ContainersAPI.updateNamespaceBody(
                    description: b["description"]?.stringValue, environmentVariables: R.stringMap(b["environment_variables"]),
                    secrets: secrets(b["secret_environment_variables"]), tags: R.strings(b["tags"])))
            case ("DELETE", "namespaces", 6): try await api.deleteNamespace(region: region, id: id)
            case ("POST", "containers", 5):
                var spec = ContainersAPI.ContainerSpec()
                spec.image = b["image"]?.stringValue
                spec.port = b["port"]?.intValue
                spec.minScale = b["min_scale"]?.intValue
                spec.maxScale = b["max_scale"]?.intValue
                spec.memoryLimitBytes = b["memory_limit_bytes"]?.intValue
                spec.mvcpuLimit = b["mvcpu_limit"]?.intValue
                spec.timeout = b["timeout"]?.stringValue
                spec.privacy = R.known(b["privacy"])
                spec.protocol = R.known(b["protocol"])
                spec.sandbox = R.known(b["sandbox"])
                spec.description = b["description"]?.stringValue
                spec.environmentVariables = R.stringMap(b["environment_variables"])
                spec.secrets = secrets(b["secret_environment_variables"])
                spec.tags = R.strings(b["tags"])
                var body = ContainersAPI.createContainerBody(namespaceID: b["namespace_id"]!.stringValue!, name: b["name"]!.stringValue!, spec: spec)
                if let storage = b["local_storage_limit_bytes"] { body = .map(body.mapValue!.merging(["local_storage_limit_bytes": storage]) { $1 }) }
                _ = try await api.createContainer(region: region, body: body)
            case ("GET", "containers", 6): _ = try await api.getContainer(region: region, id: id)
            case ("PATCH", "containers", 6):
                var spec = ContainersAPI.ContainerSpec()
                spec.environmentVariables = R.stringMap(b["environment_variables"])
                spec.secrets = secrets(b["secret_environment_variables"])
                _ = try await api.updateContainer(region: region, id: id, body: ContainersAPI.updateContainerBody(spec))
            case ("DELETE", "containers", 6): try await api.deleteContainer(region: region, id: id)
            default: XCTFail("no ContainersAPI call for \(x.method) \(x.path)")
            }
        }
        XCTAssertEqual(count, 40 + 40 + 66)
    }
}

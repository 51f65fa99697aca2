// FunctionsCassetteTests: the recorded function-* cassettes: every body decodes into the
// Functions models, and replaying them through FunctionsAPI sends the recorded requests
// (secrets kept secrets until the client sends them).

import XCTest
import ScwCore
@testable import ScalewayAPI

final class FunctionsCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        var decoded = 0
        for file in try Cassettes.files(prefix: "function-") {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertTrue(e.isNotFound, context)
                    XCTAssertTrue(e.description.contains("was not found"), "\(context): \(e.description)")
                } else if x.path.contains("/functions/v1beta1/regions/fr-par/functions") {
                    let fn = try ServerlessFunction(json: x.responseBody)
                    XCTAssertEqual(fn.name, "foobar", context)
                    XCTAssertEqual(fn.memoryLimit, 256, context)
                    XCTAssertEqual(fn.cpuLimit, 140, context)
                    XCTAssertTrue(fn.domainName.hasSuffix(".functions.fnc.fr-par.scw.cloud"), context)
                    XCTAssertFalse(fn.secretKeys.contains { $0.contains("argon") }, context)
                    if fn.status == "error" { XCTAssertEqual(fn.errorMessage, "internal error", context) }
                } else {
                    let ns = try FunctionNamespace(json: x.responseBody)
                    if ns.status == "ready" { XCTAssertTrue(ns.registryEndpoint.hasPrefix("rg.fr-par.scw.cloud/funcscw"), context) }
                    if ns.status == "pending", x.method == "POST" { XCTAssertEqual(ns.registryEndpoint, "", context) }
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 17 + 25 + 30 + 11)
    }

    func testReplayingThroughFunctionsAPISendsTheRecordedRequests() async throws {
        let count = try await ServerlessCassetteReplay.run(prefix: "function-") { client, x in
            let api = FunctionsAPI(client: client)
            let parts = x.path.split(separator: "/").map(String.init)   // functions v1beta1 regions fr-par <collection> [id]
            let region = parts[3], id = parts.count > 5 ? parts[5] : ""
            let b = x.requestBody
            typealias R = ServerlessCassetteReplay
            switch (x.method, parts[4], parts.count) {
            case ("POST", "namespaces", 5):
                _ = try await api.createNamespace(region: region, body: FunctionsAPI.createNamespaceBody(
                    name: b["name"]!.stringValue!, projectID: b["project_id"]!.stringValue!, description: b["description"]?.stringValue,
                    environmentVariables: R.stringMap(b["environment_variables"]) ?? [:], secrets: R.secretList(b["secret_environment_variables"]) ?? [],
                    tags: R.strings(b["tags"])))
            case ("GET", "namespaces", 6): _ = try await api.getNamespace(region: region, id: id)
            case ("PATCH", "namespaces", 6):
                _ = try await api.updateNamespace(region: region, id: id, body: FunctionsAPI.updateNamespaceBody(
                    description: b["description"]?.stringValue, environmentVariables: R.stringMap(b["environment_variables"]),
                    secrets: R.secretList(b["secret_environment_variables"]), tags: R.strings(b["tags"])))
            case ("DELETE", "namespaces", 6): try await api.deleteNamespace(region: region, id: id)
            case ("POST", "functions", 5):
                let spec = FunctionsAPI.FunctionSpec(
                    runtime: b["runtime"]?.stringValue, handler: b["handler"]?.stringValue, privacy: R.known(b["privacy"]),
                    minScale: b["min_scale"]?.intValue, maxScale: b["max_scale"]?.intValue, memoryLimit: b["memory_limit"]?.intValue,
                    httpOption: R.known(b["http_option"]), sandbox: R.known(b["sandbox"]), environmentVariables: R.stringMap(b["environment_variables"]),
                    secrets: R.secretList(b["secret_environment_variables"]), tags: R.strings(b["tags"]))
                _ = try await api.createFunction(region: region, body: FunctionsAPI.createFunctionBody(
                    name: b["name"]!.stringValue!, namespaceID: b["namespace_id"]!.stringValue!, spec: spec))
            case ("GET", "functions", 6): _ = try await api.getFunction(region: region, id: id)
            case ("PATCH", "functions", 6):
                let spec = FunctionsAPI.FunctionSpec(environmentVariables: R.stringMap(b["environment_variables"]),
                                                     secrets: R.secretList(b["secret_environment_variables"]))
                _ = try await api.updateFunction(region: region, id: id, body: FunctionsAPI.updateFunctionBody(spec))
            case ("DELETE", "functions", 6): try await api.deleteFunction(region: region, id: id)
            default: XCTFail("no FunctionsAPI call for \(x.method) \(x.path)")
            }
        }
        XCTAssertEqual(count, 17 + 25 + 30 + 11)
    }

    func testBodiesAndAnswersOfCallsNotRecorded() throws {
        XCTAssertEqual(JSON.encode(FunctionsAPI.createCronBody(functionID: "f", schedule: "0 3 * * *", args: .map(["job": .string("x")]), name: "n")),
                       #"{"args":{"job":"x"},"function_id":"f","name":"n","schedule":"0 3 * * *"}"#)
        let url = try UploadURL(json: .map(["url": .string("https://s3/x"), "headers": .map(["content-type": .list([.string("application/octet-stream")])])]))
        XCTAssertEqual(url.headers.map { "\($0.0): \($0.1)" }, ["content-type: application/octet-stream"])
        let body = FunctionsAPI.updateFunctionBody(.init(secrets: [(key: "A", value: .secret(.string("s"))), (key: "B", value: nil)]))
        XCTAssertEqual(JSON.encode(body.revealed)
                       .contains(#""secret_environment_variables":[{"key":"A","value":"s"},{"key":"B","value":null}]"#), true)
        guard case .secret? = body["secret_environment_variables"]?.listValue?.first?["value"] else {
            return XCTFail("the secret stays wrapped until sent")
        }
    }
}

// Functions emulator behaviour beyond the recordings: namespaces get their registry, the
// runtimes list, code upload through the URL the API hands out (a zip, of the declared
// length), deploy → building → ready or error naming the missing handler file, crons with
// checked schedules, cascading deletes, and --speed.

import Foundation
import XCTest
@testable import ScwEmulator

final class FunctionsBehaviourTests: XCTestCase {
    let base = "/functions/v1beta1/regions/fr-par"

    /// Polls a GET until `status` (bounded: 5 s).
    @discardableResult
    func waitStatus(_ h: EmulatorHarness, _ path: String, _ wanted: Set<String>, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(5)
        var last = JSONValue.null
        while Date() < deadline {
            last = try h.expect(200, "GET", path, file: file, line: line)
            if let s = last["status"]?.stringValue, wanted.contains(s) { return last }
            usleep(10_000)
        }
        XCTFail("\(path) never reached \(wanted): \(last.encoded())", file: file, line: line)
        return last
    }

    func put(_ h: EmulatorHarness, _ url: String, _ bytes: [UInt8]) throws -> TestResponse {
        let path = String(url[url.range(of: "/serverless-upload")!.lowerBound...])
        let head = "PUT \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: t\r\nContent-Type: application/octet-stream\r\nContent-Length: \(bytes.count)\r\n\r\n"
        h.connection.sendRaw(Array(head.utf8) + bytes)
        return try h.connection.readResponse(method: "PUT")
    }

    func makeNamespace(_ h: EmulatorHarness) throws -> String {
        let ns = try h.expect(200, "POST", "\(base)/namespaces", #"{"name":"api","secret_environment_variables":[{"key":"TOKEN","value":"s3cr3t"}]}"#)
        XCTAssertEqual(ns["status"]?.stringValue, "pending")
        XCTAssertFalse(ns.encoded().contains("s3cr3t"), "a secret is never served")
        let id = try XCTUnwrap(ns["id"]?.stringValue)
        let ready = try waitStatus(h, "\(base)/namespaces/\(id)", ["ready"])
        XCTAssertTrue(ready["registry_endpoint"]?.stringValue?.hasPrefix("rg.fr-par.scw.cloud/funcscwapi") ?? false, ready.encoded())
        let registryID = try XCTUnwrap(ready["registry_namespace_id"]?.stringValue)
        try h.expect(200, "GET", "/registry/v1/regions/fr-par/namespaces/\(registryID)")
        return id
    }

    func testUploadDeployAndBuildOutcome() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let runtimes = try h.expect(200, "GET", "\(base)/runtimes")
        XCTAssertTrue(runtimes["runtimes"]?.arrayValue?.contains { $0["name"]?.stringValue == "node22" } ?? false)
        let ns = try makeNamespace(h)
        let bad = try h.call("POST", "\(base)/functions", #"{"namespace_id":"\#(ns)","name":"hello","runtime":"cobol85"}"#)
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertTrue(bad.text.contains("unknown runtime"), bad.text)
        let badMemory = try h.call("POST", "\(base)/functions", #"{"namespace_id":"\#(ns)","name":"hello","runtime":"node22","memory_limit":300}"#)
        XCTAssertEqual(badMemory.status, 400, badMemory.text)
        let fn = try h.expect(200, "POST", "\(base)/functions",
                              #"{"namespace_id":"\#(ns)","name":"hello","runtime":"node22","handler":"handler.handle","memory_limit":512}"#)
        XCTAssertEqual(fn["status"]?.stringValue, "created")
        XCTAssertEqual(fn["cpu_limit"]?.intValue, 280)
        let id = try XCTUnwrap(fn["id"]?.stringValue)

        // not a zip: refused at upload
        let junk = Array("hello, not a zip at all, just text".utf8)
        var upload = try h.expect(200, "GET", "\(base)/functions/\(id)/upload-url?content_length=\(junk.count)")
        var response = try put(h, try XCTUnwrap(upload["url"]?.stringValue), junk)
        XCTAssertEqual(response.status, 400, response.text)
        XCTAssertTrue(response.text.contains("not a zip"), response.text)

        // a zip without handler.js: the build fails and says why
        let wrong = StoredZip.make([("index.js", "exports.handle = () => 1")])
        upload = try h.expect(200, "GET", "\(base)/functions/\(id)/upload-url?content_length=\(wrong.count)")
        response = try put(h, try XCTUnwrap(upload["url"]?.stringValue), wrong)
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(try h.expect(200, "POST", "\(base)/functions/\(id)/deploy", "{}")["status"]?.stringValue, "pending")
        let failed = try waitStatus(h, "\(base)/functions/\(id)", ["error", "ready"])
        XCTAssertEqual(failed["status"]?.stringValue, "error")
        XCTAssertTrue(failed["error_message"]?.stringValue?.contains("handler.js") ?? false, failed.encoded())

        // the length must match the URL's
        let good = StoredZip.make([("handler.js", "exports.handle = () => 1"), ("lib/util.js", "")])
        upload = try h.expect(200, "GET", "\(base)/functions/\(id)/upload-url?content_length=\(good.count + 1)")
        XCTAssertEqual(try put(h, try XCTUnwrap(upload["url"]?.stringValue), good).status, 400)
        upload = try h.expect(200, "GET", "\(base)/functions/\(id)/upload-url?content_length=\(good.count)")
        XCTAssertEqual(try put(h, try XCTUnwrap(upload["url"]?.stringValue), good).status, 200)
        try h.expect(200, "POST", "\(base)/functions/\(id)/deploy", "{}")
        let ready = try waitStatus(h, "\(base)/functions/\(id)", ["ready", "error"])
        XCTAssertEqual(ready["status"]?.stringValue, "ready", ready.encoded())
        let retagged = try h.expect(200, "PATCH", "\(base)/functions/\(id)", #"{"tags":["a"],"privacy":"unknown_privacy"}"#)
        XCTAssertEqual(retagged["status"]?.stringValue, "ready", "tags alone do not redeploy")
        let resized = try h.expect(200, "PATCH", "\(base)/functions/\(id)", #"{"memory_limit":1024}"#)
        XCTAssertEqual(resized["status"]?.stringValue, "pending", "a setting redeploys")
        XCTAssertEqual(try waitStatus(h, "\(base)/functions/\(id)", ["ready", "error"])["status"]?.stringValue, "ready")

        // crons
        let badCron = try h.call("POST", "\(base)/crons", #"{"function_id":"\#(id)","schedule":"every night","args":{}}"#)
        XCTAssertEqual(badCron.status, 400, badCron.text)
        let cron = try h.expect(200, "POST", "\(base)/crons", #"{"function_id":"\#(id)","schedule":"0 3 * * *","args":{"job":"cleanup"},"name":"nightly"}"#)
        let cronID = try XCTUnwrap(cron["id"]?.stringValue)
        XCTAssertEqual(try waitStatus(h, "\(base)/crons/\(cronID)", ["ready"])["args"]?["job"]?.stringValue, "cleanup")

        // deleting the namespace takes everything with it, its registry included
        try h.expect(200, "DELETE", "\(base)/namespaces/\(ns)")
        let deadline = Date().addingTimeInterval(5)
        var left: [JSONValue] = []
        repeat {
            usleep(20_000)
            left = try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue ?? []
        } while !left.isEmpty && Date() < deadline
        XCTAssertEqual(left, [], "nothing left after the namespace delete")
    }

    func testSpeedScalesTheNamespaceTimeline() throws {
        let slow = try EmulatorHarness { $0.speed = 1 }
        let ns = try slow.expect(200, "POST", "\(base)/namespaces", #"{"name":"slow"}"#)
        usleep(300_000)
        XCTAssertEqual(try slow.expect(200, "GET", "\(base)/namespaces/\(ns["id"]!.stringValue!)")["status"]?.stringValue, "pending",
                       "at speed 1 a namespace takes seconds")
        let fast = try EmulatorHarness { $0.speed = 1000 }
        let other = try fast.expect(200, "POST", "\(base)/namespaces", #"{"name":"fast"}"#)
        usleep(50_000)
        XCTAssertEqual(try fast.expect(200, "GET", "\(base)/namespaces/\(other["id"]!.stringValue!)")["status"]?.stringValue, "ready")
    }

    func testNotFoundShapes() throws {
        let h = try EmulatorHarness()
        let missing = try h.call("GET", "\(base)/functions/\(Clock.uuid())")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.json, .object(["message": .string("Function was not found")]))
        let container = try h.call("GET", "/containers/v1/regions/fr-par/containers/\(Clock.uuid())")
        XCTAssertEqual(container.json?["type"]?.stringValue, "not_found")
        XCTAssertEqual(container.json?["resource"]?.stringValue, "container")
    }
}

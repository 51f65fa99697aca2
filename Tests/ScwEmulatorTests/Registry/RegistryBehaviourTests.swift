// Registry emulator behaviour: naming rules, images pushed through the control API (listed
// with their tags, counted on the namespace), a namespace holding images refused deletion,
// and containers that pull from it (a missing image ends in error, a pushed one runs).

import Foundation
import XCTest
@testable import ScwEmulator

final class RegistryBehaviourTests: XCTestCase {
    let base = "/registry/v1/regions/fr-par"

    func waitStatus(_ h: EmulatorHarness, _ path: String, _ wanted: Set<String>) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(5)
        var last = JSONValue.null
        while Date() < deadline {
            last = try h.expect(200, "GET", path)
            if let s = last["status"]?.stringValue, wanted.contains(s) { return last }
            usleep(10_000)
        }
        XCTFail("\(path) never reached \(wanted): \(last.encoded())")
        return last
    }

    func testImagesBlockDeletionAndFeedContainers() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        XCTAssertEqual(try h.call("POST", "\(base)/namespaces", #"{"name":"Apps_Bad"}"#).status, 400)
        let ns = try h.expect(200, "POST", "\(base)/namespaces", #"{"name":"apps","is_public":false}"#)
        XCTAssertEqual(ns["endpoint"]?.stringValue, "rg.fr-par.scw.cloud/apps")
        XCTAssertEqual(try h.call("POST", "\(base)/namespaces", #"{"name":"apps"}"#).status, 409, "names are unique per region")
        let nsID = try XCTUnwrap(ns["id"]?.stringValue)

        // a container pulling an image never pushed ends in error
        let cns = try h.expect(200, "POST", "/containers/v1/regions/fr-par/namespaces", #"{"name":"web"}"#)
        let cnsID = try XCTUnwrap(cns["id"]?.stringValue)
        _ = try waitStatus(h, "/containers/v1/regions/fr-par/namespaces/\(cnsID)", ["ready"])
        let missing = try h.expect(200, "POST", "/containers/v1/regions/fr-par/containers",
                                   #"{"namespace_id":"\#(cnsID)","name":"web","image":"rg.fr-par.scw.cloud/apps/web:1.4.2","port":8080}"#)
        let failed = try waitStatus(h, "/containers/v1/regions/fr-par/containers/\(missing["id"]!.stringValue!)", ["error", "ready"])
        XCTAssertEqual(failed["status"]?.stringValue, "error")
        XCTAssertTrue(failed["error_message"]?.stringValue?.contains("not found in the registry") ?? false, failed.encoded())

        // pushed: listed with its tag, counted, and the redeployed container runs
        let pushed = try h.expect(200, "POST", "/__emulator/registry/images", #"{"image":"rg.fr-par.scw.cloud/apps/web:1.4.2","size":1234}"#)
        let imageID = try XCTUnwrap(pushed["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/namespaces/\(nsID)")["image_count"]?.intValue, 1)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/images?namespace_id=\(nsID)")["total_count"]?.intValue, 1)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/images/\(imageID)/tags")["tags"]?.arrayValue?.first?["name"]?.stringValue, "1.4.2")
        try h.expect(200, "POST", "/containers/v1/regions/fr-par/containers/\(missing["id"]!.stringValue!)/redeploy", "{}")
        let running = try waitStatus(h, "/containers/v1/regions/fr-par/containers/\(missing["id"]!.stringValue!)", ["ready", "error"])
        XCTAssertEqual(running["status"]?.stringValue, "ready", running.encoded())

        // a namespace holding images cannot go
        let refused = try h.call("DELETE", "\(base)/namespaces/\(nsID)")
        XCTAssertEqual(refused.status, 412, refused.text)
        XCTAssertTrue(refused.text.contains("still holds 1 image(s) (web)"), refused.text)
        try h.expect(200, "DELETE", "\(base)/images/\(imageID)")
        XCTAssertEqual(try h.expect(200, "DELETE", "\(base)/namespaces/\(nsID)")["status"]?.stringValue, "deleting")
        let deadline = Date().addingTimeInterval(5)
        var status = 200
        while status == 200, Date() < deadline {
            usleep(10_000)
            status = try h.call("GET", "\(base)/namespaces/\(nsID)").status
        }
        XCTAssertEqual(status, 404)
    }
}

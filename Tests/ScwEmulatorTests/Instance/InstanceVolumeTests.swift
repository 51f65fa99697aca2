// Volumes beyond the cassettes: Instance volumes (generated names, grow-only b_ssd, no delete while
// attached, attach/detach), Block volumes (create, grow, in use), the control API and persistence.

import Foundation
import XCTest
@testable import ScwEmulator

final class InstanceVolumeTests: XCTestCase {
    func testInstanceVolumeGrowAndDeleteWhileAttached() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let bssd = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/volumes",
                                              #"{"project":"\#(project)","volume_type":"b_ssd","size":10000000000}"#)["volume"])
        let bssdID = try XCTUnwrap(bssd["id"]?.stringValue)
        XCTAssertTrue(bssd["name"]?.stringValue?.hasPrefix("vol-") == true, "a name is generated")
        let grown = try h.expect(200, "PATCH", "\(zoneBase)/volumes/\(bssdID)", #"{"size":20000000000}"#)["volume"]
        XCTAssertEqual(grown?["size"], .int(20_000_000_000))
        XCTAssertEqual(grown?["state"], .string("resizing"))
        usleep(30_000)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/volumes/\(bssdID)")["volume"]?["state"], .string("available"))
        try h.expect(400, "PATCH", "\(zoneBase)/volumes/\(bssdID)", #"{"size":15000000000}"#)

        let local = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/volumes",
                                               #"{"name":"data","project":"\#(project)","volume_type":"l_ssd","size":10000000000}"#)["volume"]?["id"]?.stringValue)
        try h.expect(400, "PATCH", "\(zoneBase)/volumes/\(local)", #"{"size":20000000000}"#)   // only b_ssd grows
        // sbs_volume: made in the Block API, which alone serves it afterwards
        let sbs = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/volumes",
                                             #"{"project":"\#(project)","volume_type":"sbs_volume","size":10000000000}"#)["volume"])
        XCTAssertEqual(sbs["volume_type"], .string("sbs_volume"))
        let sbsID = try XCTUnwrap(sbs["id"]?.stringValue)
        try h.expect(404, "GET", "\(zoneBase)/volumes/\(sbsID)")
        XCTAssertEqual(try h.expect(200, "GET", "/block/v1/zones/fr-par-1/volumes/\(sbsID)")["size"], .int(10_000_000_000))
        try h.expect(400, "POST", "\(zoneBase)/volumes", #"{"project":"\#(project)","volume_type":"l_ssd","size":900000000000}"#)

        let id = try XCTUnwrap(try h.server()["id"]?.stringValue)
        let attached = try h.expect(200, "POST", "\(zoneBase)/servers/\(id)/attach-volume", #"{"volume_id":"\#(local)"}"#)["server"]
        XCTAssertEqual(attached?["volumes"]?["1"]?["id"], .string(local))
        XCTAssertEqual(attached?["volumes"]?["1"]?["name"], .string("data"))
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/volumes/\(local)")["volume"]?["server"]?["id"], .string(id))
        let refused = try h.expect(400, "DELETE", "\(zoneBase)/volumes/\(local)")
        XCTAssertEqual(refused["type"], .string("invalid_request_error"))
        // DEV1-S has 20 GB of local storage: a second 15 GB l_ssd does not fit
        let big = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/volumes",
                                             #"{"project":"\#(project)","volume_type":"l_ssd","size":15000000000}"#)["volume"]?["id"]?.stringValue)
        try h.expect(400, "POST", "\(zoneBase)/servers/\(id)/attach-volume", #"{"volume_id":"\#(big)"}"#)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/volumes/\(big)")["volume"]?["server"], .null)
        // local volumes change only while stopped
        try h.action(id, "poweron")
        try h.expect(400, "POST", "\(zoneBase)/servers/\(id)/detach-volume", #"{"volume_id":"\#(local)"}"#)
        try h.wait(id, for: "running")
        try h.action(id, "poweroff")
        try h.wait(id, for: "stopped")
        let root = try XCTUnwrap(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]?["volumes"]?["0"]?["id"]?.stringValue)
        try h.expect(400, "POST", "\(zoneBase)/servers/\(id)/detach-volume", #"{"volume_id":"\#(root)"}"#)
        let detached = try h.expect(200, "POST", "\(zoneBase)/servers/\(id)/detach-volume", #"{"volume_id":"\#(local)"}"#)["server"]
        XCTAssertEqual(detached?["volumes"]?.objectValue?.count, 1)
        try h.expect(204, "DELETE", "\(zoneBase)/volumes/\(local)")
        // PATCH volumes: attach an existing Block volume as a second disk
        let block = try XCTUnwrap(try h.expect(200, "POST", "/block/v1/zones/fr-par-1/volumes",
                                               #"{"name":"b","project_id":"\#(project)","from_empty":{"size":5000000000},"perf_iops":15000}"#)["id"]?.stringValue)
        usleep(30_000)   // creating for 10 ms
        let patched = try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"volumes":{"0":{"id":"\#(root)"},"1":{"id":"\#(block)"}}}"#)["server"]
        XCTAssertEqual(patched?["volumes"]?["1"]?["volume_type"], .string("sbs_volume"))
        XCTAssertEqual(try h.expect(200, "GET", "/block/v1/zones/fr-par-1/volumes/\(block)")["status"], .string("in_use"))
        XCTAssertEqual(try h.expect(412, "DELETE", "/block/v1/zones/fr-par-1/volumes/\(block)")["precondition"], .string("resource_still_in_use"))
    }

    func testBlockVolumesCreateGrowAndList() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let base = "/block/v1/zones/fr-par-1/volumes"
        let created = try h.expect(200, "POST", base, #"{"name":"data","project_id":"\#(project)","from_empty":{"size":20000000000},"tags":["t"]}"#)
        let id = try XCTUnwrap(created["id"]?.stringValue)
        XCTAssertEqual(created["status"], .string("creating"))
        XCTAssertEqual(created["type"], .string("sbs_5k"))
        usleep(30_000)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/\(id)")["status"], .string("available"))
        let grown = try h.expect(200, "PATCH", "\(base)/\(id)", #"{"size":30000000000,"perf_iops":15000}"#)
        XCTAssertEqual(grown["size"], .int(30_000_000_000))
        XCTAssertEqual(grown["type"], .string("sbs_15k"))
        XCTAssertEqual(try h.expect(400, "PATCH", "\(base)/\(id)", #"{"size":10000000000}"#)["type"], .string("invalid_arguments"))
        XCTAssertEqual(try h.expect(200, "GET", "\(base)?tags=t")["total_count"], .int(1))
        XCTAssertEqual(try h.expect(200, "GET", "/block/v1alpha1/zones/fr-par-1/volumes/\(id)")["name"], .string("data"))
        try h.expect(204, "DELETE", "\(base)/\(id)")
        XCTAssertEqual(try h.expect(404, "GET", "\(base)/\(id)")["resource"], .string("volume"))
        // a volume still creating (1 s at speed 1) cannot be attached yet
        let slow = try EmulatorHarness()
        let creating = try XCTUnwrap(try slow.expect(200, "POST", base, #"{"project_id":"\#(project)","from_empty":{"size":5000000000}}"#)["id"]?.stringValue)
        let server = try XCTUnwrap(try slow.server()["id"]?.stringValue)
        XCTAssertEqual(try slow.expect(400, "POST", "\(zoneBase)/servers/\(server)/attach-volume", #"{"volume_id":"\#(creating)"}"#)["type"],
                       .string("invalid_request_error"))
    }

    func testControlAPIListsEveryKindAndResetEmptiesIt() throws {
        let h = try EmulatorHarness()
        try h.expect(201, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)","tags":["k"]}"#)
        try h.expect(201, "POST", "\(zoneBase)/volumes", #"{"project":"\#(project)","volume_type":"l_ssd","size":10000000000}"#)
        try h.server()
        let resources = try XCTUnwrap(try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue)
        XCTAssertEqual(Set(resources.compactMap { $0["kind"]?.stringValue }), ["ip", "volume", "security_group", "block_volume", "server"])
        XCTAssertTrue(resources.allSatisfy { $0["zone"] == .string("fr-par-1") && $0["region"] == .string("fr-par") && $0["project_id"] == .string(project) })
        try h.expect(200, "POST", "/__emulator/reset")
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"], .array([]))
    }

    func testPendingTransitionSurvivesARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scw-emu-instance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cloud.json").path
        var id = ""
        do {
            let h = try EmulatorHarness { $0.dataFile = file; $0.speed = 20 }   // 100 ms transitions
            id = try XCTUnwrap(try h.server()["id"]?.stringValue)
            _ = try h.connection.request("PATCH", "\(zoneBase)/servers/\(id)/user_data/cloud-init", json: "#cloud-config\n")
            try h.action(id, "poweron")
        }
        let h = try EmulatorHarness { $0.dataFile = file; $0.speed = 20 }
        XCTAssertTrue(["starting", "running"].contains(try h.serverState(id) ?? ""))
        try h.wait(id, for: "running")
        XCTAssertEqual(try h.call("GET", "\(zoneBase)/servers/\(id)/user_data/cloud-init").text, "#cloud-config\n")
    }
}

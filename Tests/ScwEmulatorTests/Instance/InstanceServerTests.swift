// Instance servers beyond the cassettes: products pagination, image labels, the action state
// machine and its timing, delete and terminate semantics, quotas, validation, user data.

import Foundation
import XCTest
@testable import ScwEmulator

let zoneBase = "/instance/v1/zones/fr-par-1"

extension EmulatorHarness {
    /// The fr-par-1 image id of a marketplace label for an arch and volume kind.
    func image(_ label: String = "ubuntu_jammy", arch: String = "x86_64", type: String = "instance_sbs") throws -> String {
        let body = try expect(200, "GET", "/marketplace/v2/local-images?image_label=\(label)&zone=fr-par-1&type=\(type)&order_by=type_asc")
        return try XCTUnwrap(body["local_images"]?.arrayValue?.first { $0["arch"]?.stringValue == arch }?["id"]?.stringValue)
    }

    /// Creates a server and returns its body (`extra` is spliced into the JSON object).
    @discardableResult
    func server(_ name: String = "web", type: String = "DEV1-S", extra: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let body = #"{"name":"\#(name)","commercial_type":"\#(type)","image":"\#(try image())","project":"\#(project)"\#(extra)}"#
        return try expect(201, "POST", "\(zoneBase)/servers", body, file: file, line: line)["server"] ?? .null
    }

    func action(_ id: String, _ action: String, status: Int = 202, file: StaticString = #filePath, line: UInt = #line) throws {
        try expect(status, "POST", "\(zoneBase)/servers/\(id)/action", #"{"action":"\#(action)"}"#, file: file, line: line)
    }

    func serverState(_ id: String) throws -> String? {
        try call("GET", "\(zoneBase)/servers/\(id)").json?["server"]?["state"]?.stringValue
    }

    /// Polls until the server is in `state` (nil = gone); returns the seconds it took.
    @discardableResult
    func wait(_ id: String, for state: String?, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if try serverState(id) == state { return Date().timeIntervalSince(start) }
            usleep(2_000)
        }
        XCTFail("server \(id) never reached \(state ?? "deletion"); it is \(try serverState(id) ?? "gone")", file: file, line: line)
        return timeout
    }
}

final class InstanceServerTests: XCTestCase {
    func testProductsArePaginatedLikeTheRealAPI() throws {
        let h = try EmulatorHarness()
        var names = Set<String>()
        for (page, count) in [(1, 50), (2, 50), (3, 35), (4, 0)] {
            let response = try h.call("GET", "\(zoneBase)/products/servers?page=\(page)")
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.header("X-Total-Count"), "135")
            let servers = try XCTUnwrap(response.json?["servers"]?.objectValue)
            XCTAssertEqual(servers.count, count, "page \(page)")
            names.formUnion(servers.keys)
        }
        XCTAssertEqual(names.count, 135)
        XCTAssertTrue(["DEV1-S", "DEV1-M", "DEV1-L", "PLAY2-NANO", "PRO2-XXS", "GP1-XS", "BASIC2-A2C-4G"].allSatisfy(names.contains))
        let page2 = try h.call("GET", "\(zoneBase)/products/servers?page=2")
        XCTAssertEqual(page2.header("Link"), #"</products/servers?page=1&per_page=50&>; rel="first",</products/servers?page=1&per_page=50&>; rel="previous",</products/servers?page=3&per_page=50&>; rel="next",</products/servers?page=3&per_page=50&>; rel="last""#)
        let dev1s = try XCTUnwrap(try h.expect(200, "GET", "\(zoneBase)/products/servers?page=1")["servers"]?["DEV1-S"])
        XCTAssertEqual(dev1s["volumes_constraint"]?["max_size"], .int(20_000_000_000))
        XCTAssertEqual(dev1s["per_volume_constraint"]?["l_ssd"]?["max_size"], .int(800_000_000_000))
        XCTAssertEqual(dev1s["ram"], .int(2 << 30))
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/products/servers?per_page=100")["servers"]?.objectValue?.count, 100)
        try h.expect(400, "GET", "\(zoneBase)/products/servers?per_page=101")
        try h.expect(400, "GET", "/instance/v1/zones/fr-par-9/products/servers")
    }

    func testImageLabelsResolvePerZoneArchAndType() throws {
        let h = try EmulatorHarness()
        let body = try h.expect(200, "GET", "/marketplace/v2/local-images?image_label=ubuntu_noble&zone=nl-ams-2&type=instance_sbs")
        let images = try XCTUnwrap(body["local_images"]?.arrayValue)
        XCTAssertEqual(body["total_count"], .int(2))
        XCTAssertEqual(Set(images.compactMap { $0["arch"]?.stringValue }), ["x86_64", "arm64"])
        let x86 = try XCTUnwrap(images.first { $0["arch"] == .string("x86_64") })
        XCTAssertTrue(x86["compatible_commercial_types"]?.arrayValue?.contains(.string("PRO2-XXS")) == true)
        XCTAssertFalse(x86["compatible_commercial_types"]?.arrayValue?.contains(.string("BASIC2-A2C-4G")) == true)
        XCTAssertEqual(x86["zone"], .string("nl-ams-2"))
        let local = try h.expect(200, "GET", "/marketplace/v2/local-images?image_label=debian_bookworm&zone=fr-par-1&type=instance_local")
        let localTypes = local["local_images"]?.arrayValue?.first { $0["arch"] == .string("x86_64") }?["compatible_commercial_types"]?.arrayValue ?? []
        XCTAssertTrue(localTypes.contains(.string("DEV1-S")) && !localTypes.contains(.string("PRO2-XXS")))
        XCTAssertEqual(try h.expect(200, "GET", "/marketplace/v2/local-images?image_label=windows_95&zone=fr-par-1")["total_count"], .int(0))
        // ids are stable: another emulator resolves the same label to the same id; another zone differs
        XCTAssertEqual(try h.image(), try EmulatorHarness().image())
        XCTAssertNotEqual(x86["id"], .string(try h.image("ubuntu_noble")))
        let image = try h.expect(200, "GET", "\(zoneBase)/images/\(try h.image())")["image"]
        XCTAssertEqual(image?["name"], .string("Ubuntu 22.04 Jammy Jellyfish"))
    }

    func testStateMachineTimingsScaleWithSpeed() throws {
        let h = try EmulatorHarness { $0.speed = 20 }   // 2 s / 20 = 100 ms per transition
        let server = try h.server()
        let id = try XCTUnwrap(server["id"]?.stringValue)
        XCTAssertEqual(server["state"], .string("stopped"))
        XCTAssertEqual(server["allowed_actions"], .array([.string("poweron")]))
        try h.action(id, "poweroff", status: 400)

        let task = try h.expect(202, "POST", "\(zoneBase)/servers/\(id)/action", #"{"action":"poweron"}"#)["task"]
        XCTAssertEqual(task?["status"], .string("pending"))
        XCTAssertEqual(task?["href_result"], .string("/servers/\(id)"))
        let starting = try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]
        XCTAssertEqual(starting?["state"], .string("starting"))
        XCTAssertEqual(starting?["allowed_actions"], .array([.string("stop_in_place")]))
        try h.action(id, "poweron", status: 400)
        let up = try h.wait(id, for: "running")
        XCTAssertGreaterThan(up, 0.05, "starting lasted 2 s / speed")
        XCTAssertLessThan(up, 1.0)
        let running = try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]
        XCTAssertEqual(running?["allowed_actions"], .array(["poweroff", "terminate", "reboot", "stop_in_place"].map { .string($0) }))
        XCTAssertEqual(running?["location"]?["zone_id"], .string("fr-par-1"))

        try h.action(id, "stop_in_place")
        XCTAssertEqual(try h.serverState(id), "stopping")
        try h.wait(id, for: "stopped in place")
        try h.action(id, "poweron")
        try h.wait(id, for: "running")
        try h.action(id, "reboot")
        XCTAssertEqual(try h.serverState(id), "starting")
        try h.wait(id, for: "running")
        try h.action(id, "poweroff")
        XCTAssertEqual(try h.serverState(id), "stopping")
        let down = try h.wait(id, for: "stopped")
        XCTAssertLessThan(down, 1.0)
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]?["location"], .null)
        try h.action(id, "backup", status: 400)
        try h.action(id, "fly", status: 400)

        // at speed 1 the same transition is still going after 300 ms
        let slow = try EmulatorHarness()
        let slowID = try XCTUnwrap(try slow.server()["id"]?.stringValue)
        try slow.action(slowID, "poweron")
        usleep(300_000)
        XCTAssertEqual(try slow.serverState(slowID), "starting")
    }

    func testDeleteOnlyWhenStoppedAndVolumesStay() throws {
        let h = try EmulatorHarness { $0.speed = 20 }   // 100 ms: long enough to see "stopping"
        let server = try h.server(extra: #","volumes":{"0":{"boot":false},"1":{"volume_type":"l_ssd","size":10000000000}}"#)
        let id = try XCTUnwrap(server["id"]?.stringValue)
        let root = try XCTUnwrap(server["volumes"]?["0"]?["id"]?.stringValue)
        let local = try XCTUnwrap(server["volumes"]?["1"]?["id"]?.stringValue)
        XCTAssertEqual(server["volumes"]?["1"]?["server"]?["id"], .string(id))
        try h.action(id, "poweron")
        try h.wait(id, for: "running")
        let refused = try h.expect(400, "DELETE", "\(zoneBase)/servers/\(id)")
        XCTAssertEqual(refused["type"], .string("invalid_request_error"))
        try h.action(id, "poweroff")
        try h.expect(400, "DELETE", "\(zoneBase)/servers/\(id)")   // still stopping
        try h.wait(id, for: "stopped")
        try h.expect(204, "DELETE", "\(zoneBase)/servers/\(id)")
        try h.expect(404, "GET", "\(zoneBase)/servers/\(id)")
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/volumes/\(local)")["volume"]?["server"], .null)
        let block = try h.expect(200, "GET", "/block/v1/zones/fr-par-1/volumes/\(root)")
        XCTAssertEqual(block["status"], .string("available"))
        XCTAssertEqual(block["references"], .array([]))
        try h.expect(204, "DELETE", "/block/v1/zones/fr-par-1/volumes/\(root)")
        try h.expect(204, "DELETE", "\(zoneBase)/volumes/\(local)")
    }

    func testTerminateDropsLocalVolumesAndDynamicIPKeepsTheRest() throws {
        let h = try EmulatorHarness { $0.speed = 20 }
        let ip = try XCTUnwrap(try h.expect(201, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)","type":"routed_ipv4"}"#)["ip"]?["id"]?.stringValue)
        let server = try h.server(extra: #","public_ips":["\#(ip)"],"dynamic_ip_required":true,"volumes":{"0":{},"1":{"volume_type":"l_ssd","size":5000000000}}"#)
        let id = try XCTUnwrap(server["id"]?.stringValue)
        let root = try XCTUnwrap(server["volumes"]?["0"]?["id"]?.stringValue)
        let local = try XCTUnwrap(server["volumes"]?["1"]?["id"]?.stringValue)
        XCTAssertEqual(server["public_ips"]?.arrayValue?.count, 2)
        XCTAssertEqual(server["public_ips"]?.arrayValue?.filter { $0["dynamic"] == .bool(true) }.count, 1)

        try h.action(id, "terminate", status: 400)   // must be running
        try h.action(id, "poweron")
        try h.wait(id, for: "running")
        try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"protected":true}"#)
        XCTAssertEqual(try h.expect(412, "POST", "\(zoneBase)/servers/\(id)/action", #"{"action":"terminate"}"#)["precondition"],
                       .string("protected_resource"))
        try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"protected":false}"#)
        try h.action(id, "terminate")
        let terminating = try h.expect(200, "GET", "\(zoneBase)/servers/\(id)")["server"]
        XCTAssertEqual(terminating?["state"], .string("stopping"))
        XCTAssertEqual(terminating?["state_detail"], .string("terminating"))
        XCTAssertEqual(terminating?["public_ips"]?.arrayValue?.map { $0["dynamic"] }, [.bool(true)], "flexible IPs detached at once")
        try h.wait(id, for: nil)

        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/ips/\(ip)")["ip"]?["state"], .string("detached"))
        try h.expect(404, "GET", "\(zoneBase)/volumes/\(local)")
        XCTAssertEqual(try h.expect(200, "GET", "/block/v1/zones/fr-par-1/volumes/\(root)")["status"], .string("available"))
        let kinds = try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
        XCTAssertEqual(kinds?.sorted(), ["block_volume", "ip", "security_group"])
    }

    func testTerminatedServerGoesWithoutAnyRequest() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let id = try XCTUnwrap(try h.server()["id"]?.stringValue)
        try h.action(id, "poweron")
        try h.wait(id, for: "running")
        try h.action(id, "terminate")
        usleep(150_000)   // the timer settles it; only the control API is asked
        let servers = try h.expect(200, "GET", "/__emulator/resources?kind=server")["resources"]
        XCTAssertEqual(servers, .array([]))
    }

    func testTimerSettlesTransitionsOneAfterTheOther() throws {
        let h = try EmulatorHarness { $0.speed = 100 }
        let a = try XCTUnwrap(try h.server("a")["id"]?.stringValue)
        let b = try XCTUnwrap(try h.server("b")["id"]?.stringValue)
        try h.action(b, "poweron")
        try h.wait(b, for: "running")
        try h.action(a, "poweron")      // due first
        usleep(10_000)
        try h.action(b, "terminate")    // due 10 ms later: the timer must go on to it
        usleep(150_000)
        let servers = try h.expect(200, "GET", "/__emulator/resources?kind=server")["resources"]?.arrayValue
        XCTAssertEqual(servers?.compactMap { $0["id"]?.stringValue }, [a])
    }

    func testQuotasAnswerLikeTheLegacyAPI() throws {
        let h = try EmulatorHarness { $0.quotas = ["instances": 1, "ips": 1, "security_groups": 2] }
        try h.server()
        let refused = try h.expect(403, "POST", "\(zoneBase)/servers",
                                   #"{"name":"b","commercial_type":"DEV1-S","image":"\#(try h.image())","project":"\#(project)"}"#)
        XCTAssertEqual(refused, .object(["type": .string("invalid_request_error"), "message": .string("Quota exceeded for this resource."),
                                         "resource": .string("instances")]))
        // another project has its own count
        try h.expect(201, "POST", "\(zoneBase)/servers", #"{"commercial_type":"DEV1-S","image":"\#(try h.image())","project":"00000000-0000-4000-8000-000000000001"}"#)
        try h.expect(201, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)"}"#)
        XCTAssertEqual(try h.expect(403, "POST", "\(zoneBase)/ips", #"{"project":"\#(project)"}"#)["resource"], .string("ips"))
        try h.expect(201, "POST", "\(zoneBase)/security_groups", #"{"project":"\#(project)"}"#)   // + the default group
        try h.expect(403, "POST", "\(zoneBase)/security_groups", #"{"project":"\#(project)"}"#)
    }

    func testCreateAndUpdateValidation() throws {
        let h = try EmulatorHarness()
        let image = try h.image()
        func create(_ fields: String) throws -> TestResponse {
            try h.call("POST", "\(zoneBase)/servers", #"{"project":"\#(project)"\#(fields)}"#)
        }
        var r = try create(#","commercial_type":"DEV9-Z","image":"\#(image)""#)
        XCTAssertEqual(r.status, 400)
        XCTAssertNotNil(r.json?["fields"]?["commercial_type"], r.text)
        r = try create(#","commercial_type":"DEV1-S""#)
        XCTAssertEqual(r.json?["fields"]?["image"]?.arrayValue?.count, 1, r.text)
        r = try create(#","commercial_type":"DEV1-S","image":"\#(try h.image(arch: "arm64"))""#)
        XCTAssertEqual(r.status, 400, r.text)
        r = try create(#","commercial_type":"DEV1-S","image":"\#(Clock.uuid())""#)
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(r.json?["type"], .string("unknown_resource"))
        r = try create(#","commercial_type":"DEV1-S","image":"\#(image)","volumes":{"0":{"volume_type":"l_ssd","size":30000000000}}"#)
        XCTAssertEqual(r.status, 400)
        XCTAssertTrue(r.json?["message"]?.stringValue?.contains("20 GB") == true, r.text)
        r = try create(#","commercial_type":"PRO2-XXS","image":"\#(image)","volumes":{"0":{"volume_type":"l_ssd"}}"#)
        XCTAssertEqual(r.status, 400, r.text)
        r = try create(#","commercial_type":"DEV1-S","image":"\#(image)","volumes":{"0":{"size":5000000000}}"#)
        XCTAssertEqual(r.status, 400, r.text)
        let missingGroup = Clock.uuid()
        r = try create(#","commercial_type":"DEV1-S","image":"\#(image)","security_group":"\#(missingGroup)""#)
        XCTAssertEqual(r.json?["message"], .string("Security group \"\(missingGroup)\" not found"))
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"], .array([]), "refused creates leave nothing")

        let id = try XCTUnwrap(try h.server(type: "PLAY2-NANO")["id"]?.stringValue)
        try h.action(id, "poweron")
        XCTAssertEqual(try h.expect(400, "PATCH", "\(zoneBase)/servers/\(id)", #"{"commercial_type":"PLAY2-MICRO"}"#)["type"],
                       .string("invalid_request_error"))
        let slow = try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"name":"renamed","tags":["a","b"]}"#)["server"]
        XCTAssertEqual(slow?["name"], .string("renamed"))
        XCTAssertEqual(slow?["state"], .string("starting"))
    }

    func testCommercialTypeChangesWhenStopped() throws {
        let h = try EmulatorHarness()
        let id = try XCTUnwrap(try h.server(type: "DEV1-S")["id"]?.stringValue)
        XCTAssertEqual(try h.expect(200, "PATCH", "\(zoneBase)/servers/\(id)", #"{"commercial_type":"DEV1-M"}"#)["server"]?["commercial_type"],
                       .string("DEV1-M"))
        try h.expect(400, "PATCH", "\(zoneBase)/servers/\(id)", #"{"commercial_type":"BASIC2-A2C-4G"}"#)   // arm64
        let listed = try h.call("GET", "\(zoneBase)/servers?commercial_type=DEV1-M&tags=nope")
        XCTAssertEqual(listed.header("X-Total-Count"), "0")
        XCTAssertEqual(try h.call("GET", "\(zoneBase)/servers?name=we").header("X-Total-Count"), "1")
    }

    func testUserDataRoundTrip() throws {
        let h = try EmulatorHarness()
        let id = try XCTUnwrap(try h.server()["id"]?.stringValue)
        let cloudInit = "#cloud-config\npackages:\n  - nginx\nwrite_files: [{path: /etc/motd, content: \"héllo ✓\"}]\n"
        for (key, value) in [("cloud-init", cloudInit), ("foo", "bar")] {
            let r = try h.connection.request("PATCH", "\(zoneBase)/servers/\(id)/user_data/\(key)", json: value,
                                             headers: ["Content-Type": "text/plain"])
            XCTAssertEqual(r.status, 204, r.text)
        }
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)/user_data")["user_data"],
                       .array([.string("cloud-init"), .string("foo")]))
        let got = try h.call("GET", "\(zoneBase)/servers/\(id)/user_data/cloud-init")
        XCTAssertEqual(got.status, 200)
        XCTAssertEqual(got.header("Content-Type"), "text/plain")
        XCTAssertEqual(got.text, cloudInit)
        try h.expect(204, "DELETE", "\(zoneBase)/servers/\(id)/user_data/foo")
        try h.expect(404, "GET", "\(zoneBase)/servers/\(id)/user_data/foo")
        XCTAssertEqual(try h.expect(200, "GET", "\(zoneBase)/servers/\(id)/user_data")["user_data"], .array([.string("cloud-init")]))
    }
}

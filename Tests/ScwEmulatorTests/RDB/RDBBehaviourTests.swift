// RDB emulator behaviour beyond the recordings: the status timeline, the refusal of changes
// while the instance is busy, create-time checks (engine, node type, password, volume, HA),
// upgrade and settings through `configuring`, databases, users, privileges, ACLs, private
// endpoints from IPAM, and delete → 404.

import Foundation
import XCTest
@testable import ScwEmulator

final class RDBBehaviourTests: XCTestCase {
    let base = "/rdb/v1/regions/fr-par"

    private func createBody(_ extra: String = "", engine: String = "PostgreSQL-16", node: String = "db-dev-s",
                            password: String = "Sup3r_s3cret!", endpoints: String = "null") -> String {
        """
        {"project_id":"\(project)","name":"db","engine":"\(engine)","user_name":"admin","password":"\(password)","node_type":"\(node)",
         "is_ha_cluster":false,"disable_backup":false,"tags":["t"],"init_settings":null,"volume_type":"sbs_5k","volume_size":20000000000,
         "init_endpoints":\(endpoints),"backup_same_region":false,"encryption":{"enabled":false}\(extra)}
        """
    }

    /// Polls GET until the instance has `status` (bounded).
    private func wait(_ harness: EmulatorHarness, _ id: String, for status: String) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let body = try harness.expect(200, "GET", "\(base)/instances/\(id)")
            if body["status"]?.stringValue == status { return body }
            usleep(10_000)
        }
        XCTFail("instance \(id) never reached \(status)")
        return .null
    }

    func testTimelineBusyRefusalAndDelete() throws {
        let h = try EmulatorHarness { $0.speed = 20 }
        let created = try h.expect(200, "POST", "\(base)/instances", createBody())
        let id = try XCTUnwrap(created["id"]?.stringValue)
        XCTAssertEqual(created["status"]?.stringValue, "provisioning")
        XCTAssertEqual(created["endpoints"]?.arrayValue?.count, 0)
        // Busy: a database cannot be made yet.
        let refused = try h.expect(409, "POST", "\(base)/instances/\(id)/databases", #"{"name":"app"}"#)
        XCTAssertEqual(refused["type"]?.stringValue, "transient_state")
        XCTAssertEqual(refused["current_state"]?.stringValue, "provisioning")
        XCTAssertEqual(refused["resource"]?.stringValue, "instance")
        let ready = try wait(h, id, for: "ready")
        XCTAssertEqual(ready["endpoint"]?["load_balancer"], .object([:]))
        XCTAssertEqual(ready["settings"]?.arrayValue?.count, 6)
        XCTAssertEqual(ready["volume"]?["size"]?.intValue, 20_000_000_000)

        // Settings: configuring, then ready with the new value; an unknown setting is refused.
        try h.expect(400, "PUT", "\(base)/instances/\(id)/settings", #"{"settings":[{"name":"max_conections","value":"200"}]}"#)
        try h.expect(400, "PUT", "\(base)/instances/\(id)/settings", #"{"settings":[{"name":"max_connections","value":"5"}]}"#)
        let set = try h.expect(200, "PUT", "\(base)/instances/\(id)/settings", #"{"settings":[{"name":"max_connections","value":"200"}]}"#)
        XCTAssertTrue(set["settings"]?.arrayValue?.contains(.object(["name": .string("max_connections"), "value": .string("200")])) ?? false)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/instances/\(id)")["status"]?.stringValue, "configuring")
        try h.expect(409, "POST", "\(base)/instances/\(id)/upgrade", #"{"volume_size":30000000000}"#)
        _ = try wait(h, id, for: "ready")

        // Upgrade: grow only, one change per call.
        try h.expect(400, "POST", "\(base)/instances/\(id)/upgrade", #"{"volume_size":10000000000}"#)
        try h.expect(400, "POST", "\(base)/instances/\(id)/upgrade", #"{"volume_size":30000000000,"node_type":"db-dev-m"}"#)
        try h.expect(200, "POST", "\(base)/instances/\(id)/upgrade", #"{"volume_size":30000000000}"#)
        XCTAssertEqual(try wait(h, id, for: "ready")["volume"]?["size"]?.intValue, 30_000_000_000)

        // Delete: deleting, then 404 in the recorded shape; the control API no longer lists it.
        XCTAssertEqual(try h.expect(200, "DELETE", "\(base)/instances/\(id)")["status"]?.stringValue, "deleting")
        let deadline = Date().addingTimeInterval(5)
        var last = try h.call("GET", "\(base)/instances/\(id)")
        while last.status == 200, Date() < deadline { usleep(10_000); last = try h.call("GET", "\(base)/instances/\(id)") }
        XCTAssertEqual(last.status, 404)
        XCTAssertEqual(last.json?["resource"]?.stringValue, "instance")
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources?kind=rdb_instance")["resources"]?.arrayValue?.count, 0)
    }

    func testCreateChecks() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        for (body, field) in [(createBody(engine: "PostgreSQL-99"), "engine"), (createBody(engine: "PostgreSQL-12"), "engine"),
                              (createBody(node: "db-huge"), "node_type"), (createBody(password: "weakpassword"), "password"),
                              (createBody().replacingOccurrences(of: "20000000000", with: "1000000000"), "volume_size"),
                              (createBody(node: "db-play2-pico").replacingOccurrences(of: #""is_ha_cluster":false"#, with: #""is_ha_cluster":true"#), "is_ha_cluster")] {
            let answer = try h.expect(400, "POST", "\(base)/instances", body)
            XCTAssertEqual(answer["type"]?.stringValue, "invalid_arguments")
            XCTAssertEqual(answer["details"]?.arrayValue?.first?["argument_name"]?.stringValue, field, body)
        }
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue?.count, 0)
    }

    func testDatabasesUsersPrivilegesACLsAndPrivateEndpoint() throws {
        let h = try EmulatorHarness { $0.speed = 50 }
        let pn = try h.expect(200, "POST", "/vpc/v2/regions/fr-par/private-networks",
                              #"{"name":"data","project_id":"\#(project)","tags":[],"subnets":["10.20.0.0/24"]}"#)
        let pnID = try XCTUnwrap(pn["id"]?.stringValue)
        let endpoints = #"[{"private_network":{"private_network_id":"\#(pnID)","ipam_config":{}}}]"#
        let created = try h.expect(200, "POST", "\(base)/instances", createBody(endpoints: endpoints))
        let id = try XCTUnwrap(created["id"]?.stringValue)
        let ready = try wait(h, id, for: "ready")
        let endpoint = try XCTUnwrap(ready["endpoints"]?.arrayValue?.first)
        XCTAssertEqual(endpoint["ip"]?.stringValue, "10.20.0.2")
        XCTAssertEqual(endpoint["port"]?.intValue, 5432)
        XCTAssertEqual(endpoint["private_network"]?["provisioning_mode"]?.stringValue, "ipam")
        XCTAssertNil(ready["endpoints"]?.arrayValue?.first { $0["load_balancer"] != nil })
        // The private network is in use while the instance is on it.
        try h.expect(412, "DELETE", "/vpc/v2/regions/fr-par/private-networks/\(pnID)")

        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(200, "POST", "\(base)/instances/\(id)/databases", #"{"name":"app"}"#)
        let busy = try h.expect(409, "POST", "\(base)/instances/\(id)/users", #"{"name":"svc","password":"An0ther_one!","is_admin":false}"#)
        XCTAssertEqual(busy["current_state"]?.stringValue, "configuring", "a database change leaves the instance busy a moment")
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        let duplicate = try h.expect(409, "POST", "\(base)/instances/\(id)/databases", #"{"name":"app"}"#)
        XCTAssertEqual(duplicate["type"]?.stringValue, "already_exists")
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(400, "POST", "\(base)/instances/\(id)/users", #"{"name":"svc","password":"short","is_admin":false}"#)
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(200, "POST", "\(base)/instances/\(id)/users", #"{"name":"svc","password":"An0ther_one!","is_admin":false}"#)
        let users = try h.expect(200, "GET", "\(base)/instances/\(id)/users?order_by=name_asc")
        XCTAssertEqual(users["users"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["admin", "svc"])
        XCTAssertFalse(users.encoded().contains("An0ther"), "passwords are never served")
        let none = try h.expect(200, "GET", "\(base)/instances/\(id)/privileges?database_name=app&user_name=svc")
        XCTAssertEqual(none["privileges"]?.arrayValue?.first?["permission"]?.stringValue, "none")
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(200, "PUT", "\(base)/instances/\(id)/privileges", #"{"database_name":"app","user_name":"svc","permission":"all"}"#)
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(404, "PUT", "\(base)/instances/\(id)/privileges", #"{"database_name":"nope","user_name":"svc","permission":"all"}"#)
        let all = try h.expect(200, "GET", "\(base)/instances/\(id)/privileges?database_name=app&user_name=svc")
        XCTAssertEqual(all["privileges"]?.arrayValue?.first?["permission"]?.stringValue, "all")

        XCTAssertEqual(try h.expect(200, "GET", "\(base)/instances/\(id)/acls")["rules"]?.arrayValue?.first?["ip"]?.stringValue, "0.0.0.0/0")
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(200, "PUT", "\(base)/instances/\(id)/acls", #"{"rules":[{"ip":"203.0.113.0/24","description":"office"}]}"#)
        let acls = try h.expect(200, "GET", "\(base)/instances/\(id)/acls")
        XCTAssertEqual(acls["rules"]?.arrayValue?.compactMap { $0["ip"]?.stringValue }, ["203.0.113.0/24"])
        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(200, "DELETE", "\(base)/instances/\(id)/acls", #"{"acl_rule_ips":["203.0.113.0/24"]}"#)
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/instances/\(id)/acls")["total_count"]?.intValue, 0)

        _ = try wait(h, id, for: "ready")   // the previous change leaves it configuring a moment
        try h.expect(204, "DELETE", "\(base)/instances/\(id)/databases/app")
        XCTAssertEqual(try h.expect(200, "GET", "\(base)/instances/\(id)/databases?name=app")["total_count"]?.intValue, 0)
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources?kind=ipam_ip")["resources"]?.arrayValue?.count, 1, "the endpoint's address, booked in IPAM")
    }
}

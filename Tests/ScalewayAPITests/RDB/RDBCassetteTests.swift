// RDBCassetteTests: the recorded rdb-* cassettes, two ways. Every response body decodes into
// the RDB models (or APIError); and replaying each cassette through RDBAPI (inputs taken from
// the recorded request) sends exactly the recorded method, path and JSON body.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class RDBCassetteTests: XCTestCase {
    func testEveryRecordedResponseDecodes() throws {
        let files = try Cassettes.files(prefix: "rdb-")
        XCTAssertEqual(files.count, 2)
        var decoded = 0
        for file in files {
            for (i, x) in try Cassettes.load(file).enumerated() {
                let context = "\(file.split(separator: "/").last!)#\(i + 1) \(x.method) \(x.path)"
                if x.status >= 400 {
                    let e = APIError(status: x.status, body: x.responseBytes, method: x.method, path: x.path, headers: x.responseHeaders)
                    XCTAssertEqual(e.kind, .notFound(resource: "instance", resourceID: String(x.path.split(separator: "/").last!)), context)
                } else if x.responseBody == .null {
                    XCTAssertEqual(x.status, 204, context)
                } else if x.path.hasSuffix("/database-engines") {
                    let engines = try x.responseBody["engines"]!.listValue!.map { try RDBEngine(json: $0) }
                    XCTAssertEqual(Set(engines.map(\.name)), ["MySQL", "PostgreSQL"], context)
                    let pg15 = try XCTUnwrap(engines.flatMap(\.versions).first { $0.name == "PostgreSQL-15" }, context)
                    XCTAssertFalse(pg15.disabled)
                    let maxConnections = try XCTUnwrap(pg15.availableSettings.first { $0.name == "max_connections" })
                    XCTAssertEqual(maxConnections.intMin, 50)
                    XCTAssertNotNil(maxConnections.problem(with: "5"))
                    XCTAssertNil(maxConnections.problem(with: "200"))
                } else if x.path.hasSuffix("/certificate") {
                    let cert = try RDBCertificate(json: x.responseBody)
                    XCTAssertTrue(cert.pem.hasPrefix("-----BEGIN CERTIFICATE-----"), context)
                    XCTAssertEqual(cert.contentType, "application/x-pem-file")
                } else if x.path.hasSuffix("/users") {
                    XCTAssertEqual(try x.responseBody["users"]!.listValue!.map { try RDBUser(json: $0) }.count, 0, context)
                } else if x.path.hasSuffix("/databases") && x.method == "GET" {
                    let dbs = try x.responseBody["databases"]!.listValue!.map { try RDBDatabase(json: $0) }
                    XCTAssertEqual(dbs.map(\.name), ["foo"], context)
                    XCTAssertEqual(dbs.first?.owner, "_rdb_superadmin")
                } else if x.path.hasSuffix("/databases") {
                    let db = try RDBDatabase(json: x.responseBody)
                    XCTAssertEqual(db.name, "foo")
                    XCTAssertTrue(db.managed)
                } else {
                    let instance = try RDBInstance(json: x.responseBody)
                    XCTAssertEqual(instance.nodeType, "db-dev-s", context)
                    XCTAssertEqual(instance.volumeType, "lssd", context)
                    XCTAssertEqual(instance.volumeSize, 5_000_000_000, context)
                    if instance.status == "ready" {
                        XCTAssertEqual(instance.publicEndpoint?.port.map { $0 > 1024 }, true, context)
                        XCTAssertEqual(instance.settings.first { $0.name == "max_connections" }?.value, "100", context)
                    } else if instance.status == "provisioning" {
                        XCTAssertNil(instance.publicEndpoint, context)
                    }
                }
                decoded += 1
            }
        }
        XCTAssertEqual(decoded, 25 + 23)
    }

    func testReplayingThroughRDBAPISendsTheRecordedRequests() async throws {
        for file in try Cassettes.files(prefix: "rdb-") {
            let interactions = try Cassettes.load(file)
            let transport = ReplayTransport(interactions)
            let api = RDBAPI(client: .testing(transport, retry: .none))
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
            }
        }
    }

    /// Calls the RDBAPI method matching a recorded interaction, with the recorded inputs.
    private func drive(_ api: RDBAPI, _ x: Interaction) async throws {
        let parts = x.path.split(separator: "/").map(String.init)  // rdb v1 regions fr-par <collection> [id] [sub] [name]
        let region = parts[3]
        let id = parts.count > 5 ? parts[5] : ""
        let b = x.requestBody
        switch (x.method, parts.count > 6 ? parts[6] : nil, parts.count) {
        case ("GET", nil, 5): _ = try await api.listEngines(region: region)
        case ("POST", nil, 5):
            // The recorded password travels as a secret until the client sends it.
            let body = RDBAPI.createInstanceBody(
                projectID: b["project_id"]!.stringValue!, name: b["name"]!.stringValue!, engine: b["engine"]!.stringValue!,
                userName: b["user_name"]!.stringValue!, password: .secret(b["password"]!), nodeType: b["node_type"]!.stringValue!,
                isHACluster: b["is_ha_cluster"]!.boolValue!, disableBackup: b["disable_backup"]!.boolValue!,
                tags: b["tags"]!.listValue!.compactMap(\.stringValue), initSettings: nil, volumeType: b["volume_type"]!.stringValue!,
                volumeSize: b["volume_size"]!.intValue!, initEndpoints: nil, backupSameRegion: b["backup_same_region"]!.boolValue!,
                encryption: b["encryption"]!["enabled"]!.boolValue!)
            _ = try await api.createInstance(region: region, body: body)
        case ("GET", nil, 6): _ = try await api.getInstance(region: region, id: id)
        case ("PATCH", nil, 6):
            let body = RDBAPI.updateInstanceBody(tags: b["tags"]?.listValue?.compactMap(\.stringValue),
                                                 isBackupScheduleDisabled: b["is_backup_schedule_disabled"]?.boolValue,
                                                 backupSameRegion: b["backup_same_region"]?.boolValue)
            _ = try await api.updateInstance(region: region, id: id, body: body)
        case ("DELETE", nil, 6): _ = try await api.deleteInstance(region: region, id: id)
        case ("GET", "users"?, 7): _ = try await api.listUsers(region: region, instanceID: id)
        case ("GET", "certificate"?, 7): _ = try await api.getCertificate(region: region, id: id)
        case ("POST", "databases"?, 7): _ = try await api.createDatabase(region: region, instanceID: id, name: b["name"]!.stringValue!)
        case ("GET", "databases"?, 7): _ = try await api.listDatabases(region: region, instanceID: id, name: "foo")
        case ("DELETE", "databases"?, 8): try await api.deleteDatabase(region: region, instanceID: id, name: parts[7])
        default: XCTFail("no RDBAPI call for \(x.method) \(x.path)")
        }
    }

    func testRequestBodiesOfCallsNotRecorded() {
        XCTAssertEqual(JSON.encode(RDBAPI.Upgrade.volumeSize(30_000_000_000).body), #"{"volume_size":30000000000}"#)
        XCTAssertEqual(JSON.encode(RDBAPI.Upgrade.nodeType("db-dev-m").body), #"{"node_type":"db-dev-m"}"#)
        XCTAssertEqual(JSON.encode(RDBAPI.EndpointSpec.privateNetwork(id: "p", serviceIP: nil).json), #"{"private_network":{"ipam_config":{},"private_network_id":"p"}}"#)
        XCTAssertEqual(JSON.encode(RDBAPI.EndpointSpec.privateNetwork(id: "p", serviceIP: "10.0.0.5/24").json),
                       #"{"private_network":{"private_network_id":"p","service_ip":"10.0.0.5/24"}}"#)
        XCTAssertEqual(JSON.encode(RDBAPI.updateInstanceBody(backupScheduleFrequency: 12, backupScheduleRetention: 3)),
                       #"{"backup_schedule_frequency":12,"backup_schedule_retention":3}"#)
    }
}

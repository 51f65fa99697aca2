// Conformance of the RDB emulator: replays every rdb-*.jsonl cassette against a fresh, fast
// emulator (recorded ids rewritten to the emulator's), checking statuses, key sets (top level
// and nested objects), the values that do not depend on time or randomness, and the certificate.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class RDBConformanceTests: XCTestCase {
    func testRDBCassettes() throws {
        let (files, replayed) = try ConformanceReplay.replayAll({ $0.hasPrefix("rdb-") }, rules: { _ in RDBReplay.rules })
        XCTAssertEqual(files, ["rdb-database-basic.jsonl", "rdb-instance-basic.jsonl"])
        XCTAssertEqual(replayed, 48, "every recorded interaction replayed (25 + 23)")
    }
}

/// How RDB cassettes are replayed. A recorded transient status the emulator has already left is
/// accepted; a recorded `ready` (or 404) the emulator has not reached yet is polled for (GETs only).
enum RDBReplay {
    static var rules: ReplayRules { ReplayRules(
        transient: ["provisioning", "initializing", "configuring", "deleting"],
        compared: ["name", "tags", "engine", "node_type", "region", "project_id", "organization_id", "is_ha_cluster",
                   "backup_same_region", "settings", "init_settings", "read_replicas", "maintenances", "encryption",
                   "owner", "managed", "size", "users", "databases", "total_count", "content_type", "is_admin",
                   "type", "class", "disabled", "frequency", "retention", "load_balancer", "message", "resource"],
        notDescended: ["engines"],
        extra: { replay, interaction, emulated in
            let recorded = interaction.recorded
            if recorded["content_type"] != nil { try checkCertificate(emulated, at: interaction.at) }
            if let engines = recorded["engines"]?.arrayValue {
                checkEngines(engines, emulated["engines"]?.arrayValue ?? [], in: replay.url, at: interaction.at)
            }
        }) }

    /// The engine list holds every engine the recording created instances with, each version
    /// shaped like the recorded ones.
    static func checkEngines(_ recorded: [JSONValue], _ emulated: [JSONValue], in url: URL, at: String) {
        XCTAssertEqual(Set(emulated.compactMap { $0["name"]?.stringValue }), Set(recorded.compactMap { $0["name"]?.stringValue }), "\(at): engines")
        let recordedVersion = recorded.first?["versions"]?.arrayValue?.first?.objectValue ?? [:]
        let recordedSetting = recorded.first?["versions"]?.arrayValue?.first?["available_settings"]?.arrayValue?.first?.objectValue ?? [:]
        for engine in emulated {
            XCTAssertEqual(Set(engine.objectValue?.keys ?? [:].keys), Set(recorded[0].objectValue?.keys ?? [:].keys), "\(at): engine keys")
            for version in engine["versions"]?.arrayValue ?? [] {
                XCTAssertEqual(Set(version.objectValue?.keys ?? [:].keys), Set(recordedVersion.keys), "\(at): version keys")
                for setting in version["available_settings"]?.arrayValue ?? [] {
                    XCTAssertEqual(Set(setting.objectValue?.keys ?? [:].keys), Set(recordedSetting.keys), "\(at): setting keys")
                }
            }
        }
        let created = (try? String(contentsOf: url, encoding: .utf8))?.contains("\"engine\": \"PostgreSQL-15\"") == true ? "PostgreSQL-15" : "PostgreSQL-17"
        let versions = emulated.flatMap { $0["versions"]?.arrayValue ?? [] }
        XCTAssertTrue(versions.contains { $0["name"]?.stringValue == created && $0["disabled"]?.boolValue == false }, "\(at): \(created) offered")
    }

    static func checkCertificate(_ emulated: JSONValue, at: String) throws {
        XCTAssertEqual(emulated["name"]?.stringValue, "ssl_certificate", at)
        let content = try XCTUnwrap(emulated["content"]?.stringValue, at)
        let pem = try XCTUnwrap(Data(base64Encoded: content).map { String(decoding: $0, as: UTF8.self) }, "\(at): content is base64")
        XCTAssertTrue(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n") && pem.hasSuffix("-----END CERTIFICATE-----\n"), "\(at): PEM")
    }
}

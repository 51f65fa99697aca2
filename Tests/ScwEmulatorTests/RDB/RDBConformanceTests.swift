// Conformance of the RDB emulator: replays every rdb-*.jsonl cassette against a fresh, fast
// emulator (recorded ids rewritten to the emulator's), checking statuses, key sets (top level
// and nested objects), the values that do not depend on time or randomness, and the certificate.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class RDBConformanceTests: XCTestCase {
    func testRDBCassettes() throws {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("rdb-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertEqual(files, ["rdb-database-basic.jsonl", "rdb-instance-basic.jsonl"])
        var replayed = 0
        for file in files {
            replayed += try RDBReplay(file: dir.appendingPathComponent(file)).run()
        }
        XCTAssertEqual(replayed, 48, "every recorded interaction replayed (25 + 23)")
    }
}

/// Replays one cassette. A recorded transient status the emulator has already left is accepted;
/// a recorded `ready` (or 404) the emulator has not reached yet is polled for (GETs only).
final class RDBReplay {
    static let transient: Set<String> = ["provisioning", "initializing", "configuring", "deleting"]
    /// Values compared wherever both sides have them.
    static let compared = ["name", "tags", "engine", "node_type", "region", "project_id", "organization_id", "is_ha_cluster",
                           "backup_same_region", "settings", "init_settings", "read_replicas", "maintenances", "encryption",
                           "owner", "managed", "size", "users", "databases", "total_count", "content_type", "is_admin",
                           "type", "class", "disabled", "frequency", "retention", "load_balancer", "message", "resource"]

    let name: String
    let url: URL
    let harness: EmulatorHarness
    var ids: [String: String] = [:]

    init(file: URL) throws {
        url = file
        name = file.lastPathComponent
        harness = try EmulatorHarness { $0.speed = 100 }
    }

    func run() throws -> Int {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        for (index, line) in lines.enumerated() { try replay(try JSONValue.parse(String(line)), at: index + 1) }
        return lines.count
    }

    private func replay(_ interaction: JSONValue, at index: Int) throws {
        let method = try XCTUnwrap(interaction["method"]?.stringValue)
        let target = mapped(try XCTUnwrap(interaction["url"]?.stringValue).replacingOccurrences(of: "https://api.scaleway.com", with: ""))
        let body = interaction["request_body"].flatMap { $0.isNull ? nil : rewrite($0).encoded() }
        let at = "\(name) #\(index) \(method) \(target)"
        let recordedStatus = try XCTUnwrap(interaction["status"]?.intValue)
        let recorded = interaction["response_body"] ?? .null
        let recordedState = recorded["status"]?.stringValue

        var response = try harness.call(method, target, body)
        let wantsFinal = recordedStatus == 404 || recordedState.map { !RDBReplay.transient.contains($0) } ?? false
        if method == "GET", wantsFinal {
            let deadline = Date().addingTimeInterval(5)
            while response.status == 200, let now = response.json?["status"]?.stringValue, RDBReplay.transient.contains(now), Date() < deadline {
                usleep(5_000)
                response = try harness.call(method, target, body)
            }
        }
        if method == "GET", recordedState == "deleting", response.status == 404 { return }   // the delete already finished here
        XCTAssertEqual(response.status, recordedStatus, "\(at): \(response.text)")
        guard response.status == recordedStatus else { return }
        XCTAssertEqual(response.header("Content-Type"), "application/json", at)
        guard case .object(let recordedFields) = recorded else {
            XCTAssertTrue(response.body.isEmpty, "\(at): expected an empty body, got \(response.text)")
            return
        }
        guard let emulated = response.json, case .object(let emulatedFields) = emulated else {
            XCTFail("\(at): body is not a JSON object: \(response.text)")
            return
        }
        XCTAssertEqual(Set(emulatedFields.keys), Set(recordedFields.keys), "\(at): top-level keys")
        if let rs = recordedState, let es = emulated["status"]?.stringValue, rs != es {
            XCTAssertTrue(RDBReplay.transient.contains(rs), "\(at): status \(es), recorded \(rs)")
        }
        let sameStatus = recordedState == emulated["status"]?.stringValue
        compare(recorded, emulated, at: at, depth: 0, valuesToo: sameStatus)
        if recordedFields["content_type"] != nil { try checkCertificate(emulated, at: at) }
        if let engines = recorded["engines"]?.arrayValue { checkEngines(engines, emulated["engines"]?.arrayValue ?? [], at: at) }
        learn(recorded, emulated)
        if let rid = recorded["resource_id"]?.stringValue {
            XCTAssertEqual(emulated["resource_id"]?.stringValue, ids[rid] ?? rid, "\(at): resource_id")
        }
    }

    /// Keys of nested objects, and stable values (only when both bodies are in the same status:
    /// settings and endpoints appear with `ready`).
    private func compare(_ recorded: JSONValue, _ emulated: JSONValue, at: String, depth: Int, valuesToo: Bool) {
        guard depth < 4 else { return }
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            if depth > 0 { XCTAssertEqual(Set(e.keys), Set(r.keys), "\(at): keys at depth \(depth)") }
            if valuesToo {
                for key in RDBReplay.compared where r[key] != nil && e[key] != nil {
                    XCTAssertEqual(e[key], r[key], "\(at): value of \(key)")
                }
            }
            for (key, value) in r where key != "engines" {
                if let other = e[key] { compare(value, other, at: "\(at) .\(key)", depth: depth + 1, valuesToo: valuesToo) }
            }
        case (.array(let r), .array(let e)) where r.contains(where: { $0.objectValue != nil }):
            if valuesToo { XCTAssertEqual(e.count, r.count, "\(at): item count") }
            for (a, b) in zip(r, e) { compare(a, b, at: at, depth: depth, valuesToo: valuesToo) }
        default:
            break
        }
    }

    /// The engine list holds every engine the recording created instances with, each version
    /// shaped like the recorded ones.
    private func checkEngines(_ recorded: [JSONValue], _ emulated: [JSONValue], at: String) {
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

    private func checkCertificate(_ emulated: JSONValue, at: String) throws {
        XCTAssertEqual(emulated["name"]?.stringValue, "ssl_certificate", at)
        let content = try XCTUnwrap(emulated["content"]?.stringValue, at)
        let pem = try XCTUnwrap(Data(base64Encoded: content).map { String(decoding: $0, as: UTF8.self) }, "\(at): content is base64")
        XCTAssertTrue(pem.hasPrefix("-----BEGIN CERTIFICATE-----\n") && pem.hasSuffix("-----END CERTIFICATE-----\n"), "\(at): PEM")
    }

    private func learn(_ recorded: JSONValue, _ emulated: JSONValue) {
        switch (recorded, emulated) {
        case (.string(let r), .string(let e)) where Clock.isUUID(r) && Clock.isUUID(e):
            if let known = ids[r] { XCTAssertEqual(e, known, "\(name): id \(r) mapped twice") } else { ids[r] = e }
        case (.object(let r), .object(let e)):
            for (key, value) in r where key != "resource_id" { if let other = e[key] { learn(value, other) } }
        case (.array(let r), .array(let e)):
            for (a, b) in zip(r, e) { learn(a, b) }
        default:
            break
        }
    }

    private func mapped(_ text: String) -> String {
        var out = text
        for (recorded, emulated) in ids where recorded != emulated { out = out.replacingOccurrences(of: recorded, with: emulated) }
        return out
    }

    private func rewrite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(ids[s] ?? s)
        case .array(let items): return .array(items.map(rewrite))
        case .object(let fields): return .object(fields.mapValues(rewrite))
        default: return value
        }
    }
}

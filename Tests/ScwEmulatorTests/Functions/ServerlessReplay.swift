// Replays one serverless cassette (function-*, container-*, registry-*) against a fresh, fast
// emulator: recorded ids rewritten to the emulator's, statuses and key sets checked (top
// level and nested), and the values that do not depend on time or randomness compared.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class ServerlessReplay {
    static let transient: Set<String> = ["pending", "creating", "deleting", "building", "updating"]
    /// Values compared wherever both sides have them, when both are in the same status.
    static let compared = ["name", "tags", "region", "project_id", "organization_id", "environment_variables", "description",
                           "runtime", "memory_limit", "cpu_limit", "handler", "privacy", "http_option", "min_scale", "max_scale",
                           "sandbox", "is_public", "endpoint", "image", "port", "protocol", "memory_limit_bytes", "mvcpu_limit",
                           "local_storage_limit_bytes", "https_connections_only", "command", "args", "message", "resource",
                           "type", "status", "total_count", "image_count", "size", "scaling_option", "liveness_probe",
                           "vpc_integration_activated", "private_network_id"]

    let name: String
    let url: URL
    let harness: EmulatorHarness
    var ids: [String: String] = [:]

    init(file: URL) throws {
        url = file
        name = file.lastPathComponent
        harness = try EmulatorHarness { $0.speed = 100 }
    }

    /// Replays every line; returns how many.
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
        let wantsFinal = recordedStatus == 404 || recordedState.map { !Self.transient.contains($0) } ?? false
        if method == "GET", wantsFinal {
            let deadline = Date().addingTimeInterval(5)
            while response.status == 200, let now = response.json?["status"]?.stringValue, Self.transient.contains(now), Date() < deadline {
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
            XCTAssertTrue(Self.transient.contains(rs), "\(at): status \(es), recorded \(rs)")
        }
        let sameStatus = recordedState == emulated["status"]?.stringValue
        compare(recorded, emulated, at: at, depth: 0, valuesToo: sameStatus)
        learn(recorded, emulated)
        if let rid = recorded["resource_id"]?.stringValue {
            XCTAssertEqual(emulated["resource_id"]?.stringValue, ids[rid] ?? rid, "\(at): resource_id")
        }
    }

    private func compare(_ recorded: JSONValue, _ emulated: JSONValue, at: String, depth: Int, valuesToo: Bool) {
        guard depth < 4 else { return }
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            if depth > 0 { XCTAssertEqual(Set(e.keys), Set(r.keys), "\(at): keys at depth \(depth)") }
            if valuesToo {
                for key in Self.compared where r[key] != nil && e[key] != nil {
                    XCTAssertEqual(e[key], r[key], "\(at): value of \(key)")
                }
            }
            for (key, value) in r {
                if let other = e[key] { compare(value, other, at: "\(at) .\(key)", depth: depth + 1, valuesToo: valuesToo) }
            }
        case (.array(let r), .array(let e)) where r.contains(where: { $0.objectValue != nil }):
            if valuesToo { XCTAssertEqual(e.count, r.count, "\(at): item count") }
            for (a, b) in zip(r, e) { compare(a, b, at: at, depth: depth, valuesToo: valuesToo) }
        default:
            break
        }
    }

    private func learn(_ recorded: JSONValue, _ emulated: JSONValue) {
        switch (recorded, emulated) {
        case (.string(let r), .string(let e)) where Clock.isUUID(r) && Clock.isUUID(e):
            if let known = ids[r] { XCTAssertEqual(e, known, "\(name): id \(r) mapped twice") } else { ids[r] = e }
        case (.object(let r), .object(let e)):
            for (key, value) in r where key != "resource_id" && key != "organization_id" && key != "project_id" {
                if let other = e[key] { learn(value, other) }
            }
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

    /// Replays every cassette whose name starts with `prefix`; returns (files, interactions).
    static func replayAll(prefix: String) throws -> (files: [String], interactions: Int) {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted()
        var count = 0
        for file in files { count += try ServerlessReplay(file: dir.appendingPathComponent(file)).run() }
        return (files, count)
    }
}

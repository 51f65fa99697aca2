// Conformance: replays the recorded VPC cassettes against a fresh emulator, rewriting recorded ids
// to the ids the emulator returned, and checks status codes, key sets (top level and subnets) and
// the values that do not depend on time or randomness.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class ConformanceTests: XCTestCase {
    /// The recordings inside the repository (Tests/Fixtures/cassettes).
    static func cassetteDirectory() -> URL? { Fixtures.cassetteDirectory() }

    func testVPCCassettes() throws {
        let dir = try XCTUnwrap(ConformanceTests.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("vpc-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertEqual(files.count, 4, "expected the four vpc-*.jsonl cassettes")
        var replayed = 0
        for file in files {
            replayed += try replay(dir.appendingPathComponent(file))
        }
        XCTAssertEqual(replayed, 55, "every recorded interaction replayed (7 + 17 + 19 + 12)")
    }

    /// Replays one cassette; returns how many interactions it replayed.
    private func replay(_ url: URL) throws -> Int {
        let name = url.lastPathComponent
        let harness = try EmulatorHarness()
        var ids: [String: String] = [:]   // recorded id → emulated id
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertFalse(lines.isEmpty, name)
        for (index, line) in lines.enumerated() {
            let interaction = try JSONValue.parse(String(line))
            let method = try XCTUnwrap(interaction["method"]?.stringValue)
            let recordedURL = try XCTUnwrap(interaction["url"]?.stringValue)
            var target = recordedURL.replacingOccurrences(of: "https://api.scaleway.com", with: "")
            for (recorded, emulated) in ids { target = target.replacingOccurrences(of: recorded, with: emulated) }
            let requestBody = interaction["request_body"].flatMap { $0.isNull ? nil : rewrite($0, ids).encoded() }
            let where_ = "\(name) #\(index + 1) \(method) \(target)"

            let response = try harness.call(method, target, requestBody)
            let recordedStatus = try XCTUnwrap(interaction["status"]?.intValue)
            XCTAssertEqual(response.status, recordedStatus, "\(where_): \(response.text)")
            XCTAssertEqual(response.header("Content-Type"), "application/json", where_)

            guard let recorded = interaction["response_body"], case .object(let recordedFields) = recorded else {
                XCTAssertTrue(response.body.isEmpty, "\(where_): expected an empty body")
                continue
            }
            guard let emulated = response.json, case .object(let emulatedFields) = emulated else {
                XCTFail("\(where_): body is not a JSON object: \(response.text)")
                continue
            }
            XCTAssertEqual(Set(emulatedFields.keys), Set(recordedFields.keys), "\(where_): top-level keys")
            if let recordedSubnets = recorded["subnets"]?.arrayValue {
                let emulatedSubnets = emulated["subnets"]?.arrayValue ?? []
                XCTAssertEqual(emulatedSubnets.count, recordedSubnets.count, "\(where_): subnet count")
                for (r, e) in zip(recordedSubnets, emulatedSubnets) {
                    XCTAssertEqual(Set(e.objectValue?.keys ?? [:].keys), Set(r.objectValue?.keys ?? [:].keys), "\(where_): subnet keys")
                    let rPrefix = r["subnet"]?.stringValue?.split(separator: "/").last
                    let ePrefix = e["subnet"]?.stringValue?.split(separator: "/").last
                    XCTAssertEqual(ePrefix, rPrefix, "\(where_): subnet size")
                    if requestBody?.contains("\"subnets\":[") == true {
                        XCTAssertEqual(e["subnet"], r["subnet"], "\(where_): requested subnet kept")
                    }
                }
            }
            for key in ["name", "tags", "region", "project_id", "organization_id", "is_default", "private_network_count",
                        "routing_enabled", "dhcp_enabled", "default_route_propagation_enabled", "transitivity_enabled",
                        "type", "message", "resource"] where recordedFields[key] != nil {
                XCTAssertEqual(emulatedFields[key], recordedFields[key], "\(where_): value of \(key)")
            }
            learn(recorded, emulated, &ids, where_)
            if let rid = recorded["resource_id"]?.stringValue {
                XCTAssertEqual(emulated["resource_id"]?.stringValue, ids[rid] ?? rid, "\(where_): resource_id")
            }
        }
        return lines.count
    }

    /// Records recorded-id → emulated-id pairs found at the same place in both bodies, and checks
    /// that an id already mapped maps the same way again (the emulator's ids are stable).
    private func learn(_ recorded: JSONValue, _ emulated: JSONValue, _ ids: inout [String: String], _ where_: String) {
        switch (recorded, emulated) {
        case (.string(let r), .string(let e)) where Clock.isUUID(r) && Clock.isUUID(e):
            if let known = ids[r] { XCTAssertEqual(e, known, "\(where_): id \(r) mapped twice") } else { ids[r] = e }
        case (.object(let r), .object(let e)):
            for (key, value) in r where key != "resource_id" { if let other = e[key] { learn(value, other, &ids, where_) } }
        case (.array(let r), .array(let e)):
            for (a, b) in zip(r, e) { learn(a, b, &ids, where_) }
        default:
            break
        }
    }

    private func rewrite(_ value: JSONValue, _ ids: [String: String]) -> JSONValue {
        switch value {
        case .string(let s): return .string(ids[s] ?? s)
        case .array(let items): return .array(items.map { rewrite($0, ids) })
        case .object(let fields): return .object(fields.mapValues { rewrite($0, ids) })
        default: return value
        }
    }
}

// Conformance of IAM: replays every iam-*.jsonl cassette against a fresh emulator (recorded ids
// and access keys rewritten to the emulator's, the redacted `SCWXXXXXXXXXXXXXXXXX` in paths too),
// checking statuses, key sets and the values that do not depend on time or randomness.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class IAMConformanceTests: XCTestCase {
    func testIAMCassettes() throws {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("iam-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertEqual(files.count, 4, "expected the four iam-*.jsonl cassettes")
        var replayed = 0
        for file in files {
            replayed += try CassetteReplay(file: dir.appendingPathComponent(file),
                                           compared: ["name", "description", "tags", "editable", "deletable", "managed", "nb_api_keys",
                                                      "organization_id", "project_id", "default_project_id", "application_id",
                                                      "public_key", "fingerprint", "disabled", "expires_at", "secret_key",
                                                      "type", "message", "resource"]).run()
        }
        XCTAssertEqual(replayed, 15 + 19 + 12 + 16, "every recorded interaction replayed")
    }
}

/// Replays one cassette against a fresh emulator whose default project is the recorded one.
final class CassetteReplay {
    /// The access key the recorder wrote into paths instead of the real one.
    static let redactedAccessKey = "SCWXXXXXXXXXXXXXXXXX"

    let url: URL
    let name: String
    let compared: [String]
    let harness: EmulatorHarness
    var ids: [String: String] = [:]   // recorded id → emulated id
    /// Interactions whose emulated answer was checked field by field (for the callers' counts).
    private(set) var checkedBodies = 0

    init(file: URL, compared: [String], speed: Double = 1) throws {
        url = file
        name = file.lastPathComponent
        self.compared = compared
        harness = try EmulatorHarness { $0.speed = speed }
    }

    /// Returns how many interactions were replayed.
    func run() throws -> Int {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertFalse(lines.isEmpty, name)
        for (index, line) in lines.enumerated() {
            try replay(try JSONValue.parse(String(line)), at: index + 1)
        }
        return lines.count
    }

    private func replay(_ interaction: JSONValue, at index: Int) throws {
        let method = try XCTUnwrap(interaction["method"]?.stringValue)
        var target = try XCTUnwrap(interaction["url"]?.stringValue).replacingOccurrences(of: "https://api.scaleway.com", with: "")
        for (recorded, emulated) in ids { target = target.replacingOccurrences(of: recorded, with: emulated) }
        let requestBody = interaction["request_body"].flatMap { $0.isNull ? nil : rewrite($0).encoded() }
        let where_ = "\(name) #\(index) \(method) \(target)"
        let response = try harness.call(method, target, requestBody)
        XCTAssertEqual(response.status, interaction["status"]?.intValue, "\(where_): \(response.text)")
        guard let recorded = interaction["response_body"], case .object = recorded else {
            XCTAssertTrue(response.body.isEmpty, "\(where_): expected an empty body, got \(response.text)")
            return
        }
        XCTAssertEqual(response.header("Content-Type"), "application/json", where_)
        guard let emulated = response.json, case .object = emulated else {
            XCTFail("\(where_): body is not a JSON object: \(response.text)")
            return
        }
        learn(recorded, emulated, where_)
        compare(recorded, emulated, where_)
        checkedBodies += 1
    }

    /// Same keys at every level (objects, and the items of arrays of objects); same values for `compared`.
    private func compare(_ recorded: JSONValue, _ emulated: JSONValue, _ where_: String) {
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            XCTAssertEqual(Set(e.keys), Set(r.keys), "\(where_): keys")
            for key in compared where r[key] != nil {
                if key == "secret_key", r[key] != .null {
                    XCTAssertTrue(e[key]?.stringValue.map(Clock.isUUID) ?? false, "\(where_): secret_key shown at creation")
                    continue
                }
                if key == "resource_id" { continue }
                XCTAssertEqual(rewrite(r[key]!), e[key], "\(where_): value of \(key)")
            }
            if let rid = r["resource_id"]?.stringValue {
                XCTAssertEqual(e["resource_id"]?.stringValue, ids[rid] ?? rid, "\(where_): resource_id")
            }
            for (key, value) in r where key != "resource_id" { if let other = e[key] { compare(value, other, "\(where_).\(key)") } }
        case (.array(let r), .array(let e)):
            XCTAssertEqual(e.count, r.count, "\(where_): item count")
            for (i, (a, b)) in zip(r, e).enumerated() { compare(a, b, "\(where_)[\(i)]") }
        default:
            break
        }
    }

    /// Records recorded-id → emulated-id pairs (UUIDs, access keys) found at the same place.
    private func learn(_ recorded: JSONValue, _ emulated: JSONValue, _ where_: String) {
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            for (key, value) in r where key != "resource_id" {
                guard let other = e[key] else { continue }
                if key == "access_key", let rk = value.stringValue, let ek = other.stringValue {
                    ids[rk] = ek
                    ids[CassetteReplay.redactedAccessKey] = ek
                } else if let r = value.stringValue, let e = other.stringValue, Clock.isUUID(r), Clock.isUUID(e), key != "secret_key" {
                    if let known = ids[r] { XCTAssertEqual(e, known, "\(where_): id \(r) mapped twice") } else { ids[r] = e }
                } else {
                    learn(value, other, where_)
                }
            }
        case (.array(let r), .array(let e)):
            for (a, b) in zip(r, e) { learn(a, b, where_) }
        default:
            break
        }
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

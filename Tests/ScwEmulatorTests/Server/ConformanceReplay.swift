// Cassette replay shared by the conformance tests of the products with timed statuses: every
// recorded request is sent to a fresh emulator (recorded ids rewritten to the emulator's), a
// recorded settled status the emulator has not reached yet is polled for (GETs only), and the
// answer must have the recorded status code, Content-Type, top-level and nested key sets and
// stable values. Each product gives its tolerances (`ReplayRules`) and its own extra checks.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

/// One recorded interaction as replayed.
struct ReplayedInteraction {
    let method: String
    /// The path and query, recorded ids rewritten.
    let target: String
    /// "cassette #line METHOD target", for messages.
    let at: String
    let recordedStatus: Int
    let recorded: JSONValue
    /// The recorded body's `status` field.
    var recordedState: String? { recorded["status"]?.stringValue }
}

/// How one product's cassettes are replayed and compared.
struct ReplayRules {
    var speed: Double = 100
    /// Statuses the emulator moves on from by itself.
    var transient: Set<String>
    var pollMicroseconds: useconds_t = 5_000
    /// Whether an answer of `status` to `interaction` means the recorded delete already finished
    /// here (the replay of that interaction stops).
    var alreadyGone: (_ interaction: ReplayedInteraction, _ status: Int) -> Bool = { interaction, status in
        interaction.method == "GET" && interaction.recordedState == "deleting" && status == 404
    }
    /// Whether an empty answer must have the JSON Content-Type too.
    var contentTypeOfEmptyBodies = true
    /// Whether the emulated `status` may differ from the recorded one only when the recorded one is transient.
    var checksTransientStatus = true
    /// Whether values are compared only when both bodies are in the same `status`.
    var valuesOnlyInSameStatus = true
    /// Whether recorded `resource_id`s must come back mapped.
    var checksResourceID = true

    /// Whether the nested keys and values of this recorded body are compared (else the product's
    /// own `extra` checks it).
    var comparesBody: (_ recorded: JSONValue) -> Bool = { _ in true }
    /// The key sets compared (a product leaves out known recording differences).
    var keys: (_ fields: [String: JSONValue]) -> Set<String> = { Set($0.keys) }
    /// Whether the key sets of this nested recorded object are compared.
    var checksNestedKeys: (_ recorded: [String: JSONValue]) -> Bool = { _ in true }
    /// How deep nested objects are compared.
    var maxDepth = 4
    /// Values compared wherever both objects have them.
    var compared: [String] = []
    /// Compares one value of `compared` (default: equal).
    var compareValue: (_ replay: ConformanceReplay, _ key: String, _ recorded: JSONValue, _ emulated: JSONValue, _ at: String) -> Void = { _, key, r, e, at in
        XCTAssertEqual(e, r, "\(at): value of \(key)")
    }
    /// More checks on each pair of objects whose values are compared.
    var checkObject: ((_ replay: ConformanceReplay, _ recorded: [String: JSONValue], _ emulated: [String: JSONValue], _ at: String) -> Void)? = nil
    /// Recorded keys not compared below the top level.
    var notDescended: Set<String> = []
    /// Whether arrays of objects must have the recorded count (when values are compared).
    var countsItems = true

    /// Recorded keys whose values are not learnt as ids.
    var notLearnt: Set<String> = ["resource_id"]
    /// More ids learnt from a pair of objects (e.g. node names).
    var learnObject: ((_ recorded: [String: JSONValue], _ emulated: [String: JSONValue], _ ids: inout [String: String]) -> Void)? = nil
    /// Whether the product's own checks run before ids are learnt from the answer (else after).
    var learnsFirst = false

    /// Checks of the product's own after the shared ones (certificates, versions...).
    var extra: ((_ replay: ConformanceReplay, _ interaction: ReplayedInteraction, _ emulated: JSONValue) throws -> Void)? = nil
}

/// Replays one cassette against a fresh emulator.
final class ConformanceReplay {
    let name: String
    let url: URL
    let rules: ReplayRules
    let harness: EmulatorHarness
    /// Recorded id → emulated id.
    var ids: [String: String] = [:]

    init(file: URL, rules: ReplayRules) throws {
        url = file
        name = file.lastPathComponent
        self.rules = rules
        harness = try EmulatorHarness { $0.speed = rules.speed }
    }

    /// Replays every cassette whose name `matches`; returns the files and the interactions replayed.
    static func replayAll(_ matches: (String) -> Bool, rules: (String) -> ReplayRules) throws -> (files: [String], interactions: Int) {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { matches($0) && $0.hasSuffix(".jsonl") }.sorted()
        var count = 0
        for file in files { count += try ConformanceReplay(file: dir.appendingPathComponent(file), rules: rules(file)).run() }
        return (files, count)
    }

    /// Replays every line; returns how many.
    func run() throws -> Int {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        XCTAssertFalse(lines.isEmpty, name)
        for (index, line) in lines.enumerated() { try replay(try JSONValue.parse(String(line)), at: index + 1) }
        return lines.count
    }

    private func replay(_ line: JSONValue, at index: Int) throws {
        let method = try XCTUnwrap(line["method"]?.stringValue)
        let target = mapped(try XCTUnwrap(line["url"]?.stringValue).replacingOccurrences(of: "https://api.scaleway.com", with: ""))
        let body = line["request_body"].flatMap { $0.isNull ? nil : rewrite($0).encoded() }
        let interaction = ReplayedInteraction(method: method, target: target, at: "\(name) #\(index) \(method) \(target)",
                                              recordedStatus: try XCTUnwrap(line["status"]?.intValue), recorded: line["response_body"] ?? .null)
        let at = interaction.at
        let recorded = interaction.recorded
        let recordedState = interaction.recordedState

        var response = try harness.call(method, target, body)
        let wantsFinal = interaction.recordedStatus == 404 || recordedState.map { !rules.transient.contains($0) } ?? false
        if method == "GET", wantsFinal {
            let deadline = Date().addingTimeInterval(5)
            while response.status == 200, let now = response.json?["status"]?.stringValue, rules.transient.contains(now), Date() < deadline {
                usleep(rules.pollMicroseconds)
                response = try harness.call(method, target, body)
            }
        }
        if rules.alreadyGone(interaction, response.status) { return }
        XCTAssertEqual(response.status, interaction.recordedStatus, "\(at): \(response.text)")
        guard response.status == interaction.recordedStatus else { return }
        if rules.contentTypeOfEmptyBodies { XCTAssertEqual(response.header("Content-Type"), "application/json", "\(at): Content-Type") }
        guard case .object(let recordedFields) = recorded else {
            XCTAssertTrue(response.body.isEmpty, "\(at): expected an empty body, got \(response.text)")
            return
        }
        if !rules.contentTypeOfEmptyBodies { XCTAssertEqual(response.header("Content-Type"), "application/json", "\(at): Content-Type") }
        guard let emulated = response.json, case .object(let emulatedFields) = emulated else {
            XCTFail("\(at): body is not a JSON object: \(response.text)")
            return
        }
        XCTAssertEqual(rules.keys(emulatedFields), rules.keys(recordedFields), "\(at): top-level keys")
        if rules.checksTransientStatus, let rs = recordedState, let es = emulated["status"]?.stringValue, rs != es {
            XCTAssertTrue(rules.transient.contains(rs), "\(at): status \(es), recorded \(rs)")
        }
        let valuesToo = !rules.valuesOnlyInSameStatus || recordedState == emulated["status"]?.stringValue
        if rules.learnsFirst { learn(recorded, emulated) }
        if rules.comparesBody(recorded) { compare(recorded, emulated, at: at, depth: 0, valuesToo: valuesToo) }
        try rules.extra?(self, interaction, emulated)
        if !rules.learnsFirst { learn(recorded, emulated) }
        if rules.checksResourceID, let rid = recorded["resource_id"]?.stringValue {
            XCTAssertEqual(emulated["resource_id"]?.stringValue, ids[rid] ?? rid, "\(at): resource_id")
        }
    }

    /// Key sets of nested objects at the same place, and (when `valuesToo`) the compared values.
    func compare(_ recorded: JSONValue, _ emulated: JSONValue, at: String, depth: Int, valuesToo: Bool) {
        guard depth < rules.maxDepth else { return }
        switch (recorded, emulated) {
        case (.object(let r), .object(let e)):
            if depth > 0, rules.checksNestedKeys(r) { XCTAssertEqual(rules.keys(e), rules.keys(r), "\(at): keys at depth \(depth)") }
            if valuesToo {
                for key in rules.compared { if let rv = r[key], let ev = e[key] { rules.compareValue(self, key, rv, ev, at) } }
                rules.checkObject?(self, r, e, at)
            }
            for (key, value) in r where !rules.notDescended.contains(key) {
                if let other = e[key] { compare(value, other, at: "\(at) .\(key)", depth: depth + 1, valuesToo: valuesToo) }
            }
        case (.array(let r), .array(let e)) where r.contains(where: { $0.objectValue != nil }):
            if valuesToo, rules.countsItems { XCTAssertEqual(e.count, r.count, "\(at): item count") }
            for (a, b) in zip(r, e) { compare(a, b, at: at, depth: depth, valuesToo: valuesToo) }
        default:
            break
        }
    }

    /// Ids (UUIDs) seen at the same place on both sides, to rewrite later URLs and bodies.
    func learn(_ recorded: JSONValue, _ emulated: JSONValue) {
        switch (recorded, emulated) {
        case (.string(let r), .string(let e)) where Clock.isUUID(r) && Clock.isUUID(e):
            if let known = ids[r] { XCTAssertEqual(e, known, "\(name): id \(r) mapped twice") } else { ids[r] = e }
        case (.object(let r), .object(let e)):
            rules.learnObject?(r, e, &ids)
            for (key, value) in r where !rules.notLearnt.contains(key) { if let other = e[key] { learn(value, other) } }
        case (.array(let r), .array(let e)):
            for (a, b) in zip(r, e) { learn(a, b) }
        default:
            break
        }
    }

    func mapped(_ text: String) -> String {
        var out = text
        for (recorded, emulated) in ids where recorded != emulated { out = out.replacingOccurrences(of: recorded, with: emulated) }
        return out
    }

    func rewrite(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(ids[s] ?? s)
        case .array(let items): return .array(items.map(rewrite))
        case .object(let fields): return .object(fields.mapValues(rewrite))
        default: return value
        }
    }
}

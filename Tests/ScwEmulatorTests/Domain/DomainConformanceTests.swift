// Conformance of Domain: replays every domain-*.jsonl cassette against a fresh emulator (the
// sub-zone is made by the first records PATCH, as `disallow_new_zone_creation: false` asks),
// checking statuses, key sets (records and zones included) and the record values.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class DomainConformanceTests: XCTestCase {
    func testDomainCassettes() throws {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("domain-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertEqual(files.count, 2, "expected the two domain-*.jsonl cassettes")
        var replayed = 0
        for file in files {
            replayed += try CassetteReplay(file: dir.appendingPathComponent(file),
                                           compared: ["name", "type", "data", "ttl", "priority", "comment", "domain", "subdomain",
                                                      "ns", "ns_default", "ns_master", "linked_products", "message", "total_count",
                                                      "resource"]).run()
        }
        XCTAssertEqual(replayed, 12 + 52, "every recorded interaction replayed")
    }
}

// Conformance of the Registry emulator: every registry-*.jsonl interaction replayed.

import XCTest
@testable import ScwEmulator

final class RegistryConformanceTests: XCTestCase {
    func testRegistryCassettes() throws {
        let (files, count) = try ServerlessReplay.replayAll(prefix: "registry-")
        XCTAssertEqual(files, ["registry-namespace-basic.jsonl"])
        XCTAssertEqual(count, 15, "every recorded interaction replayed")
    }
}

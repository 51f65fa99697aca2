// Conformance of the Containers emulator: every container-*.jsonl interaction replayed.

import XCTest
@testable import ScwEmulator

final class ContainersConformanceTests: XCTestCase {
    func testContainerCassettes() throws {
        let (files, count) = try ServerlessReplay.replayAll(prefix: "container-")
        XCTAssertEqual(files, ["container-basic.jsonl", "container-env.jsonl", "container-namespace-basic.jsonl"])
        XCTAssertEqual(count, 40 + 40 + 66, "every recorded interaction replayed")
    }
}

// Conformance of the Functions emulator: every function-*.jsonl interaction replayed.

import XCTest
@testable import ScwEmulator

final class FunctionsConformanceTests: XCTestCase {
    func testFunctionCassettes() throws {
        let (files, count) = try ServerlessReplay.replayAll(prefix: "function-")
        XCTAssertEqual(files, ["function-basic.jsonl", "function-environment-variables.jsonl", "function-namespace-basic.jsonl",
                               "function-namespace-no-name.jsonl"])
        XCTAssertEqual(count, 17 + 25 + 30 + 11, "every recorded interaction replayed")
    }
}

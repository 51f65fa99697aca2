// Helpers shared by the LuaHost tests: temporary script files and instance counting.

import Foundation
import XCTest

/// A fresh temporary folder for script files, removed by the test's teardown.
func makeScriptDir(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("luahost-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// Writes `code` to `dir/name` and returns the path.
@discardableResult
func writeScript(_ dir: URL, _ name: String, _ code: String) throws -> String {
    let url = dir.appendingPathComponent(name)
    try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try code.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Counts live `Tracked` instances: a non-zero count after Swift code ran means a frame was
/// skipped (a longjmp) and its locals were never released.
final class LiveCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var live: Int { lock.withLock { count } }
    func add(_ n: Int) { lock.withLock { count += n } }
}

final class Tracked {
    let counter: LiveCounter
    init(_ counter: LiveCounter) {
        self.counter = counter
        counter.add(1)
    }
    deinit { counter.add(-1) }
}

/// An object whose lifetime a test watches through a weak reference.
final class Witness {}

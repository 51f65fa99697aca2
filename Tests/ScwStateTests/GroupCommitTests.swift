// GroupCommitTests: writes waiting at the same moment share one durable transaction; no
// write returns before its transaction is committed (so an intent is durable before its
// create is sent); a write that fails inside a group fails alone.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class GroupCommitTests: XCTestCase {
    private static func row(_ i: Int) -> ResourceState {
        ResourceState(address: ResourceAddress(type: "VpcPrivateNetwork", name: "pn\(i)"), id: "fr-par/id-\(i)", status: .creating,
                      inputs: ["name": .string("pn\(i)"), "pw": .secret(.string("s\(i)"))])
    }

    /// Waits (bounded) until `condition` holds.
    private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(10)
        while !condition() {
            guard Date() < deadline else { return XCTFail("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    func testWritesWaitingTogetherShareOneCommitAndNoneReturnsBeforeIt() async throws {
        let made = try makeStore(self)
        let store: SQLiteStateStore = made.0, dir = made.1
        let returned = Counter()
        store.commits.queue.suspend()   // hold the commit thread: every write has to wait
        let n = 50
        let writers = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<n {
                    group.addTask {
                        try await store.write(stack: "s", .put(GroupCommitTests.row(i)))
                        returned.add()
                    }
                }
                try await group.waitForAll()
            }
        }
        try await waitUntil("\(n) writers queued") { store.commits.waiting == n }
        XCTAssertEqual(returned.value, 0, "a write returned before its commit")
        let before = store.commits.transactions
        XCTAssertEqual(try SQLiteStateStore(directory: dir, environment: [:]).resources(stack: "s").count, 0)
        store.commits.queue.resume()
        try await writers.value
        XCTAssertEqual(returned.value, n)
        XCTAssertEqual(store.commits.transactions - before, 1, "one transaction for everything waiting")

        // Durable and readable by another connection (as the next run would).
        let other = try SQLiteStateStore(directory: dir, environment: [:])
        let rows = try other.resources(stack: "s")
        XCTAssertEqual(rows.count, n)
        XCTAssertEqual(rows.first { $0.address.name == "pn7" }?.inputs["pw"], .secret(.string("s7")))
    }

    func testAFailingWriteInAGroupFailsAlone() async throws {
        let made = try makeStore(self)
        let store: SQLiteStateStore = made.0, dir = made.1
        store.commits.queue.suspend()
        let good = Task { try await store.write(stack: "s", [.put(GroupCommitTests.row(1)), .put(GroupCommitTests.row(2))]) }
        let bad = Task { try await store.commit([{ db in try db.exec("INSERT INTO no_such_table VALUES (1)") }]) }
        let remove = Task { try await store.write(stack: "s", .remove(ResourceAddress(type: "X", name: "none"))) }
        try await waitUntil("three writers queued") { store.commits.waiting == 3 }
        store.commits.queue.resume()
        try await good.value
        try await remove.value
        do {
            try await bad.value
            XCTFail("the bad statement succeeded")
        } catch {
            XCTAssertTrue("\(error)".contains("no_such_table") || "\(error)".lowercased().contains("state"), "\(error)")
        }
        XCTAssertEqual(try SQLiteStateStore(directory: dir, environment: [:]).resources(stack: "s").map(\.address.name).sorted(), ["pn1", "pn2"])
    }

    func testSequentialWritesEachCommitAtOnce() async throws {
        let store = try makeStore(self).0
        for i in 0..<5 { try await store.write(stack: "s", .put(GroupCommitTests.row(i))) }
        XCTAssertEqual(store.commits.transactions, 5)
        try await store.write(stack: "s", .remove(Self.row(0).address))
        XCTAssertEqual(try store.resources(stack: "s").count, 4)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

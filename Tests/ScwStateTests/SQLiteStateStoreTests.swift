// Round trips, durability and sharing of the SQLite state store.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class SQLiteStateStoreTests: XCTestCase {
    let vpc = ResourceAddress(type: "Vpc", name: "main")
    let pn = ResourceAddress(type: "VpcPrivateNetwork", name: "app")

    func sample(_ address: ResourceAddress, status: ResourceState.Status = .created) -> ResourceState {
        ResourceState(
            address: address, id: "fr-par/\(address.name)-id", status: status,
            inputs: [
                "region": .string("fr-par"),
                "tags": .list([.string("env:prod"), .string("é \"quoted\"\n")]),
                "nested": .map(["a": .list([.int(1), .double(2.5), .double(3.0), .bool(true), .null]),
                                "$ref": .string("dollar key"), "$$x": .int(-7)]),
                "big": .int(Int64.max),
            ],
            outputs: ["ip": .string("51.15.1.2"), "ports": .list([.int(22), .int(443)]), "empty": .map([:])],
            dependencies: [pn, ResourceAddress(type: "Instance", name: "web")],
            protect: true, retain: false)
    }

    func testRoundTripEveryStatus() throws {
        let (store, _) = try makeStore(self)
        for (i, status) in [ResourceState.Status.creating, .created, .deleting].enumerated() {
            let r = sample(ResourceAddress(type: "Vpc", name: "n\(i)"), status: status)
            try store.put(stack: "prod", r)
            XCTAssertEqual(try store.resources(stack: "prod").first { $0.address == r.address }, r)
        }
        XCTAssertEqual(try store.resources(stack: "prod").map(\.status), [.creating, .created, .deleting])
        XCTAssertEqual(try store.resources(stack: "other"), [])
    }

    func testPutReplacesAndRemoveDeletes() throws {
        let (store, _) = try makeStore(self)
        var r = ResourceState(address: vpc, status: .creating)
        try store.put(stack: "s", r)
        r.id = "fr-par/1"
        r.status = .created
        r.retain = true
        try store.put(stack: "s", r)
        try store.put(stack: "s", ResourceState(address: pn, id: "fr-par/2"))
        XCTAssertEqual(try store.resources(stack: "s"), [r, ResourceState(address: pn, id: "fr-par/2")])
        try store.remove(stack: "s", address: vpc)
        XCTAssertEqual(try store.resources(stack: "s").map(\.address), [pn])
        try store.remove(stack: "s", address: vpc) // removing what is gone is fine
    }

    func testUnknownsAndExpressionsAreRefusedWithoutWriting() throws {
        let (store, _) = try makeStore(self)
        let ref = Value.ref(OutputRef(address: pn, path: [.key("id")]))
        for bad: Value in [.unknown, ref, .concat([.string("a"), ref]), .transform(ref, TransformID(1)),
                           .secret(.unknown), .list([.map(["deep": .unknown])])] {
            let r = ResourceState(address: vpc, inputs: ["x": bad])
            XCTAssertThrowsError(try store.put(stack: "s", r)) { error in
                XCTAssertTrue(error is StateError, "\(error)")
                XCTAssertTrue("\(error)".contains("Vpc/main inputs"), "\(error)")
            }
            XCTAssertThrowsError(try store.setOutputs(stack: "s", ["o": bad]))
        }
        XCTAssertEqual(try store.resources(stack: "s"), [])
        XCTAssertEqual(try store.stacks(), [])
    }

    func testOutputsRoundTrip() throws {
        let (store, _) = try makeStore(self)
        XCTAssertEqual(try store.outputs(stack: "s"), [:])
        let outs: [String: Value] = ["web_ip": .string("1.2.3.4"), "dsn": .secret(.string("postgres://app:pw@db")),
                                     "list": .list([.int(1), .map(["k": .bool(false)])])]
        try store.setOutputs(stack: "s", outs)
        XCTAssertEqual(try store.outputs(stack: "s"), outs)
        try store.setOutputs(stack: "s", ["only": .int(1)])
        XCTAssertEqual(try store.outputs(stack: "s"), ["only": .int(1)])
    }

    func testStacksListsEveryStackWithState() throws {
        let (store, _) = try makeStore(self)
        try store.put(stack: "b", ResourceState(address: vpc))
        try store.setOutputs(stack: "a", [:])
        _ = try store.beginDeployment(stack: "c", command: "destroy")
        try store.put(stack: "b", ResourceState(address: pn))
        XCTAssertEqual(try store.stacks(), ["a", "b", "c"])
    }

    func testHistory() throws {
        let (store, _) = try makeStore(self)
        let first = try store.beginDeployment(stack: "s", command: "deploy")
        try store.finishDeployment(id: first, result: "succeeded", summary: "3 created")
        let second = try store.beginDeployment(stack: "s", command: "destroy")
        _ = try store.beginDeployment(stack: "other", command: "deploy")
        let h = try store.history(stack: "s")
        XCTAssertEqual(h.map(\.id), [first, second])
        XCTAssertEqual(h[0].command, "deploy")
        XCTAssertEqual(h[0].result, "succeeded")
        XCTAssertEqual(h[0].summary, "3 created")
        XCTAssertNotNil(h[0].finishedAt)
        XCTAssertTrue(h[0].startedAt.hasSuffix("Z") && h[0].startedAt.count == 20, h[0].startedAt)
        XCTAssertEqual(h[1].command, "destroy")
        XCTAssertNil(h[1].result)   // still running, or crashed
        XCTAssertNil(h[1].finishedAt)
        XCTAssertThrowsError(try store.finishDeployment(id: 9_999, result: "failed", summary: ""))
    }

    func testWriteIsVisibleToAFreshInstanceAtOnce() throws {
        let dir = try makeTempDir(self) + "/state"
        let writer = try SQLiteStateStore(directory: dir, environment: [:])
        let r = sample(vpc)
        try writer.put(stack: "s", r)
        // A new connection, as the next process would open, sees the row without any close or checkpoint.
        let reader = try SQLiteStateStore(directory: dir, environment: [:])
        XCTAssertEqual(try reader.resources(stack: "s"), [r])
        try reader.remove(stack: "s", address: vpc)
        XCTAssertEqual(try writer.resources(stack: "s"), [])
        XCTAssertEqual(try writer.withDB { db in try db.queryOne("PRAGMA journal_mode") { $0.string(0) } }, "wal")
        XCTAssertEqual(try writer.withDB { db in try db.queryOne("PRAGMA synchronous") { $0.int64(0) } }, 2) // FULL
    }

    func testConcurrentWritersOnOneAndTwoConnections() throws {
        let dir = try makeTempDir(self) + "/state"
        let a = try SQLiteStateStore(directory: dir, environment: [:])
        let b = try SQLiteStateStore(directory: dir, environment: [:])
        let errors = Locked([String]())
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let store = i % 2 == 0 ? a : b
            do {
                try store.put(stack: "s", ResourceState(address: ResourceAddress(type: "Vpc", name: "v\(i)"), id: "id\(i)",
                                                        inputs: ["secret": .secret(.string("s\(i)"))]))
            } catch {
                errors.update { $0.append("\(error)") }
            }
        }
        XCTAssertEqual(errors.current, [])
        XCTAssertEqual(try a.resources(stack: "s").count, 24)
        XCTAssertEqual(try b.resources(stack: "s").first { $0.id == "id7" }?.inputs["secret"], .secret(.string("s7")))
    }

    func testSchemaVersionIsRecordedAndNewerIsRefused() throws {
        let dir = try makeTempDir(self) + "/state"
        let store = try SQLiteStateStore(directory: dir, environment: [:])
        XCTAssertEqual(try store.withDB { db in try db.queryOne("SELECT version FROM schema_version") { $0.int64(0) } },
                       StateSchema.latestVersion)
        try store.withDB { db in _ = try db.run("UPDATE schema_version SET version = 99") }
        XCTAssertThrowsError(try SQLiteStateStore(directory: dir, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("schema version 99"), "\(error)")
        }
    }

    func testDatabaseFileIsPrivate() throws {
        let (store, dir) = try makeStore(self)
        try store.put(stack: "s", ResourceState(address: vpc))
        XCTAssertEqual(fileMode(dir + "/state.db"), 0o600)
        XCTAssertEqual(fileMode(dir + "/state.db-wal"), 0o600)
    }

    func testSQLiteErrorsCarryTheMessage() throws {
        let (store, _) = try makeStore(self)
        XCTAssertThrowsError(try store.withDB { db in try db.exec("SELEKT 1") }) { error in
            XCTAssertTrue("\(error)".contains("syntax error"), "\(error)")
        }
    }
}

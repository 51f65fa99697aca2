// Knobs and the control API: fault injection (429, 5xx, dropped connections), latency and
// max_in_flight, stats, resources listing, reset, and the CLI form of fault rates.

import Foundation
import XCTest
@testable import ScwEmulator

final class KnobsTests: XCTestCase {
    func testAll429() throws {
        let h = try EmulatorHarness { $0.faults = try! FaultRates(parsing: "429:1") }
        for _ in 0..<20 {
            let r = try h.call("GET", "\(vpcBase)/vpcs")
            XCTAssertEqual(r.status, 429)
            XCTAssertTrue(r.body.isEmpty)
        }
        // control requests are never faulted nor counted
        let stats = try h.expect(200, "GET", "/__emulator/stats")
        XCTAssertEqual(stats["requests"], .int(20))
        XCTAssertEqual(stats["faults_injected"], .int(20))
        try h.expect(200, "GET", "/__emulator/health")
    }

    func testRatesRoughlyHonoredAndChangeableAtRunTime() throws {
        let h = try EmulatorHarness()
        let set = try h.expect(200, "PUT", "/__emulator/faults", #"{"503":0.3,"502":0.2}"#)
        XCTAssertEqual(set["503"]?.intValue ?? 0, 0)   // 0.3 is not an integer
        var counts: [Int: Int] = [:]
        for _ in 0..<400 {
            let r = try h.call("GET", "\(vpcBase)/vpcs")
            counts[r.status, default: 0] += 1
            if r.status >= 500 {
                XCTAssertEqual(r.header("Content-Type"), "application/json")
                XCTAssertNotNil(r.json?["message"]?.stringValue)
            }
        }
        XCTAssertEqual(counts.keys.sorted(), [200, 502, 503])
        XCTAssert((80...160).contains(counts[503] ?? 0), "503: \(counts)")
        XCTAssert((40...120).contains(counts[502] ?? 0), "502: \(counts)")
        h.emulator.setFaults(.none)
        for _ in 0..<20 { try h.expect(200, "GET", "\(vpcBase)/vpcs") }
        try h.expect(400, "PUT", "/__emulator/faults", #"{"429":2}"#)
        try h.expect(400, "PUT", "/__emulator/faults", #"{"418":0.1}"#)
    }

    func testDropProcessesThenClosesWithoutAnswer() throws {
        let h = try EmulatorHarness { $0.faults = FaultRates(rateDrop: 1) }
        let dropped = try TestConnection(port: h.port)
        XCTAssertThrowsError(try dropped.request("POST", "\(vpcBase)/vpcs", json: #"{"name":"lost-answer","project_id":"\#(project)"}"#)) {
            XCTAssertEqual($0 as? TestClientError, .closedWithoutResponse)
        }
        // the write happened: the VPC exists
        let resources = try h.expect(200, "GET", "/__emulator/resources")
        let items = try XCTUnwrap(resources["resources"]?.arrayValue)
        XCTAssertEqual(items.count, 1)
        XCTAssertEqual(items.first?["name"], .string("lost-answer"))
        XCTAssertEqual(items.first?["kind"], .string("vpc"))
        try h.expect(200, "PUT", "/__emulator/faults", #"{"drop":0}"#)
        let list = try h.expect(200, "GET", "\(vpcBase)/vpcs?name=lost-answer")
        XCTAssertEqual(list["total_count"], .int(1))
    }

    func testMaxInFlightWithLatency() throws {
        let h = try EmulatorHarness { $0.latencyMs = 200 }
        let port = h.port
        let group = DispatchGroup()
        let failures = FailureCounter()
        let started = Date()
        for _ in 0..<20 {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let c = try TestConnection(port: port)
                    if try c.request("GET", "\(vpcBase)/vpcs").status != 200 { failures.add() }
                } catch { failures.add() }
            }
            thread.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(failures.value, 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "requests were served concurrently")
        let stats = try h.expect(200, "GET", "/__emulator/stats")
        XCTAssertGreaterThanOrEqual(stats["max_in_flight"]?.intValue ?? 0, 10, "\(stats)")
        XCTAssertEqual(stats["requests"], .int(20))
    }

    func testStatsCountReadsWritesAndReset() throws {
        let h = try EmulatorHarness()
        let vpc = try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"name":"s","project_id":"\#(project)"}"#)
        let id = vpc["id"]!.stringValue!
        try h.expect(200, "GET", "\(vpcBase)/vpcs/\(id)")
        try h.expect(200, "PATCH", "\(vpcBase)/vpcs/\(id)", #"{"tags":["a"]}"#)
        try h.expect(200, "GET", "\(vpcBase)/vpcs")
        try h.expect(204, "DELETE", "\(vpcBase)/vpcs/\(id)")
        _ = try h.call("GET", "\(vpcBase)/vpcs", token: nil)
        let stats = try h.expect(200, "GET", "/__emulator/stats")
        XCTAssertEqual(stats["requests"], .int(6))
        XCTAssertEqual(stats["writes"], .int(3))
        XCTAssertEqual(stats["reads"], .int(3))
        XCTAssertEqual(stats["by_method"], .object(["GET": .int(3), "POST": .int(1), "PATCH": .int(1), "DELETE": .int(1)]))
        XCTAssertEqual(stats["max_in_flight"], .int(1))
        XCTAssertEqual(stats["faults_injected"], .int(0))
        let zeroed = try h.expect(200, "POST", "/__emulator/stats/reset")
        XCTAssertEqual(zeroed["requests"], .int(0))
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/stats")["writes"], .int(0))
    }

    func testResourcesListingAndReset() throws {
        let h = try EmulatorHarness()
        try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"name":"v","project_id":"\#(project)","tags":["k"]}"#)
        try h.expect(200, "POST", "/vpc/v2/regions/pl-waw/private-networks", #"{"name":"p","project_id":"\#(project)"}"#)
        let resources = try h.expect(200, "GET", "/__emulator/resources")
        let items = try XCTUnwrap(resources["resources"]?.arrayValue)
        // the PN in pl-waw brought the project's default VPC there
        XCTAssertEqual(items.map { $0["kind"]!.stringValue! }.sorted(), ["private_network", "vpc", "vpc"])
        let defaultVPC = items.first { $0["name"] == .string("default") }
        XCTAssertEqual(defaultVPC?["region"], .string("pl-waw"))
        XCTAssertEqual(defaultVPC?["project_id"], .string(project))
        let v = items.first { $0["name"] == .string("v") }
        XCTAssertEqual(v?["tags"], .array([.string("k")]))
        XCTAssertEqual(v?["region"], .string("fr-par"))
        XCTAssertTrue(Clock.isUUID(v?["id"]?.stringValue ?? ""))
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources?kind=private_network")["resources"]?.arrayValue?.count, 1)

        try h.expect(200, "POST", "/__emulator/reset")
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"], .array([]))
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/stats")["requests"], .int(0))
        XCTAssertEqual(try h.expect(200, "GET", "\(vpcBase)/vpcs")["total_count"], .int(0))
        try h.expect(404, "GET", "/__emulator/nothing")
    }

    func testFaultRatesParsing() throws {
        XCTAssertEqual(try FaultRates(parsing: "429:0.1,503:0.05,drop:0.02"),
                       FaultRates(rate429: 0.1, rate503: 0.05, rate502: 0, rateDrop: 0.02))
        XCTAssertEqual(try FaultRates(parsing: " 502:0.5 "), FaultRates(rate502: 0.5))
        XCTAssertEqual(try FaultRates(parsing: ""), .none)
        XCTAssertEqual(try FaultRates(parsing: "none"), .none)
        for bad in ["429", "429:x", "418:0.1", "429:1.5", "429:-0.1", "429:0.6,503:0.6", "429:0.1,,503:0.1"] {
            XCTAssertThrowsError(try FaultRates(parsing: bad), bad) { error in
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }
}

final class FailureCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

// EmulatorLoopbackTests: CurlTransport and the client against the local emulator over real
// loopback: concurrency (max_in_flight counted by the emulator, never wall time), retries under
// injected faults, no re-sent POST after a 503, pagination over 120 networks, timeouts,
// refused connections, dropped answers, cancellation, and a full VPC lifecycle.

import XCTest
import ScwCore
import ScwEmulator
@testable import ScalewayAPI

final class EmulatorLoopbackTests: XCTestCase {
    private var emulators: [Emulator] = []

    override func tearDown() {
        for e in emulators { e.stop() }
        emulators = []
    }

    private func start(latencyMs: Int = 0, faults: String = "") throws -> Emulator {
        var options = EmulatorOptions()
        options.latencyMs = latencyMs
        options.faults = try FaultRates(parsing: faults)
        let e = try Emulator(options: options)
        try e.start()
        emulators.append(e)
        return e
    }

    private func client(_ e: Emulator, retry: RetryPolicy = .testing, timeout: Double = 10,
                        transport: CurlTransport = CurlTransport()) -> ScalewayClient {
        ScalewayClient(config: .local(baseURL: e.baseURL), transport: transport, retry: retry, timeout: timeout)
    }

    /// `GET /__emulator/stats` (not counted by the emulator itself).
    private func stats(_ e: Emulator) async throws -> [String: Int64] {
        let v = try await client(e).call("GET", "/__emulator/stats")
        return (v.mapValue ?? [:]).compactMapValues(\.intValue)
    }

    private func resetStats(_ e: Emulator) async throws {
        _ = try await client(e).call("POST", "/__emulator/stats/reset", idempotent: true)
    }

    func testTwentyConcurrentCallsAreInFlightTogether() async throws {
        let e = try start(latencyMs: 200)
        let c = client(e)
        try await resetStats(e)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask { _ = try await c.call("GET", "/vpc/v2/regions/fr-par/vpcs") }
            }
            try await group.waitForAll()
        }
        let s = try await stats(e)
        XCTAssertEqual(s["requests"], 20)
        XCTAssertGreaterThanOrEqual(s["max_in_flight"] ?? 0, 10, "\(s)")
    }

    func testRetriesConvergeUnderRateLimiting() async throws {
        let e = try start(faults: "429:0.5")
        let c = client(e, retry: RetryPolicy(maxAttempts: 25, baseDelay: 0.001, maxDelay: 0.01, maxRetryAfter: 0.01))
        let api = VPCAPI(client: c)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<10 {
                group.addTask { _ = try await api.createVPC(region: "fr-par", name: "retry-\(i)") }
                group.addTask { _ = try await api.listVPCs(region: "fr-par") }
            }
            try await group.waitForAll()
        }
        e.setFaults(.none)
        let s = try await stats(e)
        XCTAssertGreaterThan(s["faults_injected"] ?? 0, 0)
        let created = try await api.listVPCs(region: "fr-par").filter { $0.name.hasPrefix("retry-") }
        XCTAssertEqual(created.count, 10)  // each created once
    }

    func testPOSTAnswered503IsNotResent() async throws {
        let e = try start(faults: "503:1")
        let api = VPCAPI(client: client(e))
        try await resetStats(e)
        do {
            _ = try await api.createVPC(region: "fr-par", name: "ambiguous")
            XCTFail("expected AmbiguousWriteError")
        } catch let error as AmbiguousWriteError {
            XCTAssertEqual(error.method, "POST")
            XCTAssertEqual(error.path, "/vpc/v2/regions/fr-par/vpcs")
            XCTAssertEqual((error.underlying as? APIError)?.status, 503)
        }
        let s = try await stats(e)
        XCTAssertEqual(s["writes"], 1)
        XCTAssertEqual(s["requests"], 1)
    }

    func testDroppedAnswers() async throws {
        let e = try start(faults: "drop:1")
        let c = client(e, retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.002))
        try await resetStats(e)
        await XCTAssertThrowsAsync(try await c.call("POST", "/vpc/v2/regions/fr-par/vpcs", body: VPCAPI.createVPCBody(
            name: "dropped", projectID: ScalewayConfig.localProjectID, tags: [], enableRouting: false, enableTransitivity: nil))) { error in
            guard let a = error as? AmbiguousWriteError, case .noAnswer? = a.underlying as? TransportError else { return XCTFail("\(error)") }
        }
        let afterPost = try await stats(e)
        XCTAssertEqual(afterPost["writes"], 1)
        await XCTAssertThrowsAsync(try await c.call("GET", "/vpc/v2/regions/fr-par/vpcs")) { error in
            guard case .noAnswer? = error as? TransportError else { return XCTFail("\(error)") }
        }
        let afterGet = try await stats(e)
        XCTAssertEqual(afterGet["reads"], 3)  // a GET is retried
        e.setFaults(.none)
        // The dropped POST did create the VPC: exactly why it must not be re-sent blindly.
        let dropped = try await VPCAPI(client: c).listVPCs(region: "fr-par", name: "dropped")
        XCTAssertEqual(dropped.count, 1)
    }

    func testPaginationOver120PrivateNetworks() async throws {
        let e = try start()
        let c = client(e)
        let api = VPCAPI(client: c)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in 0..<6 {
                group.addTask {
                    for i in 0..<20 { _ = try await api.createPrivateNetwork(region: "fr-par", name: "pn-\(batch)-\(i)", tags: ["paged"]) }
                }
            }
            try await group.waitForAll()
        }
        try await resetStats(e)
        let all = try await api.listPrivateNetworks(region: "fr-par", tags: ["paged"])
        XCTAssertEqual(all.count, 120)
        XCTAssertEqual(Set(all.map(\.id)).count, 120)
        let firstReads = try await stats(e)
        XCTAssertEqual(firstReads["reads"], 2)  // page_size 100
        let small = try await c.listAll("/vpc/v2/regions/fr-par/private-networks", itemsKey: "private_networks", style: .pageSize, pageSize: 25)
        XCTAssertEqual(small.count, 120)
        XCTAssertEqual(Set(small.compactMap { $0["id"]?.stringValue }).count, 120)
        let allReads = try await stats(e)
        XCTAssertEqual(allReads["reads"], 2 + 5)
    }

    func testRequestTimeout() async throws {
        let e = try start(latencyMs: 700)
        let c = client(e, retry: .none, timeout: 0.2)
        await XCTAssertThrowsAsync(try await c.call("GET", "/vpc/v2/regions/fr-par/vpcs")) { error in
            guard case .timeout(let m)? = error as? TransportError else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("GET http://127.0.0.1:"), m)
        }
        await XCTAssertThrowsAsync(try await VPCAPI(client: c).createVPC(region: "fr-par", name: "slow")) { error in
            guard let a = error as? AmbiguousWriteError, case .timeout? = a.underlying as? TransportError else { return XCTFail("\(error)") }
        }
    }

    func testRefusedConnectionIsNotSent() async throws {
        let e = try start()
        let url = e.baseURL
        e.stop()
        let c = ScalewayClient(config: .local(baseURL: url), transport: CurlTransport(), retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.001))
        await XCTAssertThrowsAsync(try await c.call("POST", "/vpc/v2/regions/fr-par/vpcs", body: .map([:]))) { error in
            guard case .notSent? = error as? TransportError else { return XCTFail("\(error)") }
        }
    }

    func testCancellationAbortsTheTransfer() async throws {
        let e = try start(latencyMs: 1000)
        let c = client(e, retry: .none)
        let task = Task { try await c.call("GET", "/vpc/v2/regions/fr-par/vpcs") }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        let result = await task.result
        guard case .failure(let error) = result else { return XCTFail("the call should have been cancelled") }
        XCTAssertTrue(error is CancellationError, "\(error)")
    }

    func testVPCLifecycle() async throws {
        let e = try start()
        let api = VPCAPI(client: client(e))
        let vpc = try await api.createVPC(region: "fr-par", name: "life", tags: ["scwlua"], enableRouting: true)
        XCTAssertEqual(vpc.projectID, ScalewayConfig.localProjectID)
        XCTAssertEqual(vpc.tags, ["scwlua"])
        let routed = try await api.enableCustomRoutesPropagation(region: "fr-par", id: vpc.id)
        XCTAssertTrue(routed.customRoutesPropagationEnabled)
        let pn = try await api.createPrivateNetwork(region: "fr-par", name: "life-pn", tags: ["scwlua"],
                                                    subnets: ["172.16.32.0/22", "fd46:78ab:30b8:177c::/64"], vpcID: vpc.id)
        XCTAssertEqual(pn.vpcID, vpc.id)
        XCTAssertEqual(pn.subnets.map(\.subnet).sorted(), ["172.16.32.0/22", "fd46:78ab:30b8:177c::/64"])
        let renamed = try await api.updatePrivateNetwork(region: "fr-par", id: pn.id, name: "life-pn-2", tags: ["scwlua", "b"], defaultRoutePropagationEnabled: true)
        XCTAssertEqual(renamed.name, "life-pn-2")
        XCTAssertTrue(renamed.defaultRoutePropagationEnabled)
        let tagged = try await api.listPrivateNetworks(region: "fr-par", tags: ["b"], vpcID: vpc.id)
        XCTAssertEqual(tagged.map(\.id), [pn.id])
        let retagged = try await api.updateVPC(region: "fr-par", id: vpc.id, tags: ["x"])
        XCTAssertEqual(retagged.tags, ["x"])
        let fetched = try await api.getVPC(region: "fr-par", id: vpc.id)
        XCTAssertEqual(fetched.privateNetworkCount, 1)
        try await api.deletePrivateNetwork(region: "fr-par", id: pn.id)
        try await api.deleteVPC(region: "fr-par", id: vpc.id)
        await XCTAssertThrowsAsync(try await api.getVPC(region: "fr-par", id: vpc.id)) { error in
            XCTAssertTrue((error as? APIError)?.isNotFound ?? false, "\(error)")
            XCTAssertEqual((error as? APIError)?.kind, .notFound(resource: "vpc", resourceID: vpc.id))
        }
    }
}

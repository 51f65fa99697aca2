// LbTestSupport: for the load balancer resource tests: a transport that records every request
// (to count the calls an update makes), a ready LB with a private network, and the test chain.

import Foundation
import XCTest
import ScalewayAPI
import ScwCore
import ScwEmulator
import ScwEngine
import ScwTestSupport
@testable import ScwResources

/// Passes every request on and remembers `METHOD /path` (query left out).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lock = NSLock()
    private var lines: [String] = []

    init(_ inner: any HTTPTransport) { self.inner = inner }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let path = URL(string: request.url)?.path ?? request.url
        lock.withLock { lines.append("\(request.method) \(path)") }
        return try await inner.send(request)
    }

    var all: [String] { lock.withLock { lines } }
    func reset() { lock.withLock { lines = [] } }

    /// The writes recorded, with UUIDs replaced by `{id}` (`PUT /lb/v1/zones/fr-par-1/backends/{id}/servers`).
    var writes: [String] {
        all.filter { !$0.hasPrefix("GET ") }.map { line in
            line.split(separator: "/").map { UUIDText.isValid(String($0)) ? "{id}" : String($0) }.joined(separator: "/")
        }
    }
}

final class LbCloud: @unchecked Sendable {
    let compute: ComputeEmulator
    private(set) var recorder: RecordingTransport!

    init(quotas: [String: Int] = [:]) throws {
        var made: RecordingTransport?
        compute = try ComputeEmulator(speed: 200, quotas: quotas) { inner in
            let r = RecordingTransport(inner)
            made = r
            return r
        }
        recorder = made
    }

    var env: ScalewayEnvironment { compute.env }
    var api: LBAPI { LBAPI(client: env.client) }
    func stop() { compute.stop() }
    func context(_ type: String, _ name: String) -> ProviderContext { compute.context(type, name) }

    /// A ready load balancer (no IP given: one is assigned), its id and normalised inputs.
    func loadBalancer(_ name: String = "web", type: String = "LB-S", extra: [String: Value] = [:]) async throws -> (id: String, inputs: [String: Value]) {
        var props: [String: Value] = ["type": .string(type)]
        for (k, v) in extra { props[k] = v }
        let (created, inputs) = try await compute.create(LoadBalancerResource(env: env), props, context: context("LoadBalancer", name))
        return (created.id, inputs)
    }

    /// The kinds the emulator holds, sorted.
    func kinds() async throws -> [String] { try await compute.kinds() }

    static func chain() throws -> String {
        try String(contentsOf: Fixtures.root.appendingPathComponent("lb/self-signed-chain.pem"), encoding: .utf8)
    }
}

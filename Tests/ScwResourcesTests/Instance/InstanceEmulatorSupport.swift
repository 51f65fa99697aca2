// InstanceEmulatorSupport: the local emulator on loopback (transitions sped up) with a
// ScalewayEnvironment wired to it, for the Instance-family resource tests: contexts, the
// engine's normalize-then-create path, a drift check, and the control API's resource list.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEmulator
import ScwEngine
@testable import ScwResources

final class ComputeEmulator: @unchecked Sendable {
    static let stack = "compute-test"

    let emulator: Emulator
    let env: ScalewayEnvironment

    /// `wrap` puts a test double around the real transport (to lose answers, say).
    init(speed: Double = 200, quotas: [String: Int] = [:], wrap: ((any HTTPTransport) -> any HTTPTransport)? = nil) throws {
        var options = EmulatorOptions()
        options.speed = speed
        options.quotas = quotas
        emulator = try Emulator(options: options)
        try emulator.start()
        let transport: any HTTPTransport = wrap.map { $0(CurlTransport()) } ?? CurlTransport()
        let client = ScalewayClient(config: .local(baseURL: emulator.baseURL), transport: transport, retry: .testing, timeout: 20)
        env = ScalewayEnvironment(client: client, defaultProjectID: ScalewayConfig.localProjectID, defaultRegion: "fr-par",
                                  defaultZone: "fr-par-1", pollInterval: 0.005)
    }

    func stop() { emulator.stop() }

    var api: InstanceAPI { InstanceAPI(client: env.client) }

    func context(_ type: String, _ name: String, stack: String = ComputeEmulator.stack, phases: PhaseLog? = nil) -> ProviderContext {
        ProviderContext(stack: stack, address: ResourceAddress(type: type, name: name), timeouts: Timeouts(create: 30, update: 30, delete: 30),
                        phase: { phases?.add($0) })
    }

    /// What the engine does: normalize the declared props, then create.
    func create(_ provider: any ResourceProvider, _ props: [String: Value], context: ProviderContext) async throws -> (CreateResult, [String: Value]) {
        let inputs = try provider.normalize(props, context: context)
        return (try await provider.create(inputs, context: context), inputs)
    }

    /// Reads the resource back and checks that nothing the script declared differs.
    func assertNoDrift(_ provider: any ResourceProvider, id: String, inputs: [String: Value], context: ProviderContext,
                       file: StaticString = #filePath, line: UInt = #line) async throws {
        let read = try await provider.read(id: id, inputs: inputs, context: context)
        let observed = try XCTUnwrap(read?.observed, "\(id) is gone", file: file, line: line)
        var baseline = inputs   // as the planner does: what state holds, overlaid with what the cloud says
        for (key, value) in observed { baseline[key] = value }
        let drift = Diff.changes(schema: provider.schema, old: baseline, new: inputs)
        XCTAssertEqual(drift.map(\.name), [], "drift: \(drift)\nobserved \(observed)\ninputs \(inputs)", file: file, line: line)
    }

    /// Every resource the emulator holds (`GET /__emulator/resources`), optionally of one kind.
    func resources(kind: String? = nil) async throws -> [Value] {
        let answer = try await env.client.call("GET", "/__emulator/resources", query: kind.map { [("kind", $0)] } ?? [])
        return answer["resources"]?.listValue ?? []
    }

    /// The kinds of every resource held, sorted (`block_volume`, `server`...), default security groups left out.
    func kinds() async throws -> [String] {
        try await resources().filter { $0["name"]?.stringValue != "Default security group" }.compactMap { $0["kind"]?.stringValue }.sorted()
    }
}

/// Sends every request, but loses the answer of the first one matching `lose` (as a dropped
/// connection after the server did the work: the client sees ``TransportError/noAnswer``).
final class LosingTransport: HTTPTransport, @unchecked Sendable {
    private let inner: any HTTPTransport
    private let lose: @Sendable (HTTPRequest) -> Bool
    private let lock = NSLock()
    private var lost = 0

    init(_ inner: any HTTPTransport, lose: @escaping @Sendable (HTTPRequest) -> Bool) {
        self.inner = inner
        self.lose = lose
    }

    var lostCount: Int { lock.lock(); defer { lock.unlock() }; return lost }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await inner.send(request)
        let drop: Bool = lock.withLock {
            guard lost == 0, lose(request) else { return false }
            lost += 1
            return true
        }
        if drop { throw TransportError.noAnswer("answer lost (test)") }
        return response
    }
}

/// Phases reported by a provider, in order.
final class PhaseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// `"fr-par-1/<uuid>"` → `<uuid>`.
func uuidPart(_ id: String) -> String { String(id.split(separator: "/").last ?? "") }

/// Runs `body`, expecting a Diagnostic whose text contains every fragment.
func assertDiagnostic(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                      _ body: () async throws -> Void) async {
    do {
        try await body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch let d as Diagnostic {
        for f in fragments { XCTAssertTrue(d.description.contains(f), "'\(f)' not in: \(d)", file: file, line: line) }
    } catch {
        XCTFail("expected a Diagnostic, got \(error)", file: file, line: line)
    }
}

// DeployOutcomeTests: the embedding API without traps: `deploy` tells "no changes" from
// "confirmation declined" from "applied"; a run that did not complete is thrown as one typed
// error carrying the partial result; the `failed` event carries a typed error; Plan and
// ApplyResult count the same way; `import ScwLua` names no generic type outside `Scw`.

import Foundation
import XCTest
import ScwEmulator
import ScwLua

final class DeployOutcomeTests: XCTestCase {
    var emulator: Emulator!
    var dir: URL!

    override func setUpWithError() throws {
        var options = EmulatorOptions()
        options.quotas = ["ips": 0]   // an InstanceIp create is refused (403), like a real quota
        emulator = try Emulator(options: options)
        try emulator.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outcome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        emulator.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func testOutcomesAreDistinctAndFailuresAreThrownWithThePartialResult() async throws {
        let session = try StackSession(options: StackOptions(stack: "outcomes", stateDirectory: dir.appendingPathComponent("state").path,
                                                             target: .emulator(baseURL: emulator.baseURL), environment: [:]))
        try session.evaluate("local scw = require 'scaleway'\nscw.Vpc 'main' {}", chunkName: "=outcomes")

        let declined = try await session.deploy(confirm: { _ in false })
        guard case .declined(let plan) = declined else { return XCTFail("expected declined, got \(declined)") }
        XCTAssertEqual(plan.count(of: .create), 1)
        XCTAssertNil(declined.result)

        let applied = try await session.deploy()
        guard case .applied(_, let result) = applied else { return XCTFail("expected applied, got \(applied)") }
        XCTAssertEqual(result.count(of: .create), 1, "ApplyResult.count(of:) as Plan.count(of:)")

        let again = try await session.deploy()
        guard case .noChanges = again else { return XCTFail("expected no changes, got \(again)") }

        try session.evaluate("scaleway.InstanceIp 'ip' {}\nscaleway.Vpc 'second' {}", chunkName: "=more")
        let failures = Failures()
        do {
            let outcome = try await session.deploy(events: { event in
                if case .failed(_, _, let error) = event { failures.add(error) }
            })
            XCTFail("a refused create came back as \(outcome)")
        } catch let failure as ApplyFailure {
            XCTAssertEqual(failure.result.failed.map(\.description), ["InstanceIp/ip"])
            XCTAssertEqual(failure.result.count(of: .create), 1, "what succeeded is in the partial result")
            XCTAssertEqual(failure.plan.count(of: .create), 2)
        }
        let error = try XCTUnwrap(failures.all.first)
        XCTAssertEqual(error.address.description, "InstanceIp/ip")
        XCTAssertEqual(error.action, .create)
        XCTAssertNotNil(error.underlying, "the provider's own error, typed")
        XCTAssertFalse(error.message.isEmpty)
    }

    /// The façade's vocabulary lives under `Scw`: a type of the embedder's own named `Value`
    /// or `Plan` does not clash with it.
    func testTheFacadeNamesNoGenericTypes() {
        struct Value { var x = 1 }
        struct Plan { var y = 2 }
        let mine = Value(), theirs: Scw.Value = .string("a")
        XCTAssertEqual(mine.x, 1)
        XCTAssertEqual(Plan().y, 2)
        XCTAssertEqual(theirs.stringValue, "a")
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Scw.OperationError] = []
    func add(_ e: Scw.OperationError) { lock.withLock { items.append(e) } }
    var all: [Scw.OperationError] { lock.withLock { items } }
}

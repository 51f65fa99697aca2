// A plan applies to the state it was made from; applied again, or after another run, it is
// refused rather than creating twice.

import XCTest
import ScwCore
import ScwEngine

final class StalePlanTests: XCTestCase {
    func testApplyingOnePlanTwiceIsRefused() async throws {
        let h = Harness()
        let program = Program(declarations: [decl(.net("a")), decl(.net("b"))])
        let plan = try await h.plan(program)
        let first = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(first.succeeded)
        h.store.clearWrites()

        let second = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertEqual(second.failed, [.net("a"), .net("b")])
        guard case .failed(_, let message)? = second.outcomes[.net("a")] else { return XCTFail() }
        XCTAssertTrue(message.contains("plan again"), message)
        XCTAssertEqual(h.cloud.createCount, 2)
        XCTAssertEqual(h.cloud.all.count, 2)
        XCTAssertEqual(h.store.writes, [])
    }

    func testAPlanOvertakenByAnotherRunIsRefused() async throws {
        let h = Harness()
        try await h.deploy([decl(.net("a"), ["cidr": .string("10.0.0.0/16")])])
        let program = Program(declarations: [decl(.net("a"), ["cidr": .string("10.1.0.0/16")])])
        let plan = try await h.plan(program)
        try await h.deploy(program)                 // someone else's run replaced it meanwhile
        let late = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertEqual(late.failed, [.net("a")])
        XCTAssertEqual(h.cloud.all.count, 1)
        XCTAssertEqual(h.cloud.deleteCount, 1)
    }

    func testAPlanOfAnInterruptedCreateIsNotStale() async throws {
        let h = Harness()
        let inputs: [String: Value] = ["name": .string("a"), "region": .string("fr-par")]
        h.cloud.seed(.net("a"), props: inputs)
        h.store.seed(ResourceState(address: .net("a"), status: .creating, inputs: inputs))
        let result = try await h.deploy([decl(.net("a"))])
        XCTAssertTrue(result.succeeded, "\(result.outcomes)")
    }
}

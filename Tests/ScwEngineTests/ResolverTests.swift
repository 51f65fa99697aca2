// Resolver: references and expressions evaluated against the outputs known so far.

import XCTest
import ScwCore
import ScwEngine

/// `ref:map(fn)` stand-ins: 1 upper-cases a string, 2 adds one to an int; records its inputs.
final class FakeTransformer: ValueTransformer {
    let seen = Locked<[Value]>([])
    func transform(_ id: TransformID, _ input: Value) async throws -> Value {
        seen.withLock { $0.append(input) }
        switch (id.raw, input) {
        case (1, .string(let s)): return .string(s.uppercased())
        case (2, .int(let i)): return .int(i + 1)
        default: throw FakeError(description: "transform \(id.raw) cannot take \(input)")
        }
    }
}

final class ResolverTests: XCTestCase {
    let db = ResourceAddress.vm("db")
    var outputs: [ResourceAddress: [String: Value]] {
        [db: [
            "id": .string("vm-1"),
            "endpoint": .map(["ip": .string("10.0.0.5"), "port": .int(5432)]),
            "ips": .list([.string("a"), .string("b")]),
            "password": .secret(.string("hunter2")),
            "ratio": .double(2.5),
            "whole": .double(3),
        ]]
    }

    func resolver(_ transformer: (any ValueTransformer)? = FakeTransformer()) -> Resolver {
        Resolver(outputs: outputs, transformer: transformer)
    }

    func testRefsFollowPaths() async throws {
        let r = resolver()
        let id = try await r.resolve(ref(db, "id"))
        XCTAssertEqual(id, .string("vm-1"))
        let ip = try await r.resolve(ref(db, "endpoint", "ip"))
        XCTAssertEqual(ip, .string("10.0.0.5"))
        let second = try await r.resolve(.ref(OutputRef(address: db, path: [.key("ips"), .index(1)])))
        XCTAssertEqual(second, .string("b"))
        let missing = try await r.resolve(ref(db, "nope"))
        XCTAssertEqual(missing, .null)
        let nested = try await r.resolve(.map(["x": .list([ref(db, "id"), .int(1)])]))
        XCTAssertEqual(nested, .map(["x": .list([.string("vm-1"), .int(1)])]))
    }

    func testConcatJoinsNumbersAndStrings() async throws {
        let v = try await resolver().resolve(.concat([
            .string("postgres://"), ref(db, "endpoint", "ip"), .string(":"), ref(db, "endpoint", "port"),
            .string("/"), .int(-7), .string("/"), ref(db, "ratio"), .string("/"), .bool(true),
        ]))
        XCTAssertEqual(v, .string("postgres://10.0.0.5:5432/-7/2.5/true"))
    }

    func testSecretsStaySecretThroughConcatAndTransform() async throws {
        let t = FakeTransformer()
        let r = resolver(t)
        let joined = try await r.resolve(.concat([.string("pw="), ref(db, "password")]))
        XCTAssertEqual(joined, .secret(.string("pw=hunter2")))
        XCTAssertTrue(joined.isSensitive)

        let declared = try await r.resolve(.concat([.string("x-"), .secret(.string("s"))]))
        XCTAssertEqual(declared, .secret(.string("x-s")))

        let mapped = try await r.resolve(.transform(ref(db, "password"), TransformID(1)))
        XCTAssertEqual(mapped, .secret(.string("HUNTER2")))
        XCTAssertEqual(t.seen.get, [.string("hunter2")], "the function sees the plain value")

        let viaSecretRef = try await r.resolve(.secret(ref(db, "id")))
        XCTAssertEqual(viaSecretRef, .secret(.string("vm-1")))
        let inMap = try await r.resolve(.map(["p": ref(db, "password")]))
        XCTAssertTrue(inMap.isSensitive)
    }

    func testTransformsRunOnResolvedValues() async throws {
        let v = try await resolver().resolve(.transform(ref(db, "endpoint", "port"), TransformID(2)))
        XCTAssertEqual(v, .int(5433))
        let chained = try await resolver().resolve(.concat([.transform(ref(db, "id"), TransformID(1)), .string("!")]))
        XCTAssertEqual(chained, .string("VM-1!"))
    }

    func testUnknownPropagates() async throws {
        let t = FakeTransformer()
        let r = Resolver(outputs: [:], transformer: t)
        let plainRef = try await r.resolve(ref(db, "id"))
        XCTAssertEqual(plainRef, .unknown)
        let joined = try await r.resolve(.concat([.string("a"), ref(db, "id")]))
        XCTAssertEqual(joined, .unknown)
        let secretJoined = try await r.resolve(.concat([.secret(.string("a")), ref(db, "id")]))
        XCTAssertEqual(secretJoined, .secret(.unknown), "still unknown, and already known to hold a secret (plans show it as (sensitive))")
        XCTAssertTrue(secretJoined.containsUnknown)
        let mapped = try await r.resolve(.transform(ref(db, "id"), TransformID(1)))
        XCTAssertEqual(mapped, .unknown)
        XCTAssertEqual(t.seen.get, [], "a function never runs on an unknown value")
        let secret = try await r.resolve(.secret(ref(db, "id")))
        XCTAssertEqual(secret, .unknown)
        let list = try await r.resolve(.list([.string("a"), ref(db, "id")]))
        XCTAssertEqual(list, .list([.string("a"), .unknown]), "the shape stays; only the unknown part is unknown")
        XCTAssertTrue(list.containsUnknown)
        let unknown = try await r.resolve(.unknown)
        XCTAssertEqual(unknown, .unknown)
    }

    func testTransformWithoutATransformerIsUnknown() async throws {
        let v = try await resolver(nil).resolve(.transform(ref(db, "id"), TransformID(1)))
        XCTAssertEqual(v, .unknown)
    }

    func testTransformErrorsAreThrown() async throws {
        do {
            _ = try await resolver().resolve(.transform(ref(db, "id"), TransformID(2)))
            XCTFail("expected an error")
        } catch let e as FakeError {
            XCTAssertTrue(e.description.contains("cannot take"))
        }
    }

    func testTransformedRefsAreResolvedAtApply() async throws {
        // Through the engine: planned as unknown, applied with the function's result.
        let h = Harness(transformer: FakeTransformer())
        let program = Program(declarations: [
            decl(.net("main")),
            decl(.vm("web"), ["name": .transform(ref(.net("main"), "id"), TransformID(1))]),
        ], outputs: ["shout": .transform(ref(.vm("web"), "id"), TransformID(1))])
        let plan = try await h.plan(program)
        XCTAssertEqual(plan.change(for: .vm("web"))?.inputs["name"], .unknown)
        let result = await h.engine.apply(plan, program: program, events: h.events.handler)
        XCTAssertTrue(result.succeeded)
        let net = try XCTUnwrap(h.cloud.resource(.net("main")))
        let web = try XCTUnwrap(h.cloud.resource(.vm("web")))
        XCTAssertEqual(web.props["name"], .string(net.id.uppercased()))
        XCTAssertEqual(result.outputs["shout"], .string(web.id.uppercased()))
        let again = try await h.plan(program)
        XCTAssertFalse(again.hasAnyChange)
    }
}

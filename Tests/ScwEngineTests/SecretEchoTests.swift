import XCTest
import ScwCore
@testable import ScwEngine

/// Values the cloud hands back holding a secret input's plaintext stay secret.
final class SecretEchoTests: XCTestCase {
    func testEchoedSecretsAreMarkedWhereverTheyAppear() {
        let inputs: [String: Value] = ["name": .secret(.string("hunter2-name")), "tags": .list([.string("env:dev"), .secret(.string("hunter2-tag"))])]
        let outputs: [String: Value] = [
            "name": .string("hunter2-name"),
            "hostname": .string("hunter2-name.internal"),
            "tags": .list([.string("env:dev"), .string("hunter2-tag"), .string("added")]),
            "id": .string("fr-par/123"),
        ]
        let masked = SecretEcho.mask(outputs, inputs: inputs)
        XCTAssertEqual(masked["name"], .secret(.string("hunter2-name")))
        XCTAssertEqual(masked["hostname"], .secret(.string("hunter2-name.internal")))
        XCTAssertEqual(masked["tags"], .list([.string("env:dev"), .secret(.string("hunter2-tag")), .string("added")]))
        XCTAssertEqual(masked["id"], .string("fr-par/123"))
        XCTAssertFalse(JSON.encode(.map(masked)).contains("hunter2"))
    }

    func testShortSecretsOnlyMatchWhole() {
        let masked = SecretEcho.mask(["a": .string("abc"), "b": .string("xabcx")], inputs: ["p": .secret(.string("abc"))])
        XCTAssertEqual(masked["a"], .secret(.string("abc")))
        XCTAssertEqual(masked["b"], .string("xabcx"))
    }

    func testNoSecretsNoChange() {
        let outputs: [String: Value] = ["name": .string("x")]
        XCTAssertEqual(SecretEcho.mask(outputs, inputs: ["name": .string("x")]), outputs)
    }
}

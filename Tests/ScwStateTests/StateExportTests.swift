// `state export`: a stable JSON document that never shows (nor decrypts) a secret.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class StateExportTests: XCTestCase {
    func testExportIsStableAndHidesSecrets() throws {
        let (store, _) = try makeStore(self)
        let pn = ResourceAddress(type: "VpcPrivateNetwork", name: "app")
        try store.put(stack: "s", ResourceState(
            address: ResourceAddress(type: "RdbInstance", name: "db"), id: "fr-par/db1",
            inputs: ["password": .secret(.string("pw-d0n7-5h0w")), "user_name": .string("app")],
            outputs: ["endpoint": .map(["ip": .string("10.0.0.5"), "port": .int(5432)])],
            dependencies: [pn], protect: true))
        try store.put(stack: "s", ResourceState(address: pn, id: "fr-par/pn1", status: .creating, retain: true))
        try store.setOutputs(stack: "s", ["dsn": .secret(.string("postgres://app:pw-d0n7-5h0w@10.0.0.5")), "n": .int(1)])

        let text = try StateExport.exportJSON(store: store, stack: "s")
        XCTAssertFalse(text.contains("pw-d0n7-5h0w"))
        XCTAssertFalse(text.contains("$secret"))
        XCTAssertEqual(try StateExport.exportJSON(store: store, stack: "s"), text)
        XCTAssertEqual(text, """
            {
              "format_version": 1,
              "outputs": {
                "dsn": "(sensitive)",
                "n": 1
              },
              "resources": [
                {
                  "address": "RdbInstance/db",
                  "dependencies": [
                    "VpcPrivateNetwork/app"
                  ],
                  "id": "fr-par/db1",
                  "inputs": {
                    "password": "(sensitive)",
                    "user_name": "app"
                  },
                  "name": "db",
                  "outputs": {
                    "endpoint": {
                      "ip": "10.0.0.5",
                      "port": 5432
                    }
                  },
                  "protect": true,
                  "retain": false,
                  "status": "created",
                  "type": "RdbInstance"
                },
                {
                  "address": "VpcPrivateNetwork/app",
                  "dependencies": [],
                  "id": "fr-par/pn1",
                  "inputs": {},
                  "name": "app",
                  "outputs": {},
                  "protect": false,
                  "retain": true,
                  "status": "creating",
                  "type": "VpcPrivateNetwork"
                }
              ],
              "stack": "s"
            }

            """)
    }

    func testExportNeverDecrypts() throws {
        // Redacted reading does not need the key: a box that cannot open anything still exports.
        let (store, _) = try makeStore(self)
        try store.put(stack: "s", ResourceState(address: ResourceAddress(type: "Vpc", name: "v"),
                                                inputs: ["k": .secret(.string("zzz"))]))
        let redacted = try store.redactedResources(stack: "s")
        XCTAssertEqual(redacted.first?.inputs["k"], .secret(.string("(sensitive)")))
    }
}

// Drives a recorded serverless cassette through a client: every request the client sends is
// compared with the recorded one (method, path, JSON body), and every answer decodes.

import XCTest
import ScwCore
@testable import ScalewayAPI

enum ServerlessCassetteReplay {
    /// Replays each file of `prefix` through `drive`; returns the number of interactions.
    static func run(prefix: String, drive: (ScalewayClient, Interaction) async throws -> Void) async throws -> Int {
        var total = 0
        for file in try Cassettes.files(prefix: prefix) {
            let interactions = try Cassettes.load(file)
            let transport = ReplayTransport(interactions)
            let client = ScalewayClient.testing(transport, retry: .none)
            for x in interactions {
                do {
                    try await drive(client, x)
                    XCTAssertLessThan(x.status, 400, "\(x.method) \(x.path) should have failed")
                } catch let e as APIError {
                    XCTAssertEqual(e.status, x.status, "\(x.method) \(x.path): \(e)")
                    XCTAssertTrue(e.isNotFound)
                }
            }
            XCTAssertEqual(transport.sent.count, interactions.count)
            for (x, request) in zip(interactions, transport.sent) {
                let name = "\(file.split(separator: "/").last!) \(x.method) \(x.path)"
                XCTAssertEqual(request.method, x.method, name)
                XCTAssertEqual(Interaction(method: "", url: request.url, requestBody: .null, status: 0, responseBody: .null, responseHeaders: [:]).path, x.path, name)
                let sentBody: Value = try request.body.map { try JSON.decode(bytes: $0) } ?? .null
                XCTAssertEqual(sentBody, x.requestBody, "request body differs for \(name):\n sent \(JSON.encode(sentBody))\n recorded \(JSON.encode(x.requestBody))")
            }
            total += interactions.count
        }
        return total
    }

    /// A recorded enum value, nil when it is an `unknown_*` (the body builders send that for nil).
    static func known(_ v: Value?) -> String? {
        guard let s = v?.stringValue, !s.hasPrefix("unknown") else { return nil }
        return s
    }

    static func strings(_ v: Value?) -> [String]? { v?.listValue?.compactMap(\.stringValue) }

    static func stringMap(_ v: Value?) -> [String: String]? { v?.mapValue?.compactMapValues(\.stringValue) }

    /// `[{key, value}]` as (key, secret value or nil).
    static func secretList(_ v: Value?) -> [(key: String, value: Value?)]? {
        v?.listValue?.map { item in (item["key"]!.stringValue!, item["value"].flatMap { $0 == .null ? nil : Value.secret($0) }) }
    }
}

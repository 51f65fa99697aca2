// TestSupport: cassettes (Tests/Fixtures/cassettes), and in-memory
// transports: one that replays a cassette and records what was sent, one that plays a script
// of canned outcomes.

import Foundation
import XCTest
import ScwCore
import ScwTestSupport
@testable import ScalewayAPI

/// One recorded HTTP interaction.
struct Interaction {
    var method: String
    var url: String
    var requestBody: Value
    var status: Int
    var responseBody: Value
    var responseHeaders: [String: String]

    /// The URL path without scheme, host and query.
    var path: String {
        var rest = url
        if let r = rest.firstRange(of: "://") { rest = String(rest[r.upperBound...]) }
        if let slash = rest.firstIndex(of: "/") { rest = String(rest[slash...]) } else { rest = "/" }
        return rest.firstIndex(of: "?").map { String(rest[..<$0]) } ?? rest
    }

    /// The recorded response body as bytes (JSON re-encoded, strings as they are).
    var responseBytes: [UInt8] {
        switch responseBody {
        case .null: return []
        case .string(let s): return Array(s.utf8)
        default: return Array(JSON.encode(responseBody).utf8)
        }
    }
}

enum Cassettes {
    static func directory() -> String? { Fixtures.cassetteDirectory()?.path }

    static func files(prefix: String) throws -> [String] {
        let dir = try XCTUnwrap(directory(), Fixtures.missingCassettes)
        return try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted().map { dir + "/" + $0 }
    }

    static func load(_ path: String) throws -> [Interaction] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let v = try JSON.decode(String(line))
            return Interaction(method: v["method"]?.stringValue ?? "", url: v["url"]?.stringValue ?? "",
                               requestBody: v["request_body"] ?? .null, status: Int(v["status"]?.intValue ?? 0),
                               responseBody: v["response_body"] ?? .null,
                               responseHeaders: (v["response_headers"]?.mapValue ?? [:]).compactMapValues(\.stringValue))
        }
    }
}

/// Replays interactions in order; records every request sent.
final class ReplayTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Interaction]
    private(set) var sent: [HTTPRequest] = []

    init(_ interactions: [Interaction]) { queue = interactions }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let next: Interaction? = lock.withLock {
            sent.append(request)
            return queue.isEmpty ? nil : queue.removeFirst()
        }
        guard let next else { throw TransportError.notSent("replay: no interaction left") }
        return HTTPResponse(status: next.status, headers: next.responseHeaders, body: next.responseBytes)
    }
}

/// Answers from a script: each call takes the next outcome (the last one repeats).
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    enum Outcome {
        case answer(Int, String, [String: String])
        case fail(TransportError)
    }

    private let lock = NSLock()
    private var script: [Outcome]
    private(set) var requests: [HTTPRequest] = []

    init(_ script: [Outcome]) { self.script = script }

    var count: Int {
        lock.lock(); defer { lock.unlock() }
        return requests.count
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let outcome = lock.withLock {
            requests.append(request)
            return script.count > 1 ? script.removeFirst() : script[0]
        }
        switch outcome {
        case .answer(let status, let body, let headers): return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
        case .fail(let error): throw error
        }
    }
}

/// Lines collected from the client's log hook.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

extension ScalewayClient {
    /// A client for tests: fake credentials, test retry delays.
    static func testing(_ transport: any HTTPTransport, baseURL: String = "https://api.scaleway.com",
                        retry: RetryPolicy = .testing, timeout: Double = 10, log: (@Sendable (String) -> Void)? = nil) -> ScalewayClient {
        var config = ScalewayConfig.local(baseURL: baseURL)
        config.defaultProjectID = "564aa517-68b0-4fd7-8c8c-d21c4bcdcbd5"
        return ScalewayClient(config: config, transport: transport, retry: retry, timeout: timeout, log: log)
    }
}

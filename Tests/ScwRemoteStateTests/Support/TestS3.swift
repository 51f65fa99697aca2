// TestS3: an S3 server for the remote-state tests, moto or the local emulator, with helpers
// to make a fresh bucket, open stores on it, and read every raw object (to scan for secrets).

import Foundation
import ScwTestSupport
import ScalewayAPI
import ScwEmulator
@testable import ScwRemoteState
import XCTest

final class TestS3: @unchecked Sendable {
    let name: String
    /// Credentials and endpoint: S3 at `endpoint`, path style.
    let config: ScalewayConfig
    let endpoint: String
    private let stopper: () -> Void

    private init(name: String, config: ScalewayConfig, endpoint: String, stop: @escaping () -> Void) {
        self.name = name
        self.config = config
        self.endpoint = endpoint
        self.stopper = stop
    }

    func stop() { stopper() }

    /// Moto's S3 server (it accepts any credentials).
    static func moto() throws -> TestS3 {
        let server = try MotoServer.start()
        let config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "11111111-2222-4333-8444-555555555555",
                                    defaultProjectID: "951df375-e094-4d26-97c1-ba548eeb9c42", s3Endpoint: server.endpoint)
        return TestS3(name: "moto", config: config, endpoint: server.endpoint, stop: { server.stop() })
    }

    /// The emulator (SigV4 checked for its local credentials), S3 on its own port.
    static func emulator(latencyMs: Int = 0) throws -> TestS3 {
        var options = EmulatorOptions()
        options.latencyMs = latencyMs
        let e = try Emulator(options: options)
        try e.start()
        var config = ScalewayConfig.local(baseURL: e.baseURL)
        config.s3Endpoint = e.baseURL
        return TestS3(name: "emulator", config: config, endpoint: e.baseURL, stop: { e.stop() })
    }

    /// A client with `transport` (a fresh libcurl one by default).
    func client(transport: any HTTPTransport = CurlTransport()) -> S3Client {
        S3Client(config: config, transport: transport, retry: .testing, timeout: 20)
    }

    /// A new empty bucket with a random name.
    func newBucket() async throws -> String {
        let name = "state-" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: "")
        try await client().createBucket(S3Bucket(name: name, region: "fr-par"))
        return name
    }

    /// A store on `bucket` under `prefix` (few PBKDF2 rounds for a new salt: tests run in debug).
    func store(bucket: String, prefix: String = "team/infra", passphrase: String? = nil,
               transport: any HTTPTransport = CurlTransport()) -> S3StateStore {
        var env: [String: String] = [:]
        if let passphrase { env["SCWLUA_PASSPHRASE"] = passphrase }
        return S3StateStore(location: S3StateLocation(bucket: bucket, prefix: prefix), client: client(transport: transport),
                            defaultRegion: "fr-par", environment: env, newSaltIterations: 1_000)
    }

    /// Every object in the bucket: key and body.
    func rawObjects(bucket: String) async throws -> [(key: String, body: String)] {
        let c = client()
        let b = S3Bucket(name: bucket, region: "fr-par")
        var out: [(key: String, body: String)] = []
        for o in try await c.listAllObjects(b) {
            out.append((o.key, String(decoding: try await c.getObject(b, key: o.key).body, as: UTF8.self)))
        }
        return out
    }
}

/// A transport that counts requests and can lose the answer of chosen requests (the request
/// is carried out, then the caller gets `.noAnswer`, as after a dropped connection).
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    private let inner = CurlTransport()
    private let lock = NSLock()
    private var log: [String] = []
    /// Requests for which this returns true have their answer lost (each at most once).
    private var dropWhen: (@Sendable (HTTPRequest) -> Bool)?
    private(set) var dropped: [String] = []

    /// Sends requests without `If-None-Match`, as a server that ignores it would behave
    /// (after signing: only for servers that do not check signatures, such as moto).
    var dropConditions = false

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { log.append("\(request.method) \(request.url)") }
        var request = request
        if lock.withLock({ dropConditions }) { request.headers.removeAll { $0.0.lowercased() == "if-none-match" } }
        let response = try await inner.send(request)
        let drop = lock.withLock { () -> Bool in
            guard let d = dropWhen, d(request) else { return false }
            dropWhen = nil
            dropped.append("\(request.method) \(request.url)")
            return true
        }
        if drop { throw TransportError.noAnswer("answer dropped by the test") }
        return response
    }

    /// Loses the answer of the next request matching `match`.
    func dropNextAnswer(where match: @escaping @Sendable (HTTPRequest) -> Bool) {
        lock.withLock { dropWhen = match }
    }

    /// Requests since the last call ("PUT http://…").
    func take() -> [String] {
        lock.withLock {
            defer { log = [] }
            return log
        }
    }
}

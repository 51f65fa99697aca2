// CurlTransport: the HTTPTransport that talks to the network through libcurl. It only hands
// requests to a CurlEngine (one thread driving libcurl's multi interface) and waits for them.

/// Settings for ``CurlTransport``.
public struct CurlTransportOptions: Sendable {
    /// Most connections open at once to one host (libcurl `CURLMOPT_MAX_HOST_CONNECTIONS`).
    public var maxConnectionsPerHost: Int
    /// Idle connections kept for reuse (libcurl `CURLMOPT_MAXCONNECTS`).
    public var maxCachedConnections: Int
    /// Seconds allowed to resolve and connect, inside the request's own timeout.
    public var connectTimeout: Double

    /// Defaults: 32 connections per host, 64 kept idle, 10 s to connect.
    public init(maxConnectionsPerHost: Int = 32, maxCachedConnections: Int = 64, connectTimeout: Double = 10) {
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxCachedConnections = maxCachedConnections
        self.connectTimeout = connectTimeout
    }
}

/// An ``HTTPTransport`` over libcurl.
///
/// One dedicated thread drives libcurl's multi interface, so any number of requests can be in
/// flight without holding a thread of Swift's concurrency pool. Connections are reused
/// between requests. Cancelling the calling task aborts its transfer. The thread stops when
/// the transport is released (requests still running then fail with `.notSent`/`.noAnswer`).
public final class CurlTransport: HTTPTransport {
    private let engine: CurlEngine

    /// Starts the transport's thread. Fails every request with `.notSent` if libcurl is older than 7.68.
    public init(options: CurlTransportOptions = CurlTransportOptions()) {
        engine = CurlEngine(options: options)
    }

    deinit {
        engine.shutdown()
    }

    /// Queues the request on the libcurl thread and suspends until it completes.
    /// Throws ``TransportError`` or `CancellationError` (the transfer is then aborted).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = engine.newTransferID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                engine.submit(CurlJob(id: id, request: request, continuation: continuation))
            }
        } onCancel: {
            engine.cancel(id)
        }
    }
}

// Pipeline: the path of one request: control requests straight to the control API; API requests
// counted, delayed (latency), maybe faulted (429/5xx before, drop after processing), authenticated,
// routed (S3 requests to the S3 service, which checks SigV4 itself); one log line each.

import Foundation

final class Pipeline: @unchecked Sendable {
    private let api: Router
    private let s3: S3Service?
    private let control: Router
    private let stats: Stats
    private let faults: FaultInjector
    private let latencyMs: Int
    private let log: (@Sendable (String) -> Void)?

    init(api: Router, s3: S3Service? = nil, control: Router, stats: Stats, faults: FaultInjector, latencyMs: Int,
         log: (@Sendable (String) -> Void)?) {
        self.api = api
        self.s3 = s3
        self.control = control
        self.stats = stats
        self.faults = faults
        self.latencyMs = latencyMs
        self.log = log
    }

    func handle(_ request: HTTPRequest) -> ServerReply {
        let started = Date()
        if ControlAPI.handles(request.path) {
            let response = control.dispatch(request)
            record(request, status: "\(response.status)", started: started)
            return .respond(response)
        }
        stats.begin(method: request.method)
        defer { stats.end() }
        if latencyMs > 0 { usleep(UInt32(min(latencyMs, 3_600_000)) * 1000) }
        let s3 = S3Service.handles(request) ? self.s3 : nil
        let fault = faults.pick()
        if case .status(let code) = fault {
            stats.faultInjected()
            // S3 throttles with 503 SlowDown: an injected 429 answers that on S3 requests
            let response = s3 != nil ? S3Service.injectedFault(request, status: code)
                : (code == 429 ? APIError.tooManyRequests : APIError.unavailable(status: code)).response
            record(request, status: "\(response.status) (injected)", started: started)
            return .respond(response)
        }
        let response = s3?.handle(request) ?? (authenticated(request) ? api.dispatch(request) : APIError.deniedAuthentication.response)
        if fault == .drop {
            stats.faultInjected()
            record(request, status: "\(response.status) dropped (injected)", started: started)
            return .drop
        }
        record(request, status: "\(response.status)", started: started)
        return .respond(response)
    }

    /// Any non-empty X-Auth-Token is accepted. (S3 authenticates by SigV4 instead, in S3Auth.)
    private func authenticated(_ request: HTTPRequest) -> Bool {
        guard let token = request.header("X-Auth-Token") else { return false }
        return !token.trimmingCharacters(in: .whitespaces).isEmpty
    }

    private func record(_ request: HTTPRequest, status: String, started: Date) {
        guard let log else { return }
        let ms = Int(Date().timeIntervalSince(started) * 1000)
        log("\(request.method) \(request.target) \(status) \(ms)ms")
    }
}

// CurlEngine: the one thread that owns a libcurl multi handle. Callers queue jobs under a lock
// and wake it with curl_multi_wakeup; it starts transfers, waits in curl_multi_poll, and
// resumes each caller's continuation when its transfer completes, fails or is cancelled.

import CCurl
import Foundation

/// A request waiting for the engine thread, with the continuation to resume.
struct CurlJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let continuation: CheckedContinuation<HTTPResponse, any Error>
}

/// Runs libcurl transfers on its own thread.
///
/// Thread rules: `submit`, `cancel`, `newTransferID` and `shutdown` may be called from any
/// thread and only touch the lock-guarded inbox; every libcurl call except
/// `curl_multi_wakeup` (thread-safe, and made under the lock so it never races the cleanup)
/// happens on the engine thread. Hence `@unchecked Sendable`.
final class CurlEngine: @unchecked Sendable {
    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    private let options: CurlTransportOptions
    private let multi: UnsafeMutableRawPointer?

    // Inbox, guarded by `lock`.
    private let lock = NSLock()
    private var inbox: [CurlJob] = []
    private var cancelRequests: [UInt64] = []
    private var stopping = false
    private var closed = false
    private var lastID: UInt64 = 0

    // Owned by the engine thread.
    private var active: [UInt64: CurlTransfer] = [:]
    private var idByHandle: [UnsafeMutableRawPointer: UInt64] = [:]
    private var earlyCancels: Set<UInt64> = []

    init(options: CurlTransportOptions) {
        self.options = options
        if CurlEngine.globalInit, scw_curl_has_multi_wakeup() == 1, let m = curl_multi_init() {
            multi = m
            _ = scw_curl_multi_setopt_long(m, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, options.maxConnectionsPerHost))
            _ = scw_curl_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, max(1, options.maxCachedConnections))
            let thread = Thread { [self] in self.run() }
            thread.name = "scwlua-curl"
            thread.start()
        } else {
            multi = nil
            closed = true
        }
    }

    func newTransferID() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        lastID += 1
        return lastID
    }

    func submit(_ job: CurlJob) {
        lock.lock()
        if closed || stopping {
            lock.unlock()
            let why = multi == nil ? "libcurl could not be initialised (7.68 or later is needed)" : "the HTTP transport was shut down"
            job.continuation.resume(throwing: TransportError.notSent(why))
            return
        }
        inbox.append(job)
        if let multi { _ = curl_multi_wakeup(multi) }
        lock.unlock()
    }

    func cancel(_ id: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        cancelRequests.append(id)
        if let multi { _ = curl_multi_wakeup(multi) }
    }

    func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        stopping = true
        if let multi { _ = curl_multi_wakeup(multi) }
    }

    // MARK: - Engine thread

    private func run() {
        guard let multi else { return }
        while true {
            lock.lock()
            if stopping {
                lock.unlock()
                break  // close() fails what is still in the inbox
            }
            let jobs = inbox, cancels = cancelRequests
            inbox.removeAll()
            cancelRequests.removeAll()
            lock.unlock()

            for job in jobs { start(job, multi: multi) }
            for id in cancels { abort(id, multi: multi) }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished(multi: multi)

            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        close(multi: multi)
    }

    private func start(_ job: CurlJob, multi: UnsafeMutableRawPointer) {
        if earlyCancels.remove(job.id) != nil {
            job.continuation.resume(throwing: CancellationError())
            return
        }
        guard let transfer = CurlTransfer(job: job, connectTimeout: options.connectTimeout) else {
            job.continuation.resume(throwing: TransportError.notSent("libcurl could not create a transfer for \(job.request.method) \(job.request.url)"))
            return
        }
        if curl_multi_add_handle(multi, transfer.easy) != CURLM_OK {
            transfer.finish(with: .failure(TransportError.notSent("libcurl refused the transfer for \(job.request.method) \(job.request.url)")))
            return
        }
        active[job.id] = transfer
        idByHandle[transfer.easy] = job.id
    }

    private func abort(_ id: UInt64, multi: UnsafeMutableRawPointer) {
        guard let transfer = active.removeValue(forKey: id) else {
            earlyCancels.insert(id)  // its job is not here yet, or it already finished
            if earlyCancels.count > 10_000 { earlyCancels.removeAll() }
            return
        }
        idByHandle[transfer.easy] = nil
        _ = curl_multi_remove_handle(multi, transfer.easy)
        transfer.finish(with: .failure(CancellationError()))
    }

    private func collectFinished(multi: UnsafeMutableRawPointer) {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let id = idByHandle.removeValue(forKey: easy), let transfer = active.removeValue(forKey: id) else { continue }
            _ = curl_multi_remove_handle(multi, easy)
            transfer.finish(with: transfer.outcome(code: code))
        }
    }

    private func close(multi: UnsafeMutableRawPointer) {
        lock.lock()
        closed = true
        let orphans = inbox
        inbox.removeAll()
        lock.unlock()
        for job in orphans {
            job.continuation.resume(throwing: TransportError.notSent("the HTTP transport was shut down"))
        }
        for (_, transfer) in active {
            _ = curl_multi_remove_handle(multi, transfer.easy)
            transfer.finish(with: .failure(TransportError.noAnswer("the HTTP transport was shut down during \(transfer.label)")))
        }
        active.removeAll()
        idByHandle.removeAll()
        _ = curl_multi_cleanup(multi)
    }
}

// CurlTransfer: one libcurl easy handle, set up from an HTTPRequest, collecting the answer
// through the write and header callbacks, and turning libcurl's result into a response or a
// TransportError (sent or not sent decides whether a write can be retried).

import CCurl

/// One transfer in flight. Used only on the engine thread.
final class CurlTransfer {
    let easy: UnsafeMutableRawPointer
    let label: String
    private let continuation: CheckedContinuation<HTTPResponse, any Error>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var finished = false

    fileprivate var headers: [String: String] = [:]
    fileprivate var body: [UInt8] = []

    init?(job: CurlJob, connectTimeout: Double) {
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        let request = job.request
        label = "\(request.method) \(CurlTransfer.withoutQuery(request.url))"
        continuation = job.continuation
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        configure(request, connectTimeout: connectTimeout)
    }

    deinit {
        curl_easy_cleanup(easy)
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    private func configure(_ request: HTTPRequest, connectTimeout: Double) {
        _ = scw_curl_easy_setopt_string(easy, CURLOPT_URL, request.url)
        _ = scw_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = scw_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = scw_curl_easy_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = scw_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        let timeoutMs = CurlTransfer.milliseconds(request.timeout)
        _ = scw_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeoutMs)
        _ = scw_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMs, CurlTransfer.milliseconds(connectTimeout)))

        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = scw_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me)
        _ = scw_curl_easy_setopt_write_function(easy) { data, size, count, userdata in
            let n = size * count
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            if let data, n > 0 {
                data.withMemoryRebound(to: UInt8.self, capacity: n) {
                    transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
                }
            }
            return n
        }
        _ = scw_curl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me)
        _ = scw_curl_easy_setopt_header_function(easy) { data, size, count, userdata in
            let n = size * count
            guard let userdata, let data else { return n }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
                String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
            }
            transfer.headerLine(line)
            return n
        }

        let method = request.method.uppercased()
        var lines = request.headers.map { "\($0.0): \($0.1)" }
        lines.append("Expect:")  // no 100-continue round trip
        switch method {
        case "GET" where request.body == nil:
            _ = scw_curl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD":
            _ = scw_curl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        case "DELETE" where request.body == nil:
            _ = scw_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
        default:
            let body = request.body ?? []
            if request.header("Content-Type") == nil { lines.append("Content-Type:") }  // not form-urlencoded
            _ = scw_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                _ = scw_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { raw in
                    _ = scw_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                }
            }
            if method != "POST" { _ = scw_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method) }
            // libcurl silently re-sends a request whose reused connection closed without an answer: never for a POST (DESIGN 4).
            if !RetryPolicy.isIdempotent(method) { _ = scw_curl_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1) }
        }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        _ = scw_curl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    }

    fileprivate func headerLine(_ raw: String) {
        let line = raw.trimmedHTTPSpace
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response starts (after a 1xx, say)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmedHTTPSpace
        if let old = headers[name] { headers[name] = old + ", " + value } else { headers[name] = value }
    }

    /// What the caller gets for libcurl's result code.
    func outcome(code: CURLcode) -> Result<HTTPResponse, any Error> {
        if code == CURLE_OK {
            var status = 0
            _ = scw_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            var response = HTTPResponse(status: status, body: body)
            response.headers = headers
            return .success(response)
        }
        var sentBytes = 0
        _ = scw_curl_easy_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &sentBytes)
        let detail = String(cString: errorBuffer)
        let why = "\(label): " + (detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
             CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .failure(TransportError.notSent(why))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(sentBytes == 0 ? TransportError.notSent(why) : TransportError.timeout(why))
        default:
            return .failure(sentBytes == 0 ? TransportError.notSent(why) : TransportError.noAnswer(why))
        }
    }

    /// Resumes the caller once.
    func finish(with result: Result<HTTPResponse, any Error>) {
        guard !finished else { return }
        finished = true
        continuation.resume(with: result)
    }

    /// Seconds to libcurl milliseconds: at least 1, at most a week (NaN and infinity too).
    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return 7 * 86_400_000 }
        return Int(min(max(seconds, 0.001), 7 * 86_400) * 1000)
    }

    /// The URL without its query (for messages: queries can be long).
    static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    fileprivate var trimmedHTTPSpace: String {
        let space: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n"]
        var scalars = Substring(self).unicodeScalars[...]
        while let f = scalars.first, space.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, space.contains(l) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

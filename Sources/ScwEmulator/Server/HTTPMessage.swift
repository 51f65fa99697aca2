// HTTP/1.1 messages: the request and response values, the incremental request reader
// (Content-Length and chunked bodies, Expect: 100-continue) and the response writer.

import Foundation

/// One query parameter, in order of appearance (repeated names are kept).
struct QueryItem: Sendable, Equatable {
    let name: String
    let value: String
}

struct HTTPRequest: Sendable {
    var method: String
    var target: String
    var path: String
    var query: [QueryItem]
    var version: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(method: String, target: String, version: String = "HTTP/1.1", headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = HTTPRequest.percentDecode(String(parts.first ?? ""), plusIsSpace: false)
        self.query = parts.count > 1 ? HTTPRequest.parseQuery(String(parts[1])) : []
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of a query parameter.
    func queryValues(_ name: String) -> [String] { query.filter { $0.name == name }.map(\.value) }

    /// The first value of a query parameter.
    func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// Whether the connection must be closed after answering this request.
    var wantsClose: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" { return !connection.contains("keep-alive") }
        return connection.contains("close")
    }

    static func parseQuery(_ text: String) -> [QueryItem] {
        text.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return QueryItem(name: percentDecode(String(kv[0]), plusIsSpace: true),
                             value: kv.count > 1 ? percentDecode(String(kv[1]), plusIsSpace: true) : "")
        }
    }

    static func percentDecode(_ s: String, plusIsSpace: Bool) -> String {
        guard s.contains("%") || (plusIsSpace && s.contains("+")) else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let v = UInt8(String(decoding: b[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(plusIsSpace && b[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: value.encodedBytes())
    }

    /// A response without body (204, 429...). Content-Type is still JSON, as the real API sends it.
    static func empty(_ status: Int) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")])
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Status line, headers and body as sent on the wire. HEAD answers keep Content-Length but no body.
    func serialized(headOnly: Bool, close: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        for h in headers where h.name.lowercased() != "content-length" && h.name.lowercased() != "connection" {
            head += "\(h.name): \(h.value)\r\n"
        }
        let bodyless = status == 204 || status == 304 || (100..<200).contains(status)
        if !bodyless { head += "Content-Length: \(body.count)\r\n" }
        head += close ? "Connection: close\r\n" : "Connection: keep-alive\r\n"
        head += "\r\n"
        var out = Array(head.utf8)
        if !headOnly && !bodyless { out += body }
        return out
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Payload Too Large"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }
}

/// A bidirectional byte stream (a socket in the server, a buffer in tests).
protocol ByteStream: AnyObject {
    /// Up to `max` bytes; nil at end of stream or on error.
    func receive(max: Int) -> [UInt8]?
    /// Sends everything; false when the peer is gone.
    func send(_ bytes: [UInt8]) -> Bool
}

/// Why a request could not be read; `status` is what the server answers before closing.
struct HTTPReadError: Error {
    let status: Int
    let message: String
}

/// Reads successive requests from one connection, keeping bytes that belong to the next one.
struct HTTPRequestReader {
    static let maxHeaderBytes = 64 * 1024
    static let maxBodyBytes = 256 * 1024 * 1024

    private var buffer: [UInt8] = []

    init() {}

    /// The next request; nil when the peer closed cleanly between requests.
    mutating func next(from stream: ByteStream) throws -> HTTPRequest? {
        let headEnd = try readUntilHeaderEnd(stream)
        guard let headEnd else { return nil }
        let headText = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            throw HTTPReadError(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPReadError(status: 400, message: "malformed header line") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
        var request = HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]),
                                  version: String(requestLine[2]), headers: headers)
        if request.header("Expect")?.lowercased() == "100-continue" {
            _ = stream.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        if let te = request.header("Transfer-Encoding"), te.lowercased().contains("chunked") {
            request.body = try readChunked(stream)
        } else if let cl = request.header("Content-Length") {
            guard let length = Int(cl), length >= 0 else { throw HTTPReadError(status: 400, message: "bad Content-Length") }
            guard length <= HTTPRequestReader.maxBodyBytes else { throw HTTPReadError(status: 413, message: "body too large") }
            try fill(stream, atLeast: length)
            request.body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return request
    }

    /// Index of the blank line ending the head; nil on a clean close before any byte.
    private mutating func readUntilHeaderEnd(_ stream: ByteStream) throws -> Int? {
        var scanFrom = 0
        while true {
            if buffer.count >= 4 {
                var i = scanFrom
                while i + 3 < buffer.count {
                    if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { return i }
                    i += 1
                }
                scanFrom = max(0, buffer.count - 3)
            }
            guard buffer.count <= HTTPRequestReader.maxHeaderBytes else { throw HTTPReadError(status: 431, message: "head too large") }
            guard let more = stream.receive(max: 16 * 1024) else {
                if buffer.allSatisfy({ $0 == 13 || $0 == 10 }) { return nil }
                throw HTTPReadError(status: 400, message: "connection closed mid-request")
            }
            buffer += more
        }
    }

    private mutating func fill(_ stream: ByteStream, atLeast count: Int) throws {
        while buffer.count < count {
            guard let more = stream.receive(max: max(16 * 1024, min(count - buffer.count, 1 << 20))) else {
                throw HTTPReadError(status: 400, message: "connection closed mid-body")
            }
            buffer += more
        }
    }

    private mutating func readLine(_ stream: ByteStream) throws -> String {
        var scanFrom = 0
        while true {
            var i = scanFrom
            while i + 1 < buffer.count {
                if buffer[i] == 13, buffer[i + 1] == 10 {
                    let line = String(decoding: buffer[0..<i], as: UTF8.self)
                    buffer.removeFirst(i + 2)
                    return line
                }
                i += 1
            }
            scanFrom = max(0, buffer.count - 1)
            guard buffer.count < 8192 else { throw HTTPReadError(status: 400, message: "chunk line too long") }
            guard let more = stream.receive(max: 16 * 1024) else { throw HTTPReadError(status: 400, message: "connection closed mid-chunk") }
            buffer += more
        }
    }

    private mutating func readChunked(_ stream: ByteStream) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try readLine(stream)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { throw HTTPReadError(status: 400, message: "bad chunk size") }
            if size == 0 {
                while try !readLine(stream).isEmpty {}   // trailers, then the blank line
                return body
            }
            guard body.count + size <= HTTPRequestReader.maxBodyBytes else { throw HTTPReadError(status: 413, message: "body too large") }
            try fill(stream, atLeast: size + 2)
            body += buffer[0..<size]
            guard buffer[size] == 13, buffer[size + 1] == 10 else { throw HTTPReadError(status: 400, message: "bad chunk terminator") }
            buffer.removeFirst(size + 2)
        }
    }
}

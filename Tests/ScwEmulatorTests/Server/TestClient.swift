// A tiny blocking HTTP/1.1 client over loopback sockets, for the emulator tests (the test target
// depends on ScwEmulator only). Keep-alive connections, raw bytes, and "closed without answer".

import Foundation
import XCTest
@testable import ScwEmulator
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct TestResponse {
    let status: Int
    let headers: [String: String]   // lowercased names
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONValue.parse(bytes: body) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

enum TestClientError: Error, Equatable {
    case connectFailed
    case closedWithoutResponse
    case malformed(String)
}

final class TestConnection {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        addr.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { closeSocket(fd); throw TestClientError.connectFailed }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)   // a hung server fails the test instead of hanging it
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    func close() {
        if fd >= 0 { closeSocket(fd); fd = -1 }
    }

    func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

    func sendRaw(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { sendSocket(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Sends one request; `token: nil` sends no X-Auth-Token.
    func request(_ method: String, _ target: String, json body: String? = nil, token: String? = "test-token",
                 headers extra: [String: String] = [:], close: Bool = false) throws -> TestResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: scw-emulator-tests\r\n"
        if let token { head += "X-Auth-Token: \(token)\r\n" }
        for (k, v) in extra { head += "\(k): \(v)\r\n" }
        let bytes = Array((body ?? "").utf8)
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(bytes.count)\r\n" }
        if close { head += "Connection: close\r\n" }
        sendRaw(Array((head + "\r\n").utf8) + bytes)
        return try readResponse(method: method)
    }

    /// True when the server closed the connection (a read returns end of stream).
    func isClosedByPeer() -> Bool {
        if !buffer.isEmpty { return false }
        return receive() == nil
    }

    private func receive() -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        return n > 0 ? Array(chunk[0..<n]) : nil
    }

    func readResponse(method: String = "GET") throws -> TestResponse {
        var headEnd: Int?
        while headEnd == nil {
            if let i = TestConnection.find(buffer) { headEnd = i; break }
            guard let more = receive() else {
                if buffer.isEmpty { throw TestClientError.closedWithoutResponse }
                throw TestClientError.malformed("closed mid-head")
            }
            buffer += more
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.removeFirst().split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestClientError.malformed(head) }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if status == 100 { return try readResponse(method: method) }
        var length = Int(headers["content-length"] ?? "0") ?? 0
        if method == "HEAD" || status == 204 { length = 0 }
        while buffer.count < length {
            guard let more = receive() else { throw TestClientError.malformed("closed mid-body") }
            buffer += more
        }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return TestResponse(status: status, headers: headers, body: body)
    }

    private static func find(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
        return nil
    }
}

/// A started emulator plus one keep-alive connection to it; stops it on deinit.
final class EmulatorHarness {
    let emulator: Emulator
    let connection: TestConnection

    init(_ configure: (inout EmulatorOptions) -> Void = { _ in }) throws {
        var options = EmulatorOptions()
        configure(&options)
        emulator = try Emulator(options: options)
        try emulator.start()
        connection = try TestConnection(port: emulator.port)
    }

    deinit {
        connection.close()
        emulator.stop()
    }

    var port: Int { emulator.port }

    @discardableResult
    func call(_ method: String, _ target: String, _ body: String? = nil, token: String? = "test-token") throws -> TestResponse {
        try connection.request(method, target, json: body, token: token)
    }

    /// A call that must answer `status`; returns the JSON body (or null when empty).
    @discardableResult
    func expect(_ status: Int, _ method: String, _ target: String, _ body: String? = nil,
                file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let response = try call(method, target, body)
        XCTAssertEqual(response.status, status, "\(method) \(target): \(response.text)", file: file, line: line)
        return response.json ?? .null
    }
}

private func closeSocket(_ fd: Int32) {
    #if canImport(Glibc)
    _ = Glibc.close(fd)
    #else
    _ = Darwin.close(fd)
    #endif
}

private func sendSocket(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    return Darwin.send(fd, bytes, count, 0)
    #endif
}

let project = "564aa517-68b0-4fd7-8c8c-d21c4bcdcbd5"
let vpcBase = "/vpc/v2/regions/fr-par"

// The HTTP server itself: keep-alive, Connection: close, chunked bodies, Expect: 100-continue,
// 60 concurrent connections, clients vanishing mid-request, malformed requests, stop().

import Foundation
import XCTest
@testable import ScwEmulator

final class ServerTests: XCTestCase {
    func testKeepAliveAndConnectionClose() throws {
        let h = try EmulatorHarness()
        XCTAssertTrue(h.emulator.baseURL.hasPrefix("http://127.0.0.1:"))
        XCTAssertGreaterThan(h.port, 0)
        let c = try TestConnection(port: h.port)
        for _ in 0..<5 {
            let r = try c.request("GET", "/__emulator/health")
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.json, .object(["ok": .bool(true)]))
        }
        let last = try c.request("GET", "\(vpcBase)/vpcs", close: true)
        XCTAssertEqual(last.status, 200)
        XCTAssertEqual(last.header("Connection"), "close")
        XCTAssertTrue(c.isClosedByPeer())
    }

    func testChunkedBodyAndExpectContinue() throws {
        let h = try EmulatorHarness()
        let c = try TestConnection(port: h.port)
        let json = #"{"name":"chunked","project_id":"\#(project)"}"#
        let bytes = Array(json.utf8)
        var raw = "POST \(vpcBase)/vpcs HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        raw += String(bytes.count - 10, radix: 16) + ";ext=1\r\n" + String(decoding: bytes[0..<(bytes.count - 10)], as: UTF8.self) + "\r\n"
        raw += "a\r\n" + String(decoding: bytes[(bytes.count - 10)...], as: UTF8.self) + "\r\n0\r\n\r\n"
        c.sendRaw(raw)
        let r = try c.readResponse(method: "POST")
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.json?["name"], .string("chunked"))

        c.sendRaw("POST \(vpcBase)/vpcs HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nExpect: 100-continue\r\nContent-Length: \(bytes.count)\r\n\r\n")
        let interim = try TestConnection.readInterim(c)
        XCTAssertEqual(interim, "HTTP/1.1 100 Continue")
        c.sendRaw(bytes)
        XCTAssertEqual(try c.readResponse(method: "POST").status, 200)
    }

    func testSixtyConcurrentConnections() throws {
        let h = try EmulatorHarness()
        let connections = try (0..<60).map { _ in try TestConnection(port: h.port) }
        for (i, c) in connections.enumerated() {
            c.sendRaw("POST \(vpcBase)/vpcs HTTP/1.1\r\nHost: x\r\nX-Auth-Token: t\r\nContent-Length: \(#"{"name":"c\#(i)"}"#.utf8.count)\r\n\r\n{\"name\":\"c\(i)\"}")
        }
        for c in connections { XCTAssertEqual(try c.readResponse(method: "POST").status, 200) }
        for c in connections { XCTAssertEqual(try c.request("GET", "\(vpcBase)/vpcs?page_size=1").json?["total_count"], .int(60)) }
        connections.forEach { $0.close() }
    }

    func testClientsVanishingMidRequestAndGarbage() throws {
        let h = try EmulatorHarness()
        let partialHead = try TestConnection(port: h.port)
        partialHead.sendRaw("POST \(vpcBase)/vpcs HTTP/1.1\r\nContent-Le")
        partialHead.close()
        let partialBody = try TestConnection(port: h.port)
        partialBody.sendRaw("POST \(vpcBase)/vpcs HTTP/1.1\r\nX-Auth-Token: t\r\nContent-Length: 100\r\n\r\n{\"name\":")
        partialBody.close()
        let garbage = try TestConnection(port: h.port)
        garbage.sendRaw("this is not http\r\n\r\n")
        XCTAssertEqual(try garbage.readResponse().status, 400)
        let silent = try TestConnection(port: h.port)
        silent.close()
        usleep(50_000)
        XCTAssertEqual(try h.expect(200, "GET", "\(vpcBase)/vpcs")["total_count"], .int(0), "partial requests did nothing")
        try h.expect(200, "GET", "/__emulator/health")
    }

    func testHeadAndStop() throws {
        let h = try EmulatorHarness()
        let head = try h.connection.request("HEAD", "\(vpcBase)/vpcs")
        XCTAssertEqual(head.status, 200)
        XCTAssertNotEqual(head.header("Content-Length"), "0")
        XCTAssertEqual(try h.connection.request("GET", "/__emulator/health").status, 200, "connection still in sync after HEAD")
        let port = h.port
        h.emulator.stop()
        XCTAssertThrowsError(try TestConnection(port: port).request("GET", "/__emulator/health"))
    }
}

extension TestConnection {
    /// Reads the interim "100 Continue" status line and its blank line, nothing more.
    static func readInterim(_ c: TestConnection) throws -> String {
        var bytes: [UInt8] = []
        while !(bytes.count >= 4 && Array(bytes.suffix(4)) == [13, 10, 13, 10]) {
            var one: UInt8 = 0
            guard recv(c.fd, &one, 1, 0) == 1 else { throw TestClientError.closedWithoutResponse }
            bytes.append(one)
        }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

// Unit tests of the small parts: CIDR parsing/overlap/allocation, JSON reading and writing,
// the request reader, timestamps.

import Foundation
import XCTest
@testable import ScwEmulator

final class UnitTests: XCTestCase {
    func testCIDR() {
        XCTAssertEqual(CIDR("172.16.32.0/22")?.description, "172.16.32.0/22")
        XCTAssertEqual(CIDR("FD46:78AB:30B8:C2F2:0:0:0:0/64")?.description, "fd46:78ab:30b8:c2f2::/64")
        XCTAssertEqual(CIDR("fd46:0:0:1::1/128")?.description, "fd46:0:0:1::1/128")
        XCTAssertEqual(CIDR("::/0")?.description, "::/0")
        for bad in ["172.16.0.0", "172.16.0.0/33", "172.16.0/22", "01.2.3.4/8", "1.2.3.4/-1", "fd46::1::2/64", "g::/64", ""] {
            XCTAssertNil(CIDR(bad), bad)
        }
        XCTAssertFalse(CIDR("172.16.33.0/22")!.isNetworkAddress)
        XCTAssertEqual(CIDR("172.16.33.0/22")!.masked.description, "172.16.32.0/22")
        XCTAssertTrue(CIDR("172.16.32.0/22")!.overlaps(CIDR("172.16.35.0/24")!))
        XCTAssertFalse(CIDR("172.16.32.0/22")!.overlaps(CIDR("172.16.36.0/24")!))
        XCTAssertFalse(CIDR("172.16.32.0/22")!.overlaps(CIDR("fd46::/64")!))
        let pool = CIDR("172.16.0.0/12")!
        XCTAssertEqual(pool.firstFree(prefix: 22, avoiding: [])?.description, "172.16.0.0/22")
        XCTAssertEqual(pool.firstFree(prefix: 22, avoiding: [CIDR("172.16.0.0/21")!])?.description, "172.16.8.0/22")
        XCTAssertEqual(pool.block(1023, prefix: 22).description, "172.31.252.0/22")
        let v6 = CIDR("fd46:78ab:30b8::/48")!.randomFree(prefix: 64, avoiding: [])!
        XCTAssertTrue(v6.description.hasPrefix("fd46:78ab:30b8:") && v6.description.hasSuffix("::/64"), v6.description)
    }

    func testJSON() throws {
        let text = #"{"b":[1,2.5,-3e2,true,null],"a":"é\n\"\u00e9\ud83d\ude00","c":{}}"#
        let v = try JSONValue.parse(text)
        XCTAssertEqual(v["b"], .array([.int(1), .double(2.5), .double(-300), .bool(true), .null]))
        XCTAssertEqual(v["a"], .string("é\n\"é😀"))
        XCTAssertEqual(v.encoded(), #"{"a":"é\n\"é😀","b":[1,2.5,-300,true,null],"c":{}}"#)
        XCTAssertEqual(try JSONValue.parse(v.encoded()), v)
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "{\"a\":01x}"] {
            XCTAssertThrowsError(try JSONValue.parse(bad), bad)
        }
    }

    func testRequestReaderPipelining() throws {
        let stream = BufferStream("GET /a?tags=x&tags=y%20z&p=1+2 HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        var reader = HTTPRequestReader()
        let first = try XCTUnwrap(reader.next(from: stream))
        XCTAssertEqual(first.path, "/a")
        XCTAssertEqual(first.queryValues("tags"), ["x", "y z"])
        XCTAssertEqual(first.queryValue("p"), "1 2")
        XCTAssertEqual(first.header("host"), "h")
        let second = try XCTUnwrap(reader.next(from: stream))
        XCTAssertEqual(second.method, "POST")
        XCTAssertEqual(second.body, Array("{}".utf8))
        XCTAssertNil(try reader.next(from: stream))
    }

    func testTimestampFormat() {
        XCTAssertEqual(Clock.timestamp(Date(timeIntervalSince1970: 1_782_305_522.924774)), "2026-06-24T12:52:02.924774Z")
        XCTAssertEqual(Clock.instanceTimestamp(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000000+00:00")
        XCTAssertTrue(Clock.isUUID(Clock.uuid()))
        XCTAssertEqual(Clock.uuid().count, 36)
    }
}

/// A ByteStream over fixed bytes, delivered in small pieces to exercise buffering.
final class BufferStream: ByteStream {
    private var bytes: [UInt8]
    init(_ text: String) { bytes = Array(text.utf8) }
    func receive(max: Int) -> [UInt8]? {
        guard !bytes.isEmpty else { return nil }
        let n = Swift.min(Swift.min(max, 7), bytes.count)
        defer { bytes.removeFirst(n) }
        return Array(bytes[0..<n])
    }
    func send(_ bytes: [UInt8]) -> Bool { true }
}

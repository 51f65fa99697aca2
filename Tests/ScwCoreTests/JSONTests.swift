import XCTest
@testable import ScwCore

final class JSONTests: XCTestCase {
    func testRoundTripKeepsIntegersAndSortsKeys() throws {
        let v = try JSON.decode(#"{"b":1,"a":[true,null,1.5,"x\"y"],"c":{"d":-2}}"#)
        XCTAssertEqual(v["b"], .int(1))
        XCTAssertEqual(v["a"], .list([.bool(true), .null, .double(1.5), .string("x\"y")]))
        XCTAssertEqual(JSON.encode(v), #"{"a":[true,null,1.5,"x\"y"],"b":1,"c":{"d":-2}}"#)
    }

    func testUnicodeEscapes() throws {
        XCTAssertEqual(try JSON.decode(#""\u00e9\ud83d\ude00""#), .string("é😀"))
        XCTAssertEqual(JSON.encode(.string("a\u{01}")), #""a\u0001""#)
    }

    func testRejectsGarbage() {
        XCTAssertThrowsError(try JSON.decode("{\"a\":}"))
        XCTAssertThrowsError(try JSON.decode("[1,2"))
        XCTAssertThrowsError(try JSON.decode("1 2"))
    }

    func testSecretsNeverEncodeInPlaintext() {
        let v = Value.map(["password": .secret(.string("hunter2"))])
        XCTAssertFalse(JSON.encode(v).contains("hunter2"))
    }

    func testSuggest() {
        XCTAssertEqual(Suggest.closest(to: "subnet", in: ["subnets", "tags", "name"]), "subnets")
        XCTAssertNil(Suggest.closest(to: "zzzzzz", in: ["subnets", "tags"]))
    }
}

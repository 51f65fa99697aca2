import XCTest
@testable import ScwCore

final class CIDRTests: XCTestCase {
    func testValid() throws {
        XCTAssertEqual(try CIDR(parsing: "10.0.1.0/24").description, "10.0.1.0/24")
        XCTAssertEqual(try CIDR(parsing: "fd46:78ab:30b8:177c::/64").description, "fd46:78ab:30b8:177c::/64")
        XCTAssertTrue(try CIDR(parsing: "fd46:78ab:30b8:177c::/64").isIPv6)
    }

    func testMalformed() {
        for bad in ["10.0.1.0", "10.0.300.0/24", "10.0.1.0/33", "abc/8", "10.0.1.0/-1", "fd00::/129", ""] {
            XCTAssertThrowsError(try CIDR(parsing: bad), bad)
        }
    }

    func testHostBitsSuggestNetwork() {
        XCTAssertThrowsError(try CIDR(parsing: "10.0.1.5/24")) { error in
            XCTAssertEqual(error as? CIDR.Problem, .hostBitsSet("10.0.1.5/24", suggestion: "10.0.1.0/24"))
        }
    }

    func testDurations() {
        XCTAssertEqual(DurationText.seconds("20m"), 1200)
        XCTAssertEqual(DurationText.seconds("1h30m"), 5400)
        XCTAssertEqual(DurationText.seconds("45s"), 45)
        XCTAssertEqual(DurationText.seconds("500ms"), 0.5)
        XCTAssertEqual(DurationText.seconds("90"), 90)
        XCTAssertNil(DurationText.seconds("20 minutes"))
        XCTAssertNil(DurationText.seconds("m"))
    }
}

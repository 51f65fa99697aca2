// Persistence through the data file: a second emulator on the same file sees the same cloud;
// a reset is saved too; a file that is not an emulator's is refused with a readable error.

import Foundation
import XCTest
@testable import ScwEmulator

final class PersistenceTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("scw-emu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testRoundTripThroughDataFile() throws {
        let file = directory.appendingPathComponent("cloud.json").path
        var vpcID = ""
        var pn = JSONValue.null
        do {
            let h = try EmulatorHarness { $0.dataFile = file }
            vpcID = try h.expect(200, "POST", "\(vpcBase)/vpcs", #"{"name":"kept","project_id":"\#(project)","tags":["t"]}"#)["id"]!.stringValue!
            pn = try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"pn","project_id":"\#(project)","vpc_id":"\#(vpcID)"}"#)
            try h.expect(200, "POST", "/vpc/v2/regions/nl-ams/private-networks", #"{"name":"ams","project_id":"\#(project)"}"#)
            XCTAssertTrue(FileManager.default.fileExists(atPath: file))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        XCTAssertEqual(leftovers, ["cloud.json"], "no temporary file left behind")

        let h = try EmulatorHarness { $0.dataFile = file }
        XCTAssertEqual(try h.expect(200, "GET", "/__emulator/resources")["resources"]?.arrayValue?.count, 4)
        let vpc = try h.expect(200, "GET", "\(vpcBase)/vpcs/\(vpcID)")
        XCTAssertEqual(vpc["name"], .string("kept"))
        XCTAssertEqual(vpc["private_network_count"], .int(1))
        XCTAssertEqual(try h.expect(200, "GET", "\(vpcBase)/private-networks/\(pn["id"]!.stringValue!)"), pn)
        // new ids and subnets keep clear of the loaded ones
        let second = try h.expect(200, "POST", "\(vpcBase)/private-networks", #"{"name":"pn2","project_id":"\#(project)","vpc_id":"\#(vpcID)"}"#)
        XCTAssertNotEqual(second["subnets"]?.arrayValue?.first?["subnet"], pn["subnets"]?.arrayValue?.first?["subnet"])
        let list = try h.expect(200, "GET", "\(vpcBase)/private-networks?vpc_id=\(vpcID)")
        XCTAssertEqual(list["private_networks"]?.arrayValue?.map { $0["name"]! }, [.string("pn"), .string("pn2")])

        try h.expect(200, "POST", "/__emulator/reset")
        let reloaded = try Emulator(options: { var o = EmulatorOptions(); o.dataFile = file; return o }())
        try reloaded.start()
        defer { reloaded.stop() }
        let c = try TestConnection(port: reloaded.port)
        XCTAssertEqual(try c.request("GET", "/__emulator/resources").json?["resources"], .array([]))
    }

    func testForeignDataFileIsRefused() throws {
        let file = directory.appendingPathComponent("other.json").path
        try Data(#"{"hello":"world"}"#.utf8).write(to: URL(fileURLWithPath: file))
        var options = EmulatorOptions()
        options.dataFile = file
        XCTAssertThrowsError(try Emulator(options: options)) { error in
            XCTAssertTrue("\(error)".contains(file), "\(error)")
        }
        options.dataFile = directory.appendingPathComponent("missing-dir/cloud.json").path
        XCTAssertThrowsError(try Emulator(options: options), "an unwritable path fails at start")
        options.dataFile = directory.appendingPathComponent("fresh.json").path
        _ = try Emulator(options: options)
        XCTAssertTrue(FileManager.default.fileExists(atPath: options.dataFile!), "created at start")
    }
}

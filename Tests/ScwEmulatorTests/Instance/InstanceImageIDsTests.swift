// InstanceImageIDsTests: the emulator's public images carry the ids Scaleway was recorded
// answering with. Every image the instance-*.jsonl cassettes show (marketplace local-images
// answers, images servers were created from) is read from the recordings, then looked up on
// the emulator by label, zone, volume kind and arch, fetched by id, and booted.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class InstanceImageIDsTests: XCTestCase {
    /// A marketplace image as recorded.
    struct RecordedImage: CustomStringConvertible {
        var id: String, label: String, zone: String, type: String, arch: String
        var compatibleTypes: [String]
        var description: String { "\(label) \(zone) \(type) \(arch) → \(id)" }
    }

    /// Every interaction of the instance-*.jsonl cassettes.
    private func interactions() throws -> [(file: String, value: JSONValue)] {
        let dir = try XCTUnwrap(Fixtures.cassetteDirectory(), Fixtures.missingCassettes)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasPrefix("instance-") && $0.hasSuffix(".jsonl") }.sorted()
        XCTAssertFalse(files.isEmpty)
        return try files.flatMap { file in
            try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").map {
                (file, try JSONValue.parse(String($0)))
            }
        }
    }

    /// The marketplace images the recordings list, by id.
    private func recordedMarketplaceImages() throws -> [RecordedImage] {
        var byID: [String: RecordedImage] = [:]
        for (_, i) in try interactions() where i["url"]?.stringValue?.contains("/marketplace/v2/local-images") == true {
            for item in i["response_body"]?["local_images"]?.arrayValue ?? [] {
                guard let id = item["id"]?.stringValue, let label = item["label"]?.stringValue, let zone = item["zone"]?.stringValue,
                      let type = item["type"]?.stringValue, let arch = item["arch"]?.stringValue else { continue }
                let types = item["compatible_commercial_types"]?.arrayValue?.compactMap(\.stringValue) ?? []
                byID[id] = RecordedImage(id: id, label: label, zone: zone, type: type, arch: arch, compatibleTypes: types)
            }
        }
        return byID.values.sorted { $0.id < $1.id }
    }

    func testEveryRecordedImageIdIsTheEmulatorsAnswer() throws {
        let recorded = try recordedMarketplaceImages()
        XCTAssertEqual(recorded.count, 4, "the cassettes list ubuntu_jammy and ubuntu_focal in fr-par-1, x86_64 and arm64: \(recorded)")
        let h = try EmulatorHarness()
        for image in recorded {
            // As clients resolve a label: by label, zone and volume kind, then the arch.
            let answer = try h.expect(200, "GET", "/marketplace/v2/local-images?image_label=\(image.label)&zone=\(image.zone)&type=\(image.type)&order_by=type_asc")
            let items = answer["local_images"]?.arrayValue ?? []
            XCTAssertEqual(items.filter { $0["arch"]?.stringValue == image.arch }.compactMap { $0["id"]?.stringValue }, [image.id], "\(image)")
            // Filtered by arch too, and fetched by id.
            let byArch = try h.expect(200, "GET", "/marketplace/v2/local-images?image_label=\(image.label)&zone=\(image.zone)&type=\(image.type)&arch=\(image.arch)")
            XCTAssertEqual(byArch["local_images"]?.arrayValue?.compactMap { $0["id"]?.stringValue }, [image.id], "\(image)")
            let one = try h.expect(200, "GET", "/marketplace/v2/local-images/\(image.id)")
            XCTAssertEqual([one["label"], one["zone"], one["type"], one["arch"]].map { $0?.stringValue },
                           [image.label, image.zone, image.type, image.arch], "\(image)")
        }
    }

    func testServersBootFromEveryRecordedImageId() throws {
        let h = try EmulatorHarness()
        let known = Set(InstanceProducts.all.map(\.name))
        for image in try recordedMarketplaceImages() {
            let type = try XCTUnwrap(image.compatibleTypes.first(where: known.contains), "no recorded compatible type the emulator sells: \(image)")
            let body = #"{"name":"img","commercial_type":"\#(type)","image":"\#(image.id)","project":"\#(project)"}"#
            let server = try h.expect(201, "POST", "/instance/v1/zones/\(image.zone)/servers", body)["server"]
            XCTAssertEqual(server?["image"]?["id"]?.stringValue, image.id, "\(image)")
            XCTAssertEqual(server?["arch"]?.stringValue, image.arch, "\(image)")
            let fetched = try h.expect(200, "GET", "/instance/v1/zones/\(image.zone)/images/\(image.id)")["image"]
            XCTAssertEqual(fetched?["id"]?.stringValue, image.id, "\(image)")
        }
    }

    /// A server made from a recorded image id embeds the image object Scaleway answered with
    /// (name, root snapshot, dates, publisher), value for value.
    func testRecordedServerCreationsGetTheRecordedImageObject() throws {
        var checked = 0
        for (file, i) in try interactions() {
            guard i["method"]?.stringValue == "POST", let url = i["url"]?.stringValue, url.hasSuffix("/servers"),
                  i["status"]?.intValue == 201, let request = i["request_body"], let recordedImage = i["response_body"]?["server"]?["image"] else { continue }
            let h = try EmulatorHarness()
            var fields = try XCTUnwrap(request.objectValue)
            fields["public_ips"] = nil   // the recorded IPs do not exist here
            fields["project"] = .string(project)
            let path = url.replacingOccurrences(of: "https://api.scaleway.com", with: "")
            let server = try h.expect(201, "POST", path, JSONValue.object(fields).encoded())["server"]
            XCTAssertEqual(server?["image"], recordedImage, "\(file): the image object of a server made from \(request["image"] ?? .null)")
            checked += 1
        }
        XCTAssertEqual(checked, 2, "instance-server-ips and instance-server-minimal each create one server")
    }
}

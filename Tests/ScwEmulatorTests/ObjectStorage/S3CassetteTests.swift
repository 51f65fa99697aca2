// Conformance: replays the recorded bucket-* cassettes against a fresh emulator, path style and signed
// with the local key; checks statuses, the semantic headers and the XML answers (names at every level,
// texts that do not depend on time, ids or the project), mapping recorded version ids to emulated ones.

import Foundation
import XCTest
import ScwTestSupport
@testable import ScwEmulator

final class S3CassetteTests: XCTestCase {
    func testBucketBasic() throws {
        XCTAssertEqual(try replay("bucket-basic.jsonl"), 116)
    }

    func testBucketDestroyForce() throws {
        XCTAssertEqual(try replay("bucket-destroy-force.jsonl"), 45)
    }

    /// Leaf elements whose text depends on time, ids or the project.
    private static let volatile: Set<String> = ["RequestId", "HostId", "LastModified", "VersionId", "ID", "DisplayName"]

    private func replay(_ name: String) throws -> Int {
        let dir = try XCTUnwrap(ConformanceTests.cassetteDirectory(), Fixtures.missingCassettes)
        let lines = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
        let harness = try EmulatorHarness()
        let client = try S3TestClient(port: harness.port)
        var versions: [String: String] = [:]   // recorded version id → emulated one
        for (index, line) in lines.enumerated() {
            let interaction = try JSONValue.parse(String(line))
            let method = try XCTUnwrap(interaction["method"]?.stringValue)
            let url = try XCTUnwrap(interaction["url"]?.stringValue)
            let where_ = "\(name) #\(index) \(method) \(url)"
            // https://<bucket>.s3.<region>.scw.cloud/<key>?<query>  →  /<bucket>/<key> on the emulator, signed for <region>
            let afterScheme = url.dropFirst("https://".count)
            let host = String(afterScheme.prefix { $0 != "/" })
            let rest = String(afterScheme.dropFirst(host.count))
            let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let hostLabels = host.components(separatedBy: ".s3.")
            let bucket = hostLabels[0]
            client.signer.region = String(hostLabels[1].prefix { $0 != "." })
            let key = HTTPRequest.percentDecode(String(parts[0].dropFirst()), plusIsSpace: false)
            let path = "/\(bucket)" + (key.isEmpty ? "" : "/\(key)")
            var query: [(String, String)] = []
            if parts.count > 1 {
                for item in HTTPRequest.parseQuery(String(parts[1])) {
                    query.append((item.name, item.name == "versionId" ? versions[item.value] ?? item.value : item.value))
                }
            }
            var headers: [(String, String)] = []
            for (k, v) in interaction["request_headers"]?.objectValue ?? [:] { headers.append((k, v.stringValue ?? "")) }
            var payloadHash: String?
            if headers.contains(where: { $0.0.lowercased() == "x-amz-trailer" }) {
                payloadHash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
                headers.append(("Content-Encoding", "aws-chunked"))
            }
            let body = Array((interaction["request_body"]?.stringValue ?? "").utf8)

            let response = try client.send(method, path, query: query, headers: headers, body: body, payloadHash: payloadHash)
            XCTAssertEqual(response.status, interaction["status"]?.intValue, "\(where_): \(response.text)")

            let recordedHeaders = interaction["response_headers"]?.objectValue ?? [:]
            for (header, value) in recordedHeaders {
                let got = response.header(header)
                if header.lowercased() == "x-amz-version-id" {
                    XCTAssertNotNil(got, "\(where_): \(header)")
                    if let recorded = value.stringValue, let got { versions[recorded] = versions[recorded] ?? got }
                    if let recorded = value.stringValue, let known = versions[recorded] { XCTAssertEqual(got, known, "\(where_): version id") }
                } else {
                    XCTAssertEqual(got, value.stringValue, "\(where_): header \(header)")
                }
            }
            guard let recordedText = interaction["response_body"]?.stringValue, recordedText.hasPrefix("<") else {
                XCTAssertTrue(response.body.isEmpty, "\(where_): expected no body, got \(response.text)")
                continue
            }
            let recorded = try XMLText.parse(Array(recordedText.utf8))
            guard let emulated = response.xml else {
                XCTFail("\(where_): not XML: \(response.text)")
                continue
            }
            XCTAssertEqual(emulated.name, recorded.name, where_)
            XCTAssertEqual(emulated.children.map(\.name), recorded.children.map(\.name), "\(where_): elements under <\(recorded.name)>")
            compare(emulated, recorded, where_)
        }
        return lines.count
    }

    /// Same element names at every level and the same texts outside the volatile leaves.
    private func compare(_ e: XMLNode, _ r: XMLNode, _ where_: String) {
        XCTAssertEqual(e.children.map(\.name), r.children.map(\.name), "\(where_): elements under <\(r.name)>")
        if r.children.isEmpty && !S3CassetteTests.volatile.contains(r.name) {
            XCTAssertEqual(e.text, r.text, "\(where_): text of <\(r.name)>")
        }
        for (a, b) in zip(e.children, r.children) { compare(a, b, where_) }
    }
}

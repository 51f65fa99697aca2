// IPAMCassetteTests: the recorded IPAM answers (a Kubernetes pool's private NIC, one IPv4 and one
// IPv6) decode into IPAMIP, and listIPs sends the filters it is given and reads every page.

import XCTest
import ScwCore
@testable import ScalewayAPI

final class IPAMCassetteTests: XCTestCase {
    private func recordedIPAM() throws -> [Interaction] {
        let file = try XCTUnwrap(try Cassettes.files(prefix: "k8s-cluster-pool-kubelet-args").first)
        return try Cassettes.load(file).filter { $0.path.hasPrefix("/ipam/v1/regions/") }
    }

    func testRecordedIPAMBodiesDecode() throws {
        let recorded = try recordedIPAM()
        XCTAssertEqual(recorded.count, 5)
        for x in recorded {
            let ips = try XCTUnwrap(x.responseBody["ips"]?.listValue).enumerated().map { i, item in try IPAMIP(json: item, what: "ips[\(i)]") }
            XCTAssertEqual(Int64(ips.count), x.responseBody["total_count"]?.intValue)
            let v4 = try XCTUnwrap(ips.first { !$0.isIPv6 })
            let v6 = try XCTUnwrap(ips.first(where: \.isIPv6))
            XCTAssertEqual(v4.address, "172.18.80.3/22")
            XCTAssertEqual(v4.host, "172.18.80.3")
            XCTAssertEqual(v6.host, "fd5f:519c:6d46:f47a:2d8e:8ff0:d31f:490a")
            XCTAssertEqual(v4.resourceType, "instance_private_nic")
            XCTAssertEqual(v4.resourceID, "f27805ac-b9e6-4880-a239-ae3cbc951e74")
            XCTAssertEqual(v4.resourceID, v6.resourceID)
            XCTAssertEqual(v4.macAddress, "02:00:00:12:EC:B8")
            XCTAssertEqual(v4.subnetID, "497f92f0-a2d8-48b5-81df-1f3debbc78d9")
            XCTAssertNotEqual(v4.subnetID, v6.subnetID)
            XCTAssertEqual(v4.region, "fr-par")
            XCTAssertEqual(v4.projectID, "105bdce1-64c0-48ab-899d-868455867ecf")
            XCTAssertEqual(v4.tags, [])
            XCTAssertNotNil(v4.createdAt)
        }
    }

    func testListIPsSendsTheNICFilterAndDecodes() async throws {
        let answer = try XCTUnwrap(try recordedIPAM().first)
        let transport = ReplayTransport([answer])
        let ips = try await IPAMAPI(client: .testing(transport)).listIPs(region: "fr-par", resourceID: "nic-1")
        XCTAssertEqual(ips.map(\.address), ["fd5f:519c:6d46:f47a:2d8e:8ff0:d31f:490a/64", "172.18.80.3/22"])
        let url = try XCTUnwrap(transport.sent.first?.url)
        XCTAssertTrue(url.hasPrefix("https://api.scaleway.com/ipam/v1/regions/fr-par/ips?"), url)
        for part in ["order_by=created_at_desc", "resource_id=nic-1", "resource_type=instance_private_nic", "page=1", "page_size=100"] {
            XCTAssertTrue(url.contains(part), "\(part) missing from \(url)")
        }
        XCTAssertFalse(url.contains("project_id"), url)
    }

    func testAnIPWithoutAddressIsADecodeError() {
        XCTAssertThrowsError(try IPAMIP(json: .map(["id": .string("x")]))) { error in
            XCTAssertEqual((error as? DecodeError)?.field, "address")
        }
    }
}

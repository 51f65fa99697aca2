// LifecycleTests: the life of a small stack (a VPC and two private networks) through the real
// binary against a real emulator on loopback: create, no-op, update in place, replace, removal,
// protect/retain, destroy. Each asserts what a user sees: exit code, printed plan and outputs,
// `state list`, `output --json`, and what the emulator holds and how many writes it received.

import Foundation
import XCTest

final class LifecycleTests: IntegrationCase {
    static let all: Set<String> = ["Vpc/main", "VpcPrivateNetwork/app", "VpcPrivateNetwork/data"]

    private func rowsByAddress() throws -> [String: StateRow] {
        Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0) })
    }

    /// 1. A VPC and two private networks with chained outputs.
    func testDeployCreatesTheStackAndPrintsRealOutputs() throws {
        try startCloud()
        try writeScript(Fixture.network())
        let r = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(r.stdout.contains("Plan: 3 to create, 0 to update, 0 to replace, 0 to delete."), r.description)
        XCTAssertTrue(r.stdout.contains("Outputs:"), r.description)
        XCTAssertTrue(r.stdout.contains("summary = \"app 10.0.1.0/24, data 10.0.2.0/24\""), r.description)

        let rows = try rowsByAddress()
        XCTAssertEqual(Set(rows.keys), Self.all)
        let vpc = try XCTUnwrap(rows["Vpc/main"])
        let data = try XCTUnwrap(rows["VpcPrivateNetwork/data"])
        XCTAssertTrue(vpc.id.hasPrefix("fr-par/"), "\(vpc)")

        let out = try outputsJSON()
        XCTAssertEqual(out["vpc_id"] as? String, vpc.id)
        XCTAssertEqual(out["vpc_region"] as? String, "fr-par")
        XCTAssertEqual(out["app_subnet"] as? String, "10.0.1.0/24")
        XCTAssertEqual(out["data_network"] as? String, "pn:" + data.id)
        XCTAssertEqual(out["summary"] as? String, "app 10.0.1.0/24, data 10.0.2.0/24")
        XCTAssertTrue((out["app_vpc"] as? String ?? "").contains(vpc.uuid), "app_vpc \(String(describing: out["app_vpc"])) should name the VPC \(vpc.id)")
        for (k, v) in out {
            XCTAssertFalse("\(v)".contains("known after apply"), "output \(k) is still unknown after apply: \(v)")
        }
        // `output NAME` prints one value.
        let one = expectSuccess(try scwlua(["output", "vpc_region"] + location))
        XCTAssertEqual(one.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "fr-par")

        // The emulator holds exactly those three, tagged, and nothing untagged but default VPCs.
        let tagged = try cloud.stackResources()
        XCTAssertEqual(tagged.count, 3, "\(tagged)")
        XCTAssertEqual(tagged.filter { $0.kind == "vpc" }.count, 1)
        XCTAssertEqual(tagged.filter { $0.kind == "private_network" }.count, 2)
        XCTAssertEqual(Set(tagged.map(\.region)), ["fr-par"])
        let cloudData = try XCTUnwrap(tagged.first { $0.urn == "VpcPrivateNetwork/data" })
        XCTAssertTrue(cloudData.tags.contains("peer:app"), "a tag built from another resource's output: \(cloudData)")
        XCTAssertTrue(cloudData.tags.contains("tier:data"), "\(cloudData)")
        XCTAssertEqual(cloudData.name, "data")
        try assertConverged(expected: Self.all, "after deploy")
    }

    /// 2. Deploying what is already deployed changes nothing and writes nothing.
    func testNoopReplanAndRedeployMakeNoWrite() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "first deploy")
        let before = try stateList()

        try cloud.resetStats()
        let p = expectSuccess(try plan(), "plan")
        XCTAssertTrue(p.stdout.contains("No changes"), p.description)
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete."), p.description)
        let d = expectSuccess(try deploy(), "second deploy")
        XCTAssertTrue(d.stdout.contains("No changes"), d.description)
        XCTAssertTrue(d.stdout.contains("summary = \"app 10.0.1.0/24, data 10.0.2.0/24\""), "outputs still printed: \(d)")
        let stats = try cloud.stats()
        XCTAssertEqual(stats.writes, 0, "no-op plan + deploy wrote: \(stats.byMethod)")
        XCTAssertEqual(try stateList(), before)
    }

    /// 3. A tag change is an update in place: same ids, new tags in the cloud.
    func testTagChangeUpdatesInPlace() throws {
        try startCloud()
        try writeScript(Fixture.network(env: "dev"))
        expectSuccess(try deploy(), "first deploy")
        let before = try rowsByAddress()

        try writeScript(Fixture.network(env: "prod"))
        try cloud.resetStats()
        let p = expectSuccess(try plan(), "plan")
        XCTAssertEqual(p.stdout.planSymbol(for: "Vpc/main"), "~", p.description)
        XCTAssertNil(p.stdout.planLine(for: "VpcPrivateNetwork/app"), "app is unchanged: \(p)")
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."), p.description)
        XCTAssertTrue(p.stdout.contains("env:prod"), p.description)
        XCTAssertEqual(try cloud.stats().writes, 0, "plan wrote")

        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(d.stdout.contains("1 updated"), d.description)
        let after = try rowsByAddress()
        XCTAssertEqual(after.mapValues(\.id), before.mapValues(\.id), "an in-place update keeps every id")
        let vpc = try XCTUnwrap(try cloud.stackResources().first { $0.urn == "Vpc/main" })
        XCTAssertTrue(vpc.tags.contains("env:prod"), "\(vpc)")
        XCTAssertFalse(vpc.tags.contains("env:dev"), "\(vpc)")
        XCTAssertTrue(vpc.tags.contains("scwlua:urn=Vpc/main"), "ownership tags kept on update: \(vpc)")
        try assertConverged(expected: Self.all, "after update")
        try assertNoopPlan("after update")
    }

    /// 4. A region change replaces the VPC and, through the reference, its networks.
    func testRegionChangeReplacesVpcAndDependentNetworks() throws {
        try startCloud()
        try writeScript(Fixture.network(region: "fr-par"))
        expectSuccess(try deploy(), "first deploy")
        let before = try rowsByAddress()

        try writeScript(Fixture.network(region: "nl-ams"))
        let p = expectSuccess(try plan(), "plan")
        for address in Self.all {
            XCTAssertEqual(p.stdout.planSymbol(for: address), "-/+", "\(address) should be replaced: \(p)")
        }
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 0 to update, 3 to replace, 0 to delete."), p.description)

        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(d.stdout.contains("3 replaced"), d.description)
        let after = try rowsByAddress()
        XCTAssertEqual(Set(after.keys), Self.all)
        let cloudIDs = Set(try cloud.resources().map(\.id))
        for (address, old) in before {
            XCTAssertFalse(cloudIDs.contains(old.uuid), "old \(address) \(old.id) still in the cloud")
            XCTAssertNotEqual(after[address]?.uuid, old.uuid, "\(address) kept its id")
            XCTAssertEqual(after[address]?.region, "nl-ams", "\(String(describing: after[address]))")
        }
        XCTAssertEqual(Set(try cloud.stackResources().map(\.region)), ["nl-ams"])
        let out = try outputsJSON()
        XCTAssertEqual(out["vpc_region"] as? String, "nl-ams")
        XCTAssertEqual(out["vpc_id"] as? String, after["Vpc/main"]?.id)
        try assertConverged(expected: Self.all, "after replace")
        try assertNoopPlan("after replace")
    }

    /// 5. A network removed from the script is deleted from the cloud and from state.
    func testRemovedResourceIsDeleted() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "first deploy")
        let data = try XCTUnwrap(try rowsByAddress()["VpcPrivateNetwork/data"])

        try writeScript(Fixture.network(withData: false))
        let p = expectSuccess(try plan(), "plan")
        XCTAssertEqual(p.stdout.planSymbol(for: "VpcPrivateNetwork/data"), "-", p.description)
        XCTAssertTrue(p.stdout.contains("Plan: 0 to create, 0 to update, 0 to replace, 1 to delete."), p.description)
        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertTrue(d.stdout.contains("1 deleted"), d.description)

        XCTAssertFalse(try cloud.resources().contains { $0.id == data.uuid }, "data still in the cloud")
        let remaining: Set<String> = ["Vpc/main", "VpcPrivateNetwork/app"]
        try assertConverged(expected: remaining, "after removal")
        let out = try outputsJSON()
        XCTAssertNil(out["data_network"], "outputs still name the removed network: \(out)")
        try assertNoopPlan("after removal")
    }

    /// 6a. A protected resource removed from the script: refused, nothing deleted.
    func testProtectedResourceIsNotDeleted() throws {
        try startCloud()
        try writeScript(Fixture.network(dataLifecycle: "lifecycle = { protect = true },"))
        expectSuccess(try deploy(), "first deploy")
        let rows = try rowsByAddress()
        XCTAssertEqual(rows["VpcPrivateNetwork/data"]?.flags, ["protected"], "state list shows the flag: \(rows)")
        let cloudBefore = try cloud.resources()

        try writeScript(Fixture.network(withData: false))
        try cloud.resetStats()
        let d = expectFailure(try deploy(), "deploy deleting a protected resource")
        XCTAssertTrue(d.stderr.contains("VpcPrivateNetwork/data"), "the message names the resource: \(d)")
        XCTAssertTrue(d.stderr.contains("protect"), "the message names protect: \(d)")
        XCTAssertEqual(try cloud.stats().writes, 0, "nothing may be written")
        XCTAssertEqual(try cloud.resources(), cloudBefore, "the cloud is unchanged")
        XCTAssertEqual(try rowsByAddress(), rows, "state is unchanged")

        let p = expectFailure(try plan(), "plan")
        XCTAssertTrue(p.combined.contains("protect"), p.description)
    }

    /// 6b. A retained resource removed from the script: forgotten by state, kept in the cloud.
    func testRetainedResourceIsForgottenButKept() throws {
        try startCloud()
        try writeScript(Fixture.network(dataLifecycle: "lifecycle = { retain = true },"))
        expectSuccess(try deploy(), "first deploy")
        let data = try XCTUnwrap(try rowsByAddress()["VpcPrivateNetwork/data"])
        XCTAssertEqual(data.flags, ["retained"])

        try writeScript(Fixture.network(withData: false))
        try cloud.resetStats()
        let d = expectSuccess(try deploy(), "deploy")
        XCTAssertEqual(try cloud.stats().byMethod["DELETE"] ?? 0, 0, "a retained resource is never deleted")
        XCTAssertEqual(Set(try rowsByAddress().keys), ["Vpc/main", "VpcPrivateNetwork/app"], d.description)
        let kept = try cloud.resources().filter { $0.id == data.uuid }
        XCTAssertEqual(kept.count, 1, "the retained network is still in the cloud")
        try assertNoopPlan("after retain")
    }

    /// 7. destroy deletes everything; state ends empty.
    func testDestroyDeletesEverything() throws {
        try startCloud()
        try writeScript(Fixture.network())
        expectSuccess(try deploy(), "deploy")
        let p = expectSuccess(try scwlua(["plan", "infra.lua", "--destroy"] + target), "plan --destroy")
        XCTAssertTrue(p.stdout.contains("3 to delete"), p.description)

        let d = expectSuccess(try destroy(), "destroy")
        XCTAssertTrue(d.stdout.contains("3 deleted"), d.description)
        let left = try cloud.resources().filter { !$0.isDefaultVPC }
        XCTAssertEqual(left, [], "the cloud still holds resources after destroy")
        XCTAssertEqual(try stateList(), [])
        // A second destroy has nothing to do.
        try cloud.resetStats()
        let again = expectSuccess(try destroy(), "second destroy")
        XCTAssertTrue(again.stdout.contains("No changes"), again.description)
        XCTAssertEqual(try cloud.stats().writes, 0)
    }
}

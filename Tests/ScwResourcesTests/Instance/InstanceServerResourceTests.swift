// InstanceServerResourceTests: Instance against the emulator: create, no drift, bad input refused
// before any write, stop-patch-start type change, states, flexible IPs, private networks, security
// group, additional volumes, lost create answers, delete with or without the root volume.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class InstanceServerResourceTests: XCTestCase {
    private var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator() }
    override func tearDown() { cloud.stop() }

    private var provider: InstanceServerResource { InstanceServerResource(env: cloud.env) }

    private func web(_ extra: [String: Value] = [:]) -> [String: Value] {
        var props: [String: Value] = ["type": .string("DEV1-S"), "image": .string("ubuntu-jammy"), "tags": .list([.string("web")])]
        for (k, v) in extra { props[k] = v }
        return props
    }

    func testCreatePowersOnAndReadsBackWithoutDrift() async throws {
        let phases = PhaseLog()
        let ctx = cloud.context("Instance", "web", phases: phases)
        let cloudInit = "#cloud-config\npackages: [nginx]\n"
        let (created, inputs) = try await cloud.create(provider, web(["user_data": .map(["cloud-init": .string(cloudInit)]),
                                                                     "root_volume": .map(["size": .int(20)])]), context: ctx)
        XCTAssertEqual(inputs["image"], .string("ubuntu_jammy"))
        XCTAssertEqual(created.outputs["state"], .string("started"))
        XCTAssertEqual(created.outputs["type"], .string("DEV1-S"))
        XCTAssertEqual(created.outputs["arch"], .string("x86_64"))
        XCTAssertEqual(created.outputs["root_volume"]?["size"], .int(20))
        XCTAssertEqual(created.outputs["root_volume"]?["volume_type"], .string("sbs_volume"))
        XCTAssertEqual(created.outputs["public_ip"], .null)
        XCTAssertTrue(phases.all.contains("powering on"), "\(phases.all)")
        let id = uuidPart(created.id)
        let text = try await cloud.api.getUserData(zone: "fr-par-1", serverID: id, key: "cloud-init")
        XCTAssertEqual(text, cloudInit)
        let server = try await cloud.api.getServer(zone: "fr-par-1", id: id)
        XCTAssertEqual(server.state, "running")
        XCTAssertTrue(OwnershipTags.owned(server.tags, by: ctx))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
    }

    func testBadInputIsRefusedBeforeAnyWrite() async throws {
        let ctx = cloud.context("Instance", "bad")
        await assertDiagnostic(["Instance/bad", "unknown commercial type 'DEV1-SS'", "did you mean 'DEV1-S'?"]) {
            _ = try await self.cloud.create(self.provider, self.web(["type": .string("dev1-ss")]), context: ctx)
        }
        await assertDiagnostic(["Instance/bad", "unknown image label 'ubuntu_jamy'"]) {
            _ = try await self.cloud.create(self.provider, self.web(["image": .string("ubuntu_jamy")]), context: ctx)
        }
        await assertDiagnostic(["Instance/bad", "root_volume.size 5 GB is too small for DEV1-S"]) {
            _ = try await self.cloud.create(self.provider, self.web(["root_volume": .map(["size": .int(5)])]), context: ctx)
        }
        await assertDiagnostic(["Instance/bad", "PRO2-XXS has no local storage"]) {
            _ = try await self.cloud.create(self.provider, self.web(["type": .string("PRO2-XXS"), "root_volume": .map(["volume_type": .string("l_ssd")])]),
                                            context: ctx)
        }
        await assertDiagnostic(["Instance/bad", "more than the 20 GB DEV1-S allows"]) {
            _ = try await self.cloud.create(self.provider, self.web(["root_volume": .map(["volume_type": .string("l_ssd"), "size": .int(30)])]),
                                            context: ctx)
        }
        await assertDiagnostic(["Instance/bad", "no instance_sbs variant that boots BASIC2-A2C-4G", "docker"]) {
            _ = try await self.cloud.create(self.provider, self.web(["type": .string("BASIC2-A2C-4G"), "image": .string("docker")]), context: ctx)
        }
        let kinds = try await cloud.kinds()
        XCTAssertEqual(kinds, [])
    }

    func testTypeChangeStopsPatchesAndStartsAgain() async throws {
        let phases = PhaseLog()
        let ctx = cloud.context("Instance", "grow", phases: phases)
        let (created, small) = try await cloud.create(provider, web(), context: ctx)
        let big = try provider.normalize(web(["type": .string("DEV1-M")]), context: ctx)
        XCTAssertEqual(Diff.changes(schema: provider.schema, old: small, new: big).map(\.forcesReplacement), [false])
        let outputs = try await provider.update(id: created.id, from: small, to: big, context: ctx)
        XCTAssertEqual(outputs["type"], .string("DEV1-M"))
        XCTAssertEqual(outputs["state"], .string("started"))
        let order = phases.all.filter { ["powering off", "changing type to DEV1-M", "powering on"].contains($0) }
        XCTAssertEqual(order, ["powering on", "powering off", "changing type to DEV1-M", "powering on"])
        await assertDiagnostic(["Instance/grow", "unknown commercial type 'DEV1-MM'"]) {
            _ = try await self.provider.update(id: created.id, from: big, to: try self.provider.normalize(self.web(["type": .string("DEV1-MM")]), context: ctx),
                                               context: ctx)
        }
        try await cloud.assertNoDrift(provider, id: created.id, inputs: big, context: ctx)
    }

    func testStateTransitions() async throws {
        let ctx = cloud.context("Instance", "power")
        let (created, first) = try await cloud.create(provider, web(["state": .string("stopped")]), context: ctx)
        var current = first
        XCTAssertEqual(created.outputs["state"], .string("stopped"))
        for state in ["standby", "stopped", "started", "standby", "started", "stopped"] {
            let next = try provider.normalize(web(["state": .string(state)]), context: ctx)
            let outputs = try await provider.update(id: created.id, from: current, to: next, context: ctx)
            XCTAssertEqual(outputs["state"], .string(state))
            try await cloud.assertNoDrift(provider, id: created.id, inputs: next, context: ctx)
            current = next
        }
    }

    func testFlexibleIPsAttachAndDetachByPatch() async throws {
        let ips = InstanceIpResource(env: cloud.env)
        let (ip1, _) = try await cloud.create(ips, [:], context: cloud.context("InstanceIp", "one"))
        let (ip2, _) = try await cloud.create(ips, [:], context: cloud.context("InstanceIp", "two"))
        let ctx = cloud.context("Instance", "front")
        let (created, first) = try await cloud.create(provider, web(["ip_id": .string(ip1.id)]), context: ctx)
        XCTAssertEqual(created.outputs["public_ip"], ip1.outputs["address"])
        let both = try provider.normalize(web(["ip_id": .string(ip1.id), "ips": .list([.string(uuidPart(ip2.id))])]), context: ctx)
        var outputs = try await provider.update(id: created.id, from: first, to: both, context: ctx)
        XCTAssertEqual(Set(outputs["public_ips"]?.listValue?.compactMap { $0["id"]?.stringValue } ?? []), [uuidPart(ip1.id), uuidPart(ip2.id)])
        try await cloud.assertNoDrift(provider, id: created.id, inputs: both, context: ctx)
        let none = try provider.normalize(web(), context: ctx)
        outputs = try await provider.update(id: created.id, from: both, to: none, context: ctx)
        XCTAssertEqual(outputs["public_ips"], .list([]))
        let ip1Now = try await ips.read(id: ip1.id, inputs: [:], context: cloud.context("InstanceIp", "one"))
        XCTAssertEqual(ip1Now?.outputs["server_id"], .null)
        XCTAssertThrowsError(try provider.normalize(web(["ip_id": .string(ip1.id), "ips": .list([.string(ip1.id)])]), context: ctx))
    }

    func testAnIPHeldByTheOldHalfMovesToTheNewServer() async throws {
        let ips = InstanceIpResource(env: cloud.env)
        let (ip, _) = try await cloud.create(ips, [:], context: cloud.context("InstanceIp", "moving"))
        let ctx = cloud.context("Instance", "cbd")
        let (old, _) = try await cloud.create(provider, web(["ip_id": .string(ip.id)]), context: ctx)
        let (new, _) = try await cloud.create(provider, web(["ip_id": .string(ip.id), "image": .string("debian_bookworm")]), context: ctx)
        XCTAssertEqual(new.outputs["public_ip"], ip.outputs["address"])
        let oldNow = try await cloud.api.getServer(zone: "fr-par-1", id: uuidPart(old.id))
        XCTAssertEqual(oldNow.publicIPs.count, 0)
        await assertDiagnostic(["Instance/cbd", "flexible IP fr-par-1/00000000-0000-4000-8000-000000000000 does not exist"]) {
            _ = try await self.cloud.create(self.provider, self.web(["ip_id": .string("fr-par-1/00000000-0000-4000-8000-000000000000")]), context: ctx)
        }
    }

    func testPrivateNetworksAndSecurityGroup() async throws {
        let network = try await VPCAPI(client: cloud.env.client).createPrivateNetwork(region: "fr-par", name: "app")
        let groups = SecurityGroupResource(env: cloud.env)
        let (group, _) = try await cloud.create(groups, ["rules": .list([.map(["port": .int(80)])])], context: cloud.context("SecurityGroup", "web"))
        let pnID = "fr-par/\(network.id)"
        let ctx = cloud.context("Instance", "app")
        let (created, inputs) = try await cloud.create(provider, web(["private_networks": .list([.string(pnID)]), "security_group_id": .string(group.id)]),
                                                       context: ctx)
        XCTAssertEqual(created.outputs["security_group_id"], .string(group.id))
        XCTAssertEqual(created.outputs["private_nics"]?.listValue?.first?["private_network_id"], .string(pnID))
        // private_ip / private_ips come from IPAM: an IPv4 host of the PN's v4 subnet first, then its IPv6
        let v4Subnet = try XCTUnwrap(network.subnets.first { !$0.isIPv6 }?.subnet)
        let privateIP = try XCTUnwrap(created.outputs["private_ip"]?.stringValue)
        XCTAssertTrue(ipv4(privateIP, isIn: v4Subnet), "\(privateIP) not in \(v4Subnet)")
        XCTAssertFalse(privateIP.hasSuffix(".0") || privateIP.hasSuffix(".1"), privateIP)
        let privateIPs = try XCTUnwrap(created.outputs["private_ips"]?.listValue)
        XCTAssertEqual(privateIPs.count, 2)
        XCTAssertEqual(privateIPs.first?["address"], .string(privateIP))
        XCTAssertEqual(privateIPs.last?["address"]?.stringValue?.contains(":"), true)
        XCTAssertEqual(privateIPs.last?["address"]?.stringValue?.contains("/"), false)
        let read = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        XCTAssertEqual(read?.outputs["private_ip"], .string(privateIP))
        XCTAssertEqual(read?.outputs["private_ips"], .list(privateIPs))
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        await assertDiagnostic(["Instance/app", "is in region nl-ams, not in fr-par"]) {
            _ = try self.provider.normalize(self.web(["private_networks": .list([.string("nl-ams/\(network.id)")])]), context: ctx)
        }
        let unplugged = try provider.normalize(web(["private_networks": .list([]), "security_group_id": .string(group.id)]), context: ctx)
        let outputs = try await provider.update(id: created.id, from: inputs, to: unplugged, context: ctx)
        XCTAssertEqual(outputs["private_nics"], .list([]))
        XCTAssertEqual(outputs["private_ip"], .null)
        XCTAssertEqual(outputs["private_ips"], .list([]))
        let leftIPs = try await IPAMAPI(client: cloud.env.client).listIPs(region: "fr-par", resourceType: nil)
        XCTAssertEqual(leftIPs.count, 0, "the NIC's addresses are freed")
        try await VPCAPI(client: cloud.env.client).deletePrivateNetwork(region: "fr-par", id: network.id)
        try await provider.delete(id: created.id, inputs: unplugged, context: ctx)
        try await groups.delete(id: group.id, inputs: [:], context: cloud.context("SecurityGroup", "web"))
    }

    func testAdditionalVolumesSurviveTheServer() async throws {
        let volumes = InstanceVolumeResource(env: cloud.env)
        let vctx = cloud.context("InstanceVolume", "data")
        let (volume, vinputs) = try await cloud.create(volumes, ["type": .string("l_ssd"), "size": .int(15)], context: vctx)
        let ctx = cloud.context("Instance", "db")
        let (created, inputs) = try await cloud.create(provider, web(["additional_volumes": .list([.string(volume.id)])]), context: ctx)
        XCTAssertEqual(created.outputs["volumes"]?.listValue?.count, 2)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
        await assertDiagnostic(["Instance/x", "more than the 20 GB DEV1-S allows"]) {
            let (big, _) = try await self.cloud.create(volumes, ["type": .string("l_ssd"), "size": .int(10)], context: self.cloud.context("InstanceVolume", "big"))
            _ = try await self.cloud.create(self.provider, self.web(["additional_volumes": .list([.string(big.id)]), "root_volume": .map(["volume_type": .string("l_ssd"), "size": .int(15)])]),
                                            context: self.cloud.context("Instance", "x"))
        }
        let detached = try provider.normalize(web(["additional_volumes": .list([])]), context: ctx)
        let outputs = try await provider.update(id: created.id, from: inputs, to: detached, context: ctx)
        XCTAssertEqual(outputs["volumes"]?.listValue?.count, 1)
        XCTAssertEqual(outputs["state"], .string("started"))
        _ = try await provider.update(id: created.id, from: detached, to: inputs, context: ctx)
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
        let kept = try await volumes.read(id: volume.id, inputs: vinputs, context: vctx)
        XCTAssertEqual(kept?.outputs["server_id"], .null)
        try await volumes.delete(id: volume.id, inputs: vinputs, context: vctx)
    }

    func testDeleteTerminatesAndRemovesTheRootVolume() async throws {
        let ips = InstanceIpResource(env: cloud.env)
        let (ip, _) = try await cloud.create(ips, [:], context: cloud.context("InstanceIp", "kept"))
        let ctx = cloud.context("Instance", "gone")
        let phases = PhaseLog()
        let (created, inputs) = try await cloud.create(provider, web(["ip_id": .string(ip.id), "dynamic_ip": .bool(true)]), context: ctx)
        try await provider.delete(id: created.id, inputs: inputs, context: cloud.context("Instance", "gone", phases: phases))
        XCTAssertTrue(phases.all.contains("terminating"), "\(phases.all)")
        let gone = try await provider.read(id: created.id, inputs: inputs, context: ctx)
        XCTAssertNil(gone)
        let kinds = try await cloud.kinds()
        XCTAssertEqual(kinds, ["ip"])   // the flexible IP stays, detached; no server, no root volume
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)   // already gone
    }

    func testARootVolumeLeftByAnInterruptedDeleteIsSwept() async throws {
        let ctx = cloud.context("Instance", "half")
        let (created, inputs) = try await cloud.create(provider, web(), context: ctx)
        let rootID = uuidPart(try XCTUnwrap(created.outputs["root_volume"]?["volume_id"]?.stringValue))
        let root = try await BlockAPI(client: cloud.env.client).getVolume(zone: "fr-par-1", id: rootID)
        XCTAssertTrue(OwnershipTags.owned(root.tags, by: ctx))
        // The server went (a delete killed before it removed the root volume).
        _ = try await cloud.api.serverAction(zone: "fr-par-1", id: uuidPart(created.id), action: "terminate")
        try await provider.waitGone(zone: "fr-par-1", id: uuidPart(created.id), timeout: 10, context: ctx)
        let before = try await cloud.kinds()
        XCTAssertEqual(before, ["block_volume"])
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
        let after = try await cloud.kinds()
        XCTAssertEqual(after, [])

        // A replace interrupted the same way: the new server's create sweeps the old root.
        let (second, _) = try await cloud.create(provider, web(), context: ctx)
        _ = try await cloud.api.serverAction(zone: "fr-par-1", id: uuidPart(second.id), action: "terminate")
        try await provider.waitGone(zone: "fr-par-1", id: uuidPart(second.id), timeout: 10, context: ctx)
        let (third, _) = try await cloud.create(provider, web(), context: ctx)
        let volumes = try await cloud.resources(kind: "block_volume")
        XCTAssertEqual(volumes.compactMap { $0["id"]?.stringValue }, [uuidPart(try XCTUnwrap(third.outputs["root_volume"]?["volume_id"]?.stringValue))])
    }

    func testDeleteKeepsTheRootVolumeWhenAsked() async throws {
        let ctx = cloud.context("Instance", "keep")
        let (created, inputs) = try await cloud.create(provider, web(["state": .string("standby"),
                                                                     "root_volume": .map(["delete_on_termination": .bool(false)])]), context: ctx)
        XCTAssertEqual(created.outputs["state"], .string("standby"))
        let rootID = try XCTUnwrap(created.outputs["root_volume"]?["volume_id"]?.stringValue)
        try await provider.delete(id: created.id, inputs: inputs, context: ctx)
        let volume = try await BlockAPI(client: cloud.env.client).getVolume(zone: "fr-par-1", id: uuidPart(rootID))
        XCTAssertEqual(volume.status, "available")
        let kinds = try await cloud.kinds()
        XCTAssertFalse(kinds.contains("server"))
    }

    func testRootVolumeGrowsInPlaceAndLocalRootReplaces() async throws {
        let ctx = cloud.context("Instance", "disk")
        let (created, small) = try await cloud.create(provider, web(["root_volume": .map(["size": .int(20)])]), context: ctx)
        let big = try provider.normalize(web(["root_volume": .map(["size": .int(40)])]), context: ctx)
        XCTAssertEqual(Diff.changes(schema: provider.schema, old: small, new: big).map(\.name), ["root_volume"])
        let outputs = try await provider.update(id: created.id, from: small, to: big, context: ctx)
        XCTAssertEqual(outputs["root_volume"]?["size"], .int(40))
        await assertDiagnostic(["Instance/disk", "cannot shrink"]) {
            _ = try await self.provider.update(id: created.id, from: big, to: small, context: ctx)
        }
        let local = try provider.normalize(web(["root_volume": .map(["size": .int(20), "volume_type": .string("l_ssd")])]), context: ctx)
        let localBig = try provider.normalize(web(["root_volume": .map(["size": .int(30), "volume_type": .string("l_ssd")])]), context: ctx)
        // The planner's diff: schema plus the provider's replacement hook, with the reason shown.
        func planned(_ old: [String: Value], _ new: [String: Value]) -> [PropChange] {
            Diff.changes(schema: provider.schema, old: old, new: new) { self.provider.replacementReason(prop: $0, old: $1, new: $2, inputs: new) }
        }
        XCTAssertEqual(planned(small, big).first?.forcesReplacement, false, "an SBS root grows in place")
        XCTAssertEqual(planned(big, small).first?.replacementReason, "the root volume cannot shrink (40 GB → 20 GB)")
        XCTAssertEqual(planned(local, localBig).first?.replacementReason, "l_ssd root volumes cannot be resized")
        XCTAssertEqual(planned(small, local).first?.replacementReason, "the root volume's type cannot change (sbs_volume → l_ssd)")
        XCTAssertTrue(planned(small, try provider.normalize(web(["image": .string("debian_bookworm")]), context: ctx))
            .contains(where: \.forcesReplacement))
    }

    func testACreateWhoseAnswerIsLostIsFinishedInTheSameRun() async throws {
        cloud.stop()
        var losing: LosingTransport?
        cloud = try ComputeEmulator(wrap: { inner in
            let t = LosingTransport(inner) { $0.method == "POST" && $0.url.hasSuffix("/servers") }
            losing = t
            return t
        })
        let phases = PhaseLog()
        let ctx = cloud.context("Instance", "lossy", phases: phases)
        let (created, inputs) = try await cloud.create(provider, web(["user_data": .map(["cloud-init": .string("x")])]), context: ctx)
        XCTAssertEqual(losing?.lostCount, 1)
        XCTAssertTrue(phases.all.contains { $0.contains("answer was lost") }, "\(phases.all)")
        XCTAssertEqual(created.outputs["state"], .string("started"))
        let servers = try await cloud.resources(kind: "server")
        XCTAssertEqual(servers.count, 1)
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)
    }

    func testACreateInterruptedBeforePowerOnIsResumedNotAdopted() async throws {
        let ctx = cloud.context("Instance", "killed")
        let inputs = try provider.normalize(web(["user_data": .map(["cloud-init": .string("hello")])]), context: ctx)
        // What a create killed after its POST leaves: a stopped server, tagged ours but pending.
        let image = try await MarketplaceAPI(client: cloud.env.client)
            .resolveImage(zone: "fr-par-1", label: "ubuntu_jammy", commercialType: "DEV1-S", type: "instance_sbs")
        let half = try await cloud.api.createServer(zone: "fr-par-1", body: InstanceAPI.createServerBody(
            name: "killed", commercialType: "DEV1-S", image: try XCTUnwrap(image).id, projectID: ScalewayConfig.localProjectID,
            tags: ctx.ownershipTags + ["web", InstanceShared.pendingTag]))
        let seen = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(seen.map(\.id), ["fr-par-1/\(half.id)"], "find reports the half-made server (so nothing forgets it)")
        XCTAssertEqual(seen.map(\.halfMade), [true], "but marks it, so that nothing adopts it as it is")

        let created = try await provider.create(inputs, context: ctx)
        XCTAssertEqual(created.id, "fr-par-1/\(half.id)")
        XCTAssertEqual(created.outputs["state"], .string("started"))
        let text = try await cloud.api.getUserData(zone: "fr-par-1", serverID: half.id, key: "cloud-init")
        XCTAssertEqual(text, "hello")
        let servers = try await cloud.resources(kind: "server")
        XCTAssertEqual(servers.count, 1)
        let found = try await provider.find(inputs: inputs, context: ctx)
        XCTAssertEqual(found.map(\.id), [created.id])
        XCTAssertEqual(found.map(\.halfMade), [false], "finished")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: inputs, context: ctx)

        // A pending server that no longer matches the script (another type) is replaced.
        let ctx2 = cloud.context("Instance", "changed")
        let stale = try await cloud.api.createServer(zone: "fr-par-1", body: InstanceAPI.createServerBody(
            name: "changed", commercialType: "DEV1-M", image: try XCTUnwrap(image).id, projectID: ScalewayConfig.localProjectID,
            tags: ctx2.ownershipTags + [InstanceShared.pendingTag]))
        let fresh = try await provider.create(try provider.normalize(web(), context: ctx2), context: ctx2)
        XCTAssertNotEqual(fresh.id, "fr-par-1/\(stale.id)")
        let after = try await cloud.resources(kind: "server")
        XCTAssertEqual(after.count, 2)
        let blocks = try await cloud.resources(kind: "block_volume")
        XCTAssertEqual(blocks.count, 2)
    }

    func testUserDataChangesAndRemovals() async throws {
        let ctx = cloud.context("Instance", "ud")
        let (created, first) = try await cloud.create(provider, web(["user_data": .map(["cloud-init": .string("a"), "extra": .string("b")])]), context: ctx)
        let second = try provider.normalize(web(["user_data": .map(["cloud-init": .secret(.string("c"))])]), context: ctx)
        _ = try await provider.update(id: created.id, from: first, to: second, context: ctx)
        let id = uuidPart(created.id)
        let keys = try await cloud.api.listUserData(zone: "fr-par-1", serverID: id)
        XCTAssertEqual(keys, ["cloud-init"])
        let text = try await cloud.api.getUserData(zone: "fr-par-1", serverID: id, key: "cloud-init")
        XCTAssertEqual(text, "c")
        try await cloud.assertNoDrift(provider, id: created.id, inputs: second, context: ctx)
    }
}

/// Whether a dotted IPv4 address lies in an IPv4 CIDR ("172.16.0.2" in "172.16.0.0/22").
private func ipv4(_ address: String, isIn cidr: String) -> Bool {
    func value(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".").compactMap { UInt32($0) }
        return parts.count == 4 ? parts.reduce(0) { $0 << 8 | $1 } : nil
    }
    let pieces = cidr.split(separator: "/")
    guard pieces.count == 2, let network = value(pieces[0]), let prefix = UInt32(pieces[1]), let host = value(address[...]) else { return false }
    let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
    return host & mask == network & mask
}

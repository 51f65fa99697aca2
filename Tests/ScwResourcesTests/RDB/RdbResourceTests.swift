// RDB resources against the in-process emulator: an instance on a private network made,
// read back without drift, changed in place (a setting, the volume grown), a shrink refused
// before any write, deleted; databases and users created in parallel on one instance (none
// refused as busy), privileges and ACLs; plan-time checks that stop bad input with no write;
// an interrupted create resumed without a duplicate.

import XCTest
import ScalewayAPI
import ScwCore
import ScwEmulator
import ScwEngine
@testable import ScwResources

final class RdbResourceTests: XCTestCase {
    var cloud: ComputeEmulator!

    override func setUpWithError() throws { cloud = try ComputeEmulator(speed: 100) }
    override func tearDown() { cloud.stop() }

    static let password = "Adm1n_pa55word!"

    func instanceProps(_ extra: [String: Value] = [:]) -> [String: Value] {
        var props: [String: Value] = [
            "engine": .string("PostgreSQL-16"), "node_type": .string("DB-DEV-S"), "user_name": .string("admin"),
            "password": .secret(.string(Self.password)), "volume_type": .string("sbs_5k"), "volume_size_in_gb": .int(20),
            "backup_schedule_frequency": .int(24), "backup_schedule_retention": .int(7),
            "settings": .map(["max_connections": .string("200")]), "tags": .list([.string("env:test")]),
        ]
        for (k, v) in extra { props[k] = v }
        return props
    }

    private var instance: RdbInstanceResource { RdbInstanceResource(env: cloud.env) }

    private func writes() async throws -> Int {
        try await cloud.env.client.call("GET", "/__emulator/stats")["writes"]?.intValue.map(Int.init) ?? -1
    }

    func testInstanceOnAPrivateNetworkLifecycle() async throws {
        let pnProvider = VpcPrivateNetworkResource(env: cloud.env)
        let (pn, _) = try await cloud.create(pnProvider, ["subnets": .list([.string("10.20.0.0/24")])], context: cloud.context("VpcPrivateNetwork", "data"))
        let context = cloud.context("RdbInstance", "main")
        let props = instanceProps(["private_network": .map(["pn_id": .string(pn.id), "enable_ipam": .bool(true)])])
        let (created, inputs) = try await cloud.create(instance, props, context: context)
        XCTAssertEqual(inputs["load_balancer"], .bool(false), "no public endpoint by default on a private network")
        XCTAssertEqual(created.outputs["status"], .string("ready"))
        XCTAssertEqual(created.outputs["private_ip"], .string("10.20.0.2"))
        XCTAssertEqual(created.outputs["private_port"], .int(5432))
        XCTAssertEqual(created.outputs["endpoint_ip"], .null)
        XCTAssertEqual(created.outputs["settings"]?["max_connections"], .string("200"))
        let cert = try XCTUnwrap(created.outputs["certificate"])
        XCTAssertTrue(cert.isSensitive)
        XCTAssertTrue(cert.revealed.stringValue?.hasPrefix("-----BEGIN CERTIFICATE-----") ?? false)
        try await cloud.assertNoDrift(instance, id: created.id, inputs: inputs, context: context)
        let raw = try await RDBAPI(client: cloud.env.client).getInstance(region: "fr-par", id: uuidPart(created.id))
        XCTAssertEqual(Set(raw.tags), ["env:test", "scwlua:stack=compute-test", "scwlua:urn=RdbInstance/main"], "no pending tag once made")

        // A setting and the volume, in place.
        var changed = inputs
        changed["settings"] = .map(["max_connections": .string("300")])
        changed["volume_size_in_gb"] = .int(30)
        let phases = PhaseLog()
        let updated = try await instance.update(id: created.id, from: inputs, to: changed, context: cloud.context("RdbInstance", "main", phases: phases))
        XCTAssertEqual(updated["settings"]?["max_connections"], .string("300"))
        XCTAssertEqual(updated["volume_size_in_gb"], .int(30))
        XCTAssertEqual(updated["id"], .string(created.id), "same instance")
        XCTAssertTrue(phases.all.contains("growing the volume") && phases.all.contains("changing settings"), "\(phases.all)")
        try await cloud.assertNoDrift(instance, id: created.id, inputs: changed, context: context)

        // A shrink is refused before any write.
        var shrunk = changed
        shrunk["volume_size_in_gb"] = .int(10)
        let before = try await writes()
        await assertDiagnostic(["volume_size_in_gb cannot shrink in place", "30 GB → 10 GB"]) {
            _ = try await self.instance.update(id: created.id, from: changed, to: shrunk, context: context)
        }
        let after = try await writes()
        XCTAssertEqual(after, before, "no write for a refused shrink")

        try await instance.delete(id: created.id, inputs: changed, context: context)
        let gone = try await instance.read(id: created.id, inputs: changed, context: context)
        XCTAssertNil(gone)
        let got1 = try await cloud.resources(kind: "rdb_instance").count
        XCTAssertEqual(got1, 0)
        let got2 = try await cloud.resources(kind: "ipam_ip").count
        XCTAssertEqual(got2, 0, "the endpoint's address is freed")
    }

    func testParallelDatabasesAndUsersOnOneInstanceThenPrivilegesAndACL() async throws {
        let (db, _) = try await cloud.create(instance, instanceProps(), context: cloud.context("RdbInstance", "main"))
        let env = cloud.env
        let cloud = self.cloud!
        let names = ["app", "billing", "search", "audit"]
        let made = try await withThrowingTaskGroup(of: String.self) { group in
            for name in names {
                group.addTask {
                    let (r, _) = try await cloud.create(RdbDatabaseResource(env: env), ["instance_id": .string(db.id)], context: cloud.context("RdbDatabase", name))
                    return r.id
                }
                group.addTask {
                    let (r, _) = try await cloud.create(RdbUserResource(env: env), ["instance_id": .string(db.id), "password": .secret(.string("Us3r_\(name)_pw!"))],
                                                        context: cloud.context("RdbUser", name))
                    return r.id
                }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        XCTAssertEqual(made.count, 8, "every parallel create succeeded (none refused while the instance was busy)")
        let api = RDBAPI(client: env.client)
        let iid = uuidPart(db.id)
        let got3 = try await api.listDatabases(region: "fr-par", instanceID: iid).map(\.name).sorted()
        XCTAssertEqual(got3, names.sorted())
        let got4 = try await api.listUsers(region: "fr-par", instanceID: iid).map(\.name).sorted()
        XCTAssertEqual(got4, (names + ["admin"]).sorted())

        // A privilege through handles' ids; another instance's database is refused before any write.
        let privilege = RdbPrivilegeResource(env: env)
        let pctx = cloud.context("RdbPrivilege", "app")
        let (p, pin) = try await cloud.create(privilege, ["instance_id": .string(db.id), "user_name": .string("fr-par/\(iid)/app"),
                                                          "database_name": .string("fr-par/\(iid)/app"), "permission": .string("readwrite")], context: pctx)
        XCTAssertEqual(p.outputs["permission"], .string("readwrite"))
        try await cloud.assertNoDrift(privilege, id: p.id, inputs: pin, context: pctx)
        XCTAssertThrowsError(try privilege.normalize(["instance_id": .string(db.id), "user_name": .string("app"),
                                                      "database_name": .string("fr-par/11111111-2222-4333-8444-555555555555/app"),
                                                      "permission": .string("all")], context: pctx)) {
            XCTAssertTrue("\($0)".contains("belongs to instance"), "\($0)")
        }
        try await privilege.delete(id: p.id, inputs: pin, context: pctx)
        let got5 = try await api.listPrivileges(region: "fr-par", instanceID: iid, userName: "app", databaseName: "app").first?.permission
        XCTAssertEqual(got5, "none")

        // ACL: the set replaces the default rule in one call; the same set again makes no call.
        let acl = RdbAclResource(env: env)
        let actx = cloud.context("RdbAcl", "office")
        let (a, ain) = try await cloud.create(acl, ["instance_id": .string(db.id),
                                                    "rules": .list([.map(["ip": .string("203.0.113.0/24"), "description": .string("office")])])], context: actx)
        let got6 = try await api.listACLs(region: "fr-par", instanceID: iid)
        XCTAssertEqual(got6, [RDBACLRule(ip: "203.0.113.0/24", description: "office")])
        try await cloud.assertNoDrift(acl, id: a.id, inputs: ain, context: actx)
        let before = try await writes()
        _ = try await acl.update(id: a.id, from: ain, to: ain, context: actx)
        let after = try await writes()
        XCTAssertEqual(after, before, "an unchanged set makes no call")
        try await acl.delete(id: a.id, inputs: ain, context: actx)
        let got7 = try await api.listACLs(region: "fr-par", instanceID: iid)
        XCTAssertEqual(got7, [])

        try await instance.delete(id: db.id, inputs: [:], context: cloud.context("RdbInstance", "main"))
        let got8 = try await cloud.resources(kind: "rdb_instance").count
        XCTAssertEqual(got8, 0)
    }

    func testStaticAddressPublicEndpointNodeTypeAndHAInPlace() async throws {
        let (pn, _) = try await cloud.create(VpcPrivateNetworkResource(env: cloud.env), ["subnets": .list([.string("10.30.0.0/24")])],
                                             context: cloud.context("VpcPrivateNetwork", "data"))
        let context = cloud.context("RdbInstance", "static")
        let props = instanceProps(["private_network": .map(["pn_id": .string(pn.id), "ip_net": .string("10.30.0.5/24")]),
                                   "load_balancer": .bool(true)])
        let (created, inputs) = try await cloud.create(instance, props, context: context)
        XCTAssertEqual(created.outputs["private_ip"], .string("10.30.0.5"))
        XCTAssertNotEqual(created.outputs["endpoint_ip"], .null, "a public endpoint too")
        try await cloud.assertNoDrift(instance, id: created.id, inputs: inputs, context: context)

        var changed = inputs
        changed["load_balancer"] = .bool(false)
        changed["node_type"] = .string("db-dev-m")
        changed["is_ha_cluster"] = .bool(true)
        let updated = try await instance.update(id: created.id, from: inputs, to: changed, context: context)
        XCTAssertEqual(updated["endpoint_ip"], .null, "the public endpoint is gone")
        XCTAssertEqual(updated["private_ip"], .string("10.30.0.5"))
        XCTAssertEqual(updated["node_type"], .string("db-dev-m"))
        let raw = try await RDBAPI(client: cloud.env.client).getInstance(region: "fr-par", id: uuidPart(created.id))
        XCTAssertTrue(raw.isHACluster)
        try await cloud.assertNoDrift(instance, id: created.id, inputs: changed, context: context)
        XCTAssertThrowsError(try instance.normalize(instanceProps(["private_network": .map(["pn_id": .string(pn.id), "ip_net": .string("10.30.0.5")])]),
                                                    context: context)) { XCTAssertTrue("\($0)".contains("ip_net must be an IPv4 address with the network's prefix length"), "\($0)") }
    }

    func testWhatCannotChangeInPlaceReplacesWithAReason() {
        let p = instance
        XCTAssertEqual(p.replacementReason(prop: "volume_size_in_gb", old: .int(30), new: .int(10), inputs: [:]),
                       "volume_size_in_gb cannot shrink in place (30 GB → 10 GB)")
        XCTAssertNil(p.replacementReason(prop: "volume_size_in_gb", old: .int(20), new: .int(30), inputs: [:]), "growing is in place")
        XCTAssertNotNil(p.replacementReason(prop: "is_ha_cluster", old: .bool(true), new: .bool(false), inputs: [:]))
        XCTAssertNil(p.replacementReason(prop: "is_ha_cluster", old: .bool(false), new: .bool(true), inputs: [:]))
        XCTAssertNotNil(p.replacementReason(prop: "encryption_at_rest", old: .bool(true), new: .bool(false), inputs: [:]))
        XCTAssertNil(p.replacementReason(prop: "settings", old: .map([:]), new: .map(["work_mem": .string("8")]), inputs: [:]))
    }

    func testBadInputIsRefusedBeforeAnyWrite() async throws {
        let context = cloud.context("RdbInstance", "bad")
        func plan(_ extra: [String: Value]) async throws {
            let inputs = try instance.normalize(instanceProps(extra), context: context)
            try await instance.validate(inputs, context: context)
        }
        await assertDiagnostic(["unknown engine 'PostgreSQL-166'", "did you mean 'PostgreSQL-16'?"]) { try await plan(["engine": .string("PostgreSQL-166")]) }
        await assertDiagnostic(["PostgreSQL-12 is no longer offered"]) { try await plan(["engine": .string("PostgreSQL-12")]) }
        await assertDiagnostic(["unknown node type 'DB-DEV-SS'", "did you mean"]) { try await plan(["node_type": .string("DB-DEV-SS")]) }
        await assertDiagnostic(["password", "policy"]) { try await plan(["password": .secret(.string("password"))]) }
        await assertDiagnostic(["volume_size_in_gb 2 is out of bounds", "5 to"]) { try await plan(["volume_size_in_gb": .int(2)]) }
        await assertDiagnostic(["DB-PLAY2-PICO does not allow a high-availability cluster"]) {
            try await plan(["node_type": .string("DB-PLAY2-PICO"), "is_ha_cluster": .bool(true)])
        }
        await assertDiagnostic(["settings: PostgreSQL-16 has no setting 'max_conections'", "did you mean 'max_connections'?"]) {
            try await plan(["settings": .map(["max_conections": .string("200")])])
        }
        await assertDiagnostic(["max_connections must be at least 50"]) { try await plan(["settings": .map(["max_connections": .string("5")])]) }
        await assertDiagnostic(["user_name and password go together"]) { try await plan(["password": .null]) }
        do {
            try await plan(["password": .secret(.string("weakpass"))])
        } catch {
            XCTAssertFalse("\(error)".contains("weakpass"), "the password is never quoted: \(error)")
        }
        let got9 = try await writes()
        XCTAssertEqual(got9, 0)
        let got10 = try await cloud.resources().count
        XCTAssertEqual(got10, 0)
    }

    func testInterruptedCreateIsResumedWithoutDuplicate() async throws {
        let slow = try ComputeEmulator(speed: 2)   // provisioning lasts 1.5 s
        defer { slow.stop() }
        let provider = RdbInstanceResource(env: slow.env)
        let context = slow.context("RdbInstance", "main")
        let inputs = try provider.normalize(instanceProps(), context: context)
        let first = Task { try await provider.create(inputs, context: context) }
        let deadline = Date().addingTimeInterval(10)
        while try await slow.resources(kind: "rdb_instance").isEmpty, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        first.cancel()   // the process "dies" while the instance provisions
        _ = try? await first.value
        let halfMade = try await provider.find(inputs: inputs, context: context)
        XCTAssertEqual(halfMade.map(\.halfMade), [true], "the interrupted create's instance is found, marked half-made")
        let resumed = try await provider.create(inputs, context: context)
        XCTAssertEqual(resumed.outputs["status"], .string("ready"))
        XCTAssertEqual(resumed.outputs["settings"]?["max_connections"], .string("200"))
        let all = try await slow.resources(kind: "rdb_instance")
        XCTAssertEqual(all.count, 1, "no duplicate: \(all)")
        let found = try await provider.find(inputs: inputs, context: context)
        XCTAssertEqual(found.map(\.id), [resumed.id])
        XCTAssertEqual(found.map(\.halfMade), [false])
        XCTAssertEqual(halfMade.map(\.id), [resumed.id], "the same instance, finished")
    }
}

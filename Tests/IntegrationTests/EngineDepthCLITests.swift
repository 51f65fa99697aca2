// Import, renames, targets, saved plans and the detailed exit code, through the binary
// against the emulator, as a Terraform user would use them.

import Foundation
import ScwTestSupport
import XCTest

final class EngineDepthCLITests: IntegrationCase {
    /// Creates a resource behind scwlua's back; returns its id as scwlua writes it.
    func outOfBand(_ path: String, _ body: String, key: String, locality: String) throws -> String {
        let (status, text) = try cloud.api("POST", path, body: body)
        XCTAssertTrue((200..<300).contains(status), "\(path): \(status) \(text)")
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let object = (key.isEmpty ? json : json?[key] as? [String: Any]) ?? [:]
        let id = try XCTUnwrap(object["id"] as? String, text)
        return "\(locality)/\(id)"
    }

    func testImportOfEachTypeThenPlanThenDestroy() throws {
        try startCloud()
        let project = "11111111-1111-4111-8111-111111111111"
        let vpc = try outOfBand("/vpc/v2/regions/fr-par/vpcs", #"{"name":"handmade","project_id":"\#(project)","tags":["team:a"]}"#, key: "", locality: "fr-par")
        let vpcUUID = String(vpc.split(separator: "/")[1])
        let pn = try outOfBand("/vpc/v2/regions/fr-par/private-networks", #"{"name":"handmade-pn","project_id":"\#(project)","vpc_id":"\#(vpcUUID)"}"#, key: "", locality: "fr-par")
        let ip = try outOfBand("/instance/v1/zones/fr-par-1/ips", #"{"project":"\#(project)","type":"routed_ipv4","tags":[]}"#, key: "ip", locality: "fr-par-1")
        let sg = try outOfBand("/instance/v1/zones/fr-par-1/security_groups", #"{"name":"handmade-sg","project":"\#(project)","stateful":true,"inbound_default_policy":"accept","outbound_default_policy":"accept"}"#, key: "security_group", locality: "fr-par-1")
        let vol = try outOfBand("/instance/v1/zones/fr-par-1/volumes", #"{"name":"handmade-vol","project":"\#(project)","volume_type":"l_ssd","size":20000000000}"#, key: "volume", locality: "fr-par-1")
        try writeScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "main" { name = "handmade", tags = { "team:a" } }
        scw.VpcPrivateNetwork "app" { name = "handmade-pn", vpc = vpc }
        scw.InstanceIp "ip" {}
        scw.SecurityGroup "fw" { name = "handmade-sg" }
        scw.InstanceVolume "data" { name = "handmade-vol", type = "l_ssd", size = 30 }
        """)
        // An address the script does not declare is refused, and nothing is recorded.
        let refused = expectFailure(try scwlua(["import", "infra.lua", "Vpc/other", vpc] + target), "import of an undeclared address")
        XCTAssertTrue(refused.stderr.contains("declares no Vpc/other"), "\(refused)")
        for (address, id) in [("Vpc/main", vpc), ("VpcPrivateNetwork/app", pn), ("InstanceIp/ip", ip), ("SecurityGroup/fw", sg), ("InstanceVolume/data", vol)] {
            try cloud.resetStats()
            let r = expectSuccess(try scwlua(["import", "infra.lua", address, id] + target), "import \(address)")
            XCTAssertTrue(r.stdout.contains("Imported \(id) as \(address)"), "\(r)")
            XCTAssertEqual(try cloud.stats().writes, 0, "import \(address) wrote to the cloud")
        }
        XCTAssertEqual(try stateList().map(\.status), Array(repeating: "imported", count: 5))
        let p = expectSuccess(try plan(), "plan after the imports")
        // The only real difference is the volume's size (20 GB in the cloud, 30 in the script:
        // an l_ssd volume cannot be resized, so it is replaced); the others only get this stack's tags.
        XCTAssertEqual(p.stdout.planSymbol(for: "InstanceVolume/data"), "-/+", p.stdout)
        for address in ["Vpc/main", "VpcPrivateNetwork/app", "InstanceIp/ip", "SecurityGroup/fw"] {
            XCTAssertEqual(p.stdout.planSymbol(for: address), "~", "\(address): \(p.stdout)")
        }
        XCTAssertTrue(p.stdout.contains("imported: adding this stack's ownership tags"), p.stdout)
        XCTAssertFalse(p.stdout.contains("vpc_id"), "the private network's VPC is the declared one: \(p.stdout)")
        expectSuccess(try deploy(), "deploy after the imports")
        let owned = Set(try cloud.stackResources(stack).compactMap(\.urn))
        XCTAssertTrue(owned.isSuperset(of: ["Vpc/main", "VpcPrivateNetwork/app", "InstanceIp/ip", "SecurityGroup/fw", "InstanceVolume/data"]), "\(owned)")
        XCTAssertTrue(try cloud.stackResources(stack).contains { $0.id == vpcUUID }, "the VPC kept its id")
        try assertNoopPlan("after deploying the imports")
        expectSuccess(try destroy(), "destroy")
        XCTAssertEqual(try cloud.stackResources(stack), [])
        XCTAssertFalse(try cloud.resources().contains { $0.id == vpcUUID }, "destroy deleted the imported VPC")
    }

    func testImportOfAnotherStacksResourceIsRefused() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\n")
        stack = "prod"
        expectSuccess(try deploy())
        let id = try XCTUnwrap(try stateList().first?.id)
        stack = "dev"
        let r = expectFailure(try scwlua(["import", "infra.lua", "Vpc/main", id] + target), "import of prod's VPC into dev")
        XCTAssertTrue(r.stderr.contains("stack 'prod'"), "\(r)")
        XCTAssertEqual(try stateList(), [])
    }

    func testMovedFromAndStateMvTouchNothingInTheCloud() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"old\" { name = \"n\" }\n")
        expectSuccess(try deploy())
        let id = try XCTUnwrap(try stateList().first?.id)
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"new\" { name = \"n\", lifecycle = { moved_from = \"Vpc/old\" } }\n")
        try cloud.resetStats()
        let p = expectSuccess(try plan())
        XCTAssertTrue(p.stdout.contains("Vpc/old -> Vpc/new (moved)"), p.stdout)
        expectSuccess(try deploy())
        XCTAssertEqual(try cloud.stats().writes, 0, "a rename writes nothing to the cloud")
        XCTAssertEqual(try stateList().map(\.address), ["Vpc/new"])
        XCTAssertEqual(try stateList().first?.id, id)

        // state mv, and the script renamed by hand.
        expectSuccess(try scwlua(["state", "mv", "Vpc/new", "Vpc/newer"] + location))
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"newer\" { name = \"n\" }\n")
        try assertNoopPlan("after state mv")
        let onto = expectFailure(try scwlua(["state", "mv", "Vpc/newer", "Vpc/newer"] + location))
        XCTAssertTrue(onto.stderr.contains("already in stack"), "\(onto)")
    }

    func testTargetAppliesTheTargetAndWhatItNeedsOnly() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        local vpc = scw.Vpc "base" {}
        local pn = scw.VpcPrivateNetwork "mid" { vpc = vpc }
        scw.Instance "top" { type = "DEV1-S", image = "ubuntu_jammy", private_networks = { pn } }
        scw.InstanceIp "other" {}
        """)
        let p = expectSuccess(try plan(["--target", "VpcPrivateNetwork/mid"]))
        XCTAssertTrue(p.stdout.contains("a partial plan"), p.stdout)
        XCTAssertNil(p.stdout.planLine(for: "Instance/top"), p.stdout)
        expectSuccess(try deploy(["--target", "VpcPrivateNetwork/mid"]))
        XCTAssertEqual(Set(try stateList().map(\.address)), ["Vpc/base", "VpcPrivateNetwork/mid"])
        expectSuccess(try deploy(timeout: 120))
        expectSuccess(try destroy(["--target", "VpcPrivateNetwork/mid"]))
        XCTAssertEqual(Set(try stateList().map(\.address)), ["Vpc/base", "InstanceIp/other"], "the target and what needs it went")
    }

    func testSavedPlanIsAppliedExactlyOrRefused() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        scw.Vpc "main" { tags = { scw.secret("token:s3cr3t-value") } }
        """)
        expectSuccess(try scwlua(["plan", "infra.lua"] + target + ["--out", "release.plan"]))
        let file = try String(contentsOfFile: dir + "/release.plan", encoding: .utf8)
        XCTAssertFalse(file.contains("s3cr3t-value"), "the plan file holds no secret in clear")
        let shown = expectSuccess(try scwlua(["show", "release.plan"]))
        XCTAssertTrue(shown.stdout.contains("+ Vpc/main"), "\(shown)")
        expectSuccess(try scwlua(["deploy", "release.plan"] + target), "applying the saved plan")
        XCTAssertEqual(try stateList().map(\.address), ["Vpc/main"])

        // A plan made, then someone else deploys: refused.
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" { tags = { \"a\" } }\n")
        expectSuccess(try scwlua(["plan", "infra.lua"] + target + ["--out", "stale.plan"]))
        expectSuccess(try deploy())
        let stale = expectFailure(try scwlua(["deploy", "stale.plan"] + target))
        XCTAssertTrue(stale.stderr.contains("state changed since this plan was made"), "\(stale)")

        // A plan made, then the script changes: refused.
        expectSuccess(try scwlua(["plan", "infra.lua"] + target + ["--out", "edited.plan"]))
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" { tags = { \"b\" } }\n")
        let edited = expectFailure(try scwlua(["deploy", "edited.plan"] + target))
        XCTAssertTrue(edited.stderr.contains("changed since this plan was made"), "\(edited)")
    }

    func testDetailedExitCode() throws {
        try startCloud()
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\n")
        XCTAssertEqual(try plan(["--detailed-exitcode"]).status, 2, "changes")
        expectSuccess(try deploy())
        XCTAssertEqual(try plan(["--detailed-exitcode"]).status, 0, "no changes")
        try writeScript("local scw = require \"scaleway\"\nscw.Vpc \"main\" { regio = \"x\" }\n")
        XCTAssertEqual(try plan(["--detailed-exitcode"]).status, 1, "errors")
    }
}

final class LookupCLITests: IntegrationCase {
    func testLookupsAreReadAtPlanTimeAndNeverTouched() throws {
        try startCloud()
        let (status, text) = try cloud.api("POST", "/vpc/v2/regions/fr-par/vpcs", body: #"{"name":"prod","project_id":"11111111-1111-4111-8111-111111111111"}"#)
        XCTAssertEqual(status, 200, text)
        let vpcID = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["id"] as? String)
        try writeScript("""
        local scw = require "scaleway"
        local prod = scw.lookup.Vpc { name = "prod" }
        local img = scw.lookup.Image { label = "ubuntu_jammy", zone = "fr-par-1" }
        scw.VpcPrivateNetwork "app" { vpc_id = prod.id, tags = { "image:" .. img.id } }
        return { vpc = prod.id }
        """)
        let p = expectSuccess(try plan(), "plan with lookups")
        XCTAssertTrue(p.stdout.contains("<= Vpc/~lookup-1"), p.stdout)
        XCTAssertTrue(p.stdout.contains("found fr-par/\(vpcID)"), p.stdout)
        XCTAssertTrue(p.stdout.contains("vpc = \"fr-par/\(vpcID)\""), "the looked-up id is known in the plan: \(p.stdout)")
        XCTAssertFalse(p.stdout.contains("(known after apply)"), p.stdout)
        expectSuccess(try deploy(), "deploy")
        XCTAssertEqual(try stateList().map(\.address), ["VpcPrivateNetwork/app"], "a lookup is never written to state")
        XCTAssertEqual(try outputsJSON()["vpc"] as? String, "fr-par/\(vpcID)")
        try assertNoopPlan("after deploy")
        expectSuccess(try destroy(), "destroy")
        XCTAssertTrue(try cloud.resources().contains { $0.id == vpcID }, "destroy never deletes a looked-up resource")

        // Zero and several matches stop the plan at the lookup's line, listing what was found.
        try writeScript("local scw = require \"scaleway\"\n\nlocal v = scw.lookup.Vpc { name = \"nope\" }\n")
        let none = expectFailure(try plan())
        XCTAssertTrue(none.combined.contains("infra.lua:3") && none.combined.contains("matches nothing"), "\(none)")
        _ = try cloud.api("POST", "/vpc/v2/regions/fr-par/vpcs", body: #"{"name":"prod","project_id":"11111111-1111-4111-8111-111111111111"}"#)
        try writeScript("local scw = require \"scaleway\"\nlocal v = scw.lookup.Vpc { name = \"prod\" }\n")
        let several = expectFailure(try plan())
        XCTAssertTrue(several.combined.contains("infra.lua:2") && several.combined.contains("matches 2 resources") && several.combined.contains(vpcID), "\(several)")
        try writeScript("local scw = require \"scaleway\"\nlocal v = scw.lookup.Vpc { nmae = \"prod\" }\n")
        let typo = expectFailure(try plan())
        XCTAssertTrue(typo.combined.contains("unknown filter 'nmae'") && typo.combined.contains("did you mean 'name'"), "\(typo)")
    }
}

final class ReimportCLITests: IntegrationCase {
    /// A server and a bucket dropped from state (`state rm`) are imported back by id: the plan
    /// then shows no prop change, the deploy writes nothing but what adopting needs, and a
    /// destroy deletes them.
    func testInstanceAndBucketAreImportedBackAfterStateRm() throws {
        try startCloud(speed: 4)
        try writeScript("""
        local scw = require "scaleway"
        scw.Instance "web" { type = "DEV1-S", image = "ubuntu_jammy" }
        scw.Bucket "files" { name = "scwlua-reimport-files" }
        """)
        expectSuccess(try deploy(timeout: 120), "deploy")
        let rows = Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0.id) })
        for address in ["Instance/web", "Bucket/files"] {
            expectSuccess(try scwlua(["state", "rm", address] + location))
        }
        XCTAssertEqual(try stateList(), [])
        for address in ["Instance/web", "Bucket/files"] {
            let id = try XCTUnwrap(rows[address])
            expectSuccess(try scwlua(["import", "infra.lua", address, id] + target), "import \(address)")
        }
        let p = expectSuccess(try plan(), "plan after the imports")
        for address in ["Instance/web", "Bucket/files"] {
            XCTAssertEqual(p.stdout.planSymbol(for: address), "~", "\(address) is adopted in place, not re-created: \(p.stdout)")
        }
        XCTAssertFalse(p.stdout.contains("-/+"), p.stdout)
        expectSuccess(try deploy(timeout: 120), "deploy after the imports")
        XCTAssertEqual(Set(try stateList().map(\.id)), Set(rows.values), "the same resources, by id")
        try assertNoopPlan("after adopting")
        expectSuccess(try destroy(), "destroy")
        XCTAssertEqual(try cloud.stackResources(stack).filter { $0.kind != "block_volume" }, [])
    }
}

final class ProviderFileReadTests: IntegrationCase {
    /// A function's code is read by scwlua itself: under the sandbox it comes only from below
    /// the script's folder (or a folder given with --allow-read), like the `file` module.
    func testFunctionSourceOutsideTheScriptFolderNeedsAllowRead() throws {
        try startCloud()
        let outside = dir + "/outside"
        try FileManager.default.createDirectory(atPath: dir + "/project", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "exports.handle = () => 'secret data'\n".write(toFile: outside + "/handler.js", atomically: true, encoding: .utf8)
        try """
        local scw = require "scaleway"
        local ns = scw.FunctionNamespace "api" {}
        scw.Function "leak" { namespace = ns, runtime = "node22", handler = "handler.handle", source = "../outside" }
        """.write(toFile: dir + "/project/infra.lua", atomically: true, encoding: .utf8)
        try cloud.resetStats()
        let refused = expectFailure(try scwlua(["plan", "project/infra.lua"] + target), "plan reading outside the script's folder")
        XCTAssertTrue(refused.combined.contains("outside the script's folder") && refused.combined.contains("--allow-read"), "\(refused)")
        XCTAssertEqual(try cloud.stats().writes, 0)
        let allowed = try scwlua(["plan", "project/infra.lua"] + target + ["--allow-read", outside])
        XCTAssertTrue(allowed.succeeded, "with --allow-read: \(allowed)")
    }
}

final class CrossParentCLITests: IntegrationCase {
    /// A privilege on a database of another instance is refused at plan time, before any
    /// write, on a new stack (ids unknown): the references say it.
    func testPrivilegeOnAnotherInstancesDatabaseIsRefusedBeforeAnyWrite() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        local a = scw.RdbInstance "a" { engine = "PostgreSQL-16", node_type = "DB-DEV-S", user_name = "admin", password = scw.secret("Adm1n_pa55word!") }
        local b = scw.RdbInstance "b" { engine = "PostgreSQL-16", node_type = "DB-DEV-S", user_name = "admin", password = scw.secret("Adm1n_pa55word!") }
        local db = scw.RdbDatabase "app" { instance = b }
        local user = scw.RdbUser "app" { instance = a, password = scw.secret("App_pa55word!") }
        scw.RdbPrivilege "app" { instance = a, user = user, database = db, permission = "all" }
        """)
        for command in ["plan", "deploy"] {
            try cloud.resetStats()
            let r = expectFailure(try scwlua([command, "infra.lua"] + target + (command == "deploy" ? ["--yes"] : [])), command)
            XCTAssertTrue(r.combined.contains("infra.lua:6") && r.combined.contains("database_name is RdbDatabase/app, which belongs to RdbInstance/b"), "\(r)")
            XCTAssertEqual(try cloud.stats().writes, 0, "\(command) wrote before refusing")
        }
    }
}

final class ImportOwnershipCLITests: IntegrationCase {
    /// The stack-ownership check holds beyond the VPC and Instance families.
    func testImportOfAnotherStacksLbIpOrApplicationIsRefused() throws {
        try startCloud()
        try writeScript("""
        local scw = require "scaleway"
        scw.LbIp "ip" {}
        scw.IamApplication "ci" { description = "ci" }
        """)
        stack = "prod"
        expectSuccess(try deploy())
        let ids = Dictionary(uniqueKeysWithValues: try stateList().map { ($0.address, $0.id) })
        stack = "dev"
        for address in ["LbIp/ip", "IamApplication/ci"] {
            let id = try XCTUnwrap(ids[address])
            let r = expectFailure(try scwlua(["import", "infra.lua", address, id] + target), "import of prod's \(address) into dev")
            XCTAssertTrue(r.stderr.contains("stack 'prod'"), "\(address): \(r)")
        }
        XCTAssertEqual(try stateList(), [])
    }
}

// ReplApplyTests: :plan, :apply (asking first), :destroy, :state, :outputs and :graph against
// the emulator; after :apply the session's handles hold real values.

import ScwRepl
import XCTest

final class ReplApplyTests: ReplTestCase {
    let declare = [
        "vpc = scaleway.Vpc \"main\" { region = \"fr-par\", tags = { \"env:dev\" } }",
        "pn = scaleway.VpcPrivateNetwork \"app\" { vpc = vpc, subnets = { \"10.0.1.0/24\" } }",
        "return { subnet = pn.ipv4_subnet, vpc_id = vpc.id }",
    ]

    func testPlanWritesNothing() async throws {
        let (repl, t) = try makeRepl()
        await feed(repl, declare)
        t.clear()
        await feed(repl, [":plan"])
        XCTAssertTrue(t.out.contains("+ Vpc/main (create)"), t.out)
        XCTAssertTrue(t.out.contains("+ VpcPrivateNetwork/app (create)"), t.out)
        XCTAssertTrue(t.out.contains("Plan: 2 to create, 0 to update, 0 to replace, 0 to delete."), t.out)
        let cloud = try await cloudResources()
        XCTAssertEqual(cloud, [])
        t.clear()
        await feed(repl, [":state"])
        XCTAssertEqual(t.out, "Stack 'default' holds nothing yet.\n")
    }

    func testApplyAsksAndOnlyYesWrites() async throws {
        let (repl, t) = try makeRepl(interactive: true, answers: ["no", "yes"])
        await feed(repl, declare)
        await feed(repl, [":apply"])
        XCTAssertEqual(t.questions, ["Apply these changes? Only 'yes' is accepted: "])
        XCTAssertTrue(t.out.hasSuffix("Nothing applied.\n"), t.out)
        var cloud = try await cloudResources()
        XCTAssertEqual(cloud, [])
        await feed(repl, [":apply"])
        XCTAssertTrue(t.out.contains("Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted."), t.out)
        cloud = try await cloudResources()
        XCTAssertEqual(cloud, ["private_network app", "vpc main"])
        XCTAssertEqual(repl.failures, 0, t.err)
    }

    func testHandlesHoldRealValuesAfterApply() async throws {
        let (repl, t) = try makeRepl(yes: true)
        await feed(repl, declare)
        await feed(repl, [":apply"])
        XCTAssertTrue(t.out.contains("+ Vpc/main: created"), t.out)
        XCTAssertTrue(t.out.contains("Outputs:\n  subnet = \"10.0.1.0/24\"\n  vpc_id = \"fr-par/"), t.out)
        t.clear()
        await feed(repl, ["=pn.ipv4_subnet", "=vpc.id:match('^fr%-par/') ~= nil", "=vpc.id == pn.vpc_id", "=vpc.region"])
        XCTAssertEqual(t.out, "10.0.1.0/24\ntrue\ntrue\nfr-par\n")
        t.clear()
        await feed(repl, ["vpc"])
        let id = try XCTUnwrap(repl.session.store.resources(stack: "default").first { $0.address.description == "Vpc/main" }?.id)
        XCTAssertTrue(t.out.hasPrefix("Vpc \"main\" {\n  region = \"fr-par\",\n  tags = { \"env:dev\" },\n  -- outputs\n  id = \"\(id)\",\n"), t.out)
        XCTAssertTrue(t.out.contains("  routing_enabled = true,\n"), t.out)
        XCTAssertFalse(t.out.contains("known after apply"), t.out)

        // :state, :state Type/name, :outputs, :graph
        t.clear()
        await feed(repl, [":state"])
        XCTAssertTrue(t.out.contains("Vpc/main\t\(id)\tcreated\n"), t.out)
        XCTAssertTrue(t.out.contains("VpcPrivateNetwork/app\tfr-par/"), t.out)
        t.clear()
        await feed(repl, [":state Vpc/main"])
        XCTAssertTrue(t.out.hasPrefix("Vpc/main\n  id:     \(id)\n  status: created\n"), t.out)
        t.clear()
        await feed(repl, [":state Vpc/mian"])
        XCTAssertTrue(t.err.contains("did you mean Vpc/main?"), t.err)
        t.clear()
        await feed(repl, [":outputs"])
        XCTAssertEqual(t.out, "Outputs:\n  subnet = \"10.0.1.0/24\"\n  vpc_id = \"\(id)\"\n")
        t.clear()
        await feed(repl, [":graph"])
        XCTAssertTrue(t.out.contains("\"VpcPrivateNetwork/app\" -> \"Vpc/main\";"), t.out)
        t.clear()
        await feed(repl, [":graph mermaid"])
        XCTAssertTrue(t.out.hasPrefix("graph BT\n"), t.out)

        // A second :apply has nothing to do.
        t.clear()
        await feed(repl, [":apply"])
        XCTAssertTrue(t.out.contains("No changes: stack 'default' matches the script."), t.out)

        // Declaring more and applying again changes only what is new.
        t.clear()
        await feed(repl, ["db = scaleway.VpcPrivateNetwork \"db\" { vpc = vpc, subnets = { \"10.0.2.0/24\" } }", ":apply", "=db.ipv4_subnet"])
        XCTAssertTrue(t.out.contains("Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted."), t.out)
        XCTAssertTrue(t.out.hasSuffix("10.0.2.0/24\n"), t.out)
        XCTAssertEqual(repl.failures, 1, "only the mistyped :state address failed: \(t.err)")
    }

    func testDestroyEmptiesTheStackAndHandlesForgetTheirValues() async throws {
        let (repl, t) = try makeRepl(interactive: true, answers: ["yes"])
        await feed(repl, declare + [":apply!"])
        XCTAssertTrue(t.questions.isEmpty, ":apply! does not ask")
        var cloud = try await cloudResources()
        XCTAssertEqual(cloud.count, 2)
        t.clear()
        await feed(repl, [":plan destroy"])
        XCTAssertTrue(t.out.contains("Plan: 0 to create, 0 to update, 0 to replace, 2 to delete."), t.out)
        await feed(repl, [":destroy"])
        XCTAssertEqual(t.questions, ["Destroy these resources? Only 'yes' is accepted: "])
        XCTAssertTrue(t.out.contains("Destroy complete: 0 created, 0 updated, 0 replaced, 2 deleted."), t.out)
        cloud = try await cloudResources()
        XCTAssertEqual(cloud, [])
        t.clear()
        await feed(repl, ["=vpc.id", ":state"])
        XCTAssertEqual(t.out, "(known after apply)\nStack 'default' holds nothing yet.\n")
    }

    func testApplyThroughAPipeRefusesWithoutYes() async throws {
        let (repl, t) = try makeRepl(interactive: false)
        await feed(repl, declare + [":apply"])
        XCTAssertTrue(t.err.contains("refusing to apply without confirmation: input is not a terminal"), t.err)
        XCTAssertTrue(t.err.contains("use :apply! or start the REPL with --yes"), t.err)
        XCTAssertTrue(t.questions.isEmpty)
        XCTAssertEqual(repl.failures, 1)
        let cloud = try await cloudResources()
        XCTAssertEqual(cloud, [])
        // The lock was released: an explicit :apply! goes through.
        await feed(repl, [":apply!"])
        XCTAssertTrue(t.out.contains("Apply complete: 2 created"), t.out)
    }

    func testAStartWithoutDeclarationsWarnsWhenTheStackHoldsResources() async throws {
        let (first, _) = try makeRepl(yes: true)
        await feed(first, declare + [":apply"])
        XCTAssertNil(first.stateNote())
        let (second, _) = try makeRepl()
        let note = try XCTUnwrap(second.stateNote())
        XCTAssertTrue(note.contains("holds 2 resource(s)"), note)
    }

    func testASecretTheCloudEchoesBackStaysHiddenInTheHandle() async throws {
        let (repl, t) = try makeRepl(yes: true)
        await feed(repl, ["vpc = scaleway.Vpc \"main\" { tags = { \"env:dev\", scaleway.secret(\"token:s3cr3t\") } }", ":apply", "vpc", ":state Vpc/main"])
        XCTAssertTrue(t.out.contains("Apply complete: 1 created"), t.out + t.err)
        XCTAssertFalse(t.out.contains("s3cr3t"), t.out)
        XCTAssertTrue(t.out.contains("  -- outputs\n  id = \"fr-par/"), t.out)
        XCTAssertTrue(t.out.contains("(sensitive)"), t.out)
    }
}

// The `scaleway` module in the stock lua5.4 interpreter: installed with the script, required
// from `lua5.4 -e`, deploying to an in-process emulator, errors caught by the script's pcall.

import Foundation
import ScwEmulator
import XCTest

final class LuaModuleTests: XCTestCase {
    var emulator: Emulator!
    var dir: URL!
    var cpath = ""

    override func setUpWithError() throws {
        let lib = try LuaRunner.library()
        emulator = try Emulator(options: EmulatorOptions())
        try emulator.start()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("luamod-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        cpath = try install(lib)
    }

    override func tearDown() {
        emulator?.stop()
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Installs the module with scripts/install-lua-module.sh; returns the LUA_CPATH it prints.
    private func install(_ lib: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [LuaRunner.installScript().path, dir.appendingPathComponent("lua-modules").path,
                             "--build-dir", lib.deletingLastPathComponent().path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("checked with /usr/bin/lua5.4"), text)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("export LUA_CPATH=") }, text)
        return String(line.split(separator: "'")[1])
    }

    private func lua(_ code: String) throws -> LuaRun {
        try LuaRunner.run(["-e", code], cpath: cpath, in: dir)
    }

    /// The prologue of every script: the module and a stack on the emulator.
    private var prologue: String {
        """
        local scw = require "scaleway"
        local st = scw.stack{ endpoint = "\(emulator.baseURL)", state_dir = ".scwlua", parallelism = 4 }
        local vpc = scw.Vpc "main" { region = "fr-par", tags = { "env:test" } }
        local pn = scw.VpcPrivateNetwork "app" { vpc = vpc, subnets = { "10.0.1.0/24" } }
        local function out(k, v) print("OUT " .. k .. "=" .. tostring(v)) end
        """
    }

    /// docs/lua-module.md's example, run as a reader would: stock lua5.4, the emulator's URL
    /// as its argument.
    func testTheDocumentedExampleRunsInStockLua() throws {
        let doc = try String(contentsOf: LuaRunner.installScript().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/lua-module.md"), encoding: .utf8)
        let begin = try XCTUnwrap(doc.range(of: "<!-- example: begin -->\n```lua\n"), "docs/lua-module.md has no example")
        let end = try XCTUnwrap(doc.range(of: "```\n<!-- example: end -->", range: begin.upperBound..<doc.endIndex))
        try String(doc[begin.upperBound..<end.lowerBound]).write(to: dir.appendingPathComponent("example.lua"), atomically: true, encoding: .utf8)
        let run = try LuaRunner.run(["example.lua", emulator.baseURL], cpath: cpath, in: dir)
        XCTAssertTrue(run.succeeded, run.description)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.",
            "create\tVpc/main", "create\tVpcPrivateNetwork/app",
            "applied\ttrue\t2\t10.0.1.0/24",
            "handle\ttrue",
            "stored\t10.0.1.0/24",
            "drift\t0",
            "destroyed\ttrue\t2",
        ], run.description)
        XCTAssertTrue(try LuaRunner.cloudResources(emulator.baseURL).isEmpty)
    }

    func testLua54DeploysAVpcAndAPrivateNetworkToTheEmulator() throws {
        let first = try lua(prologue + """

            out("same_table", scw == scaleway and scw == package.loaded.scaleway)
            out("version", scw._VERSION)
            local plan = st:plan()
            out("plan_changes", #plan.changes)
            for _, c in ipairs(plan.changes) do out("plan_" .. c.address, c.action) end
            out("plan_text_names_vpc", plan.text:find("Vpc/main", 1, true) ~= nil)
            local r = st:apply{ vpc_id = vpc.id, subnet = pn.ipv4_subnet, label = vpc.id:map(function(id) return "vpc " .. id end) }
            out("ok", r.ok)
            out("created", r.created)
            for k, v in pairs(r.outputs) do out("output_" .. k, v) end
            out("handle_vpc_id", vpc.id)
            out("handle_pn_id", pn.id)
            """)
        XCTAssertTrue(first.succeeded, first.description)
        let seen = first.reported
        XCTAssertEqual(seen["same_table"], "true", first.description)
        XCTAssertEqual(seen["version"], "scaleway 0.1.0")
        XCTAssertEqual(seen["plan_changes"], "2")
        XCTAssertEqual(seen["plan_Vpc/main"], "create")
        XCTAssertEqual(seen["plan_VpcPrivateNetwork/app"], "create")
        XCTAssertEqual(seen["plan_text_names_vpc"], "true")
        XCTAssertEqual(seen["ok"], "true", first.description)
        XCTAssertEqual(seen["created"], "2")
        let vpcID = try XCTUnwrap(seen["output_vpc_id"], first.description)
        XCTAssertTrue(vpcID.hasPrefix("fr-par/"), vpcID)
        XCTAssertEqual(seen["output_subnet"], "10.0.1.0/24")
        XCTAssertEqual(seen["output_label"], "vpc " + vpcID, "ref:map ran in lua5.4 during apply")
        XCTAssertEqual(seen["handle_vpc_id"], vpcID, "handles hold real values after apply")
        let pnID = try XCTUnwrap(seen["handle_pn_id"])
        XCTAssertTrue(pnID.hasPrefix("fr-par/"), pnID)

        // The emulator holds both, with the ids the script saw.
        let cloud = try LuaRunner.cloudResources(emulator.baseURL)
        XCTAssertEqual(cloud.filter { $0.kind == "vpc" }.map(\.id), [String(vpcID.dropFirst("fr-par/".count))])
        XCTAssertEqual(cloud.filter { $0.kind == "private_network" }.map(\.id), [String(pnID.dropFirst("fr-par/".count))])
        XCTAssertEqual(cloud.first { $0.kind == "vpc" }?.name, "main")

        // A second run reads the state it left: outputs as applied, nothing to do.
        let second = try lua(prologue + """

            out("stored_vpc_id", st:outputs().vpc_id)
            local r = st:apply{ vpc_id = vpc.id }
            out("ok", r.ok)
            out("changed", r.changed)
            out("vpc_id", r.outputs.vpc_id)
            out("handle_vpc_id", vpc.id)
            """)
        XCTAssertTrue(second.succeeded, second.description)
        XCTAssertEqual(second.reported["stored_vpc_id"], vpcID, second.description)
        XCTAssertEqual(second.reported["ok"], "true")
        XCTAssertEqual(second.reported["changed"], "false")
        XCTAssertEqual(second.reported["vpc_id"], vpcID)
        XCTAssertEqual(second.reported["handle_vpc_id"], vpcID, "handles hold the values in state")

        // And destroy leaves nothing behind.
        let third = try lua(prologue + """

            local r = st:destroy()
            out("ok", r.ok)
            out("deleted", r.deleted)
            """)
        XCTAssertTrue(third.succeeded, third.description)
        XCTAssertEqual(third.reported["deleted"], "2", third.description)
        XCTAssertTrue(try LuaRunner.cloudResources(emulator.baseURL).isEmpty)
    }

    func testABadPropIsALuaErrorAtTheScriptLineThatPcallCatches() throws {
        let script = dir.appendingPathComponent("infra.lua")
        try """
        local scw = require "scaleway"
        local ok, err = pcall(function()
          return scw.Vpc "main" { regoin = "fr-par" }
        end)
        print("OUT ok=" .. tostring(ok))
        print("OUT err=" .. err:gsub("\\n", " | "))
        local ok2, err2 = pcall(scw.stack, { endpont = "http://127.0.0.1:1" })
        print("OUT stack_err=" .. tostring(err2))
        local st = scw.stack{ endpoint = "\(emulator.baseURL)" }
        local ok3, err3 = pcall(st.apply, st, { broken = print })
        print("OUT outputs_err=" .. tostring(err3))
        print("OUT after=still running")
        """.write(to: script, atomically: true, encoding: .utf8)
        let run = try LuaRunner.run(["infra.lua"], cpath: cpath, in: dir)
        XCTAssertTrue(run.succeeded, run.description)
        let seen = run.reported
        XCTAssertEqual(seen["ok"], "false")
        let err = try XCTUnwrap(seen["err"], run.description)
        XCTAssertTrue(err.contains("infra.lua:3: unknown prop 'regoin' for Vpc"), err)
        XCTAssertTrue(err.contains("did you mean 'region'"), err)
        XCTAssertEqual(seen["stack_err"], "infra.lua:7: scaleway.stack: unknown option 'endpont' (did you mean 'endpoint'?)")
        XCTAssertTrue(seen["outputs_err"]?.hasPrefix("infra.lua:10: stack outputs: broken") == true, run.description)
        XCTAssertEqual(seen["after"], "still running")
        XCTAssertTrue(try LuaRunner.cloudResources(emulator.baseURL).isEmpty, "nothing was declared or applied")
    }

    func testApplyFromACoroutineRunsMapFunctionsAndProgressInTheHostsLua() throws {
        let run = try lua(prologue + """

            local lines, mapped_in = {}, nil
            st = scw.stack{ endpoint = "\(emulator.baseURL)", state_dir = ".scwlua",
                            progress = function(line) lines[#lines + 1] = line end }
            local co = coroutine.wrap(function()
              local label = pn.ipv4_subnet:map(function(s)
                mapped_in = select(2, coroutine.running()) and "main" or "coroutine"
                return "net " .. s
              end)
              return st:apply{ label = label }
            end)
            local r = co()
            out("ok", r.ok)
            out("label", r.outputs.label)
            out("mapped_in", mapped_in)
            out("progress", table.concat(lines, " | "))
            """)
        XCTAssertTrue(run.succeeded, run.description)
        let seen = run.reported
        XCTAssertEqual(seen["ok"], "true", run.description)
        XCTAssertEqual(seen["label"], "net 10.0.1.0/24")
        XCTAssertEqual(seen["mapped_in"], "coroutine", "the map function ran on the caller's Lua thread")
        let progress = try XCTUnwrap(seen["progress"])
        XCTAssertTrue(progress.contains("Vpc/main: created"), progress)
        XCTAssertTrue(progress.contains("VpcPrivateNetwork/app: created"), progress)
    }
}

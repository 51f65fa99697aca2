// doFile/doString failures: syntax and runtime errors, clean messages, tracebacks, locations.

import LuaHost
import ScwCore
import XCTest

final class LuaErrorTests: XCTestCase {
    func testSyntaxErrorInFileNamesFileAndLine() throws {
        let dir = try makeScriptDir(self)
        let path = try writeScript(dir, "bad.lua", "local a = 1\nlocal b = 2\nlocal c = = 3\n")
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile(path, chunkName: "bad.lua")) { error in
            guard let error = error as? LuaError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .syntax)
            XCTAssertEqual(error.location, SourceLocation(file: "bad.lua", line: 3))
            XCTAssertTrue(error.description.hasPrefix("bad.lua:3: "), error.description)
            XCTAssertTrue(error.traceback.isEmpty)
        }
    }

    func testChunkNameWithAtPrefixIsKept() throws {
        let dir = try makeScriptDir(self)
        let path = try writeScript(dir, "infra.lua", "\nerror('x')")
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile(path, chunkName: "@infra.lua")) { error in
            XCTAssertEqual("\(error)", "infra.lua:2: x")
        }
        XCTAssertThrowsError(try state.doString("error('y')", chunkName: "@repl")) { error in
            XCTAssertEqual("\(error)", "repl:1: y")
        }
    }

    func testSyntaxErrorUsesThePathWhenNoChunkName() throws {
        let dir = try makeScriptDir(self)
        let path = try writeScript(dir, "x.lua", "return (")
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile(path)) { error in
            let error = error as! LuaError
            XCTAssertEqual(error.location?.line, 1)
            XCTAssertTrue(error.location?.file.hasSuffix("x.lua") ?? false, "\(error)")
        }
    }

    func testRuntimeErrorHasCleanMessageAndSeparateTraceback() throws {
        let dir = try makeScriptDir(self)
        let code = (1...10).map { _ in "--" }.joined(separator: "\n") + """

            local function check(props)
              if props.subnet then error("unknown prop 'subnet'") end
            end
            check { subnet = "x" }
            """
        let path = try writeScript(dir, "infra.lua", code)
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile(path, chunkName: "infra.lua")) { error in
            guard let error = error as? LuaError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .runtime)
            XCTAssertEqual(error.description, "infra.lua:12: unknown prop 'subnet'")
            XCTAssertEqual(error.location, SourceLocation(file: "infra.lua", line: 12))
            XCTAssertEqual(error.messageWithoutLocation, "unknown prop 'subnet'")
            XCTAssertTrue(error.traceback.hasPrefix("stack traceback:"), error.traceback)
            XCTAssertTrue(error.traceback.contains("infra.lua:14"), error.traceback)
            XCTAssertFalse(error.description.contains("traceback"))
        }
    }

    func testShebangLineIsSkippedAndLinesStayRight() throws {
        let dir = try makeScriptDir(self)
        let path = try writeScript(dir, "s.lua", "#!/usr/bin/env scwlua\nlocal x = 1\nerror('here')\n")
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile(path, chunkName: "s.lua")) { error in
            XCTAssertEqual((error as! LuaError).description, "s.lua:3: here")
        }
    }

    func testMissingFile() throws {
        let state = try LuaState()
        XCTAssertThrowsError(try state.doFile("/nonexistent/infra.lua")) { error in
            let error = error as! LuaError
            XCTAssertEqual(error.kind, .file)
            XCTAssertEqual(error.description, "cannot open /nonexistent/infra.lua: No such file or directory")
        }
    }

    func testNonStringErrorObjects() throws {
        let state = try LuaState()
        XCTAssertThrowsError(try state.doString("error({})", chunkName: "t")) { error in
            XCTAssertEqual((error as! LuaError).description, "(error object is a table value)")
        }
        XCTAssertThrowsError(
            try state.doString("error(setmetatable({}, {__tostring = function() return 'custom' end}))", chunkName: "t")
        ) { error in
            XCTAssertEqual((error as! LuaError).description, "custom")
        }
        XCTAssertThrowsError(try state.doString("error(42)", chunkName: "t")) { error in
            XCTAssertEqual((error as! LuaError).description, "42")
        }
    }

    func testDoStringReturnsValuesAndStackStaysBalanced() throws {
        let state = try LuaState()
        let results = try state.doString("return 1, 'two', nil, 4.5", chunkName: "t")
        XCTAssertEqual(results, [1, "two", .nil, 4.5])
        for _ in 0..<100 { _ = try? state.doString("error('x')", chunkName: "t") }
        XCTAssertEqual(try state.doString("return select('#', ...)", chunkName: "t"), [0])
    }

    func testLocationParsing() {
        XCTAssertEqual(LuaError.location(in: "infra.lua:12: unknown prop"), SourceLocation(file: "infra.lua", line: 12))
        XCTAssertEqual(LuaError.location(in: "...deep/path/x.lua:7: boom"), SourceLocation(file: "...deep/path/x.lua", line: 7))
        XCTAssertNil(LuaError.location(in: "no location here"))
        XCTAssertNil(LuaError.location(in: "cannot open x: see y.lua:12: z"))
        XCTAssertNil(LuaError.location(in: "a.lua:12 no colon"))
    }
}

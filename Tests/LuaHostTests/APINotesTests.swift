// Checks that CLua.apinotes really hides Lua's raising calls from Swift: a snippet calling
// lua_error must fail to type-check with our message (runs swiftc -typecheck; ~1 s).

import Foundation
import XCTest

final class APINotesTests: XCTestCase {
    private var includeDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/CLua/include").standardized.path
    }

    private func swiftc() throws -> String {
        var candidates = ["/opt/swift/usr/bin/swiftc"]
        if let env = ProcessInfo.processInfo.environment["SWIFTC"] { candidates.insert(env, at: 0) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(dir)/swiftc")
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "swiftc not found" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
        }
        return found
    }

    /// Type-checks `code` against CLua; returns the exit status and the compiler's output.
    private func typecheck(_ code: String) throws -> (status: Int32, output: String) {
        let dir = try makeScriptDir(self)
        let file = dir.appendingPathComponent("snippet.swift")
        try code.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try swiftc())
        process.arguments = ["-typecheck", "-swift-version", "6", "-I", includeDir, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testSafeCallsTypecheck() throws {
        let result = try typecheck(
            """
            import CLua
            func safe(_ L: OpaquePointer) {
                _ = lua_gettop(L)
                _ = lua_rawget(L, -2)
                scwlua_pop(L, 1)
                _ = scwlua_pcall_traceback(L, 0, 0)
            }
            """)
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testRaisingCallsAreUnavailableInSwift() throws {
        let forbidden = [
            "lua_error(L)", "luaL_checkinteger(L, 1)", "luaL_checklstring(L, 1, nil)",
            "luaL_optnumber(L, 1, 0)", "luaL_argerror(L, 1, nil)", "luaL_typeerror(L, 1, nil)",
            "lua_callk(L, 0, 0, 0, nil)", "lua_yieldk(L, 0, 0, nil)", "lua_getfield(L, -1, nil)",
            "lua_settable(L, -3)", "luaL_openlibs(L)", "scwlua_raise_message(L, nil)",
        ]
        let body = forbidden.map { "    _ = \($0)" }.joined(separator: "\n")
        let result = try typecheck("import CLua\nfunc unsafe(_ L: OpaquePointer) {\n\(body)\n}\n")
        XCTAssertNotEqual(result.status, 0, "calling lua_error from Swift compiled")
        for call in forbidden {
            let name = String(call.prefix { $0 != "(" })
            XCTAssertTrue(result.output.contains("'\(name)' is unavailable in Swift"), "\(name) is callable:\n\(result.output)")
        }
        XCTAssertTrue(result.output.contains("'lua_error' is unavailable in Swift: Raises a Lua error (longjmp)"), result.output)
    }
}

// LuaThread: every job, blocking or async, runs on the one Lua thread, in order.

import Foundation
import LuaHost
import XCTest

private final class ThreadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var threads: [pthread_t] = []
    func record() { lock.withLock { threads.append(pthread_self()) } }
    var all: [pthread_t] { lock.withLock { threads } }
}

final class LuaThreadTests: XCTestCase {
    func testSyncAndAsyncJobsRunOnOneThread() async throws {
        let log = ThreadLog()
        let lua = try LuaThread { state in
            log.record()
            state.setGlobal("record") { _, _ in log.record(); return [] }
            try state.doString("counter = 0", chunkName: "setup")
        }
        try lua.sync { state in
            log.record()
            try state.doString("record(); counter = counter + 1", chunkName: "t")
        }
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await lua.run { state in
                        log.record()
                        XCTAssertTrue(lua.isCurrent)
                        let r = try state.doString("record(); counter = counter + 1; return counter", chunkName: "t")
                        return r.first?.intValue ?? -1
                    }
                }
            }
            var seen = Set<Int64>()
            for try await n in group { seen.insert(n) }
            XCTAssertEqual(seen, Set(2...21))  // serial: every increment seen exactly once
        }
        let nested = try lua.sync { _ in try lua.sync { state in try state.doString("return counter", chunkName: "t") } }
        XCTAssertEqual(nested, [21])
        XCTAssertFalse(lua.isCurrent)

        let threads = log.all
        XCTAssertEqual(threads.count, 1 + 2 + 40)
        XCTAssertTrue(threads.allSatisfy { pthread_equal($0, threads[0]) != 0 }, "Lua ran on more than one thread")
        XCTAssertEqual(pthread_equal(threads[0], pthread_self()), 0)
    }

    func testErrorsAndValuesCrossTheThread() async throws {
        let lua = try LuaThread()
        let value = try await lua.run { state in try state.doString("return { a = { 1, 2 } }", chunkName: "t")[0] }
        XCTAssertEqual(value["a"][2], 2)
        do {
            _ = try lua.sync { state in try state.doString("error('bad')", chunkName: "x.lua") }
            XCTFail("no error")
        } catch let error as LuaError {
            XCTAssertEqual(error.description, "x.lua:1: bad")
        }
        await XCTAssertThrowsErrorAsync(try await lua.run { _ in throw LuaRaise("raised") })
        XCTAssertThrowsError(try LuaThread { _ in throw LuaHostError("setup failed") })
    }

    func testRefsDroppedOffThreadAreFreedOnTheLuaThread() throws {
        let lua = try LuaThread()
        var tables = try lua.sync { state in
            try state.doString(
                """
                weak = setmetatable({}, { __mode = "v" })
                local out = {}
                for i = 1, 500 do out[i] = { i }; weak[i] = out[i] end
                return table.unpack(out)
                """, chunkName: "t")
        }
        XCTAssertEqual(tables.count, 500)
        let kept = tables[0]
        tables.removeAll()  // dropped here, off the Lua thread
        let remaining = try lua.sync { state -> LuaValue in
            state.collectGarbage()
            return try state.doString("local n = 0 for _ in pairs(weak) do n = n + 1 end return n", chunkName: "t")[0]
        }
        XCTAssertEqual(remaining, 1)  // only the one still referenced from Swift
        XCTAssertEqual(kept, [1])
    }

    func testShutdownRefusesLaterJobs() throws {
        let lua = try LuaThread()
        lua.shutdown()
        XCTAssertThrowsError(try lua.sync { _ in 1 })
    }
}

func XCTAssertThrowsErrorAsync<T>(_ body: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await body()
        XCTFail("no error thrown", file: file, line: line)
    } catch {}
}

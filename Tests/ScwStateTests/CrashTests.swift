// Kill -9 of a real writer process: its last put is in state, and its lock is stale and broken.
// The child is this test binary run again on one test, with SCWSTATE_CHILD_DIR set.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class CrashTests: XCTestCase {
    static let childVariable = "SCWSTATE_CHILD_DIR"
    let address = ResourceAddress(type: "Instance", name: "web")

    /// Only does something as the child: lock, put, say ready, then wait to be killed.
    func testChildWriter() throws {
        guard let dir = ProcessInfo.processInfo.environment[Self.childVariable] else {
            throw XCTSkip("runs only as the child process of testKilledWriterLeavesDurableStateAndAStaleLock")
        }
        let store = try SQLiteStateStore(directory: dir, environment: [:])
        try store.lock(stack: "s", info: StateProcess.currentLockInfo(command: "deploy (child)"))
        try store.put(stack: "s", ResourceState(address: address, id: "fr-par/created-before-kill",
                                                inputs: ["pw": .secret(.string("child-secret"))]))
        _ = FileManager.default.createFile(atPath: dir + "/ready", contents: Data())
        sleep(60)
    }

    func testKilledWriterLeavesDurableStateAndAStaleLock() throws {
        #if os(Linux)
        let dir = try makeTempDir(self) + "/state"
        let exe = try XCTUnwrap(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let pid = try spawn(exe, ["ScwStateTests.CrashTests/testChildWriter"], environment: [Self.childVariable + "=" + dir],
                            quiet: true)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: dir + "/ready") {
            if waitpid(pid, &status, WNOHANG) == pid { return XCTFail("child exited before it was ready (status \(status))") }
            guard Date() < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return XCTFail("child never got ready")
            }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)

        let store = try SQLiteStateStore(directory: dir, environment: [:])
        let rows = try store.resources(stack: "s")
        XCTAssertEqual(rows.map(\.id), ["fr-par/created-before-kill"])
        XCTAssertEqual(rows.first?.inputs["pw"], .secret(.string("child-secret")))
        let stale = try XCTUnwrap(try store.currentLock(stack: "s"))
        XCTAssertEqual(stale.pid, pid)
        XCTAssertEqual(try store.lock(stack: "s", info: lockInfo(pid: getpid())), stale)
        #else
        throw NSError(domain: "scwlua.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "uses /proc/self/exe" + " (scripts/setup.sh installs it: a missing tool fails the test)"])
        #endif
    }
}

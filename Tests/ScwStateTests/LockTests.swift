// One writer per stack: live holders refuse, dead local holders are broken, unlock paths.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class LockTests: XCTestCase {
    func testLockByALivePidIsRefusedNamingTheHolder() throws {
        let (store, _) = try makeStore(self)
        let holder = lockInfo(pid: getppid(), command: "deploy infra.lua") // our parent: certainly alive
        XCTAssertNil(try store.lock(stack: "prod", info: holder))
        XCTAssertEqual(try store.currentLock(stack: "prod"), holder)
        XCTAssertThrowsError(try store.lock(stack: "prod", info: lockInfo(pid: getpid()))) { error in
            guard let locked = error as? StackLockedError else { return XCTFail("\(error)") }
            XCTAssertEqual(locked.stack, "prod")
            XCTAssertEqual(locked.lock, holder)
            XCTAssertTrue(locked.description.contains("tester@"), locked.description)
            XCTAssertTrue(locked.description.contains("deploy infra.lua"), locked.description)
        }
        XCTAssertEqual(try store.currentLock(stack: "prod"), holder)
        // Other stacks are independent.
        XCTAssertNil(try store.lock(stack: "staging", info: lockInfo(pid: getpid())))
    }

    func testLockByADeadPidOnThisHostIsBrokenAndReturned() throws {
        let (store, _) = try makeStore(self)
        let dead = lockInfo(pid: try pidOfFinishedProcess(), command: "deploy")
        XCTAssertFalse(StateProcess.isAlive(pid: dead.pid))
        XCTAssertNil(try store.lock(stack: "s", info: dead))
        let mine = lockInfo(pid: getpid())
        XCTAssertEqual(try store.lock(stack: "s", info: mine), dead)
        XCTAssertEqual(try store.currentLock(stack: "s"), mine)
    }

    func testLockFromAnotherHostIsNeverBroken() throws {
        let (store, _) = try makeStore(self)
        let remote = lockInfo(pid: try pidOfFinishedProcess(), host: "some-other-host")
        XCTAssertNil(try store.lock(stack: "s", info: remote))
        XCTAssertThrowsError(try store.lock(stack: "s", info: lockInfo(pid: getpid()))) { XCTAssertTrue($0 is StackLockedError) }
    }

    func testSamePidMayLockAgain() throws {
        let (store, _) = try makeStore(self)
        XCTAssertNil(try store.lock(stack: "s", info: lockInfo(pid: getpid(), command: "deploy")))
        XCTAssertNil(try store.lock(stack: "s", info: lockInfo(pid: getpid(), command: "refresh")))
        XCTAssertEqual(try store.currentLock(stack: "s")?.command, "refresh")
    }

    func testUnlockOnlyByTheHolderAndForceUnlock() throws {
        let (store, _) = try makeStore(self)
        let holder = lockInfo(pid: getppid())
        try store.lock(stack: "s", info: holder)
        try store.unlock(stack: "s", pid: getpid()) // not ours: nothing happens
        XCTAssertEqual(try store.currentLock(stack: "s"), holder)
        try store.unlock(stack: "s", pid: getppid())
        XCTAssertNil(try store.currentLock(stack: "s"))

        try store.lock(stack: "s", info: holder)
        XCTAssertEqual(try store.forceUnlock(stack: "s"), holder)
        XCTAssertNil(try store.forceUnlock(stack: "s"))
        XCTAssertNil(try store.lock(stack: "s", info: lockInfo(pid: getpid())))
    }

    func testTwoInstancesOnOneFileShareLocks() throws {
        let dir = try makeTempDir(self) + "/state"
        let a = try SQLiteStateStore(directory: dir, environment: [:])
        let b = try SQLiteStateStore(directory: dir, environment: [:])
        try a.lock(stack: "s", info: lockInfo(pid: getppid()))
        XCTAssertEqual(try b.currentLock(stack: "s")?.pid, getppid())
        XCTAssertThrowsError(try b.lock(stack: "s", info: lockInfo(pid: getpid())))
        try a.unlock(stack: "s", pid: getppid())
        XCTAssertNil(try b.lock(stack: "s", info: lockInfo(pid: getpid())))
    }

    func testRacingLockersOnTwoConnectionsExactlyOneWins() throws {
        let dir = try makeTempDir(self) + "/state"
        let sleeper = try spawn("/bin/sleep", ["30"])
        defer {
            kill(sleeper, SIGKILL)
            var status: Int32 = 0
            waitpid(sleeper, &status, 0)
        }
        for round in 0..<5 {
            let stores = try (0..<3).map { _ in try SQLiteStateStore(directory: dir, environment: [:]) }
            let pids = [getpid(), getppid(), sleeper]
            let wins = Locked(0), refusals = Locked(0)
            DispatchQueue.concurrentPerform(iterations: 3) { i in
                do {
                    try stores[i].lock(stack: "race\(round)", info: lockInfo(pid: pids[i]))
                    wins.update { $0 += 1 }
                } catch is StackLockedError {
                    refusals.update { $0 += 1 }
                } catch {
                    XCTFail("\(error)")
                }
            }
            XCTAssertEqual(wins.current, 1)
            XCTAssertEqual(refusals.current, 2)
        }
    }

    func testCurrentLockInfoDescribesThisProcess() {
        let info = StateProcess.currentLockInfo(command: "deploy")
        XCTAssertEqual(info.pid, getpid())
        XCTAssertEqual(info.host, StateProcess.hostName)
        XCTAssertTrue(info.holder.hasSuffix("@" + info.host))
        XCTAssertTrue(StateProcess.isAlive(pid: getpid()))
        XCTAssertFalse(StateProcess.isAlive(pid: 0))
        XCTAssertFalse(StateProcess.isAlive(pid: -1))
    }

    /// A holder killed but not yet reaped by its parent (a zombie) is gone: its lock is broken.
    func testLockByAZombieHolderIsBroken() throws {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        XCTAssertEqual(posix_spawn(&pid, "/bin/true", nil, nil, &argv, nil), 0)
        defer { var status: Int32 = 0; waitpid(pid, &status, 0) }   // reaped only at the end
        let deadline = Date().addingTimeInterval(5)
        while !StateProcess.isZombie(pid: pid), Date() < deadline { usleep(10_000) }
        XCTAssertTrue(StateProcess.isZombie(pid: pid), "the child exited and waits to be reaped")
        XCTAssertFalse(StateProcess.isAlive(pid: pid))
        let (store, _) = try makeStore(self)
        try store.lock(stack: "s", info: lockInfo(pid: pid, command: "deploy"))
        let broken = try store.lock(stack: "s", info: StateProcess.currentLockInfo(command: "destroy"))
        XCTAssertEqual(broken?.pid, pid)
    }
}

// Helpers for the state tests: temporary directories, stores, child processes, raw file bytes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

/// A fresh directory under the system temp dir, removed by the test's teardown.
func makeTempDir(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "scwstate-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}

/// A store in a new temp state directory, with a key file.
func makeStore(_ test: XCTestCase) throws -> (SQLiteStateStore, String) {
    let dir = try makeTempDir(test) + "/.scwlua"
    return (try SQLiteStateStore(directory: dir, environment: [:]), dir)
}

/// Runs `path args…`, waits for it, and returns its (now reaped, so gone) pid.
func pidOfFinishedProcess(_ path: String = "/bin/true") throws -> Int32 {
    let pid = try spawn(path, [])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return pid
}

/// Starts `path args…` and returns its pid; the caller waits for it. `environment` entries
/// (`NAME=value`) are added to ours; `quiet` sends the child's output to /dev/null.
func spawn(_ path: String, _ args: [String], environment: [String] = [], quiet: Bool = false) throws -> Int32 {
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    var inherited: [String] = []
    var e = environ
    while let entry = e.pointee {
        inherited.append(String(cString: entry))
        e += 1
    }
    let envp: [UnsafeMutablePointer<CChar>?] = (inherited + environment).map { strdup($0) } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if quiet {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard rc == 0 else { throw StateError("posix_spawn \(path) failed: \(rc)") }
    return pid
}

/// All bytes of a file, or [] when it does not exist.
func fileBytes(_ path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: path)).map { Array($0) } ?? []
}

func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let n = Array(needle.utf8)
    guard !n.isEmpty, haystack.count >= n.count else { return false }
    var i = 0
    while i <= haystack.count - n.count {
        if haystack[i] == n[0], Array(haystack[i..<i + n.count]) == n { return true }
        i += 1
    }
    return false
}

func lockInfo(pid: Int32, host: String = StateProcess.hostName, command: String = "deploy") -> LockInfo {
    LockInfo(holder: "tester@\(host)", pid: pid, host: host, command: command, acquiredAt: StateProcess.now())
}

func fileMode(_ path: String) -> mode_t {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return st.st_mode & 0o777
}

/// A value shared by concurrently running closures in a test.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func update(_ body: (inout T) -> Void) { lock.lock(); body(&value); lock.unlock() }
    var current: T { lock.lock(); defer { lock.unlock() }; return value }
}

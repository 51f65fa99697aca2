// MotoServer: moto's S3 server (`python3 -m moto.server`), an S3 implementation we did not
// write, started on a free loopback port for a test class and stopped after it.

import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A running moto server. It accepts any credentials (it does not check signatures).
public final class MotoServer: @unchecked Sendable {
    public let process: Process
    public let port: Int
    public let logPath: String

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int, logPath: String) {
        self.process = process
        self.port = port
        self.logPath = logPath
    }

    /// Starts moto and waits (up to 60 s) until it accepts connections. Skips the test when
    /// SCWLUA_SKIP_PIP=1 said moto is not to be installed; otherwise a missing moto fails
    /// (scripts/setup.sh installs it).
    public static func start() throws -> MotoServer {
        if ProcessInfo.processInfo.environment["SCWLUA_SKIP_PIP"] == "1" {
            throw XCTSkip("moto is not installed (SCWLUA_SKIP_PIP=1): S3 tests against moto skipped")
        }
        let port = try freePort()
        let logPath = NSTemporaryDirectory() + "scwlua-moto-\(port).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(process: process, port: port, logPath: logPath)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning {
                let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw MotoError("moto exited (\(process.terminationStatus)) before listening; is moto[server] installed (scripts/setup.sh)? \(text.suffix(800))")
            }
            if canConnect(port: port) { return server }
            usleep(100_000)
        }
        server.stop()
        throw MotoError("moto did not listen on port \(port) within 60 s")
    }

    /// Stops moto (SIGTERM, then SIGKILL) and removes its log.
    public func stop() {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MotoError("socket() failed") }
        defer { close(fd) }
        var addr = loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw MotoError("bind() failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = loopback(port: port)
        return withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }
}

public struct MotoError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

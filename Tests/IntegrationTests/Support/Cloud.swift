// Cloud: an in-process ScwEmulator on loopback, and a tiny blocking HTTP client for its control
// API (/__emulator/resources, /stats, /reset, /faults). One connection per request
// ("Connection: close"), read to end of stream, JSON parsed with JSONSerialization.

import Foundation
import ScwEmulator
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One resource the emulator holds, as `GET /__emulator/resources` lists it.
struct CloudResource: Equatable, CustomStringConvertible {
    let kind: String
    let id: String
    let region: String
    let name: String
    let tags: [String]

    func tag(_ key: String) -> String? {
        tags.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
    var urn: String? { tag("scwlua:urn") }
    var stack: String? { tag("scwlua:stack") }
    /// The project's default VPC, made on demand by the emulator (untagged, named "default").
    var isDefaultVPC: Bool { kind == "vpc" && name == "default" && tags.isEmpty }
    /// An IPAM address the API books for a private NIC (untagged; freed with the NIC or server).
    var isIPAMAddress: Bool { kind == "ipam_ip" && tags.isEmpty }

    var description: String { "\(kind) \(region)/\(id) \"\(name)\" \(tags)" }
}

struct CloudStats {
    let requests: Int
    let reads: Int
    let writes: Int
    let byMethod: [String: Int]
    let faultsInjected: Int
}

enum ControlError: Error, CustomStringConvertible {
    case connect(String)
    case badResponse(String)
    var description: String {
        switch self {
        case .connect(let s): return "control API: cannot connect: \(s)"
        case .badResponse(let s): return "control API: bad response: \(s)"
        }
    }
}

final class Cloud {
    let emulator: Emulator
    let baseURL: String
    let port: Int

    /// `speed` scales the emulator's transient states (server power actions take 2 s / speed).
    /// `log` sees one line per request, before its answer is sent (to act at a precise instant).
    init(latencyMs: Int = 0, faults: FaultRates = .none, speed: Double = 1, log: (@Sendable (String) -> Void)? = nil) throws {
        var options = EmulatorOptions()
        options.log = log
        options.latencyMs = latencyMs
        options.faults = faults
        options.speed = speed
        emulator = try Emulator(options: options)
        try emulator.start()
        baseURL = emulator.baseURL
        port = emulator.port
    }

    deinit { emulator.stop() }

    func stop() { emulator.stop() }

    func setFaults(_ faults: FaultRates) { emulator.setFaults(faults) }

    // MARK: control API

    func resources() throws -> [CloudResource] {
        let json = try request("GET", "/__emulator/resources")
        guard let object = json as? [String: Any], let items = object["resources"] as? [[String: Any]] else {
            throw ControlError.badResponse("resources: \(json)")
        }
        return items.map { item in
            CloudResource(kind: item["kind"] as? String ?? "", id: item["id"] as? String ?? "",
                          region: item["region"] as? String ?? "", name: item["name"] as? String ?? "",
                          tags: item["tags"] as? [String] ?? [])
        }
    }

    /// Resources tagged as belonging to `stack`.
    func stackResources(_ stack: String = "default") throws -> [CloudResource] {
        try resources().filter { $0.stack == stack }
    }

    /// Resources that are neither tagged by some stack nor a default VPC or a NIC's IPAM address.
    func untaggedExtras() throws -> [CloudResource] {
        try resources().filter { $0.stack == nil && !$0.isDefaultVPC && !$0.isIPAMAddress }
    }

    func stats() throws -> CloudStats {
        let json = try request("GET", "/__emulator/stats")
        guard let o = json as? [String: Any] else { throw ControlError.badResponse("stats: \(json)") }
        func int(_ k: String) -> Int { (o[k] as? NSNumber)?.intValue ?? -1 }
        let byMethod = (o["by_method"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
        return CloudStats(requests: int("requests"), reads: int("reads"), writes: int("writes"), byMethod: byMethod,
                          faultsInjected: int("faults_injected"))
    }

    func resetStats() throws { _ = try request("POST", "/__emulator/stats/reset") }

    func reset() throws { _ = try request("POST", "/__emulator/reset") }

    /// A Scaleway API call behind scwlua's back (a console user, another tool): any token
    /// works with the emulator. Returns the status and the body text.
    @discardableResult
    func api(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, text: String) {
        let (status, bytes) = try Self.exchange(port: port, method: method, path: path, body: body, token: "out-of-band-token")
        return (status, String(decoding: bytes, as: UTF8.self))
    }

    /// Sends one request with `Connection: close` and parses the JSON body.
    func request(_ method: String, _ path: String, body: String? = nil) throws -> Any {
        let (status, bytes) = try Self.exchange(port: port, method: method, path: path, body: body, token: nil)
        guard status == 200 else {
            throw ControlError.badResponse("\(method) \(path) → \(status): \(String(decoding: bytes, as: UTF8.self))")
        }
        do {
            return try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw ControlError.badResponse("\(method) \(path): not JSON: \(String(decoding: bytes, as: UTF8.self))")
        }
    }

    private static func exchange(port: Int, method: String, path: String, body: String?, token: String?) throws -> (Int, [UInt8]) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ControlError.connect("socket() failed") }
        defer { _ = close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port)).bigEndian
        addr.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw ControlError.connect("port \(port): errno \(errno)") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        if let token { head += "X-Auth-Token: \(token)\r\n" }
        head += "Content-Length: \(payload.count)\r\n\r\n"
        let bytes = Array(head.utf8) + payload
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                #if canImport(Glibc)
                return send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                #else
                return send(fd, raw.baseAddress! + offset, bytes.count - offset, 0)
                #endif
            }
            guard n > 0 else { throw ControlError.connect("send failed: errno \(errno)") }
            offset += n
        }

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if n <= 0 { break }
            received += chunk[0..<n]
            // Stop as soon as the whole body (per Content-Length) is in.
            if let (headerEnd, length) = parseHead(received), received.count >= headerEnd + length { break }
        }
        guard let (headerEnd, length) = parseHead(received) else {
            throw ControlError.badResponse("\(method) \(path): no complete answer (\(received.count) bytes)")
        }
        let statusLine = String(decoding: received.prefix(while: { $0 != 13 }), as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ControlError.badResponse(statusLine) }
        let end = min(received.count, headerEnd + length)
        return (status, Array(received[headerEnd..<end]))
    }

    /// (index of the body's first byte, Content-Length) once the head is complete.
    private static func parseHead(_ b: [UInt8]) -> (Int, Int)? {
        guard b.count >= 4 else { return nil }
        var i = 0
        while i + 3 < b.count {
            if b[i] == 13, b[i + 1] == 10, b[i + 2] == 13, b[i + 3] == 10 {
                let head = String(decoding: b[0..<i], as: UTF8.self).lowercased()
                var length = 0
                for line in head.components(separatedBy: "\r\n") where line.hasPrefix("content-length:") {
                    length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                return (i + 4, length)
            }
            i += 1
        }
        return nil
    }
}

// HTTPServer: a loopback-only HTTP/1.1 server on POSIX sockets, one thread per connection,
// keep-alive by default. The handler decides per request: answer, or drop the connection.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the server does with a request once handled.
enum ServerReply: Sendable {
    case respond(HTTPResponse)
    /// Close the connection without answering (the write may have happened; the answer is lost).
    case drop
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ what: String, errno code: Int32 = errno) {
        description = "\(what): \(String(cString: strerror(code)))"
    }
}

final class HTTPServer: @unchecked Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> ServerReply

    private let handler: Handler
    private let lock = NSCondition()
    private var listenFD: Int32 = -1
    private var connections: Set<Int32> = []
    private var threadsAlive = 0
    private var running = false
    private var boundPort = 0

    init(handler: @escaping Handler) {
        self.handler = handler
    }

    var port: Int {
        lock.lock(); defer { lock.unlock() }
        return boundPort
    }

    var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return running
    }

    /// Binds 127.0.0.1:`port` (0 = any free port) and starts accepting in a background thread.
    func start(port: Int) throws {
        lock.lock(); defer { lock.unlock() }
        guard !running else { return }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw ServerError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        addr.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { let e = ServerError("bind 127.0.0.1:\(port)"); close(fd); throw e }
        guard listen(fd, 256) == 0 else { let e = ServerError("listen"); close(fd); throw e }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        boundPort = Int(UInt16(bigEndian: actual.sin_port))
        listenFD = fd
        running = true
        threadsAlive += 1
        spawn { [self] in acceptLoop(fd) }
    }

    /// Stops accepting, shuts every open connection and waits (up to 2 s) for their threads.
    func stop() {
        lock.lock()
        guard running else { lock.unlock(); return }
        running = false
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
        let deadline = Date().addingTimeInterval(2)
        while threadsAlive > 0 && lock.wait(until: deadline) {}
        lock.unlock()
    }

    private func spawn(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { body() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func threadExited() {
        lock.lock()
        threadsAlive -= 1
        lock.broadcast()
        lock.unlock()
    }

    private func acceptLoop(_ fd: Int32) {
        defer {
            close(fd)
            threadExited()
        }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if !isRunning { return }
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                return
            }
            lock.lock()
            guard running else { lock.unlock(); close(client); return }
            connections.insert(client)
            threadsAlive += 1
            lock.unlock()
            spawn { [self] in serve(client) }
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.lock()
            connections.remove(fd)
            close(fd)
            threadsAlive -= 1
            lock.broadcast()
            lock.unlock()
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var idle = timeval(tv_sec: 300, tv_usec: 0)   // reclaim idle keep-alive connections
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, socklen_t(MemoryLayout<timeval>.size))
        let stream = SocketStream(fd: fd)
        var reader = HTTPRequestReader()
        while true {
            let request: HTTPRequest
            do {
                guard let next = try reader.next(from: stream) else { return }
                request = next
            } catch let error as HTTPReadError {
                if !stream.peerClosed {
                    let body = JSONValue.object(["message": .string(error.message), "type": .string("invalid_request")])
                    _ = stream.send(HTTPResponse.json(error.status, body).serialized(headOnly: false, close: true))
                }
                return
            } catch {
                return
            }
            switch handler(request) {
            case .drop:
                return
            case .respond(let response):
                let close = request.wantsClose || !isRunning
                guard stream.send(response.serialized(headOnly: request.method == "HEAD", close: close)), !close else { return }
            }
        }
    }
}

/// A connected socket as a ByteStream; never raises SIGPIPE.
final class SocketStream: ByteStream {
    let fd: Int32
    private(set) var peerClosed = false

    init(fd: Int32) { self.fd = fd }

    func receive(max: Int) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: max)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, max, 0) }
            if n > 0 { return Array(chunk[0..<n]) }
            if n < 0 && errno == EINTR { continue }
            peerClosed = true
            return nil
        }
    }

    func send(_ bytes: [UInt8]) -> Bool {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { sendBytes(fd, $0.baseAddress! + offset, bytes.count - offset, flags) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { peerClosed = true; return false }
            offset += n
        }
        return true
    }
}

private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, _ flags: Int32) -> Int {
    #if canImport(Glibc)
    return Glibc.send(fd, bytes, count, flags)
    #else
    return Darwin.send(fd, bytes, count, flags)
    #endif
}

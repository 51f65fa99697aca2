// SecretBox: the key that encrypts `.secret` values in state (AES-256-GCM), from a random key
// file beside the state (created 0600) or from SCWLUA_PASSPHRASE (PBKDF2-HMAC-SHA256, salted).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation
import ScwCore

/// Why secrets could not be set up, sealed or opened. The message is meant for a person.
public struct SecretBoxError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    public static let wrongKeyMessage = "cannot decrypt secrets in state: wrong SCWLUA_PASSPHRASE or key file"
}

/// Seals and opens sensitive values with one 256-bit AES-GCM key.
/// A sealed value is base64 of `nonce (12) | ciphertext | tag (16)`.
/// `@unchecked Sendable`: its only state is an immutable key (swift-crypto 3 does not mark
/// `SymmetricKey` Sendable, though reading it from several threads is safe).
public final class SecretBox: @unchecked Sendable {
    /// Environment variable holding the passphrase.
    public static let passphraseVariable = "SCWLUA_PASSPHRASE"
    /// File names inside the state directory.
    public static let keyFileName = "key"
    public static let saltFileName = "key.salt"
    /// PBKDF2 rounds for a new salt file (the count is stored in the file, so it can grow later).
    public static let defaultIterations = 210_000

    private let key: SymmetricKey
    /// Where the key came from, for messages: `key file /x/key` or `SCWLUA_PASSPHRASE`.
    public let source: String

    /// A box with a raw 32-byte key.
    public init(key bytes: [UInt8], source: String = "raw key") throws {
        guard bytes.count == 32 else { throw SecretBoxError("a secrets key must be 32 bytes, got \(bytes.count)") }
        self.key = SymmetricKey(data: bytes)
        self.source = source
    }

    /// The box for the state kept in `dir`.
    ///
    /// With `SCWLUA_PASSPHRASE` set (and not empty), the key is derived from it with the salt in
    /// `<dir>/key.salt` (created once). Otherwise the random key in `<dir>/key` is used, created
    /// with mode 0600 on first use; an existing key file readable by group or others is refused.
    /// A directory whose secrets use a passphrase (it has `key.salt`) asks for the passphrase
    /// instead of silently creating a key file.
    public static func forStateDirectory(_ dir: String, environment: [String: String]) throws -> SecretBox {
        try forStateDirectory(dir, environment: environment, newSaltIterations: defaultIterations)
    }

    static func forStateDirectory(_ dir: String, environment: [String: String], newSaltIterations: Int) throws -> SecretBox {
        try KeyFiles.makeDirectory(dir)
        let saltPath = dir + "/" + saltFileName
        let keyPath = dir + "/" + keyFileName
        if let passphrase = environment[passphraseVariable], !passphrase.isEmpty {
            let params = try KDFParameters.loadOrCreate(saltPath, iterations: newSaltIterations)
            return try SecretBox(passphrase: passphrase, parameters: params)
        }
        if KeyFiles.exists(saltPath) {
            throw SecretBoxError("secrets in this state are protected by a passphrase (\(saltPath) exists): set \(passphraseVariable)")
        }
        let bytes = try KeyFiles.loadOrCreateKey(keyPath)
        return try SecretBox(key: bytes, source: "key file \(keyPath)")
    }

    /// The box of an existing state directory, for reading only: creates nothing (no folder,
    /// key or salt). With no key there, a throwaway key stands in: state sealed with a key
    /// that is gone then fails to open, with the usual message.
    public static func forReadingStateDirectory(_ dir: String, environment: [String: String]) throws -> SecretBox {
        let saltPath = dir + "/" + saltFileName
        let keyPath = dir + "/" + keyFileName
        if let passphrase = environment[passphraseVariable], !passphrase.isEmpty, KeyFiles.exists(saltPath) {
            let params = try KDFParameters.parse(try KeyFiles.readFile(saltPath, requirePrivate: false), what: "salt file \(saltPath)")
            return try SecretBox(passphrase: passphrase, parameters: params)
        }
        if KeyFiles.exists(saltPath) {
            throw SecretBoxError("secrets in this state are protected by a passphrase (\(saltPath) exists): set \(passphraseVariable)")
        }
        if KeyFiles.exists(keyPath) {
            return try SecretBox(key: try KeyFiles.loadKey(keyPath), source: "key file \(keyPath)")
        }
        return try SecretBox(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }, source: "no key file in \(dir)")
    }

    public func seal(_ plaintext: [UInt8]) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: key)
        guard let combined = box.combined else { throw SecretBoxError("cannot encrypt a secret: no combined form") }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: sealed), data.count >= 12 + 16 else {
            throw SecretBoxError("a secret in state is corrupt (not a sealed value)")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return Array(try AES.GCM.open(box, using: key))
        } catch {
            throw SecretBoxError("\(SecretBoxError.wrongKeyMessage) (using \(source))")
        }
    }
}

/// PBKDF2 parameters kept in `key.salt` as JSON: `{"iterations":N,"kdf":"pbkdf2-sha256","salt":"<base64>"}`.
/// Public so that a remote store can keep the same document as an object.
public struct KDFParameters: Sendable, Equatable {
    public var salt: [UInt8]
    public var iterations: Int

    public init(salt: [UInt8], iterations: Int) {
        self.salt = salt
        self.iterations = iterations
    }

    /// Fresh parameters: a random 16-byte salt.
    public static func random(iterations: Int = SecretBox.defaultIterations) -> KDFParameters {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = rng.next() }
        return KDFParameters(salt: salt, iterations: iterations)
    }

    /// The stored document (JSON and a newline).
    public var document: [UInt8] {
        let doc = Value.map([
            "kdf": .string("pbkdf2-sha256"),
            "iterations": .int(Int64(iterations)),
            "salt": .string(Data(salt).base64EncodedString()),
        ])
        return Array((JSON.encode(doc) + "\n").utf8)
    }

    /// Reads a stored document; `what` names it in the error (`salt file /x/key.salt`).
    public static func parse(_ bytes: [UInt8], what: String) throws -> KDFParameters {
        guard let doc = try? JSON.decode(bytes: bytes), doc["kdf"]?.stringValue == "pbkdf2-sha256",
              let n = doc["iterations"]?.intValue, n > 0, n < 100_000_000,
              let s = doc["salt"]?.stringValue, let salt = Data(base64Encoded: s), salt.count >= 8 else {
            throw SecretBoxError("\(what) is malformed (expected {\"kdf\":\"pbkdf2-sha256\",\"iterations\":N,\"salt\":\"<base64>\"})")
        }
        return KDFParameters(salt: Array(salt), iterations: Int(n))
    }

    static func loadOrCreate(_ path: String, iterations: Int) throws -> KDFParameters {
        if !KeyFiles.exists(path) {
            _ = try KeyFiles.createExclusively(path, contents: random(iterations: iterations).document)
        }
        return try parse(try KeyFiles.readFile(path, requirePrivate: false), what: "salt file \(path)")
    }
}

extension SecretBox {
    /// The box whose key PBKDF2-HMAC-SHA256 derives from `passphrase` with `parameters`
    /// (what `forStateDirectory` does with `SCWLUA_PASSPHRASE` and `key.salt`).
    public convenience init(passphrase: String, parameters: KDFParameters, source: String = SecretBox.passphraseVariable) throws {
        let derived = PBKDF2.sha256(password: Array(passphrase.utf8), salt: parameters.salt,
                                    iterations: parameters.iterations, keyByteCount: 32)
        try self.init(key: derived, source: source)
    }
}

/// PBKDF2 (RFC 8018) with HMAC-SHA256, built on swift-crypto's HMAC.
enum PBKDF2 {
    static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, keyByteCount: Int) -> [UInt8] {
        let prf = HMAC<SHA256>(key: SymmetricKey(data: password))
        var out: [UInt8] = []
        var block: UInt32 = 1
        while out.count < keyByteCount {
            var first = prf
            first.update(data: salt)
            first.update(data: [UInt8(block >> 24), UInt8((block >> 16) & 0xFF), UInt8((block >> 8) & 0xFF), UInt8(block & 0xFF)])
            var u = Array(first.finalize())
            var t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    var h = prf
                    h.update(data: u)
                    u = Array(h.finalize())
                    for i in 0..<t.count { t[i] ^= u[i] }
                }
            }
            out += t
            block += 1
        }
        return Array(out.prefix(keyByteCount))
    }
}

/// Files for keys: exclusive creation with mode 0600 (never widened nor chmod-ed afterwards),
/// and reads that refuse a key others could read.
enum KeyFiles {
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func makeDirectory(_ dir: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SecretBoxError("cannot create state directory \(dir): \(error.localizedDescription)")
        }
    }

    /// Reads the key at `path`, creating a random one first if there is none.
    static func loadOrCreateKey(_ path: String) throws -> [UInt8] {
        if !exists(path) {
            let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
            _ = try createExclusively(path, contents: Array((Data(key).base64EncodedString() + "\n").utf8))
        }
        return try loadKey(path)
    }

    /// Reads the key at `path`.
    static func loadKey(_ path: String) throws -> [UInt8] {
        let text = try readFile(path, requirePrivate: true)
        let trimmed = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed), data.count == 32 else {
            throw SecretBoxError("key file \(path) is malformed (expected 32 bytes in base64)")
        }
        return Array(data)
    }

    /// Reads a whole file. With `requirePrivate`, refuses a file that group or others may access.
    static func readFile(_ path: String, requirePrivate: Bool) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SecretBoxError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SecretBoxError("cannot stat \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SecretBoxError("\(path) is not a regular file") }
        let mode = st.st_mode & 0o777
        if requirePrivate, mode & 0o077 != 0 {
            throw SecretBoxError("key file \(path) is accessible by group or others (mode \(String(mode, radix: 8))); "
                                 + "refusing to use it: run `chmod 600 \(path)`")
        }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SecretBoxError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out += buf[0..<n]
            if out.count > 1 << 20 { throw SecretBoxError("\(path) is too large to be a key file") }
        }
        return out
    }

    /// Creates `path` with `contents` and mode 0600 unless it exists; true when this call created it.
    /// The file is written under a temporary name then linked into place, so another process
    /// never reads a half-written key.
    static func createExclusively(_ path: String, contents: [UInt8]) throws -> Bool {
        var rng = SystemRandomNumberGenerator()
        let tmp = "\(path).tmp-\(getpid())-\(rng.next() as UInt32)"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SecretBoxError("cannot create \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < contents.count {
            let n = contents.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                close(fd)
                unlink(tmp)
                throw SecretBoxError("cannot write \(path): \(String(cString: strerror(e)))")
            }
            written += n
        }
        fsync(fd)
        close(fd)
        defer { unlink(tmp) }
        if link(tmp, path) == 0 {
            syncDirectory(of: path)
            return true
        }
        let e = errno
        if e == EEXIST { return false }
        throw SecretBoxError("cannot create \(path): \(String(cString: strerror(e)))")
    }

    private static func syncDirectory(of path: String) {
        let dir = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}

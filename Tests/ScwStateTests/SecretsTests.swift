// Secrets at rest: encryption in the database file, key files, passphrases, wrong keys.

import Foundation
import ScwCore
import ScwEngine
@testable import ScwState
import XCTest

final class SecretsTests: XCTestCase {
    let web = ResourceAddress(type: "Instance", name: "web")

    func testSecretsAreEncryptedAtRestAndDecryptedOnRead() throws {
        let (store, dir) = try makeStore(self)
        let plainMarker = "plain-marker-4c1f"
        let secrets = ["hunter2-input-9f8e7d", "out-secret-1a2b3c", "nested-in-list-77aa", "stack-output-secret-55ee",
                       "map-secret-value-31c3"]
        let r = ResourceState(
            address: web, id: plainMarker, status: .created,
            inputs: ["password": .secret(.string(secrets[0])),
                     "cfg": .list([.string("x"), .secret(.string(secrets[2]))]),
                     "whole": .secret(.map(["k": .string(secrets[4]), "n": .int(5)]))],
            outputs: ["secret_key": .secret(.string(secrets[1]))])
        try store.put(stack: "s", r)
        try store.setOutputs(stack: "s", ["dsn": .secret(.string(secrets[3]))])

        XCTAssertEqual(try store.resources(stack: "s"), [r])
        XCTAssertEqual(try store.outputs(stack: "s"), ["dsn": .secret(.string(secrets[3]))])

        var raw: [UInt8] = []
        for suffix in ["", "-wal", "-shm", "-journal"] { raw += fileBytes(dir + "/state.db" + suffix) }
        XCTAssertTrue(contains(raw, plainMarker), "the scan must see plain data, or it proves nothing")
        for s in secrets { XCTAssertFalse(contains(raw, s), "plaintext secret \(s) found in the database files") }

        // After a checkpoint the main file holds the data: still no plaintext.
        try store.withDB { db in try db.exec("PRAGMA wal_checkpoint(TRUNCATE)") }
        let main = fileBytes(dir + "/state.db")
        XCTAssertTrue(contains(main, plainMarker))
        for s in secrets { XCTAssertFalse(contains(main, s)) }
    }

    func testStoredSecretShape() throws {
        let box = try SecretBox(key: Array(repeating: 7, count: 32))
        let codec = StateCodec(box: box)
        let text = try codec.encode(["p": .secret(.string("x"))], what: "t")
        guard case .map(let m)? = try JSON.decode(text)["p"], case .string(let sealed)? = m["$secret"], m.count == 1 else {
            return XCTFail(text)
        }
        let bytes = try XCTUnwrap(Data(base64Encoded: sealed))
        XCTAssertEqual(bytes.count, 12 + 3 + 16) // nonce | ciphertext of "\"x\"" | tag
        // A plain map that looks like a sealed value stays a plain map.
        let lookalike: Value = .map(["$secret": .string("not sealed")])
        let back = try codec.decode(try codec.encode(lookalike, what: "t"), mode: .decrypt, what: "t")
        XCTAssertEqual(back, lookalike)
    }

    func testWrongPassphraseGivesAClearError() throws {
        let dir = try makeTempDir(self) + "/state"
        let right = try SecretBox.forStateDirectory(dir, environment: ["SCWLUA_PASSPHRASE": "correct horse"], newSaltIterations: 1_000)
        let store = try SQLiteStateStore(path: dir + "/state.db", secrets: right)
        try store.put(stack: "s", ResourceState(address: web, inputs: ["pw": .secret(.string("p4ss"))]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/key.salt"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/key"))

        // Same passphrase, new process: reads back.
        let again = try SecretBox.forStateDirectory(dir, environment: ["SCWLUA_PASSPHRASE": "correct horse"])
        XCTAssertEqual(try SQLiteStateStore(path: dir + "/state.db", secrets: again).resources(stack: "s").first?.inputs["pw"],
                       .secret(.string("p4ss")))

        let wrong = try SecretBox.forStateDirectory(dir, environment: ["SCWLUA_PASSPHRASE": "battery staple"])
        XCTAssertThrowsError(try SQLiteStateStore(path: dir + "/state.db", secrets: wrong)) { error in
            XCTAssertTrue("\(error)".contains("cannot decrypt secrets in state: wrong SCWLUA_PASSPHRASE or key file"), "\(error)")
        }
        XCTAssertThrowsError(try wrong.open(try right.seal(Array("x".utf8)))) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot decrypt secrets in state: wrong SCWLUA_PASSPHRASE or key file"), "\(error)")
        }
        // Without the passphrase, the directory is not given a key file behind the user's back.
        XCTAssertThrowsError(try SecretBox.forStateDirectory(dir, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("set SCWLUA_PASSPHRASE"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/key"))
    }

    func testKeyFileIsCreated0600AndReused() throws {
        let dir = try makeTempDir(self) + "/state"
        let old = umask(0)
        defer { umask(old) }
        let box = try SecretBox.forStateDirectory(dir, environment: [:])
        XCTAssertEqual(fileMode(dir + "/key"), 0o600)
        let sealed = try box.seal(Array("hello".utf8))
        let again = try SecretBox.forStateDirectory(dir, environment: [:])
        XCTAssertEqual(try again.open(sealed), Array("hello".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["key"]) // no temp file left
    }

    func testConcurrentFirstUsersAgreeOnOneKey() throws {
        let dir = try makeTempDir(self) + "/state"
        let sealed = Locked([String]())
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            do {
                let box = try SecretBox.forStateDirectory(dir, environment: [:])
                let s = try box.seal([UInt8(i)])
                sealed.update { $0.append(s) }
            } catch {
                XCTFail("\(error)")
            }
        }
        let box = try SecretBox.forStateDirectory(dir, environment: [:])
        XCTAssertEqual(try sealed.current.map { try box.open($0) }.sorted { $0[0] < $1[0] }, [[0], [1], [2], [3]])
    }

    func testGroupOrWorldReadableKeyFileIsRefused() throws {
        let dir = try makeTempDir(self) + "/state"
        _ = try SecretBox.forStateDirectory(dir, environment: [:])
        XCTAssertEqual(chmod(dir + "/key", 0o644), 0)
        XCTAssertThrowsError(try SecretBox.forStateDirectory(dir, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("key file \(dir)/key"), "\(error)")
            XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
        }
    }

    func testAnotherKeyFileCannotOpenTheState() throws {
        let dir = try makeTempDir(self) + "/state"
        try SQLiteStateStore(directory: dir, environment: [:]).put(stack: "s", ResourceState(address: web))
        try FileManager.default.removeItem(atPath: dir + "/key") // lost key: a new one is made, and refused
        XCTAssertThrowsError(try SQLiteStateStore(directory: dir, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("wrong SCWLUA_PASSPHRASE or key file"), "\(error)")
        }
    }

    func testMalformedKeyFileIsRefused() throws {
        let dir = try makeTempDir(self) + "/state"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fd = open(dir + "/key", O_WRONLY | O_CREAT | O_EXCL, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = write(fd, "short", 5)
        close(fd)
        XCTAssertThrowsError(try SecretBox.forStateDirectory(dir, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("malformed"), "\(error)")
        }
    }

    func testPBKDF2MatchesKnownVectors() {
        // PBKDF2-HMAC-SHA256 test vectors (as published for RFC 7914 section 11 and widely reproduced).
        func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
        let p = Array("password".utf8), s = Array("salt".utf8)
        XCTAssertEqual(hex(PBKDF2.sha256(password: p, salt: s, iterations: 1, keyByteCount: 32)),
                       "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        XCTAssertEqual(hex(PBKDF2.sha256(password: p, salt: s, iterations: 2, keyByteCount: 32)),
                       "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        XCTAssertEqual(hex(PBKDF2.sha256(password: p, salt: s, iterations: 4096, keyByteCount: 32)),
                       "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        XCTAssertEqual(hex(PBKDF2.sha256(password: Array("passwd".utf8), salt: s, iterations: 1, keyByteCount: 64)),
                       "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                       + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
    }

    func testCorruptSealedValueIsAClearError() throws {
        let box = try SecretBox(key: Array(repeating: 1, count: 32))
        XCTAssertThrowsError(try box.open("not base64!")) { XCTAssertTrue("\($0)".contains("corrupt"), "\($0)") }
        var bytes = Array(try XCTUnwrap(Data(base64Encoded: try box.seal(Array("abc".utf8)))))
        bytes[13] ^= 1
        XCTAssertThrowsError(try box.open(Data(bytes).base64EncodedString())) {
            XCTAssertTrue("\($0)".contains("wrong SCWLUA_PASSPHRASE or key file"), "\($0)")
        }
    }
}

// RemoteSecretKey: the key that seals secrets in remote state. Everyone sharing the state must
// be able to open them, so it is derived from SCWLUA_PASSPHRASE with a salt kept as an object
// (`<prefix>/key.salt`, with a sealed check value); asked for only when a secret is used.

import Foundation
import ScwCore
import ScwState

/// Builds (once) and caches the remote state's SecretBox.
final class RemoteSecretKey: @unchecked Sendable {
    static let checkField = "check"
    static let checkText = "scwlua state key check"

    private let objects: S3StateObjects
    private let passphrase: String?
    private let newSaltIterations: Int
    private let mutex = NSLock()
    private var box: SecretBox?

    init(objects: S3StateObjects, environment: [String: String], newSaltIterations: Int = SecretBox.defaultIterations) {
        self.objects = objects
        self.passphrase = environment[SecretBox.passphraseVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.newSaltIterations = newSaltIterations
    }

    /// The key, derived on first use. Throws a clear error without SCWLUA_PASSPHRASE, or when
    /// the passphrase is not the one the state's secrets were sealed with.
    func get() throws -> SecretBox {
        mutex.lock()
        defer { mutex.unlock() }
        if let box { return box }
        let where_ = objects.location.description
        guard let passphrase else {
            throw SecretBoxError("secrets cannot be sealed or opened in remote state \(where_) without \(SecretBox.passphraseVariable): "
                                 + "set it (the same passphrase for everyone using \(where_)); remote state derives its key from it "
                                 + "so that everyone sharing the state can open the secrets")
        }
        let made = try BlockingBridge.run { [objects, newSaltIterations] in
            try await Self.derive(passphrase: passphrase, objects: objects, newSaltIterations: newSaltIterations)
        }
        box = made
        return made
    }

    /// Reads `key.salt` (creating it, with a check value sealed under the new key, if there is
    /// none) and derives the key; a check value that does not open means a wrong passphrase.
    private static func derive(passphrase: String, objects: S3StateObjects, newSaltIterations: Int) async throws -> SecretBox {
        let key = objects.location.saltKey
        for _ in 0..<5 {
            if let (body, _) = try await objects.get(key) {
                let params = try KDFParameters.parse(body, what: "salt object \(objects.url(key))")
                let box = try SecretBox(passphrase: passphrase, parameters: params)
                if let doc = try? JSON.decode(bytes: body), let sealed = doc[checkField]?.stringValue {
                    guard let plain = try? box.open(sealed), plain == Array(checkText.utf8) else {
                        throw SecretBoxError("\(SecretBoxError.wrongKeyMessage): \(SecretBox.passphraseVariable) is not the passphrase "
                                             + "the secrets in \(objects.location) were sealed with")
                    }
                }
                return box
            }
            // No salt yet: make one, with the check sealed under the key it gives.
            let params = KDFParameters.random(iterations: newSaltIterations)
            let box = try SecretBox(passphrase: passphrase, parameters: params)
            var doc = try JSON.decode(bytes: params.document).mapValue ?? [:]
            doc[checkField] = .string(try box.seal(Array(checkText.utf8)))
            let body = Array((JSON.encode(.map(doc)) + "\n").utf8)
            switch try await objects.put(key, body, ifAbsent: true) {
            case .written:
                return box
            case .conditionFailed:
                continue   // another process made one first (or our own write echoed): read it
            }
        }
        throw RemoteStateError("cannot set up the secrets salt \(objects.url(key)): it keeps changing")
    }
}

/// A store that can tell, before anything is applied, whether it will be able to seal secrets.
public protocol SecretKeyPreflight {
    /// Throws the error sealing a secret would throw (no passphrase, a wrong one).
    func checkSecretKey() throws
}

extension S3StateStore: SecretKeyPreflight {
    public func checkSecretKey() throws {
        _ = try secretKey.get()
    }
}

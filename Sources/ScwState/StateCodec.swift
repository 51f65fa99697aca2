// StateCodec: Value <-> the JSON text stored in state. `.secret(v)` is stored encrypted as
// {"$secret":"<sealed>"}; map keys starting with "$" are escaped as "$$…" so a plain map can
// never pass for a secret. Unknowns and expressions are refused: state holds resolved values.
// Public so that every store (SQLite here, S3 in ScwRemoteState) stores values the same way.

import ScwCore

/// A value that state cannot hold (an unknown or an unresolved expression), or stored text
/// that cannot be read back.
public struct StateError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Turns values into stored JSON text and back, sealing `.secret` values with a ``SecretBox``.
public struct StateCodec: Sendable {
    static let secretKey = "$secret"

    /// How stored secrets are read back.
    public enum SecretMode: Sendable {
        /// Decrypted into `.secret(value)`.
        case decrypt
        /// Not decrypted: `.secret(.string("(sensitive)"))` (for export and inspection).
        case redact
    }

    /// The key, asked for only when a secret is sealed or opened (a remote store derives it
    /// from SCWLUA_PASSPHRASE, which state without secrets must not need).
    private let secrets: @Sendable () throws -> SecretBox

    /// A codec with a key at hand.
    public init(box: SecretBox) {
        secrets = { box }
    }

    /// A codec whose key is fetched (and may fail) at the first secret; `secrets` is called
    /// for every secret, so it should cache what it builds.
    public init(secrets: @escaping @Sendable () throws -> SecretBox) {
        self.secrets = secrets
    }

    // MARK: encode

    /// Stored JSON text for `value`. `what` names the value in errors (e.g. `Vpc/main input 'tags'`).
    public func encode(_ value: Value, what: @autoclosure () -> String) throws -> String {
        JSON.encode(try stored(value, path: [], what: what))
    }

    /// Stored JSON text for a map of values (inputs, outputs): a JSON object.
    public func encode(_ map: [String: Value], what: @autoclosure () -> String) throws -> String {
        try encode(.map(map), what: what())
    }

    private func stored(_ value: Value, path: [String], what: () -> String) throws -> Value {
        switch value {
        case .null, .bool, .int, .double, .string:
            return value
        case .list(let a):
            return .list(try a.enumerated().map { try stored($0.element, path: path + ["[\($0.offset + 1)]"], what: what) })
        case .map(let m):
            var out: [String: Value] = [:]
            for (k, v) in m { out[Self.escape(k)] = try stored(v, path: path + [k], what: what) }
            return .map(out)
        case .secret(let inner):
            if inner.containsUnknown { throw notStorable(path, what) }
            // Nested secret wrappers collapse: the whole inner value is sealed at once.
            let plain = try stored(inner.revealed, path: path, what: what)
            let sealed = try secrets().seal(Array(JSON.encode(plain).utf8))
            return .map([Self.secretKey: .string(sealed)])
        case .unknown, .ref, .concat, .transform:
            throw notStorable(path, what)
        }
    }

    private func notStorable(_ path: [String], _ what: () -> String) -> StateError {
        let at = path.isEmpty ? "" : " at \(path.joined(separator: "."))"
        return StateError("internal error: \(what())\(at) is not known yet (an unknown or an unresolved reference); "
                          + "state only holds resolved values")
    }

    // MARK: decode

    public func decode(_ text: String, mode: SecretMode, what: @autoclosure () -> String) throws -> Value {
        let raw: Value
        do {
            raw = try JSON.decode(text)
        } catch {
            throw StateError("state is damaged: \(what()) is not valid JSON (\(error))")
        }
        return try live(raw, mode: mode, what: what)
    }

    public func decodeMap(_ text: String, mode: SecretMode, what: @autoclosure () -> String) throws -> [String: Value] {
        guard case .map(let m) = try decode(text, mode: mode, what: what()) else {
            throw StateError("state is damaged: \(what()) is not a JSON object")
        }
        return m
    }

    private func live(_ value: Value, mode: SecretMode, what: () -> String) throws -> Value {
        switch value {
        case .list(let a):
            return .list(try a.map { try live($0, mode: mode, what: what) })
        case .map(let m):
            if m.count == 1, case .string(let sealed)? = m[Self.secretKey] {
                switch mode {
                case .redact:
                    return .secret(.string("(sensitive)"))
                case .decrypt:
                    let plain = try secrets().open(sealed)
                    let inner: Value
                    do {
                        inner = try JSON.decode(bytes: plain)
                    } catch {
                        throw StateError("state is damaged: a secret in \(what()) does not decode")
                    }
                    return .secret(try live(inner, mode: mode, what: what))
                }
            }
            var out: [String: Value] = [:]
            for (k, v) in m { out[Self.unescape(k)] = try live(v, mode: mode, what: what) }
            return .map(out)
        default:
            return value
        }
    }

    // MARK: keys

    static func escape(_ key: String) -> String {
        key.hasPrefix("$") ? "$" + key : key
    }

    static func unescape(_ key: String) -> String {
        key.hasPrefix("$$") ? String(key.dropFirst()) : key
    }
}

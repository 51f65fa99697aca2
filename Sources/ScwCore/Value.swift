// Value: the one data type that flows between the script, the engine, the state and the
// resources. It is JSON-shaped, plus three things a plan needs: sensitive values, values not
// known before apply, and expressions over other resources' outputs.

/// A declared or resolved property value.
///
/// Plain cases mirror JSON. The others only appear before apply:
/// - `secret` wraps a value that must never be printed or stored in plaintext;
/// - `unknown` stands for a value only known after apply;
/// - `ref`, `concat`, `transform` are expressions over other resources' outputs.
public indirect enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case list([Value])
    case map([String: Value])
    case secret(Value)
    case unknown
    case ref(OutputRef)
    case concat([Value])
    case transform(Value, TransformID)
}

/// A reference to an output of another resource: `web.public_ip`, `db.endpoint.ip`.
public struct OutputRef: Hashable, Sendable, CustomStringConvertible {
    public var address: ResourceAddress
    /// Path inside the resource's outputs (first element is the output name).
    public var path: [PathElement]

    public init(address: ResourceAddress, path: [PathElement]) {
        self.address = address
        self.path = path
    }

    public var description: String {
        var s = address.description
        for element in path {
            switch element {
            case .key(let k): s += "." + k
            case .index(let i): s += "[\(i + 1)]"
            }
        }
        return s
    }
}

public enum PathElement: Hashable, Sendable {
    case key(String)
    case index(Int)
}

/// Names a function kept by the script layer (a Lua closure given to `ref:map`), run at apply time.
public struct TransformID: Hashable, Sendable {
    public let raw: Int
    public init(_ raw: Int) { self.raw = raw }
}

extension Value {
    /// True when no expression, unknown or secret remains anywhere inside.
    public var isPlain: Bool {
        switch self {
        case .null, .bool, .int, .double, .string: return true
        case .list(let a): return a.allSatisfy(\.isPlain)
        case .map(let m): return m.values.allSatisfy(\.isPlain)
        case .secret, .unknown, .ref, .concat, .transform: return false
        }
    }

    /// True when the value, or something inside it, is sensitive.
    public var isSensitive: Bool {
        switch self {
        case .secret: return true
        case .list(let a): return a.contains { $0.isSensitive }
        case .map(let m): return m.values.contains { $0.isSensitive }
        case .concat(let parts): return parts.contains { $0.isSensitive }
        case .transform(let v, _): return v.isSensitive
        default: return false
        }
    }

    /// True when something inside is not yet known (unknown or an unresolved expression).
    public var containsUnknown: Bool {
        switch self {
        case .unknown, .ref, .transform: return true
        case .concat(let parts): return parts.contains { $0.containsUnknown }
        case .list(let a): return a.contains { $0.containsUnknown }
        case .map(let m): return m.values.contains { $0.containsUnknown }
        case .secret(let v): return v.containsUnknown
        default: return false
        }
    }

    /// Every output reference inside the value (for dependency edges).
    public var references: [OutputRef] {
        switch self {
        case .ref(let r): return [r]
        case .list(let a): return a.flatMap(\.references)
        case .map(let m): return m.keys.sorted().flatMap { m[$0]!.references }
        case .concat(let parts): return parts.flatMap(\.references)
        case .transform(let v, _): return v.references
        case .secret(let v): return v.references
        default: return []
        }
    }

    /// The value with every `secret` wrapper removed (for sending to an API).
    public var revealed: Value {
        switch self {
        case .secret(let v): return v.revealed
        case .list(let a): return .list(a.map(\.revealed))
        case .map(let m): return .map(m.mapValues(\.revealed))
        default: return self
        }
    }

    public subscript(key: String) -> Value? {
        if case .map(let m) = self { return m[key] }
        if case .secret(let v) = self { return v[key].map(Value.secret) }
        return nil
    }

    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .secret(let v): return v.stringValue
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int64(d)
        default: return nil
        }
    }

    public var listValue: [Value]? {
        if case .list(let a) = self { return a }
        return nil
    }

    public var mapValue: [String: Value]? {
        if case .map(let m) = self { return m }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Follows a path of keys and indexes; nil when the path does not exist.
    /// A secret met on the way stays secret around what is found inside it.
    public func value(at path: [PathElement]) -> Value? {
        guard let first = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch (first, self) {
        case (_, .unknown):
            return .unknown   // inside a value not known yet: not known either
        case (_, .secret(let inner)):
            return inner.value(at: path).map(Value.secret)
        case (.key(let k), .map(let m)):
            return m[k]?.value(at: rest)
        case (.index(let i), .list(let a)):
            guard i >= 0, i < a.count else { return nil }
            return a[i].value(at: rest)
        default:
            return nil
        }
    }
}

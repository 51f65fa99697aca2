// Resolver: evaluates references and expressions in declared props against the outputs
// known so far. What cannot be known yet stays `.unknown`.

import ScwCore

/// Runs the functions a script attached to references (`ref:map(fn)`). The script layer
/// implements it; the engine only passes values through.
public protocol ValueTransformer: Sendable {
    func transform(_ id: TransformID, _ input: Value) async throws -> Value
}

/// Known outputs by resource; a resource missing from the map has unknown outputs.
public struct Resolver: Sendable {
    public var outputs: [ResourceAddress: [String: Value]]
    public var transformer: (any ValueTransformer)?

    public init(outputs: [ResourceAddress: [String: Value]], transformer: (any ValueTransformer)?) {
        self.outputs = outputs
        self.transformer = transformer
    }

    public func resolve(_ value: Value) async throws -> Value {
        switch value {
        case .null, .bool, .int, .double, .string, .unknown:
            return value
        case .secret(let inner):
            let r = try await resolve(inner)
            if case .unknown = r { return .unknown }
            return .secret(r.revealed)
        case .list(let items):
            var out: [Value] = []
            for item in items { out.append(try await resolve(item)) }
            return .list(out)
        case .map(let m):
            var out: [String: Value] = [:]
            for (k, v) in m { out[k] = try await resolve(v) }
            return .map(out)
        case .ref(let ref):
            guard let outs = outputs[ref.address] else { return .unknown }
            return Value.map(outs).value(at: ref.path) ?? .null
        case .concat(let parts):
            var text = ""
            var sensitive = false
            var unknown = false
            for part in parts {
                let r = try await resolve(part)
                if r.isSensitive { sensitive = true }
                if r.containsUnknown { unknown = true; continue }
                text += Self.text(of: r.revealed)
            }
            // Still unknown, but already known to hold a secret: plans show it as (sensitive).
            if unknown { return sensitive ? .secret(.unknown) : .unknown }
            return sensitive ? .secret(.string(text)) : .string(text)
        case .transform(let input, let id):
            let r = try await resolve(input)
            if r.containsUnknown { return .unknown }
            guard let transformer else { return .unknown }
            let out = try await transformer.transform(id, r.revealed)
            return r.isSensitive ? .secret(out) : out
        }
    }

    public func resolve(_ props: [String: Value]) async throws -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in props { out[k] = try await resolve(v) }
        return out
    }

    /// How a value reads when joined into a string (`..` in Lua).
    static func text(of value: Value) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "nil"
        default: return JSON.encode(value)
        }
    }
}

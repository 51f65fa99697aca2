// SecretEcho: the cloud may hand a secret back (a secret name, a secret tag). Whatever it
// returns that holds the plaintext of one of the resource's secret inputs is marked secret
// again, so it never reaches a plan, an output or plaintext state (invariant 5).

import ScwCore

enum SecretEcho {
    /// Plaintexts shorter than this are matched only whole, not inside longer strings.
    static let minimumContainedLength = 4

    /// Every string held under a `secret` in the inputs.
    static func plaintexts(in inputs: [String: Value]) -> Set<String> {
        var out = Set<String>()
        func walk(_ v: Value, secret: Bool) {
            switch v {
            case .string(let s) where secret && !s.isEmpty: out.insert(s)
            case .secret(let inner): walk(inner, secret: true)
            case .list(let a): a.forEach { walk($0, secret: secret) }
            case .map(let m): m.values.forEach { walk($0, secret: secret) }
            default: break
            }
        }
        inputs.values.forEach { walk($0, secret: false) }
        return out
    }

    static func mask(_ values: [String: Value], inputs: [String: Value]) -> [String: Value] {
        let secrets = plaintexts(in: inputs)
        guard !secrets.isEmpty else { return values }
        return values.mapValues { mask($0, secrets) }
    }

    static func mask(_ value: Value, _ secrets: Set<String>) -> Value {
        switch value {
        case .string(let s):
            let leaks = secrets.contains(s) || secrets.contains { $0.count >= minimumContainedLength && s.contains($0) }
            return leaks ? .secret(value) : value
        case .list(let a): return .list(a.map { mask($0, secrets) })
        case .map(let m): return .map(m.mapValues { mask($0, secrets) })
        default: return value
        }
    }

    static func mask(_ read: ReadResult, inputs: [String: Value]) -> ReadResult {
        ReadResult(outputs: mask(read.outputs, inputs: inputs), observed: mask(read.observed, inputs: inputs))
    }

    static func mask(_ created: CreateResult, inputs: [String: Value]) -> CreateResult {
        CreateResult(id: created.id, outputs: mask(created.outputs, inputs: inputs), halfMade: created.halfMade, replaceReason: created.replaceReason)
    }
}

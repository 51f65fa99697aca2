// SecretRedaction: a last net under what the CLI prints for a stack command. Every message
// path hides secrets itself; should one still carry a secret's plaintext (an API error that
// echoes a value, a resource's message that quotes one), it is printed as `(sensitive)`.

import Foundation
import ScwCore
import ScwEngine

enum SecretRedaction {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var plaintexts: [String] = []
    /// Shorter secrets are not hunted for: they would hide ordinary words of the output.
    static let minimumLength = 6

    /// Remembers the plaintext of every secret string `program` declares (props and outputs).
    static func remember(_ program: Program) {
        var found = Set<String>()
        func visit(_ value: Value, inSecret: Bool) {
            switch value {
            case .secret(let inner): visit(inner, inSecret: true)
            case .string(let s): if inSecret, s.count >= minimumLength { found.insert(s) }
            case .list(let items): for item in items { visit(item, inSecret: inSecret) }
            case .map(let fields): for v in fields.values { visit(v, inSecret: inSecret) }
            case .concat(let parts): for p in parts { visit(p, inSecret: inSecret) }
            case .transform(let input, _): visit(input, inSecret: inSecret)
            default: break
            }
        }
        for d in program.declarations { for v in d.props.values { visit(v, inSecret: false) } }
        for v in program.outputs.values { visit(v, inSecret: false) }
        let sorted = found.sorted { $0.count > $1.count }   // a longer secret before one inside it
        lock.withLock { plaintexts = sorted }
    }

    /// `text` with every remembered plaintext replaced by `(sensitive)`.
    static func apply(_ text: String) -> String {
        let secrets = lock.withLock { plaintexts }
        var out = text
        for s in secrets where out.contains(s) { out = out.replacingOccurrences(of: s, with: "(sensitive)") }
        return out
    }
}

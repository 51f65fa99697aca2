// DiagnosticList: several problems reported at once (every bad prop of a script, every check a
// resource failed), so that a user fixes them in one round rather than one per run.

/// Problems found together, in the order found. Its description is one problem per line, each
/// after the first prefixed with `error: ` as the CLI prints the first.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic]) { self.items = items }

    public var description: String { items.map(\.description).joined(separator: "\nerror: ") }

    /// Throws nothing for no problem, the problem itself for one, the list for more.
    public static func throwIfAny(_ items: [Diagnostic]) throws {
        if items.count == 1 { throw items[0] }
        if items.count > 1 { throw DiagnosticList(items) }
    }
}

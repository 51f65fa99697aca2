// ResourceAddress: how a resource is named inside a stack ("Vpc/main"), also its URN tag.

/// The identity of a resource in its stack: its type and the name given in the script.
public struct ResourceAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let type: String
    public let name: String

    public init(type: String, name: String) {
        self.type = type
        self.name = name
    }

    /// Parses `Type/name`; nil when there is no slash.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let t = String(text[..<slash]), n = String(text[text.index(after: slash)...])
        guard !t.isEmpty, !n.isEmpty else { return nil }
        self.init(type: t, name: n)
    }

    /// `Type/name`, the form used in state, plans and the `scwlua:urn=` ownership tag.
    public var description: String { "\(type)/\(name)" }

    public static func < (a: ResourceAddress, b: ResourceAddress) -> Bool {
        (a.type, a.name) < (b.type, b.name)
    }
}

// NameRules: what a resource's name in the script, and a cloud-side `name` prop, may hold.
// Checked when the constructor runs, so a huge or binary name stops at its script line
// instead of reaching state, tags and the API.

import ScwCore

enum NameRules {
    /// The longest resource name in a script, in bytes: it is also written into the
    /// `scwlua:urn=Type/name` tag, which the API limits.
    static let maxResourceName = 128
    /// The longest cloud-side name.
    static let maxNameProp = 255

    /// A resource's identity in its stack (`scw.Vpc "main"`).
    static func checkResourceName(_ name: String, location: SourceLocation) throws {
        if let problem = problem(in: name, limit: maxResourceName) {
            throw Diagnostic("resource name \(problem)", at: .script(location), hint: "use a short name of letters, digits, '-' and '_'")
        }
    }

    /// The `name` prop (the name the Scaleway console shows).
    static func checkNameProp(_ value: Value, location: SourceLocation) throws {
        guard case .string(let name) = value.isSensitive ? .null : value else { return }
        if let problem = problem(in: name, limit: maxNameProp) {
            throw Diagnostic("'name' \(problem)", at: .script(location))
        }
    }

    private static func problem(in name: String, limit: Int) -> String? {
        if name.utf8.count > limit { return "is \(name.utf8.count) bytes long; the limit is \(limit)" }
        if name.unicodeScalars.contains(where: { $0 == "\0" }) { return "contains a NUL byte" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains a control character (a line break, a tab, ...)"
        }
        return nil
    }
}

// SourceLocation and Diagnostic: user-fixable problems, with the place that causes them.

/// A place in a script: `infra.lua:12`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible, Codable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }
}

/// A problem the user can fix, with where it comes from (script line, config key, API field).
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Place: Hashable, Sendable {
        case script(SourceLocation)
        case configKey(String)
        case apiField(String)
        case resource(ResourceAddress)
        case nowhere
    }

    public var message: String
    public var place: Place
    /// An optional hint ("did you mean ...", "run scwlua state unlock").
    public var hint: String?

    public init(_ message: String, at place: Place = .nowhere, hint: String? = nil) {
        self.message = message
        self.place = place
        self.hint = hint
    }

    public var description: String {
        var prefix = ""
        switch place {
        case .script(let loc): prefix = "\(loc): "
        case .configKey(let key): prefix = "config \(key): "
        case .apiField(let field): prefix = "field \(field): "
        case .resource(let addr): prefix = "\(addr): "
        case .nowhere: break
        }
        var text = prefix + message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

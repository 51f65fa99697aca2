// ConfigFile: reads the scw CLI's config.yaml into plain entries that remember their line:
// top-level keys (the default profile), `active_profile`, and `profiles: {name: {...}}`.
// Malformed YAML becomes a Diagnostic naming the file and line (never quoting the line,
// which could hold the secret key).

import ScwCore
import Yams

/// The parsed content of a scw config file.
struct ConfigFile {
    /// One scalar value and the line it is on.
    struct Entry {
        var value: String
        var line: Int?
    }

    var path: String
    /// The default profile: keys at the top level.
    var root: [String: Entry] = [:]
    var activeProfile: Entry?
    /// Named profiles, in file order.
    var profiles: [(name: String, entries: [String: Entry])] = []

    func profile(named name: String) -> [String: Entry]? {
        profiles.first { $0.name == name }?.entries
    }

    /// `/path/config.yaml:12` (or the path alone).
    func place(_ line: Int?) -> String {
        line.map { "\(path):\($0)" } ?? path
    }

    static func parse(_ text: String, path: String) throws -> ConfigFile {
        var file = ConfigFile(path: path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlDiagnostic(error, path: path)
        }
        guard let node else { return file }  // empty file
        guard case .mapping(let top) = node else {
            if isNull(node) { return file }
            throw Diagnostic("the config file should be a YAML mapping of keys (access_key: ..., secret_key: ...)",
                             at: .configKey(file.place(node.mark?.line)))
        }
        for (keyNode, valueNode) in top {
            guard let key = keyNode.string else { continue }
            switch key {
            case "profiles":
                if isNull(valueNode) { continue }
                guard case .mapping(let named) = valueNode else {
                    throw Diagnostic("`profiles` should be a mapping of profile names to settings",
                                     at: .configKey(file.place(valueNode.mark?.line)))
                }
                for (nameNode, profileNode) in named {
                    guard let name = nameNode.string else { continue }
                    var entries: [String: Entry] = [:]
                    if !isNull(profileNode) {
                        guard case .mapping(let settings) = profileNode else {
                            throw Diagnostic("profile `\(name)` should be a mapping of settings (access_key: ..., secret_key: ...)",
                                             at: .configKey(file.place(profileNode.mark?.line)))
                        }
                        entries = try scalars(of: settings, prefix: "profiles.\(name).", file: file)
                    }
                    file.profiles.append((name, entries))
                }
            case "active_profile":
                file.activeProfile = try scalar(valueNode, key: key, file: file)
            default:
                if let entry = try scalar(valueNode, key: key, file: file, strict: isKnown(key)) { file.root[key] = entry }
            }
        }
        return file
    }

    /// Keys whose value must be a single scalar.
    private static func isKnown(_ key: String) -> Bool {
        ConfigKey(rawValue: key) != nil || key == "insecure" || key == "send_telemetry"
    }

    private static func scalars(of mapping: Node.Mapping, prefix: String, file: ConfigFile) throws -> [String: Entry] {
        var out: [String: Entry] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else { continue }
            if let entry = try scalar(valueNode, key: prefix + key, file: file, strict: isKnown(key)) { out[key] = entry }
        }
        return out
    }

    /// A scalar value; nil for YAML null. A list or mapping is an error for known keys and
    /// ignored for others.
    private static func scalar(_ node: Node, key: String, file: ConfigFile, strict: Bool = true) throws -> Entry? {
        guard case .scalar(let s) = node else {
            guard strict else { return nil }
            throw Diagnostic("`\(key)` should be a single value, not a list or mapping", at: .configKey(file.place(node.mark?.line)))
        }
        if isNull(node) { return nil }
        return Entry(value: s.string, line: s.mark?.line)
    }

    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    private static func yamlDiagnostic(_ error: YamlError, path: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return Diagnostic("invalid YAML at line \(mark.line), column \(mark.column): \(problem)\(ctx)",
                              at: .configKey("\(path):\(mark.line)"),
                              hint: "fix the file, or point SCW_CONFIG_PATH at another one")
        case .reader(let problem, let offset, _, _):
            return Diagnostic("cannot read the file as YAML text: \(problem)" + (offset.map { " at character \($0)" } ?? ""),
                              at: .configKey(path))
        default:
            return Diagnostic("invalid YAML: the file could not be parsed", at: .configKey(path))
        }
    }
}

// PropValidator: checks declared props against a resource schema the moment a constructor
// runs: kinds, required props, allowed values, formats (CIDR, region, zone), unknown keys
// with a "did you mean". Errors name the script line.

import ScwCore

struct PropValidator {
    let schema: ResourceSchema
    let location: SourceLocation

    /// Returns the props with aliases resolved (`vpc` → `vpc_id`) and numbers coerced.
    /// Every problem is reported, not only the first: one Diagnostic, or a DiagnosticList.
    func validate(_ props: [String: Value]) throws -> [String: Value] {
        var out: [String: Value] = [:]
        var problems: [Diagnostic] = []
        for key in props.keys.sorted() {
            let value = props[key]!
            do {
                guard let spec = spec(for: key) else {
                    let names = schema.props.map(\.name)
                    let hint = Suggest.closest(to: key, in: names.filter { props[$0] == nil }).map { "did you mean '\($0)'?" }
                        ?? "known props: \(names.joined(separator: ", "))"
                    throw fail("unknown prop '\(key)' for \(schema.typeName)", hint: hint)
                }
                if out[spec.name] != nil { throw fail("'\(key)' and '\(spec.name)' are the same prop; give only one") }
                if spec.name == "name" { try NameRules.checkNameProp(value, location: location) }
                var checked = try check(value, kind: spec.kind, path: spec.name, spec: spec)
                if spec.sensitive, !checked.isSensitive { checked = .secret(checked) }
                out[spec.name] = checked
            } catch let d as Diagnostic {
                problems.append(d)
                if let spec = spec(for: key) { out[spec.name] = .null }   // given, though wrong: not also "missing"
            }
        }
        for spec in schema.props where spec.required && out[spec.name] == nil {
            problems.append(fail("\(schema.typeName) needs '\(spec.name)' (\(spec.kind))"))
        }
        try DiagnosticList.throwIfAny(problems)
        return out
    }

    /// The spec for a key, accepting `vpc` for `vpc_id` (and `user` for `user_name`) when the
    /// prop takes a resource, and `certificates` for `certificate_ids` when it takes a list of them.
    private func spec(for key: String) -> PropSpec? {
        Self.field(key, in: schema.props)
    }

    static func field(_ key: String, in specs: [PropSpec]) -> PropSpec? {
        if let s = specs.first(where: { $0.name == key }) { return s }
        if let s = specs.first(where: { $0.name == key + "_id" }), case .resourceID = s.kind { return s }
        if let s = specs.first(where: { $0.name == key + "_name" }), case .resourceID = s.kind { return s }   // `user` → `user_name` (RdbPrivilege)
        if key.hasSuffix("s"), let s = specs.first(where: { $0.name == key.dropLast() + "_ids" }), case .list(.resourceID) = s.kind { return s }
        return nil
    }

    private func fail(_ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(message, at: .script(location), hint: hint)
    }

    /// - Parameter sensitive: the value sits inside a secret: messages show `(sensitive value)`
    ///   in place of it, and no "did you mean" (a close match would tell part of it).
    private func check(_ value: Value, kind: PropKind, path: String, spec: PropSpec, sensitive: Bool = false) throws -> Value {
        switch value {
        case .secret(let inner):
            return .secret(try check(inner, kind: kind, path: path, spec: spec, sensitive: true))
        case .ref(let ref):
            if case .resourceID(let types) = kind, ref.path == [.key("id")], !types.contains(ref.address.type) {
                throw fail("'\(path)' expects \(kind), got a \(ref.address.type) handle")
            }
            return value
        case .concat, .transform, .unknown:
            return value
        default:
            break
        }
        switch kind {
        case .any:
            return value
        case .string:
            guard case .string(let s) = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            try checkFormat(s, spec: spec, path: path, sensitive: sensitive)
            if let allowed = spec.allowed, !allowed.contains(s) {
                let list = "one of: \(allowed.joined(separator: ", "))"
                if sensitive { throw fail("'\(path)' cannot be \(Self.hidden)", hint: list) }
                let hint = Suggest.closest(to: s, in: allowed).map { "did you mean '\($0)'?" } ?? list
                throw fail("'\(path)' cannot be '\(s)'", hint: hint)
            }
            return value
        case .resourceID:
            guard case .string = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            return value
        case .int:
            if let i = value.intValue { return .int(i) }
            throw mismatch(path, kind, value, sensitive: sensitive)
        case .number:
            switch value {
            case .int, .double: return value
            default: throw mismatch(path, kind, value, sensitive: sensitive)
            }
        case .bool:
            guard case .bool = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            return value
        case .list(let inner):
            // An empty Lua table converts to an empty map or list alike.
            if case .map(let m) = value, m.isEmpty { return .list([]) }
            guard case .list(let items) = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            return .list(try items.enumerated().map {
                try check($1, kind: inner, path: "\(path)[\($0 + 1)]", spec: spec, sensitive: sensitive)
            })
        case .map(let inner):
            if case .list(let a) = value, a.isEmpty { return .map([:]) }
            guard case .map(let m) = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            var out: [String: Value] = [:]
            for (k, v) in m {
                out[k] = try check(v, kind: inner, path: sensitive ? path : "\(path).\(k)", spec: spec, sensitive: sensitive)
            }
            return .map(out)
        case .object(let fields):
            if case .list(let a) = value, a.isEmpty { return .map([:]) }
            guard case .map(let m) = value else { throw mismatch(path, kind, value, sensitive: sensitive) }
            var out: [String: Value] = [:]
            for k in m.keys.sorted() {
                guard let f = Self.field(k, in: fields) else {
                    if sensitive { throw fail("unknown field \(Self.hidden) in '\(path)'", hint: "fields: \(fields.map(\.name).joined(separator: ", "))") }
                    let valid = "fields: \(fields.map(\.name).joined(separator: ", "))"
                    // A field the table already has is not what was meant (`prot` beside `port`).
                    let unused = fields.map(\.name).filter { m[$0] == nil }
                    let guess = Suggest.closest(to: k, in: unused) ?? (k.count >= 3 ? unused.first { $0.hasPrefix(k) } : nil)
                    let hint = guess.map { "did you mean '\($0)'? \(valid)" } ?? valid
                    throw fail("unknown field '\(k)' in '\(path)'", hint: hint)
                }
                if out[f.name] != nil { throw fail("'\(path).\(k)' and '\(path).\(f.name)' are the same field; give only one") }
                out[f.name] = try check(m[k]!, kind: f.kind, path: "\(path).\(f.name)", spec: f, sensitive: sensitive)
            }
            for f in fields where f.required && out[f.name] == nil { throw fail("'\(path)' needs '\(f.name)'") }
            return .map(out)
        }
    }

    private func checkFormat(_ s: String, spec: PropSpec, path: String, sensitive: Bool) throws {
        guard let format = spec.format else { return }
        let shown = sensitive ? Self.hidden : "'\(s)'"
        switch format {
        case .cidr:
            do { _ = try CIDR(parsing: s) } catch {
                if sensitive { throw fail("'\(path)': \(Self.hidden) is not a CIDR block such as 10.0.1.0/24") }
                throw fail("'\(path)': \(error)")
            }
        case .region:
            if !Locality.isRegion(s) {
                let list = "regions: \(Locality.regions.joined(separator: ", "))"
                let hint = sensitive ? list : Suggest.closest(to: s, in: Locality.regions).map { "did you mean '\($0)'?" } ?? list
                throw fail("'\(path)': unknown region \(shown)", hint: hint)
            }
        case .zone:
            if !Locality.isZone(s) {
                let list = "zones: \(Locality.zones.joined(separator: ", "))"
                let hint = sensitive ? list : Suggest.closest(to: s, in: Locality.zones).map { "did you mean '\($0)'?" } ?? list
                throw fail("'\(path)': unknown zone \(shown)", hint: hint)
            }
        case .uuid:
            if !UUIDText.isValid(s) { throw fail("'\(path)': \(shown) is not a UUID") }
        case .duration:
            if DurationText.seconds(s) == nil { throw fail("'\(path)': \(shown) is not a duration (e.g. \"20m\", \"1h30m\")") }
        }
    }

    private func mismatch(_ path: String, _ kind: PropKind, _ value: Value, sensitive: Bool) -> Diagnostic {
        fail("'\(path)' expects \(kind), got \(sensitive ? Self.hidden : Self.describe(value))")
    }

    /// What messages show in place of a secret's value.
    static let hidden = "(sensitive value)"

    static func describe(_ value: Value) -> String {
        switch value {
        case .null: return "nil"
        case .bool(let b): return "boolean \(b)"
        case .int(let i): return "number \(i)"
        case .double(let d): return "number \(d)"
        case .string(let s): return "string \"\(s)\""
        case .list: return "a list"
        case .map: return "a table"
        default: return "a reference"
        }
    }
}

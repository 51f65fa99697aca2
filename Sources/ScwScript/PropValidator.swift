// PropValidator: checks declared props against a resource schema the moment a constructor
// runs: kinds, required props, allowed values, formats (CIDR, region, zone), unknown keys
// with a "did you mean". Errors name the script line.

import ScwCore

struct PropValidator {
    let schema: ResourceSchema
    let location: SourceLocation

    /// Returns the props with aliases resolved (`vpc` → `vpc_id`) and numbers coerced.
    func validate(_ props: [String: Value]) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for key in props.keys.sorted() {
            let value = props[key]!
            guard let spec = spec(for: key) else {
                let names = schema.props.map(\.name)
                let hint = Suggest.closest(to: key, in: names).map { "did you mean '\($0)'?" }
                    ?? "known props: \(names.joined(separator: ", "))"
                throw fail("unknown prop '\(key)' for \(schema.typeName)", hint: hint)
            }
            if out[spec.name] != nil { throw fail("'\(key)' and '\(spec.name)' are the same prop; give only one") }
            var checked = try check(value, kind: spec.kind, path: spec.name, spec: spec)
            if spec.sensitive, !checked.isSensitive { checked = .secret(checked) }
            out[spec.name] = checked
        }
        for spec in schema.props where spec.required && out[spec.name] == nil {
            throw fail("\(schema.typeName) needs '\(spec.name)' (\(spec.kind))")
        }
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

    private func check(_ value: Value, kind: PropKind, path: String, spec: PropSpec) throws -> Value {
        switch value {
        case .secret(let inner):
            return .secret(try check(inner, kind: kind, path: path, spec: spec))
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
            guard case .string(let s) = value else { throw mismatch(path, kind, value) }
            try checkFormat(s, spec: spec, path: path)
            if let allowed = spec.allowed, !allowed.contains(s) {
                let hint = Suggest.closest(to: s, in: allowed).map { "did you mean '\($0)'?" } ?? "one of: \(allowed.joined(separator: ", "))"
                throw fail("'\(path)' cannot be '\(s)'", hint: hint)
            }
            return value
        case .resourceID:
            guard case .string = value else { throw mismatch(path, kind, value) }
            return value
        case .int:
            if let i = value.intValue { return .int(i) }
            throw mismatch(path, kind, value)
        case .number:
            switch value {
            case .int, .double: return value
            default: throw mismatch(path, kind, value)
            }
        case .bool:
            guard case .bool = value else { throw mismatch(path, kind, value) }
            return value
        case .list(let inner):
            // An empty Lua table converts to an empty map or list alike.
            if case .map(let m) = value, m.isEmpty { return .list([]) }
            guard case .list(let items) = value else { throw mismatch(path, kind, value) }
            return .list(try items.enumerated().map { try check($1, kind: inner, path: "\(path)[\($0 + 1)]", spec: spec) })
        case .map(let inner):
            if case .list(let a) = value, a.isEmpty { return .map([:]) }
            guard case .map(let m) = value else { throw mismatch(path, kind, value) }
            var out: [String: Value] = [:]
            for (k, v) in m { out[k] = try check(v, kind: inner, path: "\(path).\(k)", spec: spec) }
            return .map(out)
        case .object(let fields):
            if case .list(let a) = value, a.isEmpty { return .map([:]) }
            guard case .map(let m) = value else { throw mismatch(path, kind, value) }
            var out: [String: Value] = [:]
            for k in m.keys.sorted() {
                guard let f = Self.field(k, in: fields) else {
                    let hint = Suggest.closest(to: k, in: fields.map(\.name)).map { "did you mean '\($0)'?" }
                    throw fail("unknown field '\(k)' in '\(path)'", hint: hint)
                }
                if out[f.name] != nil { throw fail("'\(path).\(k)' and '\(path).\(f.name)' are the same field; give only one") }
                out[f.name] = try check(m[k]!, kind: f.kind, path: "\(path).\(f.name)", spec: f)
            }
            for f in fields where f.required && out[f.name] == nil { throw fail("'\(path)' needs '\(f.name)'") }
            return .map(out)
        }
    }

    private func checkFormat(_ s: String, spec: PropSpec, path: String) throws {
        guard let format = spec.format else { return }
        switch format {
        case .cidr:
            do { _ = try CIDR(parsing: s) } catch { throw fail("'\(path)': \(error)") }
        case .region:
            if !Locality.isRegion(s) {
                let hint = Suggest.closest(to: s, in: Locality.regions).map { "did you mean '\($0)'?" } ?? "regions: \(Locality.regions.joined(separator: ", "))"
                throw fail("'\(path)': unknown region '\(s)'", hint: hint)
            }
        case .zone:
            if !Locality.isZone(s) {
                let hint = Suggest.closest(to: s, in: Locality.zones).map { "did you mean '\($0)'?" } ?? "zones: \(Locality.zones.joined(separator: ", "))"
                throw fail("'\(path)': unknown zone '\(s)'", hint: hint)
            }
        case .uuid:
            if !UUIDText.isValid(s) { throw fail("'\(path)': '\(s)' is not a UUID") }
        case .duration:
            if DurationText.seconds(s) == nil { throw fail("'\(path)': '\(s)' is not a duration (e.g. \"20m\", \"1h30m\")") }
        }
    }

    private func mismatch(_ path: String, _ kind: PropKind, _ value: Value) -> Diagnostic {
        fail("'\(path)' expects \(kind), got \(Self.describe(value))")
    }

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

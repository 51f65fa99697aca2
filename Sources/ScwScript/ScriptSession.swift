// ScriptSession: runs one script with the `scaleway` module loaded and collects what it
// declares. Lives on one Lua thread; everything here runs on it.

import LuaHost
import ScwCore
import ScwEngine

///
/// Not thread-safe: create it inside a `LuaThread` job and use it only from that thread's
/// jobs (it is marked Sendable so it can be handed around between those jobs).
public final class ScriptSession: @unchecked Sendable {
    public let lua: LuaState
    let schemas: [String: ResourceSchema]
    /// Types that can only be looked up (`scw.lookup.Image`).
    let lookupSchemas: [String: ResourceSchema]
    public private(set) var declarations: [Declaration] = []
    public private(set) var lookups: [LookupDeclaration] = []
    public private(set) var defaults = ScriptDefaults()
    private var declaredAt: [ResourceAddress: SourceLocation] = [:]
    /// The prelude's function that puts real outputs into handles after apply.
    private var fillHandles: LuaRef?
    /// The prelude's function that tells how many secrets were made.
    private var secretCounter: LuaRef?
    private var transforms: [Int: LuaRef] = [:]
    private var lastOutputs: [String: Value] = [:]
    /// While a whole script runs (`run`), a constructor with bad props records its problems
    /// here and the script goes on, so that one run reports every bad prop; the REPL, which
    /// runs a chunk at a time, still stops at the first.
    private var collecting = false
    private var deferred: [Diagnostic] = []

    /// The full `debug` library, for the host's own Lua (the REPL's completion and `:load`):
    /// scripts under a sandbox get a narrow one.
    public private(set) var hostDebug: LuaValue = .nil

    /// - Parameters:
    ///   - schemas: every resource type the module offers.
    ///   - libraryPaths: folders searched by `require` (the shipped `lua-stdlib`, the script's folder).
    ///   - lua: the state to load the module into (a `LuaThread`'s); a new one when nil.
    ///   - permissions: what scripts may do besides declaring (ScriptPermissions.swift); nil
    ///     leaves the state's library as it is (a host that loads the module keeps its rules).
    ///   - scriptDirectory: the folder a sandboxed script may read below (default: the
    ///     working directory). `libraryPaths` other than it are the shipped library.
    public init(schemas: [ResourceSchema], libraryPaths: [String], lua: LuaState? = nil,
                permissions: ScriptPermissions? = nil, scriptDirectory: String? = nil, lookupSchemas: [ResourceSchema] = []) throws {
        if let lua { self.lua = lua } else { self.lua = try LuaState() }
        self.schemas = Dictionary(schemas.map { ($0.typeName, $0) }, uniquingKeysWith: { a, _ in a })
        self.lookupSchemas = Dictionary(lookupSchemas.map { ($0.typeName, $0) }, uniquingKeysWith: { a, _ in a })
        for path in libraryPaths.reversed() { self.lua.addPackagePath(path) }
        try installModule()
        hostDebug = self.lua.global("debug")
        if let permissions, !permissions.allowExec {
            let dir = scriptDirectory.map { $0.isEmpty ? "." : $0 } ?? "."
            let scriptDir = ReadableFolders.canonical(dir)
            let shipped = libraryPaths.filter { ReadableFolders.canonical($0) != scriptDir }
            hostDebug = try ScriptSandbox.install(in: self.lua, permissions: permissions, scriptDirectory: dir, shippedDirectories: shipped)
        }
        try EmbeddedStdlib.install(in: self.lua)
    }

    private func installModule() throws {
        let typeNames = schemas.keys.sorted()
        lua.setGlobal("__scw_type_names", function: { _, _ in
            [.table(LuaTable(array: typeNames.map { .string($0) }))]
        })
        // name → "output" or "prop": what a handle may be indexed with.
        let outputNames = schemas.merging(lookupSchemas) { a, _ in a }.mapValues { schema in
            var fields: [String: LuaValue] = [:]
            for p in schema.props { fields[p.name] = .string("prop") }
            for o in schema.outputs { fields[o.name] = .string("output") }
            // An output echoing a prop that defaults to the script name is known before apply.
            for p in schema.props where p.defaultsToResourceName && schema.output(p.name) != nil { fields[p.name] = .string("script-name") }
            return LuaTable(fields: fields)
        }
        lua.setGlobal("__scw_output_names", function: { _, args in
            [.table(outputNames[args.first?.stringValue ?? ""] ?? LuaTable())]
        })
        lua.setGlobal("__scw_unknown_type", function: { [typeNames] _, args in
            let name = args.first?.stringValue ?? "?"
            let loc = SourceLocation(file: args.count > 1 ? args[1].stringValue ?? "?" : "?", line: Int(args.count > 2 ? args[2].intValue ?? 0 : 0))
            let hint = Suggest.closest(to: name, in: typeNames).map { "did you mean '\($0)'?" } ?? "known types: \(typeNames.joined(separator: ", "))"
            throw LuaRaise(Diagnostic("unknown resource type '\(name)'", at: .script(loc), hint: hint).description, level: 0)
        })
        lua.setGlobal("__scw_declare", function: { [unowned self] _, args in
            let loc = SourceLocation(file: args.count > 3 ? args[3].stringValue ?? "?" : "?", line: Int(args.count > 4 ? args[4].intValue ?? 0 : 0))
            do {
                return try self.declare(type: args[0].stringValue ?? "", name: args[1].stringValue ?? "", props: args[2], location: loc)
            } catch let d as Diagnostic {
                throw LuaRaise(d.description, level: 0)
            } catch let list as DiagnosticList {
                throw LuaRaise(list.description, level: 0)
            } catch let e as ScriptValueError {
                throw LuaRaise(Diagnostic(e.description, at: .script(loc)).description, level: 0)
            }
        })
        lua.setGlobal("__scw_lookup", function: { [unowned self] _, args in
            let loc = SourceLocation(file: args.count > 2 ? args[2].stringValue ?? "?" : "?", line: Int(args.count > 3 ? args[3].intValue ?? 0 : 0))
            do {
                return [.string(try self.lookup(type: args.first?.stringValue ?? "", query: args.count > 1 ? args[1] : .nil, location: loc).description)]
            } catch let d as Diagnostic {
                throw LuaRaise(d.description, level: 0)
            } catch let e as ScriptValueError {
                throw LuaRaise(Diagnostic(e.description, at: .script(loc)).description, level: 0)
            }
        })
        let results = try lua.doString(ModulePrelude.source, chunkName: "=scaleway")
        if results.count > 1, case .function(let fill) = results[1] { fillHandles = fill }
        if results.count > 2, case .function(let count) = results[2] { secretCounter = count }
    }

    /// How many secrets the script has made so far (`scw.secret`, and every value computed
    /// from one). The REPL compares it before and after a chunk to keep that chunk out of history.
    public var secretsMade: Int {
        guard let secretCounter, let n = try? lua.call(secretCounter).first?.intValue else { return 0 }
        return Int(n)
    }

    // MARK: running

    /// Runs a script file and returns what it declared.
    /// Every bad prop of the script is reported together (a `DiagnosticList` when more than one).
    public func run(file path: String) throws -> Program {
        let results = try collectingProblems { try lua.doFile(path, chunkName: "@" + path) }
        let program = try program(returning: results.first ?? .nil, file: path)
        lastOutputs = program.outputs
        return program
    }

    /// Runs Lua code (embedders) and returns what has been declared so far; every bad prop of
    /// the code is reported together, as for a file.
    public func run(code: String, chunkName: String) throws -> Program {
        try collectingProblems { try evaluate(code: code, chunkName: chunkName) }.program
    }

    /// Runs `body` with constructor problems deferred; throws them all (with the error that
    /// stopped the script, if any) when it ends.
    private func collectingProblems<T>(_ body: () throws -> T) throws -> T {
        collecting = true
        deferred = []
        defer { collecting = false; deferred = [] }
        let result: T
        do {
            result = try body()
        } catch where !deferred.isEmpty {
            // The script stopped on an error of its own after bad props: report them all, in order.
            throw DiagnosticList(deferred + [Diagnostic("\(error)")])
        }
        try DiagnosticList.throwIfAny(deferred)
        return result
    }

    /// Runs Lua code; returns what the chunk returned and the program declared so far. A
    /// returned table of named values becomes the stack outputs; anything else is left alone.
    public func evaluate(code: String, chunkName: String) throws -> (values: [LuaValue], program: Program) {
        let results = try lua.doString(code, chunkName: chunkName)
        if case .table(let t)? = results.first, t["__scw"] == .nil, t.array.isEmpty, !t.fields.isEmpty,
           let program = try? program(returning: results[0], file: chunkName) {
            lastOutputs = program.outputs
            return (results, program)
        }
        return (results, Program(declarations: declarations, outputs: lastOutputs, lookups: lookups))
    }

    /// Makes `scaleway.project_id`, `.organization_id`, `.region` and `.zone` give the configured
    /// defaults (nil ones stay nil); `scw.defaults { ... }` later overrides what it names.
    public func setConfigDefaults(projectID: String?, organizationID: String?, region: String?, zone: String?) throws {
        var fields: [String: LuaValue] = [:]
        for (k, v) in ["project_id": projectID, "organization_id": organizationID, "region": region, "zone": zone] {
            if let v { fields[k] = .string(v) }
        }
        _ = try lua.call(try lua.load("for k, v in pairs(...) do rawset(scaleway, k, v) end", chunkName: "=config"),
                         [.table(LuaTable(fields: fields))])
    }

    /// Makes `scaleway.vars` hold these values (read-only from the script).
    public func setVariables(_ variables: [String: Value]) throws {
        var fields: [String: LuaValue] = [:]
        for (k, v) in variables { fields[k] = ScriptValues.lua(v) }
        _ = try lua.call(try lua.load("local vars = ...; rawset(scaleway, 'vars', vars)", chunkName: "=vars"),
                         [.table(LuaTable(fields: fields))])
    }

    private func program(returning result: LuaValue, file: String) throws -> Program {
        var outputs: [String: Value] = [:]
        switch result {
        case .nil:
            break
        case .table(let t) where t["__scw"] == .nil && t.array.isEmpty:
            for (k, v) in t.fields {
                do { outputs[k] = try converter.value(v, path: "output '\(k)'") } catch let e as ScriptValueError {
                    throw Diagnostic(e.description, at: .script(SourceLocation(file: file, line: 0)))
                }
            }
        default:
            throw Diagnostic("the script must return a table of named outputs, or nothing", at: .script(SourceLocation(file: file, line: 0)))
        }
        return Program(declarations: declarations, outputs: outputs, lookups: lookups)
    }

    private var converter: ScriptValues {
        ScriptValues(registerTransform: { [unowned self] ref in
            let id = self.transforms.count + 1
            self.transforms[id] = ref
            return TransformID(id)
        })
    }

    // MARK: declaring

    private func declare(type: String, name: String, props: LuaValue, location: SourceLocation) throws -> [LuaValue] {
        guard case .table(let table) = props else { throw Diagnostic("props must be a table", at: .script(location)) }
        if type == "__defaults" {
            try setDefaults(table, location: location)
            return []
        }
        guard let schema = schemas[type] else { throw Diagnostic("unknown resource type '\(type)'", at: .script(location)) }
        let address = ResourceAddress(type: type, name: name)
        if let earlier = declaredAt[address] {
            throw Diagnostic("\(type) \"\(name)\" is already declared at \(earlier)", at: .script(location), hint: "give each resource of a type its own name")
        }
        if name.contains("/") || name.contains("~") { throw Diagnostic("resource names cannot contain '/' or '~'", at: .script(location)) }
        try NameRules.checkResourceName(name, location: location)

        var raw: [String: Value] = [:]
        var dependsOn: [ResourceAddress] = []
        var lifecycle = Lifecycle()
        var timeouts = Timeouts()
        for (key, value) in table.fields {
            switch key {
            case "depends_on": dependsOn = try parseDependsOn(value, location: location)
            case "lifecycle": lifecycle = try parseLifecycle(value, schema: schema, location: location)
            case "timeouts": timeouts = try parseTimeouts(value, location: location)
            default: raw[key] = try converter.value(value, path: key)
            }
        }
        if !table.array.isEmpty || !table.otherPairs.isEmpty {
            throw Diagnostic("props must be named (key = value); found list items", at: .script(location))
        }
        let validated: [String: Value]
        do {
            validated = try PropValidator(schema: schema, location: location).validate(raw)
        } catch let error where collecting && (error is Diagnostic || error is DiagnosticList) {
            // Noted, and the script goes on: its handle still works, so what refers to it is checked too.
            deferred += (error as? DiagnosticList)?.items ?? [error as! Diagnostic]
            declaredAt[address] = location
            return [.string(address.description)]
        }
        for ref in validated.values.flatMap(\.references) where declaredAt[ref.address] == nil && !lookups.contains(where: { $0.address == ref.address }) {
            throw Diagnostic("refers to \(ref.address), which is not declared in this script", at: .script(location))
        }
        declarations.append(Declaration(address: address, props: validated, dependsOn: dependsOn,
                                        lifecycle: lifecycle, timeouts: timeouts, location: location))
        declaredAt[address] = location
        return [.string(address.description)]
    }

    /// `scw.lookup.Type { id = ... }` or `{ name = ..., filters }`: recorded for the planner,
    /// which reads it; the handle's outputs are references to `Type/~lookup-N`.
    private func lookup(type: String, query: LuaValue, location: SourceLocation) throws -> ResourceAddress {
        guard let schema = schemas[type] ?? lookupSchemas[type] else {
            let known = (Array(schemas.keys) + Array(lookupSchemas.keys)).sorted()
            let hint = Suggest.closest(to: type, in: known).map { "did you mean '\($0)'?" } ?? "known: \(known.joined(separator: ", "))"
            throw Diagnostic("scaleway.lookup.\(type): no such type", at: .script(location), hint: hint)
        }
        guard case .table(let t) = query, t.array.isEmpty, !t.fields.isEmpty else {
            throw Diagnostic("scaleway.lookup.\(type) expects a table of filters, e.g. { name = \"prod\" } or { id = \"...\" }", at: .script(location))
        }
        let keys = ["id", "name"] + schema.props.map(\.name).filter { $0 != "name" }
        var values: [String: Value] = [:]
        for (k, v) in t.fields {
            guard keys.contains(k) || schema.props.contains(where: { $0.name == k + "_id" }) else {
                let hint = Suggest.closest(to: k, in: keys).map { "did you mean '\($0)'?" } ?? "filters: \(keys.joined(separator: ", "))"
                throw Diagnostic("scaleway.lookup.\(type): unknown filter '\(k)'", at: .script(location), hint: hint)
            }
            let key = keys.contains(k) ? k : k + "_id"
            values[key] = try converter.value(v, path: key)
        }
        let address = ResourceAddress(type: type, name: "~lookup-\(lookups.count + 1)")
        lookups.append(LookupDeclaration(address: address, query: values, location: location))
        return address
    }

    private func parseDependsOn(_ value: LuaValue, location: SourceLocation) throws -> [ResourceAddress] {
        guard case .table(let t) = value, t.fields.isEmpty || t["__scw"] == .string("handle") else {
            throw Diagnostic("depends_on expects a list of resource handles", at: .script(location))
        }
        let items = t["__scw"] == .string("handle") ? [value] : t.array
        return try items.map { item in
            guard case .table(let h) = item, h["__scw"] == .string("handle"),
                  let addr = h["__addr"].stringValue.flatMap(ResourceAddress.init(parsing:)) else {
                throw Diagnostic("depends_on expects resource handles (the values scaleway.Type \"name\" {...} returns)", at: .script(location))
            }
            // Only what is declared above can be depended on: so no cycle can ever form.
            guard declaredAt[addr] != nil else {
                throw Diagnostic("depends_on: \(addr) is not declared in this script", at: .script(location),
                                 hint: "a resource depends on handles returned by constructors above it, which also rules out cycles")
            }
            return addr
        }
    }

    private func parseLifecycle(_ value: LuaValue, schema: ResourceSchema, location: SourceLocation) throws -> Lifecycle {
        guard case .table(let t) = value, t.array.isEmpty else { throw Diagnostic("lifecycle expects a table", at: .script(location)) }
        var l = Lifecycle()
        let known = ["protect", "retain", "ignore_changes", "create_before_destroy", "import_id", "moved_from"]
        for (k, v) in t.fields {
            switch k {
            case "protect", "retain", "create_before_destroy":
                guard case .boolean(let b) = v else { throw Diagnostic("lifecycle.\(k) expects true or false", at: .script(location)) }
                if k == "protect" { l.protect = b } else if k == "retain" { l.retain = b } else { l.createBeforeDestroy = b }
            case "ignore_changes":
                guard case .table(let list) = v, list.fields.isEmpty else { throw Diagnostic("lifecycle.ignore_changes expects a list of prop names", at: .script(location)) }
                l.ignoreChanges = try list.array.map { item in
                    guard let s = item.stringValue, schema.prop(s) != nil else {
                        throw Diagnostic("lifecycle.ignore_changes: \(schema.typeName) has no prop '\(item.stringValue ?? item.typeName)'", at: .script(location))
                    }
                    return s
                }
            case "import_id":
                guard let id = v.stringValue, !id.isEmpty else {
                    throw Diagnostic("lifecycle.import_id expects the resource's id, e.g. \"fr-par-1/<uuid>\"", at: .script(location))
                }
                l.importID = id
            case "moved_from":
                let text: String?
                if case .table(let h) = v, h["__scw"] == .string("handle") { text = nil } else { text = v.stringValue }
                guard let text, let from = ResourceAddress(parsing: text), from.type == schema.typeName else {
                    throw Diagnostic("lifecycle.moved_from expects the old address as a string, e.g. \"\(schema.typeName)/old-name\"", at: .script(location))
                }
                l.movedFrom = from
            default:
                let hint = Suggest.closest(to: k, in: known).map { "did you mean '\($0)'?" } ?? "known: \(known.joined(separator: ", "))"
                throw Diagnostic("unknown lifecycle option '\(k)'", at: .script(location), hint: hint)
            }
        }
        return l
    }

    private func parseTimeouts(_ value: LuaValue, location: SourceLocation) throws -> Timeouts {
        guard case .table(let t) = value, t.array.isEmpty else { throw Diagnostic("timeouts expects a table", at: .script(location)) }
        var out = Timeouts()
        for (k, v) in t.fields {
            guard let text = v.stringValue ?? v.intValue.map({ String($0) }), let seconds = DurationText.seconds(text) else {
                throw Diagnostic("timeouts.\(k): expected a duration such as \"20m\" (at most 30 days)", at: .script(location))
            }
            switch k {
            case "create": out.create = seconds
            case "update": out.update = seconds
            case "delete": out.delete = seconds
            default:
                let hint = Suggest.closest(to: k, in: ["create", "update", "delete"]).map { "did you mean '\($0)'?" }
                throw Diagnostic("unknown timeout '\(k)'", at: .script(location), hint: hint)
            }
        }
        return out
    }

    private func setDefaults(_ t: LuaTable, location: SourceLocation) throws {
        for (k, v) in t.fields {
            guard let s = v.stringValue else { throw Diagnostic("scw.defaults: \(k) expects a string", at: .script(location)) }
            switch k {
            case "region":
                guard Locality.isRegion(s) else {
                    throw Diagnostic("scw.defaults: unknown region '\(s)'", at: .script(location), hint: Suggest.closest(to: s, in: Locality.regions).map { "did you mean '\($0)'?" })
                }
                defaults.region = s
            case "zone":
                guard Locality.isZone(s) else {
                    throw Diagnostic("scw.defaults: unknown zone '\(s)'", at: .script(location), hint: Suggest.closest(to: s, in: Locality.zones).map { "did you mean '\($0)'?" })
                }
                defaults.zone = s
            case "project_id":
                guard UUIDText.isValid(s) else { throw Diagnostic("scw.defaults: project_id '\(s)' is not a UUID", at: .script(location)) }
                defaults.projectID = s
            default:
                let hint = Suggest.closest(to: k, in: ["region", "zone", "project_id"]).map { "did you mean '\($0)'?" }
                throw Diagnostic("scw.defaults: unknown key '\(k)'", at: .script(location), hint: hint)
            }
        }
    }

    // MARK: after plan and apply

    /// Gives handles their real outputs (after apply, or from state), so the script, the
    /// REPL and embedders read concrete values instead of references.
    public func fill(outputs: [ResourceAddress: [String: Value]]) throws {
        guard let fillHandles else { return }
        var all: [String: LuaValue] = [:]
        for (address, values) in outputs { all[address.description] = ScriptValues.lua(.map(values)) }
        _ = try lua.call(fillHandles, [.table(LuaTable(fields: all))])
    }

    /// Runs the function given to `ref:map` on a resolved value.
    public func transform(_ id: TransformID, _ input: Value) throws -> Value {
        guard let fn = transforms[id.raw] else { throw Diagnostic("internal: unknown transform \(id.raw)") }
        let results = try lua.call(fn, [ScriptValues.lua(input)])
        return try converter.value(results.first ?? .nil, path: "result of ref:map")
    }
}

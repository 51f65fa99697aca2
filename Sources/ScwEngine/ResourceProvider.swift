// ResourceProvider: the one protocol every resource type implements. Requests and responses
// are structs so that fields can be added without breaking implementations.

import ScwCore

/// Reports what a provider is doing, for live progress ("waiting for running").
public typealias PhaseReporter = @Sendable (String) -> Void

/// What a provider knows about the call it is serving.
public struct ProviderContext: Sendable {
    public var stack: String
    public var address: ResourceAddress
    /// Tags that mark a resource as this stack's: `scwlua:stack=<stack>`, `scwlua:urn=<Type>/<name>`.
    public var ownershipTags: [String] {
        ["scwlua:stack=\(stack)", "scwlua:urn=\(address)"]
    }
    public var timeouts: Timeouts
    public var phase: PhaseReporter

    public init(stack: String, address: ResourceAddress, timeouts: Timeouts = Timeouts(), phase: @escaping PhaseReporter = { _ in }) {
        self.stack = stack
        self.address = address
        self.timeouts = timeouts
        self.phase = phase
    }
}

public struct CreateResult: Sendable {
    public var id: String
    public var outputs: [String: Value]
    /// True for a resource `find` saw that an interrupted create left unfinished (a server
    /// still tagged pending): never adopted as it is; the next create of its address finishes
    /// (or deletes) it, and a destroy deletes it.
    public var halfMade: Bool
    /// Set by `find` when what it found cannot be adopted as is and must be replaced (an API
    /// key whose secret, shown only at creation, was never recorded): the plan then replaces it.
    public var replaceReason: String?
    public init(id: String, outputs: [String: Value], halfMade: Bool = false, replaceReason: String? = nil) {
        self.id = id
        self.outputs = outputs
        self.halfMade = halfMade
        self.replaceReason = replaceReason
    }
}

extension ResourceState {
    /// Outputs after a read or an update: what the provider returned, plus the outputs it left
    /// out kept as they were (a secret the API shows only once is never read back).
    public static func carryingOver(_ previous: [String: Value], into current: [String: Value]) -> [String: Value] {
        current.merging(previous) { now, _ in now }
    }
}

/// What the cloud says a resource is now.
public struct ReadResult: Sendable {
    public var outputs: [String: Value]
    /// The props the provider can read back, as the cloud has them (for drift).
    public var observed: [String: Value]
    /// The stack its ownership tags name (`scwlua:stack=<stack>`), when the provider sees tags:
    /// an import of a resource another stack owns is refused with that stack's name.
    public var ownerStack: String?
    public init(outputs: [String: Value], observed: [String: Value], ownerStack: String? = nil) {
        self.outputs = outputs
        self.observed = observed
        self.ownerStack = ownerStack
    }
}

/// A resource type: schema, and the calls that create, read, update, delete and find it.
public protocol ResourceProvider: Sendable {
    var schema: ResourceSchema { get }

    /// Fills defaults that depend on the environment (region, project) or the name; runs at
    /// plan time on inputs that may still hold `.unknown`. Throws `Diagnostic` for bad input.
    func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value]

    /// Checks inputs against the cloud at plan time (a commercial type exists, an image label
    /// resolves), so that bad input stops the plan before any write. Reads only; throws
    /// `Diagnostic` for what the user must fix. Inputs may still hold `.unknown` (values from
    /// resources created in the same run): check what is known, skip the rest.
    func validate(_ inputs: [String: Value], context: ProviderContext) async throws

    /// Decides from the values whether changing an in-place prop needs a replacement after all
    /// ("a size may grow in place but not shrink", "this volume type cannot grow"). Called at
    /// plan time only for props the schema marks `.inPlace` whose old and new values are both
    /// known and differ; `inputs` are the new normalized inputs. Returns the reason the plan
    /// prints (`# forces replacement: size cannot shrink`), or nil to update in place.
    func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String?

    func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult
    /// nil when the resource no longer exists.
    func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult?
    func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value]
    /// Deleting something already gone is a success.
    func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws
    /// Every resource carrying this context's ownership tags (looked for after a crash or an
    /// ambiguous create, before creating again), half-made ones included and marked so;
    /// empty when there is none.
    func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult]

    /// The existing resources a lookup's query (`id`, or `name` and filters) matches, read
    /// only. The default takes `id` alone.
    func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult]

    /// A batched read (optional; the default offers none and returns nil): reads the given
    /// rows of this type with list calls, one list per zone/region and project, filtered by
    /// the stack's ownership tag where the API filters by tag, so a refresh costs pages, not
    /// resources. Returns a result for every row id the lists showed, exactly what `read`
    /// would give for it; rows left out are read one by one by the caller (they may be gone,
    /// or the list may lag).
    func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]?
}

/// A type that can only be looked up, never declared (`scw.lookup.Image {...}`).
public protocol LookupProvider: Sendable {
    /// Its name, the keys its query takes and the outputs a match has (for scripts and docs).
    var schema: ResourceSchema { get }
    func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult]
}

/// A state row offered to `ResourceProvider.readBatch`: its id and inputs as applied.
public struct BatchReadRow: Sendable {
    public var id: String
    public var inputs: [String: Value]
    public init(id: String, inputs: [String: Value]) {
        self.id = id
        self.inputs = inputs
    }
}

extension ResourceProvider {
    /// Most types have nothing to check beyond their schema.
    public func validate(_ inputs: [String: Value], context: ProviderContext) async throws {}

    /// By `id` only: a provider that can search by name and filters overrides this.
    public func lookup(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        try await lookupByID(query, context: context)
    }

    /// A lookup by `id` through `read`: the default, and what a provider's own lookup falls
    /// back to when the query gives no name.
    public func lookupByID(_ query: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        guard let id = query["id"]?.stringValue else {
            throw Diagnostic("\(schema.typeName) lookups take an id (id = \"...\"), or for some types a name and filters")
        }
        guard let read = try await read(id: id, inputs: query, context: context) else { return [] }
        return [CreateResult(id: id, outputs: read.outputs)]
    }

    /// Most in-place props update in place whatever their values.
    public func replacementReason(prop: String, old: Value, new: Value, inputs: [String: Value]) -> String? { nil }

    /// Not offered: every row is read on its own.
    public func readBatch(_ rows: [BatchReadRow], stack: String) async throws -> [String: ReadResult]? { nil }
}

/// Thrown by a provider when a create may or may not have happened (the answer was lost).
/// The engine then looks the resource up by its ownership tags before trying again.
public struct AmbiguousCreateError: Error, CustomStringConvertible, Sendable {
    public var detail: String
    public init(detail: String) { self.detail = detail }
    public var description: String { "create outcome unknown: \(detail)" }
}

/// Thrown by a provider when the cloud answered a create with a definite refusal (a
/// validation error, a quota): nothing was made, so the engine drops the intent it recorded.
public struct CreateRefusedError: Error, CustomStringConvertible, Sendable {
    public var underlying: any Error & Sendable
    public init(_ underlying: any Error & Sendable) { self.underlying = underlying }
    public var description: String { String(describing: underlying) }
}

/// Looks providers up by type name.
public struct ProviderRegistry: Sendable {
    private var providers: [String: any ResourceProvider]
    private var lookupOnly: [String: any LookupProvider]

    public init(_ list: [any ResourceProvider], lookups: [any LookupProvider] = []) {
        var map: [String: any ResourceProvider] = [:]
        for p in list { map[p.schema.typeName] = p }
        providers = map
        lookupOnly = Dictionary(lookups.map { ($0.schema.typeName, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The lookup function of a resource type, or of a lookup-only type.
    public func lookup(for type: String) -> (@Sendable ([String: Value], ProviderContext) async throws -> [CreateResult])? {
        if let p = providers[type] { return { try await p.lookup($0, context: $1) } }
        if let l = lookupOnly[type] { return { try await l.lookup($0, context: $1) } }
        return nil
    }

    public func provider(for type: String) -> (any ResourceProvider)? { providers[type] }
    public var typeNames: [String] { providers.keys.sorted() }
    public var all: [any ResourceProvider] { typeNames.map { providers[$0]! } }
}

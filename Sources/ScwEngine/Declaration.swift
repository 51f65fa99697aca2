// Declaration: what a script asked for, one resource at a time. The script layer produces
// these; the engine never sees where they came from.

import ScwCore

/// Options every resource accepts under `lifecycle = { ... }`.
public struct Lifecycle: Hashable, Sendable {
    /// Refuse any delete or replace of this resource.
    public var protect: Bool
    /// On removal from the script, forget the resource instead of deleting it.
    public var retain: Bool
    /// Props whose changes are not acted on.
    public var ignoreChanges: [String]
    /// On replace, create the new resource before deleting the old one.
    public var createBeforeDestroy: Bool
    /// Adopt this existing resource (its provider id) on the next deploy instead of creating one.
    public var importID: String?
    /// The address this resource had in state before it was renamed in the script.
    public var movedFrom: ResourceAddress?

    public init(protect: Bool = false, retain: Bool = false, ignoreChanges: [String] = [], createBeforeDestroy: Bool = false,
                importID: String? = nil, movedFrom: ResourceAddress? = nil) {
        self.protect = protect
        self.retain = retain
        self.ignoreChanges = ignoreChanges
        self.createBeforeDestroy = createBeforeDestroy
        self.importID = importID
        self.movedFrom = movedFrom
    }
}

/// Per-operation time limits, in seconds (`timeouts = { create = "20m" }`).
public struct Timeouts: Hashable, Sendable {
    public var create: Double?
    public var update: Double?
    public var delete: Double?

    public init(create: Double? = nil, update: Double? = nil, delete: Double? = nil) {
        self.create = create
        self.update = update
        self.delete = delete
    }
}

/// One resource as the script declared it.
public struct Declaration: Sendable {
    public var address: ResourceAddress
    /// Props as written: may hold references, expressions and secrets.
    public var props: [String: Value]
    /// Explicit edges (`depends_on`), on top of those that references make.
    public var dependsOn: [ResourceAddress]
    public var lifecycle: Lifecycle
    public var timeouts: Timeouts
    /// Where the script declared it, for messages.
    public var location: SourceLocation?

    public init(address: ResourceAddress, props: [String: Value], dependsOn: [ResourceAddress] = [],
                lifecycle: Lifecycle = Lifecycle(), timeouts: Timeouts = Timeouts(), location: SourceLocation? = nil) {
        self.address = address
        self.props = props
        self.dependsOn = dependsOn
        self.lifecycle = lifecycle
        self.timeouts = timeouts
        self.location = location
    }

    /// Every resource this one depends on: references in its props plus `depends_on`.
    public var dependencies: [ResourceAddress] {
        var seen = Set<ResourceAddress>()
        var out: [ResourceAddress] = []
        for key in props.keys.sorted() {
            for r in props[key]!.references where seen.insert(r.address).inserted { out.append(r.address) }
        }
        for a in dependsOn where seen.insert(a).inserted { out.append(a) }
        return out
    }
}

/// Everything a script declared, plus the stack outputs it returned.
public struct Program: Sendable {
    public var declarations: [Declaration]
    /// The table the script returned: stack outputs, possibly holding references.
    public var outputs: [String: Value]
    /// `scw.lookup.Type {...}`: existing resources read at plan time, in script order.
    public var lookups: [LookupDeclaration]

    public init(declarations: [Declaration], outputs: [String: Value] = [:], lookups: [LookupDeclaration] = []) {
        self.declarations = declarations
        self.outputs = outputs
        self.lookups = lookups
    }
}

/// A lookup (a data source): find one existing resource by id or by name and filters, at plan
/// time. Its address (`Vpc/~lookup-1`) names it in references; it is never in state.
public struct LookupDeclaration: Sendable {
    public var address: ResourceAddress
    public var query: [String: Value]
    public var location: SourceLocation?

    public init(address: ResourceAddress, query: [String: Value], location: SourceLocation? = nil) {
        self.address = address
        self.query = query
        self.location = location
    }
}

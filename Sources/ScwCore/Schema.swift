// Schema: what a resource type accepts and returns. One source of truth for validation in
// the script layer, for diffing in the engine (which props update in place, which replace),
// and for generated docs.

/// The kind of a property value, as the script must give it.
public indirect enum PropKind: Hashable, Sendable, CustomStringConvertible {
    case string
    case int
    case number
    case bool
    case list(PropKind)
    case map(PropKind)
    case object([PropSpec])
    /// The id of another resource: a handle of one of these types, or a string id.
    case resourceID(types: [String])
    case any

    public var description: String {
        switch self {
        case .string: return "string"
        case .int: return "integer"
        case .number: return "number"
        case .bool: return "boolean"
        case .list(let k): return "list of \(k)"
        case .map(let k): return "map of \(k)"
        case .object: return "table"
        case .resourceID(let types): return types.count == 1 ? "\(types[0]) (handle or id)" : "resource (handle or id)"
        case .any: return "any value"
        }
    }
}

/// How a change to a property is carried out.
public enum ChangeMode: String, Hashable, Sendable {
    /// Updated in place by the provider.
    case inPlace
    /// A change destroys and re-creates the resource.
    case replace
}

/// One property of a resource type.
public struct PropSpec: Hashable, Sendable {
    public var name: String
    public var kind: PropKind
    public var required: Bool
    public var change: ChangeMode
    public var defaultValue: Value?
    public var allowed: [String]?
    public var sensitive: Bool
    public var doc: String
    /// A named check applied on top of the kind ("cidr", "region", "zone").
    public var format: ValueFormat?
    /// Left unset, the prop takes the resource's name in the script (a `name`): a handle shows
    /// that output's value before apply (the REPL prints it).
    public var defaultsToResourceName = false
    /// The values an integer or number prop may take; checked at plan time, before any write,
    /// so that no arithmetic on user input (GB to bytes, seconds to milliseconds) can overflow.
    public var range: ClosedRange<Int64>?
    /// What an in-place change of this prop does to the running resource, said in the plan
    /// ("the server stops and starts"); nil when the change is seamless.
    public var disruption: String?

    public init(_ name: String, _ kind: PropKind, required: Bool = false, change: ChangeMode = .inPlace,
                default defaultValue: Value? = nil, allowed: [String]? = nil, sensitive: Bool = false,
                format: ValueFormat? = nil, range: ClosedRange<Int64>? = nil, disruption: String? = nil, doc: String = "") {
        self.name = name
        self.kind = kind
        self.required = required
        self.change = change
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.sensitive = sensitive
        self.format = format
        self.range = range
        self.disruption = disruption
        self.doc = doc
    }
}

/// One output of a resource type.
public struct OutputSpec: Hashable, Sendable {
    public var name: String
    public var kind: PropKind
    public var sensitive: Bool
    public var doc: String
    /// Props whose in-place update may change this output (a server's `public_ip` when its
    /// `ip_id` changes). The planner makes such an output unknown for that run, so resources
    /// that read it are updated after it in the same deploy. An output named like a prop
    /// (`name`) follows that prop without being listed here.
    public var changesWith: Set<String>

    public init(_ name: String, _ kind: PropKind, sensitive: Bool = false, changesWith: Set<String> = [], doc: String = "") {
        self.name = name
        self.kind = kind
        self.sensitive = sensitive
        self.changesWith = changesWith
        self.doc = doc
    }
}

/// Named value checks, shared by the validator and the docs.
public enum ValueFormat: String, Hashable, Sendable {
    case cidr
    case region
    case zone
    case uuid
    case duration
}

/// Everything known about a resource type before any call to the cloud.
public struct ResourceSchema: Sendable {
    public var typeName: String
    public var doc: String
    public var props: [PropSpec]
    public var outputs: [OutputSpec]
    /// Whether the resource lives in a zone, a region, or neither.
    public var locality: Locality
    /// Groups of props that no two declarations of this type may share all values of (a
    /// frontend's `lb_id` and `inbound_port`); checked by the planner before any write.
    public var uniqueTogether: [[String]] = []
    /// A replacement makes the new resource before deleting the old one even without
    /// `lifecycle.create_before_destroy` (a Kubernetes pool: the cluster never runs without nodes).
    public var createBeforeDestroyByDefault = false
    /// References that must share a parent: the resource `prop` names must have its
    /// `parentProp` name what this resource's `parentProp` names (a privilege's database and
    /// user on the privilege's own instance). Checked by the planner from the declarations,
    /// before any write, even when the ids are not known yet.
    public var sameParent: [SameParent] = []

    public struct SameParent: Sendable {
        public var prop: String
        public var parentProp: String
        public init(_ prop: String, parent parentProp: String) {
            self.prop = prop
            self.parentProp = parentProp
        }
    }

    public enum Locality: String, Sendable {
        case zonal, regional, global
    }

    public init(typeName: String, doc: String, locality: Locality, props: [PropSpec], outputs: [OutputSpec]) {
        self.typeName = typeName
        self.doc = doc
        self.locality = locality
        self.props = props
        self.outputs = outputs
    }

    public func prop(_ name: String) -> PropSpec? { props.first { $0.name == name } }
    public func output(_ name: String) -> OutputSpec? { outputs.first { $0.name == name } }
}

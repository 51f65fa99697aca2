// Plan: the engine's decision, as data. Renderers (text, JSON) read it; apply executes it.

import ScwCore

/// What will happen to one resource.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case noop
    case create
    case update
    /// Delete, then create (the default for a replacement).
    case replace
    /// Create the new one, then delete the old one (`create_before_destroy`).
    case createThenDelete
    case delete
    /// Removed from the script with `retain`: dropped from state, left in the cloud.
    case forget
    /// Only state changes (lifecycle flags, an adopted resource, a move): no cloud call.
    case stateOnly
    /// Adopt an existing resource (`lifecycle.import_id`): record it, then update it to what
    /// the script says (ownership tags included).
    case importing
    /// A lookup (`scw.lookup.Type {...}`): read at plan time, never written nor deleted.
    case read

    /// The symbol shown in a rendered plan.
    public var symbol: String {
        switch self {
        case .noop: return " "
        case .create: return "+"
        case .update: return "~"
        case .replace: return "-/+"
        case .createThenDelete: return "+/-"
        case .delete: return "-"
        case .forget: return "~"
        case .stateOnly: return "~"
        case .importing, .read: return "<="
        }
    }

    public var verb: String {
        switch self {
        case .noop: return "no change"
        case .create: return "create"
        case .update: return "update in place"
        case .replace: return "replace"
        case .createThenDelete: return "replace (create before destroy)"
        case .delete: return "delete"
        case .forget: return "forget (retain)"
        case .stateOnly: return "update state only"
        case .importing: return "import"
        case .read: return "read"
        }
    }

    public var pastTense: String {
        switch self {
        case .noop: return "unchanged"
        case .create: return "created"
        case .update: return "updated"
        case .replace, .createThenDelete: return "replaced"
        case .delete: return "deleted"
        case .forget: return "forgotten"
        case .stateOnly: return "recorded"
        case .importing: return "imported"
        case .read: return "read"
        }
    }

    /// Whether the action makes a new resource in place of the old one.
    var isReplacement: Bool { self == .replace || self == .createThenDelete }

    /// Whether the action calls the cloud to write.
    public var writesCloud: Bool {
        switch self {
        case .noop, .forget, .stateOnly, .read: return false
        default: return true
        }
    }
}

/// One prop's change.
public struct PropChange: Sendable, Hashable {
    public var name: String
    public var old: Value?
    public var new: Value?
    /// This change alone forces a replacement.
    public var forcesReplacement: Bool
    /// Why it forces one, when the provider decided from the values ("size cannot shrink");
    /// nil when the schema marks the prop as replace-only.
    public var replacementReason: String?
    /// What this in-place change does to the running resource ("the server stops and starts"),
    /// from the schema; nil when seamless.
    public var disruption: String?

    public init(name: String, old: Value?, new: Value?, forcesReplacement: Bool, replacementReason: String? = nil,
                disruption: String? = nil) {
        self.disruption = disruption
        self.name = name
        self.old = old
        self.new = new
        self.forcesReplacement = forcesReplacement
        self.replacementReason = replacementReason
    }
}

/// The plan for one resource.
public struct PlannedChange: Sendable {
    public var address: ResourceAddress
    public var action: Action
    /// Changed props (for create: every prop set; for delete: none).
    public var changes: [PropChange]
    /// Inputs the engine will send, as far as known at plan time (may hold `.unknown`).
    public var inputs: [String: Value]
    /// What state holds now, when anything.
    public var prior: ResourceState?
    /// Why, when not obvious ("deleted outside scwlua", "adopted after an interrupted create").
    public var reason: String?
    public var declaration: Declaration?
    /// The timeouts the script declares for this address, also when the change carries no
    /// declaration (a destroy still honours `timeouts = { delete = "15s" }`).
    public var timeouts: Timeouts?
    /// The address this resource's state row had before a rename (`lifecycle.moved_from`).
    public var movedFrom: ResourceAddress?

    public init(address: ResourceAddress, action: Action, changes: [PropChange] = [], inputs: [String: Value] = [:],
                prior: ResourceState? = nil, reason: String? = nil, declaration: Declaration? = nil) {
        self.address = address
        self.action = action
        self.changes = changes
        self.inputs = inputs
        self.prior = prior
        self.reason = reason
        self.declaration = declaration
    }
}

extension PlannedChange {
    /// An in-place update with a change that disrupts the running resource.
    public var isDisruptive: Bool { action == .update && changes.contains { $0.disruption != nil && !$0.forcesReplacement } }
}

/// A whole plan: one change per resource, in dependency order, and the stack outputs.
public struct Plan: Sendable {
    public var stack: String
    public var changes: [PlannedChange]
    /// Stack outputs as known at plan time.
    public var outputs: [String: Value]
    /// Problems that stop apply (a protected resource would be deleted, ...).
    public var errors: [Diagnostic]
    /// Outputs of resources the plan keeps (no change, update, state only), as refresh saw them.
    public var knownOutputs: [ResourceAddress: [String: Value]]
    /// Set for a partial plan (`--target`): the addresses asked for.
    public var targets: [ResourceAddress]?
    /// False when the plan was made without reading the cloud (`--refresh=false`): it
    /// compares the script with state as last recorded.
    public var refreshed: Bool = true

    public init(stack: String, changes: [PlannedChange], outputs: [String: Value], errors: [Diagnostic] = [],
                knownOutputs: [ResourceAddress: [String: Value]] = [:]) {
        self.stack = stack
        self.changes = changes
        self.outputs = outputs
        self.errors = errors
        self.knownOutputs = knownOutputs
    }

    /// How many changes have one of these actions (as `ApplyResult.count(of:)` counts done ones).
    public func count(of actions: Action...) -> Int { changes.filter { actions.contains($0.action) }.count }

    @available(*, deprecated, renamed: "count(of:)")
    public func count(_ actions: Action...) -> Int { changes.filter { actions.contains($0.action) }.count }

    /// In-place updates that disrupt the running resource (a server stopped and started).
    public var disruptiveUpdates: Int { changes.filter(\.isDisruptive).count }

    /// True when applying would call the cloud to write.
    public var hasCloudChanges: Bool { changes.contains { $0.action.writesCloud } }
    /// True when applying would change the cloud or state (lookups change neither).
    public var hasAnyChange: Bool { changes.contains { $0.action != .noop && $0.action != .read } }

    public func change(for address: ResourceAddress) -> PlannedChange? { changes.first { $0.address == address } }
}

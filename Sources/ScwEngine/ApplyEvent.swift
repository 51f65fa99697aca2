// ApplyEvent: what apply reports as it goes, for live progress and for embedders.

import ScwCore

public enum ApplyEvent: Sendable {
    case started(ResourceAddress, Action)
    /// A provider's phase inside an operation ("waiting for running").
    case phase(ResourceAddress, String)
    case finished(ResourceAddress, Action, seconds: Double)
    case failed(ResourceAddress, Action, error: OperationError)
    /// Not attempted because something it needs failed.
    case skipped(ResourceAddress, Action, because: ResourceAddress)
    case note(String)
}

/// Why one operation failed: its message for people (never a secret), and the error the
/// provider threw, for a caller that tells kinds of failure apart.
public struct OperationError: Error, Sendable, CustomStringConvertible {
    public var address: ResourceAddress
    public var action: Action
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(address: ResourceAddress, action: Action, message: String, underlying: (any Error & Sendable)? = nil) {
        self.address = address
        self.action = action
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

public typealias ApplyEventHandler = @Sendable (ApplyEvent) -> Void

/// How an apply went, resource by resource.
public struct ApplyResult: Sendable {
    public enum Outcome: Sendable {
        case done(Action)
        case failed(Action, String)
        case skipped(Action, because: ResourceAddress)
        /// Not started because the apply was cancelled.
        case cancelled(Action)
    }

    public var outcomes: [ResourceAddress: Outcome]
    /// Stack outputs after apply (unknown where something failed).
    public var outputs: [String: Value]
    /// Outputs of every resource that exists after apply.
    public var resourceOutputs: [ResourceAddress: [String: Value]]

    public var failed: [ResourceAddress] {
        outcomes.filter { if case .failed = $0.value { return true }; return false }.map(\.key).sorted()
    }
    public var skipped: [ResourceAddress] {
        outcomes.filter { if case .skipped = $0.value { return true }; return false }.map(\.key).sorted()
    }
    public var cancelled: [ResourceAddress] {
        outcomes.filter { if case .cancelled = $0.value { return true }; return false }.map(\.key).sorted()
    }
    public var succeeded: Bool { failed.isEmpty && skipped.isEmpty && cancelled.isEmpty }

    /// How many operations of these actions were done (as `Plan.count(of:)` counts planned ones).
    public func count(of actions: Action...) -> Int {
        outcomes.values.filter { if case .done(let a) = $0, actions.contains(a) { return true }; return false }.count
    }
}

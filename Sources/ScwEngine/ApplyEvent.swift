// ApplyEvent: what apply reports as it goes, for live progress and for embedders.

import ScwCore

public enum ApplyEvent: Sendable {
    case started(ResourceAddress, Action)
    /// A provider's phase inside an operation ("waiting for running").
    case phase(ResourceAddress, String)
    case finished(ResourceAddress, Action, seconds: Double)
    case failed(ResourceAddress, Action, message: String)
    /// Not attempted because something it needs failed.
    case skipped(ResourceAddress, Action, because: ResourceAddress)
    case note(String)
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

    public func count(of action: Action) -> Int {
        outcomes.values.filter { if case .done(let a) = $0, a == action { return true }; return false }.count
    }
}

// DeployOutcome: what `StackSession.deploy` did, as three distinct cases, and ApplyFailure, the
// one way a run that went wrong comes back: thrown, carrying the plan and the partial result.

import ScwCore
import ScwEngine

/// What a deploy (or destroy) did, when it did not fail.
public enum DeployOutcome: Sendable {
    /// The stack already matches the script: nothing was asked or applied (the stack outputs
    /// may have been refreshed).
    case noChanges(Plan)
    /// `confirm` returned false: nothing was applied.
    case declined(Plan)
    /// Applied, and every operation succeeded.
    case applied(Plan, ApplyResult)

    /// The plan, whatever happened.
    public var plan: Plan {
        switch self {
        case .noChanges(let p), .declined(let p), .applied(let p, _): return p
        }
    }

    /// The result, when something was applied.
    public var result: ApplyResult? {
        if case .applied(_, let r) = self { return r }
        return nil
    }
}

/// An apply in which some operation failed, was skipped or was cancelled. What did succeed is
/// recorded in state; `result` tells which is which. Thrown by `deploy` and `apply`.
public struct ApplyFailure: Error, Sendable, CustomStringConvertible {
    public var plan: Plan
    /// The partial result: `result.failed`, `.skipped`, `.cancelled` and what was done.
    public var result: ApplyResult

    public init(plan: Plan, result: ApplyResult) {
        self.plan = plan
        self.result = result
    }

    public var description: String {
        var parts: [String] = []
        if !result.failed.isEmpty { parts.append("\(result.failed.count) failed (\(result.failed.map(\.description).joined(separator: ", ")))") }
        if !result.skipped.isEmpty { parts.append("\(result.skipped.count) skipped") }
        if !result.cancelled.isEmpty { parts.append("\(result.cancelled.count) cancelled") }
        return "the apply did not complete: " + parts.joined(separator: ", ")
    }
}

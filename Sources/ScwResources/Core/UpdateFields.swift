// UpdateFields: what an update sends. Each field the script declares is compared with the
// cloud's current value and sent only when it differs: an update writes only what changed,
// a field changed outside scwlua (drift) is put back, and nothing at all is written when the
// cloud already matches.

import ScwCore
import ScwEngine

enum UpdateFields {
    /// `wanted` when it is declared and differs from `current`; nil (leave it alone) otherwise.
    static func changed<T: Equatable>(_ wanted: T?, from current: T) -> T? {
        guard let wanted, wanted != current else { return nil }
        return wanted
    }

    /// The full tag list to send (the user's tags, then the ownership tags), or nil when the
    /// resource already carries exactly that list.
    static func tags(_ inputs: Inputs, current: [String], context: ProviderContext) -> [String]? {
        changed(OwnershipTags.withOwnership(inputs.strings("tags") ?? [], context: context), from: current)
    }

    /// True when a PATCH body built from optional fields has none (nothing to send).
    static func isEmpty(_ body: Value) -> Bool { body.mapValue?.isEmpty ?? false }
}

// OwnershipTags: the `scwlua:` tags that mark what a stack created, so it can be found again
// after a crash, and kept out of what users see as their tags.

import ScwCore
import ScwEngine

enum OwnershipTags {
    static let prefix = "scwlua:"

    /// The user's tags plus the ownership tags, ownership last, without duplicates.
    static func withOwnership(_ userTags: [String], context: ProviderContext) -> [String] {
        var out = userTags.filter { !$0.hasPrefix(prefix) }
        for t in context.ownershipTags where !out.contains(t) { out.append(t) }
        return out
    }

    /// What users declared: ownership tags removed.
    static func userTags(_ tags: [String]) -> [String] {
        tags.filter { !$0.hasPrefix(prefix) }
    }

    /// True when the tags carry every ownership tag of the context.
    static func owned(_ tags: [String], by context: ProviderContext) -> Bool {
        context.ownershipTags.allSatisfy(tags.contains)
    }

    /// The stack a resource's tags say owns it (`scwlua:stack=<stack>`), if any.
    static func stack(of tags: [String]) -> String? {
        tags.first { $0.hasPrefix("scwlua:stack=") }.map { String($0.dropFirst("scwlua:stack=".count)) }
    }

    /// The tag to filter list calls by (APIs match resources having any of the given tags).
    static func urnTag(_ context: ProviderContext) -> String { "scwlua:urn=\(context.address)" }
}

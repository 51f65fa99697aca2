// IamShared: what the IAM resources share: the organization default, the ownership marker for
// API keys (which have no tags: it goes at the end of the description), RFC 3339 checks.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine

enum IamShared {
    /// The configured organization; Scaleway's default project has the organization's id.
    static func organization(_ env: ScalewayEnvironment) -> String? {
        env.client.config.defaultOrganizationID ?? env.defaultProjectID
    }

    /// `scwlua:stack=<s> scwlua:urn=<Type/name>`, the marker kept in an API key's description.
    static func marker(_ context: ProviderContext) -> String { context.ownershipTags.joined(separator: " ") }

    /// The description sent: the user's, then the marker in brackets.
    static func markedDescription(_ description: String, context: ProviderContext) -> String {
        description.isEmpty ? "[\(marker(context))]" : "\(description) [\(marker(context))]"
    }

    /// The user's part of a description that may carry a marker.
    static func userDescription(_ description: String) -> String {
        guard description.hasSuffix("]"), let open = description.range(of: "[\(OwnershipTags.prefix)", options: .backwards) else { return description }
        var text = String(description[..<open.lowerBound])
        if text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// Whether a description carries this context's marker.
    static func marked(_ description: String, by context: ProviderContext) -> Bool {
        description.hasSuffix("[\(marker(context))]")
    }

    /// An RFC 3339 timestamp (`2027-12-31T00:00:00Z`, fractions and offsets allowed).
    static func parseTimestamp(_ text: String) -> Date? {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let f = ISO8601DateFormatter()
            f.formatOptions = options
            if let d = f.date(from: text) { return d }
        }
        return nil
    }

    /// The id a resource prop holds (a handle's id, or a string given).
    static func id(_ value: Value?) -> String? { value?.stringValue.flatMap { $0.isEmpty ? nil : $0 } }
}

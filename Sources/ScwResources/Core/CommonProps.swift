// CommonProps: props and normalisation shared by Scaleway resource types (name, tags,
// region, zone, project).

import ScwCore
import ScwEngine

enum CommonProps {
    static func name(_ doc: String = "Name in the Scaleway console; defaults to the resource's name in the script.") -> PropSpec {
        var spec = PropSpec("name", .string, doc: doc)
        spec.defaultsToResourceName = true
        return spec
    }
    static let tags = PropSpec("tags", .list(.string), default: .list([]), doc: "Tags (strings). Tags starting with `scwlua:` are reserved.")
    static let region = PropSpec("region", .string, change: .replace, format: .region, doc: "Region; defaults to the configured region.")
    static let zone = PropSpec("zone", .string, change: .replace, format: .zone, doc: "Zone; defaults to the configured zone.")
    static let projectID = PropSpec("project_id", .string, change: .replace, format: .uuid, doc: "Project; defaults to the configured project.")

    /// Fills name (from the script name), tags (empty) and project (configured default).
    static func normalizeCommon(_ inputs: [String: Value], env: ScalewayEnvironment, context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        if out["name"] == nil || out["name"] == .null { out["name"] = .string(context.address.name) }
        if out["tags"] == nil || out["tags"] == .null { out["tags"] = .list([]) }
        if let tags = out["tags"]?.listValue {
            for t in tags {
                if let s = t.stringValue, s.hasPrefix(OwnershipTags.prefix) {
                    let shown = t.isSensitive ? "(sensitive value)" : "'\(s)'"   // a secret tag is never printed
                    throw Diagnostic("tag \(shown) uses the reserved prefix '\(OwnershipTags.prefix)'", at: .resource(context.address))
                }
            }
        }
        if out["project_id"] == nil || out["project_id"] == .null {
            guard let project = env.defaultProjectID else {
                throw Diagnostic("no project: set project_id, scw.defaults { project_id = ... }, or default_project_id in the Scaleway config",
                                 at: .resource(context.address))
            }
            out["project_id"] = .string(project)
        }
        return out
    }

    static func tagsValue(_ tags: [String]) -> Value { .list(tags.map(Value.string)) }
}

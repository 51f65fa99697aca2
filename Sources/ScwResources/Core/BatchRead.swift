// BatchRead: the shared half of every provider's batched read: rows grouped by locality
// (from their `<locality>/<uuid>` ids) and project, one list per group, all groups at once,
// results keyed by the row ids.

import ScwCore
import ScwEngine

enum BatchRead {
    /// One list call's scope.
    struct Group: Hashable, Sendable {
        var locality: String
        var projectID: String?
    }

    /// The tag every resource of a stack carries (`scwlua:stack=<stack>`): what lists filter by.
    static func stackTag(_ stack: String) -> String { "scwlua:stack=\(stack)" }

    /// The rows' inputs keyed by uuid (for drift judged against what each row declared).
    static func inputsByUUID(_ rows: [BatchReadRow], defaultLocality: String) -> [String: [String: Value]] {
        Dictionary(rows.compactMap { row in LocalizedID(parsing: row.id, defaultLocality: defaultLocality).map { ($0.uuid, row.inputs) } },
                   uniquingKeysWith: { a, _ in a })
    }

    /// Lists every group (at once) with `list`, which answers the resources it saw keyed by
    /// uuid; returns them keyed by the row ids that asked for them. A uuid no row asked for
    /// (another row's resource, or not tracked at all) is left out.
    static func run(_ rows: [BatchReadRow], defaultLocality: String,
                    list: @escaping @Sendable (Group, [BatchReadRow]) async throws -> [String: ReadResult]) async throws -> [String: ReadResult] {
        var groups: [Group: [BatchReadRow]] = [:]
        for row in rows {
            guard let lid = LocalizedID(parsing: row.id, defaultLocality: defaultLocality) else { continue }
            groups[Group(locality: lid.locality, projectID: row.inputs["project_id"]?.stringValue), default: []].append(row)
        }
        return try await withThrowingTaskGroup(of: [String: ReadResult].self) { group in
            for (scope, scopeRows) in groups {
                group.addTask {
                    let byUUID = try await list(scope, scopeRows)
                    var out: [String: ReadResult] = [:]
                    for row in scopeRows {
                        if let uuid = LocalizedID(parsing: row.id, defaultLocality: defaultLocality)?.uuid, let read = byUUID[uuid] {
                            out[row.id] = read
                        }
                    }
                    return out
                }
            }
            var all: [String: ReadResult] = [:]
            for try await part in group { all.merge(part) { a, _ in a } }
            return all
        }
    }

    /// How many per-resource calls a batched read keeps in flight (what lists cannot carry:
    /// a group's rules, a server's user data).
    static let perResourceParallelism = 10

    /// `body` for every item, `perResourceParallelism` at a time; the non-nil results keyed
    /// by the first element.
    static func each<T: Sendable>(_ items: [T], _ body: @escaping @Sendable (T) async throws -> (String, ReadResult?)) async throws -> [String: ReadResult] {
        try await withThrowingTaskGroup(of: (String, ReadResult?).self) { group in
            var pending = items[...]
            var running = 0
            var out: [String: ReadResult] = [:]
            while true {
                while running < perResourceParallelism, let item = pending.popFirst() {
                    group.addTask { try await body(item) }
                    running += 1
                }
                guard let (id, read) = try await group.next() else { break }
                running -= 1
                if let read { out[id] = read }
            }
            return out
        }
    }
}

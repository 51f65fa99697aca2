// LbFrontend ACLs: the schema of one ACL, its normal form (a match is required; redirect only
// with a redirect action), the form read back from the API, and the sync by index with the
// fewest calls: PUT where an index changed, POST what is new, DELETE what is beyond the list.

import ScalewayAPI
import ScwCore
import ScwEngine

extension LbFrontendResource {
    static let aclActions = ["allow", "deny", "redirect"]
    static let httpFilters = ["acl_http_filter_none", "path_begin", "path_end", "regex", "http_header_match"]

    static let aclFields: [PropSpec] = [
        PropSpec("name", .string, doc: "Defaults to `<frontend>-acl-<n>`."),
        PropSpec("description", .string),
        PropSpec("action", .object([
            PropSpec("type", .string, required: true, allowed: aclActions),
            PropSpec("redirect", .object([
                PropSpec("type", .string, allowed: ["location", "scheme"], doc: "`location` (default) or `scheme`."),
                PropSpec("target", .string, required: true, doc: "A URL, or `https` for a scheme redirect."),
                PropSpec("code", .int, doc: "301, 302 (default), 303, 307 or 308."),
            ])),
        ]), doc: "`{ type = \"allow\" | \"deny\" | \"redirect\", redirect = { type, target, code } }`."),
        PropSpec("match", .object([
            PropSpec("ip_subnet", .list(.string), doc: "Client addresses or CIDRs."),
            PropSpec("http_filter", .string, allowed: httpFilters, doc: "What of the request to test."),
            PropSpec("http_filter_value", .list(.string), doc: "Values for the filter."),
            PropSpec("http_filter_option", .string, doc: "The header name, for `http_header_match`."),
            PropSpec("invert", .bool, doc: "Match when the condition does not hold."),
        ]), doc: "What the ACL applies to (required): `{ ip_subnet, http_filter, http_filter_value, http_filter_option, invert }`."),
    ]

    // MARK: normal form

    static func normalizeACLs(_ value: Value?, frontend: String, context: ProviderContext) throws -> Value {
        guard let items = value?.listValue else { return value ?? .list([]) }
        return .list(try items.enumerated().map { n, item in
            guard let acl = item.mapValue else { return item }
            if item.containsUnknown { return item }
            let where_ = "acls[\(n + 1)]"
            func fail(_ message: String) -> Diagnostic { Diagnostic("\(where_): \(message)", at: .resource(context.address)) }
            guard let action = acl["action"]?.mapValue, let type = action["type"]?.stringValue else { throw fail("needs an action with a type") }
            var actionOut: [String: Value] = ["type": .string(type)]
            if type == "redirect" {
                guard let redirect = action["redirect"]?.mapValue, let target = redirect["target"]?.stringValue, !target.isEmpty else {
                    throw fail("a redirect action needs redirect = { target = ... }")
                }
                let code = redirect["code"]?.intValue ?? 302
                guard [301, 302, 303, 307, 308].contains(code) else { throw fail("redirect.code must be 301, 302, 303, 307 or 308, got \(code)") }
                actionOut["redirect"] = .map(["type": redirect["type"] ?? .string("location"), "target": .string(target), "code": .int(code)])
            } else if action["redirect"] != nil, action["redirect"] != .null {
                throw fail("redirect is only for action type \"redirect\"")
            }
            guard let match = acl["match"]?.mapValue else { throw fail("needs a match (ip_subnet and/or http_filter)") }
            let subnets = match["ip_subnet"]?.listValue ?? []
            let filter = match["http_filter"]?.stringValue ?? "acl_http_filter_none"
            let values = match["http_filter_value"]?.listValue ?? []
            if subnets.isEmpty && filter == "acl_http_filter_none" { throw fail("the match is empty: give ip_subnet and/or http_filter") }
            if filter != "acl_http_filter_none" && values.isEmpty { throw fail("http_filter \(filter) needs http_filter_value") }
            if filter == "http_header_match" && (match["http_filter_option"]?.stringValue ?? "").isEmpty {
                throw fail("http_header_match needs http_filter_option (the header name)")
            }
            var matchOut: [String: Value] = ["ip_subnet": .list(subnets), "http_filter": .string(filter), "http_filter_value": .list(values),
                                             "invert": .bool(match["invert"]?.boolValue ?? false)]
            if let option = match["http_filter_option"]?.stringValue, !option.isEmpty { matchOut["http_filter_option"] = .string(option) }
            return .map(["name": acl["name"] ?? .string("\(frontend)-acl-\(n + 1)"), "description": acl["description"] ?? .string(""),
                         "action": .map(actionOut), "match": .map(matchOut)])
        })
    }

    /// An API ACL in the normal form of the `acls` prop.
    static func observedACL(_ acl: LbACL) -> Value {
        var action: [String: Value] = ["type": acl.action["type"] ?? .null]
        if let redirect = acl.action["redirect"]?.mapValue {
            action["redirect"] = .map(["type": redirect["type"] ?? .string("location"), "target": redirect["target"] ?? .null,
                                       "code": redirect["code"] ?? .int(302)])
        }
        var match: [String: Value] = [
            "ip_subnet": acl.match["ip_subnet"] ?? .list([]), "http_filter": acl.match["http_filter"] ?? .string("acl_http_filter_none"),
            "http_filter_value": acl.match["http_filter_value"] ?? .list([]), "invert": acl.match["invert"] ?? .bool(false),
        ]
        if let option = acl.match["http_filter_option"]?.stringValue, !option.isEmpty { match["http_filter_option"] = .string(option) }
        return .map(["name": .string(acl.name), "description": .string(acl.description), "action": .map(action), "match": .map(match)])
    }

    // MARK: sync

    /// Makes the frontend's ACLs equal to `wanted` (normal form), index by index; returns them in order.
    func syncACLs(zone: String, lbID: String, frontendID: String, wanted: Value?, timeout: Double, context: ProviderContext) async throws -> [LbACL] {
        let desired = (wanted?.listValue ?? []).compactMap(\.mapValue)
        var current = try await api.listACLs(zone: zone, frontendID: frontendID).sorted { $0.index < $1.index }
        var byIndex: [Int64: LbACL] = [:]
        var extra: [LbACL] = []
        for acl in current {
            if byIndex[acl.index] == nil, acl.index < Int64(desired.count) { byIndex[acl.index] = acl } else { extra.append(acl) }
        }
        var changed = false
        func settle() async throws {
            try await LbShared.waitSettled(api, zone: zone, id: lbID, timeout: timeout, interval: env.pollInterval, context: context)
        }
        for acl in extra {
            try await settle()
            context.phase("deleting ACL \(acl.index)")
            do { try await api.deleteACL(zone: zone, id: acl.id) } catch let error as APIError where error.isNotFound {}
            changed = true
        }
        for (n, want) in desired.enumerated() {
            let index = Int64(n)
            let body = LBAPI.aclBody(name: want["name"]?.stringValue ?? "acl-\(n + 1)", index: index,
                                     description: want["description"]?.stringValue ?? "", action: want["action"] ?? .null, match: want["match"] ?? .null)
            if let have = byIndex[index] {
                if Self.observedACL(have) == .map(want) { continue }
                try await settle()
                context.phase("updating ACL \(n + 1)")
                _ = try await api.updateACL(zone: zone, id: have.id, body: body)
            } else {
                try await settle()
                context.phase("creating ACL \(n + 1)")
                try await createACL(zone: zone, frontendID: frontendID, index: index, body: body)
            }
            changed = true
        }
        if changed {
            try await settle()
            current = try await api.listACLs(zone: zone, frontendID: frontendID).sorted { $0.index < $1.index }
        }
        return current
    }

    /// POST of one ACL; after a lost answer, looks for it at its index before sending again.
    private func createACL(zone: String, frontendID: String, index: Int64, body: Value) async throws {
        for attempt in 1...5 {
            do {
                _ = try await api.createACL(zone: zone, frontendID: frontendID, body: body)
                return
            } catch let error as AmbiguousWriteError {
                if try await api.listACLs(zone: zone, frontendID: frontendID).contains(where: { $0.index == index }) { return }
                if attempt == 5 { throw error }
            }
        }
    }
}

// IAM API keys: create (exactly one bearer: application_id or user_id; the secret is in this
// answer only, kept in the record's meta), get, list, update, delete. Object Storage checks
// SigV4 signatures against these secrets (`secretKey(for:in:)`), so a deleted or expired key
// stops working there.

import Foundation

extension IAMService {
    /// The secret of a live API key, for S3 signature checks; nil when unknown or expired.
    static func secretKey(for accessKey: String, in state: CloudState, now: Date = Date()) -> String? {
        guard let key = state.get(apiKeyKind, accessKey), let secret = key.meta["secret_key"]?.stringValue else { return nil }
        if let expires = key.body["expires_at"]?.stringValue.flatMap(RFC3339.parse), expires <= now { return nil }
        return secret
    }

    /// `SCW` and 17 characters of A-Z 0-9, as the API's access keys.
    static func newAccessKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "SCW" + String((0..<17).map { _ in alphabet.randomElement()! })
    }

    func createAPIKey(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let applicationID = try input.uuid("application_id")
        let userID = try input.uuid("user_id")
        guard (applicationID == nil) != (userID == nil) else {
            throw APIError.invalidArgument(applicationID == nil ? "application_id" : "user_id", reason: "constraint",
                                           help: "exactly one of application_id and user_id must be set")
        }
        let description = try input.string("description") ?? ""
        guard description.count <= 200 else {
            throw APIError.invalidArgument("description", reason: "constraint", help: "description must be at most 200 characters")
        }
        let expiresAt = try IAMService.expiry(input)
        let defaultProject = try input.uuid("default_project_id")
        let accessKey = IAMService.newAccessKey()
        let secret = Clock.uuid()
        let now = Clock.timestamp()
        let rendered = try context.store.write { state -> JSONValue in
            let organization: String
            if let applicationID {
                let app = try IAMService.find(IAMService.applicationKind, applicationID, resource: "application", in: state)
                organization = app.body["organization_id"]?.stringValue ?? organizationID
            } else {
                let user = try IAMService.user(userID!)
                organization = user["organization_id"]?.stringValue ?? organizationID
            }
            var body: [String: JSONValue] = [
                "access_key": .string(accessKey), "description": .string(description), "created_at": .string(now),
                "updated_at": .string(now), "expires_at": expiresAt.map(JSONValue.string) ?? .null,
                "default_project_id": .string(defaultProject ?? organization), "editable": .bool(true), "deletable": .bool(true),
                "managed": .bool(false), "creation_ip": .string("127.0.0.1"), "organization_id": .string(organization),
            ]
            if let applicationID { body["application_id"] = .string(applicationID) } else { body["user_id"] = .string(userID!) }
            let record = state.insert(kind: IAMService.apiKeyKind, id: accessKey, body: body, meta: ["secret_key": .string(secret)])
            var shown = IAMService.render(apiKey: record)
            shown["secret_key"] = .string(secret)   // the only answer that carries it
            return .object(shown)
        }
        return .json(200, rendered)
    }

    /// `expires_at`: RFC 3339, in the future; nil when absent.
    static func expiry(_ input: RequestBody) throws -> String? {
        guard let text = try input.string("expires_at") else { return nil }
        guard let date = RFC3339.parse(text) else {
            throw APIError.invalidArgument("expires_at", reason: "format", help: "expires_at must be an RFC 3339 timestamp, got \"\(text)\"")
        }
        guard date > Date() else {
            throw APIError.invalidArgument("expires_at", reason: "constraint", help: "expires_at must be in the future")
        }
        return Clock.timestamp(date)
    }

    /// The served body: `organization_id` is kept for filtering only, the secret is never served.
    static func render(apiKey: Record) -> [String: JSONValue] {
        var body = apiKey.body
        body["organization_id"] = nil
        body["secret_key"] = .null
        return body
    }

    func getAPIKey(_ request: APIRequest) throws -> HTTPResponse {
        .json(200, .object(try context.store.read { state in
            IAMService.render(apiKey: try IAMService.find(IAMService.apiKeyKind, request.param("access_key"), resource: "access_key", in: state))
        }))
    }

    func listAPIKeys(_ request: APIRequest) throws -> HTTPResponse {
        let page = try ListQuery.page(request)
        let applicationID = ListQuery.string(request, "application_id")
        let userID = ListQuery.string(request, "user_id")
        let bearerID = ListQuery.string(request, "bearer_id")
        let bearerType = ListQuery.string(request, "bearer_type").flatMap { $0 == "unknown_bearer_type" ? nil : $0 }
        let description = ListQuery.string(request, "description")
        let accessKeys = ListQuery.strings(request, "access_keys").map(Set.init)
        let expired = try ListQuery.bool(request, "expired")
        let editable = try ListQuery.bool(request, "editable")
        let now = Date()
        let items = context.store.read { state in
            IAMService.listed(IAMService.apiKeyKind, request, in: state) { key in
                let app = key.body["application_id"]?.stringValue, user = key.body["user_id"]?.stringValue
                let isExpired = key.body["expires_at"]?.stringValue.flatMap(RFC3339.parse).map { $0 <= now } ?? false
                return (applicationID == nil || app == applicationID) && (userID == nil || user == userID)
                    && (bearerID == nil || app == bearerID || user == bearerID)
                    && (bearerType == nil || (bearerType == "application" ? app != nil : user != nil))
                    && (description == nil || (key.body["description"]?.stringValue ?? "").contains(description!))
                    && (accessKeys == nil || accessKeys!.contains(key.id))
                    && (expired == nil || isExpired == expired)
                    && (editable == nil || key.body["editable"]?.boolValue == editable)
            }.map { JSONValue.object(IAMService.render(apiKey: $0)) }
        }
        return ListQuery.bodyPage("api_keys", items, page)
    }

    func updateAPIKey(_ request: APIRequest) throws -> HTTPResponse {
        let input = try request.body()
        let description = try input.string("description")
        let defaultProject = try input.uuid("default_project_id")
        let expiresAt = try IAMService.expiry(input)
        return .json(200, .object(try context.store.write { state in
            var key = try IAMService.find(IAMService.apiKeyKind, request.param("access_key"), resource: "access_key", in: state)
            if let description { key.body["description"] = .string(description) }
            if let defaultProject { key.body["default_project_id"] = .string(defaultProject) }
            if let expiresAt { key.body["expires_at"] = .string(expiresAt) }
            key.body["updated_at"] = .string(Clock.timestamp())
            state.put(key)
            return IAMService.render(apiKey: key)
        }))
    }

    func deleteAPIKey(_ request: APIRequest) throws -> HTTPResponse {
        try context.store.write { state in
            let key = try IAMService.find(IAMService.apiKeyKind, request.param("access_key"), resource: "access_key", in: state)
            state.remove(IAMService.apiKeyKind, key.id)
        }
        return .empty(204)
    }
}

/// RFC 3339 timestamps: `2027-12-31T00:00:00Z`, with any fraction of a second, `Z` or `±HH:MM`.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for c in b[from..<from + count] {
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var pos = 19
        var fraction = 0.0
        if pos < b.count, b[pos] == UInt8(ascii: ".") {
            pos += 1
            var scale = 0.1
            let start = pos
            while pos < b.count, b[pos] >= 48, b[pos] <= 57 { fraction += Double(b[pos] - 48) * scale; scale /= 10; pos += 1 }
            if pos == start { return nil }
        }
        var offset = 0
        guard pos < b.count else { return nil }
        if b[pos] == UInt8(ascii: "Z") || b[pos] == UInt8(ascii: "z") {
            pos += 1
        } else if b[pos] == UInt8(ascii: "+") || b[pos] == UInt8(ascii: "-") {
            guard let h = number(pos + 1, 2), pos + 3 < b.count, b[pos + 3] == UInt8(ascii: ":"), let m = number(pos + 4, 2) else { return nil }
            offset = (h * 3600 + m * 60) * (b[pos] == UInt8(ascii: "+") ? 1 : -1)
            pos += 6
        } else {
            return nil
        }
        guard pos == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds - offset) + fraction)
    }
}

// S3Model: a bucket with its settings and object versions, kept in the store as one record of kind
// "bucket" (id = name; body listed by the control API, meta holds settings and objects, data base64).

import Foundation

/// One ACL grant (`CanonicalUser` with an id, or `Group` with a URI).
struct S3Grant: Sendable, Equatable {
    var type: String
    var id: String = ""
    var uri: String = ""
    var permission: String

    static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
    static let permissions: Set<String> = ["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"]

    /// The grants of a canned ACL (`x-amz-acl`); nil when the name is not one.
    static func canned(_ acl: String, owner: String) -> [S3Grant]? {
        let full = S3Grant(type: "CanonicalUser", id: owner, permission: "FULL_CONTROL")
        switch acl {
        case "private": return [full]
        case "public-read": return [full, S3Grant(type: "Group", uri: allUsers, permission: "READ")]
        case "public-read-write":
            return [full, S3Grant(type: "Group", uri: allUsers, permission: "READ"), S3Grant(type: "Group", uri: allUsers, permission: "WRITE")]
        case "authenticated-read": return [full, S3Grant(type: "Group", uri: authenticatedUsers, permission: "READ")]
        default: return nil
        }
    }

    var json: JSONValue {
        .object(["type": .string(type), "id": .string(id), "uri": .string(uri), "permission": .string(permission)])
    }

    init(type: String, id: String = "", uri: String = "", permission: String) {
        self.type = type
        self.id = id
        self.uri = uri
        self.permission = permission
    }

    init(json: JSONValue) {
        self.init(type: json["type"]?.stringValue ?? "", id: json["id"]?.stringValue ?? "",
                  uri: json["uri"]?.stringValue ?? "", permission: json["permission"]?.stringValue ?? "")
    }
}

/// One version of an object, or a delete marker.
struct S3Version: Sendable {
    /// "null" for objects written while versioning was never enabled (or suspended).
    var versionID: String
    var isDeleteMarker = false
    /// Hex MD5 of the data, without quotes.
    var etag = ""
    var size = 0
    var modifiedMs = 0
    var dataBase64 = ""
    var contentType = ""
    /// `x-amz-meta-*` headers, names lowercased.
    var metadata: [String: String] = [:]
    /// e.g. ("CRC32", "V/RnXQ==") when the upload carried an x-amz-checksum-* value.
    var checksumAlgorithm = ""
    var checksumValue = ""

    var data: [UInt8] { Array(Data(base64Encoded: dataBase64) ?? Data()) }

    var json: JSONValue {
        var o: [String: JSONValue] = ["v": .string(versionID), "mtime": .int(modifiedMs)]
        if isDeleteMarker {
            o["delete_marker"] = .bool(true)
        } else {
            o["etag"] = .string(etag)
            o["size"] = .int(size)
            o["data"] = .string(dataBase64)
            o["content_type"] = .string(contentType)
            if !metadata.isEmpty { o["metadata"] = .object(metadata.mapValues { .string($0) }) }
            if !checksumAlgorithm.isEmpty { o["checksum"] = .array([.string(checksumAlgorithm), .string(checksumValue)]) }
        }
        return .object(o)
    }

    init(versionID: String) { self.versionID = versionID }

    init(json: JSONValue) {
        versionID = json["v"]?.stringValue ?? "null"
        isDeleteMarker = json["delete_marker"]?.boolValue ?? false
        etag = json["etag"]?.stringValue ?? ""
        size = json["size"]?.intValue ?? 0
        modifiedMs = json["mtime"]?.intValue ?? 0
        dataBase64 = json["data"]?.stringValue ?? ""
        contentType = json["content_type"]?.stringValue ?? ""
        metadata = json["metadata"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        if let c = json["checksum"]?.arrayValue, c.count == 2 {
            checksumAlgorithm = c[0].stringValue ?? ""
            checksumValue = c[1].stringValue ?? ""
        }
    }
}

struct S3Bucket: Sendable {
    static let kind = "bucket"

    var name: String
    var region: String
    var projectID: String
    var createdAt: String
    var grants: [S3Grant] = []
    /// "" (never set), "Enabled" or "Suspended".
    var versioning = ""
    /// nil = no tag set.
    var tags: [(key: String, value: String)]?
    /// Inner XML of the stored configurations (children of the root element, compact).
    var cors: String?
    var lifecycle: String?
    var objectLockEnabled = false
    var objectLockConfiguration: String?
    /// Versions of each key, oldest first (the last one is the current one).
    var objects: [String: [S3Version]] = [:]
    /// The last version id handed out (ids grow strictly).
    var lastVersion = 0

    /// The owner as S3 shows it: `"<project>:<project>"`.
    var owner: String { "\(projectID):\(projectID)" }

    init(name: String, region: String, projectID: String) {
        self.name = name
        self.region = region
        self.projectID = projectID
        createdAt = Clock.timestamp()
    }

    /// Keys whose current version is an object (not a delete marker).
    var currentObjects: [(key: String, version: S3Version)] {
        objects.compactMap { key, versions in
            guard let last = versions.last, !last.isDeleteMarker else { return nil }
            return (key, last)
        }.sorted { $0.key < $1.key }
    }

    var versionCount: Int { objects.values.reduce(0) { $0 + $1.count } }

    /// A fresh version id: microseconds since 1970, strictly above the previous one.
    mutating func newVersionID() -> String {
        lastVersion = max(lastVersion + 1, Int(Date().timeIntervalSince1970 * 1_000_000))
        return String(lastVersion)
    }

    // MARK: record mapping

    init?(record: Record) {
        guard record.kind == S3Bucket.kind else { return nil }
        name = record.id
        region = record.body["region"]?.stringValue ?? "fr-par"
        projectID = record.body["project_id"]?.stringValue ?? ""
        createdAt = record.body["created_at"]?.stringValue ?? ""
        let m = record.meta
        grants = m["grants"]?.arrayValue?.map(S3Grant.init(json:)) ?? []
        versioning = m["versioning"]?.stringValue ?? ""
        tags = m["tags"]?.arrayValue?.compactMap { pair in
            guard let p = pair.arrayValue, p.count == 2, let k = p[0].stringValue, let v = p[1].stringValue else { return nil }
            return (k, v)
        }
        cors = m["cors"]?.stringValue
        lifecycle = m["lifecycle"]?.stringValue
        objectLockEnabled = m["object_lock"]?.boolValue ?? false
        objectLockConfiguration = m["object_lock_configuration"]?.stringValue
        lastVersion = m["last_version"]?.intValue ?? 0
        for (key, versions) in m["objects"]?.objectValue ?? [:] {
            objects[key] = versions.arrayValue?.map(S3Version.init(json:)) ?? []
        }
    }

    var body: [String: JSONValue] {
        [
            "name": .string(name), "region": .string(region), "project_id": .string(projectID), "created_at": .string(createdAt),
            "tags": .array((tags ?? []).map { .string("\($0.key)=\($0.value)") }),
            "object_count": .int(currentObjects.count), "version_count": .int(versionCount),
        ]
    }

    var meta: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "grants": .array(grants.map(\.json)), "versioning": .string(versioning), "object_lock": .bool(objectLockEnabled),
            "last_version": .int(lastVersion), "objects": .object(objects.mapValues { .array($0.map(\.json)) }),
        ]
        if let tags { m["tags"] = .array(tags.map { .array([.string($0.key), .string($0.value)]) }) }
        if let cors { m["cors"] = .string(cors) }
        if let lifecycle { m["lifecycle"] = .string(lifecycle) }
        if let objectLockConfiguration { m["object_lock_configuration"] = .string(objectLockConfiguration) }
        return m
    }
}

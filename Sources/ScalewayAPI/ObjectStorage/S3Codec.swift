// S3Codec: the XML bodies of the S3 calls, by hand: request bodies built as S3XMLNode trees,
// answers read from them. Readers accept what Scaleway and other S3 servers send (namespaced
// or not, empty elements, missing optional ones).

/// XML encoding and decoding of S3 bodies.
public enum S3Codec {
    // MARK: requests

    /// `CreateBucketConfiguration` with a `LocationConstraint`.
    public static func createBucketConfiguration(region: String) -> S3XMLNode {
        root("CreateBucketConfiguration", [S3XMLNode("LocationConstraint", text: region)])
    }

    /// `Tagging` with a `TagSet`.
    public static func tagging(_ tags: [S3Tag]) -> S3XMLNode {
        root("Tagging", [S3XMLNode("TagSet", children: tags.map(tag))])
    }

    /// `VersioningConfiguration` with `Enabled` or `Suspended`.
    public static func versioning(enabled: Bool) -> S3XMLNode {
        root("VersioningConfiguration", [S3XMLNode("Status", text: enabled ? "Enabled" : "Suspended")])
    }

    /// `CORSConfiguration`.
    public static func cors(_ rules: [S3CORSRule]) -> S3XMLNode {
        root("CORSConfiguration", rules.map { rule in
            var c: [S3XMLNode] = []
            if let id = rule.id { c.append(S3XMLNode("ID", text: id)) }
            c += rule.allowedHeaders.map { S3XMLNode("AllowedHeader", text: $0) }
            c += rule.allowedMethods.map { S3XMLNode("AllowedMethod", text: $0) }
            c += rule.allowedOrigins.map { S3XMLNode("AllowedOrigin", text: $0) }
            c += rule.exposeHeaders.map { S3XMLNode("ExposeHeader", text: $0) }
            if let age = rule.maxAgeSeconds { c.append(S3XMLNode("MaxAgeSeconds", text: String(age))) }
            return S3XMLNode("CORSRule", children: c)
        })
    }

    /// `LifecycleConfiguration` (rules with a `Filter`).
    public static func lifecycle(_ rules: [S3LifecycleRule]) -> S3XMLNode {
        root("LifecycleConfiguration", rules.map { rule in
            var c: [S3XMLNode] = []
            if let id = rule.id { c.append(S3XMLNode("ID", text: id)) }
            let filter: S3XMLNode
            switch (rule.prefix.isEmpty, rule.tags.count) {
            case (_, 0): filter = S3XMLNode("Filter", children: [S3XMLNode("Prefix", text: rule.prefix)])
            case (true, 1): filter = S3XMLNode("Filter", children: [tag(rule.tags[0])])
            default:
                let and = (rule.prefix.isEmpty ? [] : [S3XMLNode("Prefix", text: rule.prefix)]) + rule.tags.map(tag)
                filter = S3XMLNode("Filter", children: [S3XMLNode("And", children: and)])
            }
            c.append(filter)
            c.append(S3XMLNode("Status", text: rule.enabled ? "Enabled" : "Disabled"))
            c += rule.transitions.map {
                S3XMLNode("Transition", children: [S3XMLNode("Days", text: String($0.days)), S3XMLNode("StorageClass", text: $0.storageClass)])
            }
            if let days = rule.expirationDays { c.append(S3XMLNode("Expiration", children: [S3XMLNode("Days", text: String(days))])) }
            c += rule.noncurrentTransitions.map {
                S3XMLNode("NoncurrentVersionTransition", children: [S3XMLNode("NoncurrentDays", text: String($0.days)),
                                                                    S3XMLNode("StorageClass", text: $0.storageClass)])
            }
            if let days = rule.noncurrentExpirationDays {
                c.append(S3XMLNode("NoncurrentVersionExpiration", children: [S3XMLNode("NoncurrentDays", text: String(days))]))
            }
            if let days = rule.abortIncompleteMultipartUploadDays {
                c.append(S3XMLNode("AbortIncompleteMultipartUpload", children: [S3XMLNode("DaysAfterInitiation", text: String(days))]))
            }
            return S3XMLNode("Rule", children: c)
        })
    }

    /// `Delete` (multi-object delete), quiet: only failures are reported.
    public static func delete(_ objects: [S3ObjectIdentifier]) -> S3XMLNode {
        root("Delete", [S3XMLNode("Quiet", text: "true")] + objects.map { o in
            S3XMLNode("Object", children: [S3XMLNode("Key", text: o.key)] + (o.versionID.map { [S3XMLNode("VersionId", text: $0)] } ?? []))
        })
    }

    // MARK: answers

    /// The tags of a `Tagging` document.
    public static func decodeTagging(_ node: S3XMLNode) throws -> [S3Tag] {
        try expect(node, "Tagging")
        return try (node.child("TagSet")?.all("Tag") ?? []).map(readTag)
    }

    /// The status of a `VersioningConfiguration` document (any root is accepted: some
    /// servers answer an unset state with an empty `<GetBucketVersioningResponse/>`).
    public static func decodeVersioning(_ node: S3XMLNode) throws -> S3VersioningStatus {
        let text = (node.string("Status") ?? "").trimmingSpaces
        guard let status = S3VersioningStatus(rawValue: text) else {
            throw DecodeError(what: "VersioningConfiguration", field: "Status", problem: "is '\(text)' (expected Enabled, Suspended or empty)")
        }
        return status
    }

    /// An `AccessControlPolicy` document.
    public static func decodeACL(_ node: S3XMLNode) throws -> S3AccessControlPolicy {
        try expect(node, "AccessControlPolicy")
        let owner = node.child("Owner")
        let grants = try (node.child("AccessControlList")?.all("Grant") ?? []).map { grant -> S3Grant in
            guard let grantee = grant.child("Grantee"), let permission = grant.string("Permission") else {
                throw DecodeError(what: "AccessControlPolicy", field: "Grant", problem: "has no Grantee or Permission")
            }
            let type = grantee.attributes.first { $0.key == "type" || $0.key.hasSuffix(":type") }?.value
                ?? (grantee.child("URI") != nil ? "Group" : "CanonicalUser")
            return S3Grant(granteeType: type, granteeID: grantee.string("ID"), granteeURI: grantee.string("URI"),
                           displayName: grantee.string("DisplayName"), permission: permission.trimmingSpaces)
        }
        return S3AccessControlPolicy(ownerID: owner?.string("ID"), ownerDisplayName: owner?.string("DisplayName"), grants: grants)
    }

    /// The rules of a `CORSConfiguration` document.
    public static func decodeCORS(_ node: S3XMLNode) throws -> [S3CORSRule] {
        try expect(node, "CORSConfiguration")
        return node.all("CORSRule").map { r in
            S3CORSRule(id: r.string("ID"), allowedMethods: r.all("AllowedMethod").map(\.text), allowedOrigins: r.all("AllowedOrigin").map(\.text),
                       allowedHeaders: r.all("AllowedHeader").map(\.text), exposeHeaders: r.all("ExposeHeader").map(\.text),
                       maxAgeSeconds: r.int("MaxAgeSeconds"))
        }
    }

    /// The rules of a `LifecycleConfiguration` document (`Filter` or the older top-level `Prefix`).
    public static func decodeLifecycle(_ node: S3XMLNode) throws -> [S3LifecycleRule] {
        try expect(node, "LifecycleConfiguration")
        return try node.all("Rule").map { r in
            var prefix = r.string("Prefix") ?? ""
            var tags: [S3Tag] = []
            if let filter = r.child("Filter") {
                let scope = filter.child("And") ?? filter
                prefix = scope.string("Prefix") ?? prefix
                tags = try scope.all("Tag").map(readTag)
            }
            let transitions = try r.all("Transition").map { t -> S3Transition in
                guard let days = t.int("Days") else {
                    throw DecodeError(what: "LifecycleConfiguration", field: "Transition.Days", problem: "is missing (dated transitions are not supported)")
                }
                return S3Transition(days: days, storageClass: t.string("StorageClass") ?? "")
            }
            let noncurrentTransitions = r.all("NoncurrentVersionTransition").map {
                S3Transition(days: $0.int("NoncurrentDays") ?? 0, storageClass: $0.string("StorageClass") ?? "")
            }
            return S3LifecycleRule(id: r.string("ID"), prefix: prefix, tags: tags, enabled: r.string("Status")?.trimmingSpaces == "Enabled",
                                   expirationDays: r.child("Expiration")?.int("Days"), transitions: transitions,
                                   abortIncompleteMultipartUploadDays: r.child("AbortIncompleteMultipartUpload")?.int("DaysAfterInitiation"),
                                   noncurrentExpirationDays: r.child("NoncurrentVersionExpiration")?.int("NoncurrentDays"),
                                   noncurrentTransitions: noncurrentTransitions)
        }
    }

    /// A `ListBucketResult` page (ListObjectsV2, or the older ListObjects).
    public static func decodeObjectPage(_ node: S3XMLNode) throws -> S3ObjectPage {
        try expect(node, "ListBucketResult")
        let objects = try node.all("Contents").map { c -> S3ObjectSummary in
            guard let key = c.string("Key") else { throw DecodeError(what: "ListBucketResult", field: "Contents.Key", problem: "is missing") }
            return S3ObjectSummary(key: key, size: Int64(c.string("Size")?.trimmingSpaces ?? "") ?? 0, etag: c.string("ETag"),
                                   lastModified: c.string("LastModified"), storageClass: c.string("StorageClass"))
        }
        let truncated = node.bool("IsTruncated") ?? false
        let token = node.string("NextContinuationToken") ?? node.string("NextMarker") ?? (truncated ? objects.last?.key : nil)
        return S3ObjectPage(objects: objects, commonPrefixes: node.all("CommonPrefixes").compactMap { $0.string("Prefix") },
                            isTruncated: truncated, nextContinuationToken: token.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A `ListVersionsResult` page: versions and delete markers in listed order.
    public static func decodeVersionPage(_ node: S3XMLNode) throws -> S3VersionPage {
        try expect(node, "ListVersionsResult")
        let versions = try node.children.filter { $0.name == "Version" || $0.name == "DeleteMarker" }.map { v -> S3ObjectVersion in
            guard let key = v.string("Key") else { throw DecodeError(what: "ListVersionsResult", field: "\(v.name).Key", problem: "is missing") }
            return S3ObjectVersion(key: key, versionID: v.string("VersionId") ?? "null", isLatest: v.bool("IsLatest") ?? false,
                                   isDeleteMarker: v.name == "DeleteMarker", size: Int64(v.string("Size")?.trimmingSpaces ?? "") ?? 0,
                                   etag: v.string("ETag"), lastModified: v.string("LastModified"))
        }
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        return S3VersionPage(versions: versions, isTruncated: node.bool("IsTruncated") ?? false, nextKeyMarker: nonEmpty(node.string("NextKeyMarker")),
                             nextVersionIDMarker: nonEmpty(node.string("NextVersionIdMarker")))
    }

    /// A `DeleteResult` document.
    public static func decodeDeleteResult(_ node: S3XMLNode) throws -> S3DeleteResult {
        try expect(node, "DeleteResult")
        return S3DeleteResult(
            deleted: node.all("Deleted").map { S3ObjectIdentifier(key: $0.string("Key") ?? "", versionID: $0.string("VersionId")) },
            errors: node.all("Error").map {
                S3DeleteResult.Failure(key: $0.string("Key") ?? "", versionID: $0.string("VersionId"), code: $0.string("Code") ?? "",
                                       message: $0.string("Message") ?? "")
            })
    }

    // MARK: helpers

    private static func root(_ name: String, _ children: [S3XMLNode]) -> S3XMLNode {
        S3XMLNode(name, attributes: ["xmlns": S3XML.namespace], children: children)
    }

    private static func tag(_ t: S3Tag) -> S3XMLNode {
        S3XMLNode("Tag", children: [S3XMLNode("Key", text: t.key), S3XMLNode("Value", text: t.value)])
    }

    private static func readTag(_ node: S3XMLNode) throws -> S3Tag {
        guard let key = node.string("Key") else { throw DecodeError(what: "Tag", field: "Key", problem: "is missing") }
        return S3Tag(key, node.string("Value") ?? "")
    }

    private static func expect(_ node: S3XMLNode, _ name: String) throws {
        guard node.name == name else { throw DecodeError(what: name, field: nil, problem: "the document's root is <\(node.name)>") }
    }
}

// S3Models: the values the S3 calls take and return (bucket address, ACL, versioning, tags,
// CORS and lifecycle rules, object listings, put/get results). Plain data, no I/O.

/// A bucket and where it lives.
public struct S3Bucket: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name (globally unique, 3 to 63 of `a-z 0-9 . -`).
    public var name: String
    /// The Scaleway region (`fr-par`): the host and the signing region.
    public var region: String
    /// When set, requests are signed as `access_key@project_id`, acting in that project.
    public var projectID: String?

    /// A bucket in `region`, optionally acting in project `projectID`.
    public init(name: String, region: String, projectID: String? = nil) {
        self.name = name
        self.region = region
        self.projectID = projectID
    }

    public var description: String { "\(region)/\(name)" }
}

/// The canned ACLs Scaleway accepts in `x-amz-acl`.
public enum S3CannedACL: String, Sendable, CaseIterable {
    case `private` = "private"
    case publicRead = "public-read"
    case publicReadWrite = "public-read-write"
    case authenticatedRead = "authenticated-read"
}

/// One grant of an access control policy.
public struct S3Grant: Sendable, Equatable {
    /// `CanonicalUser`, `Group` or `AmazonCustomerByEmail`.
    public var granteeType: String
    public var granteeID: String?
    /// For groups: `http://acs.amazonaws.com/groups/global/AllUsers` and the like.
    public var granteeURI: String?
    public var displayName: String?
    /// `FULL_CONTROL`, `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`.
    public var permission: String

    /// A grant as S3 lists it.
    public init(granteeType: String, granteeID: String? = nil, granteeURI: String? = nil, displayName: String? = nil, permission: String) {
        self.granteeType = granteeType
        self.granteeID = granteeID
        self.granteeURI = granteeURI
        self.displayName = displayName
        self.permission = permission
    }
}

/// A bucket's `GET ?acl` answer.
public struct S3AccessControlPolicy: Sendable, Equatable {
    /// On Scaleway `<project_id>:<project_id>`.
    public var ownerID: String?
    public var ownerDisplayName: String?
    public var grants: [S3Grant]

    /// The group of everyone (public grants).
    public static let allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"
    /// The group of every authenticated user.
    public static let authenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"

    /// A policy as S3 returns it.
    public init(ownerID: String?, ownerDisplayName: String?, grants: [S3Grant]) {
        self.ownerID = ownerID
        self.ownerDisplayName = ownerDisplayName
        self.grants = grants
    }

    /// The canned ACL these grants amount to; nil for a combination no canned ACL gives.
    public var cannedACL: S3CannedACL? {
        func groupPermissions(_ uri: String) -> Set<String> {
            Set(grants.filter { $0.granteeType == "Group" && $0.granteeURI == uri }.map(\.permission))
        }
        let everyone = groupPermissions(Self.allUsers)
        let authenticated = groupPermissions(Self.authenticatedUsers)
        let others = grants.filter {
            !($0.granteeType == "Group" && ($0.granteeURI == Self.allUsers || $0.granteeURI == Self.authenticatedUsers))
                && !($0.granteeType == "CanonicalUser" && $0.permission == "FULL_CONTROL" && ($0.granteeID == ownerID || ownerID == nil))
        }
        guard others.isEmpty else { return nil }
        switch (everyone, authenticated) {
        case ([], []): return .private
        case (["READ"], []): return .publicRead
        case (["READ", "WRITE"], []): return .publicReadWrite
        case ([], ["READ"]): return .authenticatedRead
        default: return nil
        }
    }
}

/// A bucket's versioning state.
public enum S3VersioningStatus: String, Sendable {
    /// Never turned on (`<Status></Status>` or no Status).
    case unset = ""
    case enabled = "Enabled"
    case suspended = "Suspended"
}

/// One tag (bucket tagging).
public struct S3Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    /// A `key` = `value` tag.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One CORS rule.
public struct S3CORSRule: Sendable, Equatable {
    public var id: String?
    /// `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    public var allowedMethods: [String]
    public var allowedOrigins: [String]
    public var allowedHeaders: [String]
    public var exposeHeaders: [String]
    public var maxAgeSeconds: Int?

    /// A rule; lists keep their order.
    public init(id: String? = nil, allowedMethods: [String], allowedOrigins: [String], allowedHeaders: [String] = [],
                exposeHeaders: [String] = [], maxAgeSeconds: Int? = nil) {
        self.id = id
        self.allowedMethods = allowedMethods
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }
}

/// A lifecycle transition: move objects to `storageClass` (`ONEZONE_IA`, `GLACIER`) after `days`.
public struct S3Transition: Sendable, Equatable {
    public var days: Int
    public var storageClass: String

    /// A transition after `days` days.
    public init(days: Int, storageClass: String) {
        self.days = days
        self.storageClass = storageClass
    }
}

/// One lifecycle rule, in the subset Scaleway implements.
public struct S3LifecycleRule: Sendable, Equatable {
    public var id: String?
    /// Objects whose key starts with this (empty: the whole bucket).
    public var prefix: String
    /// Objects carrying all these tags (with the prefix, an `And` filter).
    public var tags: [S3Tag]
    public var enabled: Bool
    /// Delete current objects this many days after creation.
    public var expirationDays: Int?
    public var transitions: [S3Transition]
    /// Abort multipart uploads left incomplete this many days.
    public var abortIncompleteMultipartUploadDays: Int?
    /// Delete versions this many days after they stopped being current (versioned buckets).
    public var noncurrentExpirationDays: Int?
    /// Move versions that are no longer current (`days` counts from then).
    public var noncurrentTransitions: [S3Transition]

    /// A rule; `prefix` empty for the whole bucket.
    public init(id: String? = nil, prefix: String = "", tags: [S3Tag] = [], enabled: Bool = true, expirationDays: Int? = nil,
                transitions: [S3Transition] = [], abortIncompleteMultipartUploadDays: Int? = nil,
                noncurrentExpirationDays: Int? = nil, noncurrentTransitions: [S3Transition] = []) {
        self.noncurrentExpirationDays = noncurrentExpirationDays
        self.noncurrentTransitions = noncurrentTransitions
        self.id = id
        self.prefix = prefix
        self.tags = tags
        self.enabled = enabled
        self.expirationDays = expirationDays
        self.transitions = transitions
        self.abortIncompleteMultipartUploadDays = abortIncompleteMultipartUploadDays
    }
}

/// What `HEAD` on a bucket says.
public struct S3BucketHead: Sendable, Equatable {
    /// `x-amz-bucket-region`, when sent.
    public var region: String?
}

/// One object of a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var etag: String?
    public var lastModified: String?
    public var storageClass: String?
}

/// One page of `ListObjectsV2`.
public struct S3ObjectPage: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// Pass back to get the next page.
    public var nextContinuationToken: String?
}

/// One object version or delete marker.
public struct S3ObjectVersion: Sendable, Equatable {
    public var key: String
    /// `null` for objects written while versioning was unset.
    public var versionID: String
    public var isLatest: Bool
    public var isDeleteMarker: Bool
    public var size: Int64
    public var etag: String?
    public var lastModified: String?
}

/// One page of `ListObjectVersions`.
public struct S3VersionPage: Sendable, Equatable {
    /// Versions and delete markers, in the order listed.
    public var versions: [S3ObjectVersion]
    public var isTruncated: Bool
    public var nextKeyMarker: String?
    public var nextVersionIDMarker: String?
}

/// An object (or one version of it) to delete.
public struct S3ObjectIdentifier: Sendable, Hashable {
    public var key: String
    public var versionID: String?

    /// `versionID` nil: the current version (a delete marker on a versioned bucket).
    public init(key: String, versionID: String? = nil) {
        self.key = key
        self.versionID = versionID
    }
}

/// What a multi-object delete did.
public struct S3DeleteResult: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var key: String
        public var versionID: String?
        public var code: String
        public var message: String
    }

    public var deleted: [S3ObjectIdentifier]
    public var errors: [Failure]
}

/// What a `PutObject` returned.
public struct S3PutResult: Sendable, Equatable {
    public var etag: String?
    public var versionID: String?
}

/// An object read with `GetObject`.
public struct S3Object: Sendable, Equatable {
    public var body: [UInt8]
    public var etag: String?
    public var versionID: String?
    public var contentType: String?
    public var lastModified: String?
}

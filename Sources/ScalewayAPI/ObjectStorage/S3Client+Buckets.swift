// S3Client+Buckets: the bucket calls: create, head, delete, and the bucket's ACL, versioning,
// tagging, CORS and lifecycle configuration (get, put, delete).

extension S3Client {
    /// `CreateBucket`: `PUT /`, with a `LocationConstraint` when the host does not carry the
    /// region. Optionally sets a canned ACL (`x-amz-acl`).
    ///
    /// A `BucketAlreadyOwnedByYou` that answers a retry of an attempt whose outcome was unknown
    /// is our own first attempt having succeeded: it counts as success.
    public func createBucket(_ bucket: S3Bucket, acl: S3CannedACL? = nil) async throws {
        let body = needsLocationConstraint(bucket) ? S3Codec.createBucketConfiguration(region: bucket.region) : nil
        do {
            _ = try await sendXML("PUT", bucket, query: [], body: body, headers: acl.map { [("x-amz-acl", $0.rawValue)] } ?? [])
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" && error.afterAmbiguousAttempt {
            return
        }
    }

    /// `HeadBucket`: nil when the bucket does not exist. A bucket that exists but is not
    /// yours throws (`AccessDenied`).
    public func headBucket(_ bucket: S3Bucket) async throws -> S3BucketHead? {
        do {
            let response = try await send("HEAD", bucket)
            return S3BucketHead(region: response.header("x-amz-bucket-region"))
        } catch let error as S3Error where error.isNotFound {
            return nil
        }
    }

    /// `DeleteBucket`: throws `BucketNotEmpty` (409) when objects or versions remain, and
    /// `NoSuchBucket` when it is already gone.
    public func deleteBucket(_ bucket: S3Bucket) async throws {
        _ = try await send("DELETE", bucket)
    }

    // MARK: ACL

    /// `GetBucketAcl`.
    public func getBucketACL(_ bucket: S3Bucket) async throws -> S3AccessControlPolicy {
        let node = try await sendXML("GET", bucket, query: [("acl", "")])
        return try S3Codec.decodeACL(try required(node, "GetBucketAcl"))
    }

    /// `PutBucketAcl` with a canned ACL in `x-amz-acl` (no body).
    public func putBucketACL(_ bucket: S3Bucket, _ acl: S3CannedACL) async throws {
        _ = try await send("PUT", bucket, query: [("acl", "")], headers: [("x-amz-acl", acl.rawValue)])
    }

    // MARK: versioning

    /// `GetBucketVersioning`: ``S3VersioningStatus/unset`` for a bucket where it was never set.
    public func getBucketVersioning(_ bucket: S3Bucket) async throws -> S3VersioningStatus {
        guard let node = try await sendXML("GET", bucket, query: [("versioning", "")]) else { return .unset }
        return try S3Codec.decodeVersioning(node)
    }

    /// `PutBucketVersioning`: `Enabled`, or `Suspended` (versioning cannot be unset).
    public func putBucketVersioning(_ bucket: S3Bucket, enabled: Bool) async throws {
        _ = try await sendXML("PUT", bucket, query: [("versioning", "")], body: S3Codec.versioning(enabled: enabled))
    }

    // MARK: tagging

    /// `GetBucketTagging`: empty when the bucket has no tags (`NoSuchTagSet`).
    public func getBucketTagging(_ bucket: S3Bucket) async throws -> [S3Tag] {
        do {
            guard let node = try await sendXML("GET", bucket, query: [("tagging", "")]) else { return [] }
            return try S3Codec.decodeTagging(node)
        } catch let error as S3Error where error.code == "NoSuchTagSet" {
            return []
        }
    }

    /// `PutBucketTagging`: replaces every tag. An empty list deletes the tag set instead.
    public func putBucketTagging(_ bucket: S3Bucket, _ tags: [S3Tag]) async throws {
        if tags.isEmpty { return try await deleteBucketTagging(bucket) }
        _ = try await sendXML("PUT", bucket, query: [("tagging", "")], body: S3Codec.tagging(tags))
    }

    /// `DeleteBucketTagging`.
    public func deleteBucketTagging(_ bucket: S3Bucket) async throws {
        _ = try await send("DELETE", bucket, query: [("tagging", "")])
    }

    // MARK: CORS

    /// `GetBucketCors`: empty when there is none (`NoSuchCORSConfiguration`).
    public func getBucketCORS(_ bucket: S3Bucket) async throws -> [S3CORSRule] {
        do {
            guard let node = try await sendXML("GET", bucket, query: [("cors", "")]) else { return [] }
            return try S3Codec.decodeCORS(node)
        } catch let error as S3Error where error.code == "NoSuchCORSConfiguration" {
            return []
        }
    }

    /// `PutBucketCors`: replaces the rules. An empty list deletes the configuration instead.
    public func putBucketCORS(_ bucket: S3Bucket, _ rules: [S3CORSRule]) async throws {
        if rules.isEmpty { return try await deleteBucketCORS(bucket) }
        _ = try await sendXML("PUT", bucket, query: [("cors", "")], body: S3Codec.cors(rules))
    }

    /// `DeleteBucketCors`.
    public func deleteBucketCORS(_ bucket: S3Bucket) async throws {
        _ = try await send("DELETE", bucket, query: [("cors", "")])
    }

    // MARK: lifecycle

    /// `GetBucketLifecycleConfiguration`: empty when there is none (`NoSuchLifecycleConfiguration`).
    public func getBucketLifecycle(_ bucket: S3Bucket) async throws -> [S3LifecycleRule] {
        do {
            guard let node = try await sendXML("GET", bucket, query: [("lifecycle", "")]) else { return [] }
            return try S3Codec.decodeLifecycle(node)
        } catch let error as S3Error where error.code == "NoSuchLifecycleConfiguration" {
            return []
        }
    }

    /// `PutBucketLifecycleConfiguration`: replaces the rules. An empty list deletes the
    /// configuration instead.
    public func putBucketLifecycle(_ bucket: S3Bucket, _ rules: [S3LifecycleRule]) async throws {
        if rules.isEmpty { return try await deleteBucketLifecycle(bucket) }
        _ = try await sendXML("PUT", bucket, query: [("lifecycle", "")], body: S3Codec.lifecycle(rules))
    }

    /// `DeleteBucketLifecycle`.
    public func deleteBucketLifecycle(_ bucket: S3Bucket) async throws {
        _ = try await send("DELETE", bucket, query: [("lifecycle", "")])
    }

    func required(_ node: S3XMLNode?, _ call: String) throws -> S3XMLNode {
        guard let node else { throw DecodeError(what: "\(call) answer", field: nil, problem: "the body is empty") }
        return node
    }
}

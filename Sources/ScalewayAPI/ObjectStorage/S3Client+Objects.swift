// S3Client+Objects: object calls: listings (ListObjectsV2, ListObjectVersions, one page or
// all), delete one or many (with versions), put (optionally conditional) and get small bodies.

extension S3Client {
    /// One page of `ListObjectsV2`.
    public func listObjects(_ bucket: S3Bucket, prefix: String? = nil, delimiter: String? = nil, continuationToken: String? = nil,
                            maxKeys: Int? = nil) async throws -> S3ObjectPage {
        var query: [(String, String)] = [("list-type", "2")]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let node = try await sendXML("GET", bucket, query: query)
        return try S3Codec.decodeObjectPage(try required(node, "ListObjectsV2"))
    }

    /// Every object (current versions), following continuation tokens.
    public func listAllObjects(_ bucket: S3Bucket, prefix: String? = nil) async throws -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        while true {
            let page = try await listObjects(bucket, prefix: prefix, continuationToken: token)
            all += page.objects
            guard page.isTruncated, let next = page.nextContinuationToken else { return all }
            guard next != token else { throw stuck("ListObjectsV2", bucket) }
            token = next
        }
    }

    /// One page of `ListObjectVersions`: versions and delete markers.
    public func listObjectVersions(_ bucket: S3Bucket, prefix: String? = nil, keyMarker: String? = nil, versionIDMarker: String? = nil,
                                   maxKeys: Int? = nil) async throws -> S3VersionPage {
        var query: [(String, String)] = [("versions", "")]
        if let prefix { query.append(("prefix", prefix)) }
        if let keyMarker { query.append(("key-marker", keyMarker)) }
        if let versionIDMarker { query.append(("version-id-marker", versionIDMarker)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let node = try await sendXML("GET", bucket, query: query)
        return try S3Codec.decodeVersionPage(try required(node, "ListObjectVersions"))
    }

    /// Every version and delete marker, following the key and version-id markers.
    public func listAllObjectVersions(_ bucket: S3Bucket, prefix: String? = nil, pageSize: Int? = nil) async throws -> [S3ObjectVersion] {
        var all: [S3ObjectVersion] = []
        var keyMarker: String?
        var versionMarker: String?
        while true {
            let page = try await listObjectVersions(bucket, prefix: prefix, keyMarker: keyMarker, versionIDMarker: versionMarker, maxKeys: pageSize)
            all += page.versions
            guard page.isTruncated, page.nextKeyMarker != nil || page.nextVersionIDMarker != nil else { return all }
            guard page.nextKeyMarker != keyMarker || page.nextVersionIDMarker != versionMarker else { throw stuck("ListObjectVersions", bucket) }
            keyMarker = page.nextKeyMarker
            versionMarker = page.nextVersionIDMarker
        }
    }

    /// `DeleteObject`, of one version when `versionID` is given. Deleting what is not there
    /// succeeds (S3 answers 204).
    public func deleteObject(_ bucket: S3Bucket, key: String, versionID: String? = nil) async throws {
        _ = try await send("DELETE", bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [])
    }

    /// `DeleteObjects` (`POST ?delete`, quiet), up to 1000 a request: the failures, by key.
    /// Repeating it has the same effect, so it is retried like the idempotent calls.
    public func deleteObjects(_ bucket: S3Bucket, _ objects: [S3ObjectIdentifier]) async throws -> S3DeleteResult {
        var result = S3DeleteResult(deleted: [], errors: [])
        var start = 0
        while start < objects.count {
            let batch = Array(objects[start..<min(start + 1000, objects.count)])
            start += batch.count
            if let node = try await sendXML("POST", bucket, query: [("delete", "")], body: S3Codec.delete(batch), idempotent: true) {
                let page = try S3Codec.decodeDeleteResult(node)
                result.deleted += page.deleted
                result.errors += page.errors
            }
        }
        return result
    }

    /// `PutObject` of a small body.
    ///
    /// - Parameters:
    ///   - ifNoneMatch: send `If-None-Match: *`: the put fails with `PreconditionFailed` (412)
    ///     when the key exists (a lock taken by conditional put). Check
    ///     ``S3Error/afterAmbiguousAttempt``: a 412 after a lost answer may be our own write.
    ///   - ifMatch: send `If-Match: <etag>`: only replace that version of the object.
    public func putObject(_ bucket: S3Bucket, key: String, body: [UInt8], contentType: String = "application/octet-stream",
                          ifNoneMatch: Bool = false, ifMatch: String? = nil) async throws -> S3PutResult {
        var headers: [(String, String)] = [("Content-Type", contentType), ("Content-MD5", S3Hashing.contentMD5(body))]
        if ifNoneMatch { headers.append(("If-None-Match", "*")) }
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        let response = try await send("PUT", bucket, key: key, headers: headers, body: body)
        return S3PutResult(etag: response.header("etag"), versionID: response.header("x-amz-version-id"))
    }

    /// `GetObject` (the whole body in memory: for small objects such as state and locks).
    /// Throws `NoSuchKey` when there is no such object.
    public func getObject(_ bucket: S3Bucket, key: String, versionID: String? = nil) async throws -> S3Object {
        let response = try await send("GET", bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [])
        return S3Object(body: response.body, etag: response.header("etag"), versionID: response.header("x-amz-version-id"),
                        contentType: response.header("content-type"), lastModified: response.header("last-modified"))
    }

    private func stuck(_ call: String, _ bucket: S3Bucket) -> DecodeError {
        DecodeError(what: "\(call) of \(bucket.name)", field: nil, problem: "the server returned the same page marker twice")
    }
}

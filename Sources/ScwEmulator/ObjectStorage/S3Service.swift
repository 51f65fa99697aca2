// S3Service: Object Storage over S3. Tells S3 requests apart (SigV4 or an s3.<region> Host), finds the
// bucket and key (virtual-host or path style), verifies the signature and dispatches the operation.

import Foundation

/// Where an S3 request points.
struct S3Target: Sendable {
    /// nil = the service itself (ListBuckets).
    var bucket: String?
    /// nil = the bucket itself.
    var key: String?
    /// The region named by an `s3.<region>.` Host, if any.
    var hostRegion: String?

    var resource: String {
        guard let bucket else { return "/" }
        return "/\(bucket)" + (key.map { "/\($0)" } ?? "")
    }

    init(_ request: HTTPRequest) {
        var path = request.path
        if path.hasPrefix("/") { path.removeFirst() }
        if let host = S3Target.parseHost(request.header("Host") ?? "") {
            hostRegion = host.region
            if let bucket = host.bucket {
                self.bucket = bucket
                key = path.isEmpty ? nil : path
                return
            }
        }
        guard !path.isEmpty else { return }
        if let slash = path.firstIndex(of: "/") {
            bucket = String(path[..<slash])
            let rest = String(path[path.index(after: slash)...])
            key = rest.isEmpty ? nil : rest
        } else {
            bucket = path
        }
    }

    /// `<bucket>.s3.<region>.<anything>` or `s3.<region>.<anything>` (port ignored); nil otherwise.
    static func parseHost(_ header: String) -> (bucket: String?, region: String)? {
        var host = header.lowercased()
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<colon]) }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 3 else { return nil }
        for i in stride(from: labels.count - 3, through: 0, by: -1) where labels[i] == "s3" && !labels[i + 1].isEmpty {
            return (i == 0 ? nil : labels[0..<i].joined(separator: "."), labels[i + 1])
        }
        return nil
    }
}

struct S3Service: Sendable {
    let store: Store
    let auth: S3Auth

    /// The key pair of `ScalewayConfig.local`; an access key may add `@<project_id>`.
    static let localAccessKey = "SCWLOCALEMULATOR0000"
    static let localSecretKey = "00000000-0000-4000-8000-00000000e0e0"

    /// Accepts the local key pair, the `credentials` the emulator was started with (a user's own
    /// keys), and every live API key made through the emulated IAM.
    init(context: ServiceContext, credentials: [String: String] = [:]) {
        store = context.store
        let fixed = credentials.merging([S3Service.localAccessKey: S3Service.localSecretKey]) { given, _ in given }
        let store = context.store
        auth = S3Auth(secret: { accessKey in
            fixed[accessKey] ?? store.read { IAMService.secretKey(for: accessKey, in: $0) }
        }, defaultProjectID: context.defaultProjectID)
    }

    /// Whether a request is for S3: signed with SigV4 (header or query) or sent to an s3.<region> host.
    static func handles(_ request: HTTPRequest) -> Bool {
        if let authorization = request.header("Authorization"), authorization.hasPrefix("AWS4-HMAC-SHA256") || authorization.hasPrefix("AWS ") {
            return true
        }
        if request.queryValue("X-Amz-Signature") != nil || request.queryValue("X-Amz-Algorithm") != nil { return true }
        return S3Target.parseHost(request.header("Host") ?? "") != nil
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let requestID = S3Error.newRequestID()
        let target = S3Target(request)
        var response: HTTPResponse
        do {
            let identity = try auth.verify(request, hostRegion: target.hostRegion)
            response = try S3Operation(service: self, request: request, target: target, identity: identity).run()
        } catch let error as S3Error {
            response = error.response(resource: target.resource, requestID: requestID)
        } catch {
            response = S3Error(500, "InternalError", "We encountered an internal error. Please try again. (\(error))")
                .response(resource: target.resource, requestID: requestID)
        }
        // Date lets a client measure its clock skew against the server's
        response.headers += [("x-amz-request-id", requestID), ("x-amz-id-2", requestID), ("Date", S3Time.http(milliseconds: S3Time.nowMilliseconds()))]
        return response
    }

    /// An injected fault in S3's words (429 becomes 503 SlowDown).
    static func injectedFault(_ request: HTTPRequest, status: Int) -> HTTPResponse {
        let requestID = S3Error.newRequestID()
        var response = S3Error.injected(status: status).response(resource: S3Target(request).resource, requestID: requestID)
        response.headers.append(("x-amz-request-id", requestID))
        return response
    }
}

/// One S3 request being answered: dispatch on method, bucket/key and sub-resource.
struct S3Operation {
    let service: S3Service
    let request: HTTPRequest
    let target: S3Target
    let identity: S3Identity

    var store: Store { service.store }

    /// Query names that select an operation; those not listed in `run` answer 501.
    static let subresources = [
        "acl", "versioning", "tagging", "cors", "lifecycle", "object-lock", "versions", "delete", "location", "uploads",
        "uploadId", "policy", "website", "encryption", "logging", "notification", "replication", "requestPayment",
        "accelerate", "analytics", "inventory", "metrics", "ownershipControls", "publicAccessBlock", "intelligent-tiering",
        "legal-hold", "retention", "restore", "select", "torrent", "attributes", "policyStatus", "partNumber",
    ]

    var subresource: String? { S3Operation.subresources.first { request.queryValue($0) != nil } }

    func run() throws -> HTTPResponse {
        guard let bucket = target.bucket else {
            guard request.method == "GET" || request.method == "HEAD" else { throw methodNotAllowed("SERVICE") }
            return try listBuckets()
        }
        let method = request.method
        if let key = target.key {
            guard subresource == nil else { throw S3Error.notImplemented("?\(subresource!) on objects") }
            switch method {
            case "PUT":
                if request.header("x-amz-copy-source") != nil { throw S3Error.notImplemented("CopyObject") }
                return try putObject(bucket, key)
            case "GET", "HEAD": return try getObject(bucket, key, head: method == "HEAD")
            case "DELETE": return try deleteObject(bucket, key)
            default: throw methodNotAllowed("OBJECT")
            }
        }
        switch (method, subresource) {
        case ("PUT", nil): return try createBucket(bucket)
        case ("HEAD", nil): return try headBucket(bucket)
        case ("DELETE", nil): return try deleteBucket(bucket)
        case ("GET", nil): return try request.queryValue("list-type") == "2" ? listObjectsV2(bucket) : listObjectsV1(bucket)
        case ("GET", "versions"): return try listObjectVersions(bucket)
        case ("POST", "delete"): return try deleteObjects(bucket)
        case ("GET", "location"): return try getLocation(bucket)
        case ("GET", "acl"): return try getACL(bucket)
        case ("PUT", "acl"): return try putACL(bucket)
        case ("GET", "versioning"): return try getVersioning(bucket)
        case ("PUT", "versioning"): return try putVersioning(bucket)
        case ("GET", "tagging"): return try getTagging(bucket)
        case ("PUT", "tagging"): return try putTagging(bucket)
        case ("DELETE", "tagging"): return try deleteTagging(bucket)
        case ("GET", "cors"), ("GET", "lifecycle"), ("GET", "object-lock"): return try getDocument(bucket, subresource!)
        case ("PUT", "cors"), ("PUT", "lifecycle"), ("PUT", "object-lock"): return try putDocument(bucket, subresource!)
        case ("DELETE", "cors"), ("DELETE", "lifecycle"): return try deleteDocument(bucket, subresource!)
        case (_, let sub?) where !["acl", "versioning", "tagging", "cors", "lifecycle", "object-lock", "versions", "delete", "location"].contains(sub):
            throw S3Error.notImplemented("?\(sub)")
        default: throw methodNotAllowed("BUCKET")
        }
    }

    func methodNotAllowed(_ type: String) -> S3Error {
        S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                extra: [("Method", request.method), ("ResourceType", type)])
    }

    // MARK: bucket access

    /// Whether an anonymous request may read this bucket (public-read ACLs).
    private func anonymousMayRead(_ b: S3Bucket) -> Bool {
        b.grants.contains { $0.type == "Group" && $0.uri == S3Grant.allUsers && ($0.permission == "READ" || $0.permission == "FULL_CONTROL") }
    }

    /// Existence, region and ownership checks of one bucket.
    func authorize(_ b: S3Bucket, publicRead: Bool = false) throws {
        if identity.isAnonymous {
            guard publicRead && anonymousMayRead(b) else { throw S3Error.accessDenied }
            if let hostRegion = target.hostRegion, hostRegion != b.region { throw wrongRegion(b) }
            return
        }
        guard b.region == identity.region else { throw wrongRegion(b) }
        guard b.projectID == identity.projectID else { throw S3Error.accessDenied }
    }

    private func wrongRegion(_ b: S3Bucket) -> S3Error {
        S3Error(301, "PermanentRedirect",
                "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
                extra: [("Bucket", b.name), ("Endpoint", "s3.\(b.region).scw.cloud")], headers: [("x-amz-bucket-region", b.region)])
    }

    /// The bucket, checked for access (reads).
    func readBucket(_ name: String, publicRead: Bool = false) throws -> S3Bucket {
        let found = store.read { state in state.get(S3Bucket.kind, name).flatMap(S3Bucket.init(record:)) }
        guard let b = found else { throw S3Error.noSuchBucket(name) }
        try authorize(b, publicRead: publicRead)
        return b
    }

    /// Changes one bucket atomically (checked for access first); the change is saved.
    func writeBucket<T>(_ name: String, _ change: (inout S3Bucket) throws -> T) throws -> T {
        try store.write { state in
            guard let record = state.get(S3Bucket.kind, name), var b = S3Bucket(record: record) else { throw S3Error.noSuchBucket(name) }
            try authorize(b)
            let result = try change(&b)
            var updated = record
            updated.body = b.body
            updated.meta = b.meta
            state.put(updated)
            return result
        }
    }

    // MARK: answers

    /// 200 with an XML document (prolog added).
    func xml(_ body: String, contentType: String = "application/xml", region: String? = nil) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", contentType)]
        if let region { headers.append(("x-amz-bucket-region", region)) }
        return HTTPResponse(status: 200, headers: headers, body: Array((XMLText.prolog + body).utf8))
    }

    /// An answer without body.
    func empty(_ status: Int, _ headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    /// The request body as an XML document whose root is `root`.
    func xmlBody(root: String) throws -> XMLNode {
        let node: XMLNode
        do {
            node = try XMLText.parse(try payload().data)
        } catch let error as XMLParseError {
            throw S3Error.malformedXML(error.description)
        }
        guard node.localName == root else { throw S3Error.malformedXML("expected <\(root)>, got <\(node.name)>") }
        return node
    }

    /// The request body, aws-chunked decoded; Content-MD5 and x-amz-checksum-* values verified.
    func payload() throws -> S3Chunked.Decoded {
        var decoded = S3Chunked.Decoded(data: request.body)
        if S3Chunked.isChunked(request) {
            decoded = try S3Chunked.decode(request.body, identity: identity)
            if let declared = request.header("x-amz-decoded-content-length"), Int(declared) != decoded.data.count {
                throw S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by x-amz-decoded-content-length.")
            }
        }
        if let md5 = request.header("Content-MD5") {
            guard let given = Data(base64Encoded: md5), given.count == 16 else {
                throw S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
            }
            guard Array(given) == S3Crypto.md5(decoded.data) else { throw S3Error.badDigest("Content-MD5") }
        }
        for (algorithm, given) in checksums(decoded) {
            let computed: [UInt8]
            switch algorithm {
            case "CRC32": computed = S3Crypto.bigEndian(S3Crypto.crc32(decoded.data))
            case "CRC32C": computed = S3Crypto.bigEndian(S3Crypto.crc32c(decoded.data))
            case "SHA256": computed = S3Crypto.sha256(decoded.data)
            default: continue   // SHA1, CRC64NVME: kept, not verified
            }
            guard Data(computed).base64EncodedString() == given else { throw S3Error.badDigest(algorithm) }
        }
        return decoded
    }

    /// (ALGORITHM, base64 value) of the x-amz-checksum-* headers and trailers.
    func checksums(_ decoded: S3Chunked.Decoded) -> [(String, String)] {
        var out: [(String, String)] = []
        for name in ["crc32", "crc32c", "sha1", "sha256", "crc64nvme"] {
            if let v = request.header("x-amz-checksum-\(name)") ?? decoded.trailers["x-amz-checksum-\(name)"] { out.append((name.uppercased(), v)) }
        }
        return out
    }
}

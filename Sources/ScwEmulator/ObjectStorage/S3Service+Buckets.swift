// S3 bucket operations: ListBuckets, Create/Head/DeleteBucket, location, ACL (canned or XML),
// versioning, tagging, and the stored configurations (CORS, lifecycle, object lock).

extension S3Operation {
    static func isValidBucketName(_ name: String) -> Bool {
        let b = Array(name.utf8)
        guard (3...63).contains(b.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        guard b.allSatisfy({ alnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }),
              alnum(b[0]), alnum(b[b.count - 1]), !name.contains(".."), !name.contains(".-"), !name.contains("-.") else { return false }
        let parts = name.split(separator: ".")
        return !(parts.count == 4 && parts.allSatisfy { $0.allSatisfy(\.isNumber) })   // not an IP address
    }

    func listBuckets() throws -> HTTPResponse {
        guard !identity.isAnonymous else { throw S3Error.accessDenied }
        let buckets = store.read { state in state.list(S3Bucket.kind).compactMap(S3Bucket.init(record:)) }
            .filter { $0.projectID == identity.projectID }
        let owner = "\(identity.projectID):\(identity.projectID)"
        var body = "<ListAllMyBucketsResult xmlns=\"\(XMLText.namespace)\"><Owner>" + XMLText.element("ID", owner)
            + XMLText.element("DisplayName", owner) + "</Owner><Buckets>"
        for b in buckets {
            body += "<Bucket>" + XMLText.element("Name", b.name) + XMLText.element("CreationDate", b.createdAt) + "</Bucket>"
        }
        return xml(body + "</Buckets></ListAllMyBucketsResult>")
    }

    func createBucket(_ name: String) throws -> HTTPResponse {
        guard !identity.isAnonymous else { throw S3Error.accessDenied }
        guard S3Operation.isValidBucketName(name) else {
            throw S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", extra: [("BucketName", name)])
        }
        let region = identity.region
        let data = try payload().data
        if !data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            let configuration = try xmlBody(root: "CreateBucketConfiguration")
            if let constraint = configuration.value("LocationConstraint"), !constraint.isEmpty {
                guard Locality.regions.contains(constraint) else {
                    throw S3Error(400, "InvalidLocationConstraint", "The specified location-constraint is not valid",
                                  extra: [("LocationConstraint", constraint)])
                }
                guard constraint == region else {
                    throw S3Error(400, "IllegalLocationConstraintException",
                                  "The \(constraint) location constraint is incompatible for the region specific endpoint this request was sent to (\(region)).")
                }
            }
        }
        var bucket = S3Bucket(name: name, region: region, projectID: identity.projectID)
        let acl = request.header("x-amz-acl") ?? "private"
        guard let grants = S3Grant.canned(acl, owner: bucket.owner) else {
            throw S3Error.invalidArgument("Invalid canned ACL", name: "x-amz-acl", value: acl)
        }
        bucket.grants = grants
        if request.header("x-amz-bucket-object-lock-enabled")?.lowercased() == "true" {
            bucket.objectLockEnabled = true
            bucket.versioning = "Enabled"
        }
        try store.write { state in
            if let existing = state.get(S3Bucket.kind, name).flatMap(S3Bucket.init(record:)) {
                if existing.projectID == identity.projectID {
                    throw S3Error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.",
                                  extra: [("BucketName", name)])
                }
                throw S3Error(409, "BucketAlreadyExists",
                              "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
                              extra: [("BucketName", name)])
            }
            state.insert(kind: S3Bucket.kind, id: name, body: bucket.body, meta: bucket.meta)
        }
        return empty(200, [("Location", "/\(name)"), ("x-amz-bucket-region", region)])
    }

    func headBucket(_ name: String) throws -> HTTPResponse {
        let b = try readBucket(name, publicRead: true)
        return HTTPResponse(status: 200, headers: [("Content-Type", "application/xml"), ("x-amz-bucket-region", b.region)])
    }

    func deleteBucket(_ name: String) throws -> HTTPResponse {
        try store.write { state in
            guard let b = state.get(S3Bucket.kind, name).flatMap(S3Bucket.init(record:)) else { throw S3Error.noSuchBucket(name) }
            try authorize(b)
            guard b.versionCount == 0 else {
                throw S3Error(409, "BucketNotEmpty", "The bucket that you tried to delete is not empty.")
            }
            state.remove(S3Bucket.kind, name)
        }
        return empty(204)
    }

    func getLocation(_ name: String) throws -> HTTPResponse {
        let b = try readBucket(name)
        return xml("<LocationConstraint xmlns=\"\(XMLText.namespace)\">\(b.region)</LocationConstraint>", region: b.region)
    }

    // MARK: ACL

    func getACL(_ name: String) throws -> HTTPResponse {
        let b = try readBucket(name)
        var body = "<AccessControlPolicy xmlns=\"\(XMLText.namespace)\"><Owner>" + XMLText.element("DisplayName", b.owner)
            + XMLText.element("ID", b.owner) + "</Owner><AccessControlList>"
        for g in b.grants {
            body += "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"\(g.type)\">"
            body += g.type == "Group" ? XMLText.element("URI", g.uri)
                : XMLText.element("ID", g.id) + XMLText.element("DisplayName", g.id)
            body += "</Grantee>" + XMLText.element("Permission", g.permission) + "</Grant>"
        }
        return xml(body + "</AccessControlList></AccessControlPolicy>", contentType: "text/xml; charset=utf-8", region: b.region)
    }

    func putACL(_ name: String) throws -> HTTPResponse {
        let data = try payload().data
        let hasBody = !data.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if request.headers.contains(where: { $0.name.lowercased().hasPrefix("x-amz-grant-") }) {
            throw S3Error.notImplemented("x-amz-grant-* headers")
        }
        let canned = request.header("x-amz-acl")
        if canned != nil && hasBody {
            throw S3Error(400, "UnexpectedContent", "This request does not support content when x-amz-acl is set")
        }
        let policy = hasBody ? try xmlBody(root: "AccessControlPolicy") : nil
        try writeBucket(name) { b in
            if let canned {
                guard let grants = S3Grant.canned(canned, owner: b.owner) else {
                    throw S3Error.invalidArgument("Invalid canned ACL", name: "x-amz-acl", value: canned)
                }
                b.grants = grants
            } else if let policy {
                b.grants = try S3Operation.grants(from: policy)
            } else {
                throw S3Error(400, "MalformedACLError", "The request must contain an x-amz-acl header or an AccessControlPolicy body.")
            }
        }
        return empty(200)
    }

    static func grants(from policy: XMLNode) throws -> [S3Grant] {
        let malformed = S3Error(400, "MalformedACLError",
                                "The XML you provided was not well-formed or did not validate against our published schema")
        guard let list = policy.child("AccessControlList") else { throw malformed }
        return try list.all("Grant").map { grant in
            guard let grantee = grant.child("Grantee"), let permission = grant.value("Permission"),
                  S3Grant.permissions.contains(permission) else { throw malformed }
            switch grantee.attribute("type") {
            case "CanonicalUser":
                guard let id = grantee.value("ID"), !id.isEmpty else { throw malformed }
                return S3Grant(type: "CanonicalUser", id: id, permission: permission)
            case "Group":
                guard let uri = grantee.value("URI"), [S3Grant.allUsers, S3Grant.authenticatedUsers].contains(uri) else { throw malformed }
                return S3Grant(type: "Group", uri: uri, permission: permission)
            default:
                throw S3Error.notImplemented("grantee type \(grantee.attribute("type") ?? "none")")
            }
        }
    }

    // MARK: versioning

    func getVersioning(_ name: String) throws -> HTTPResponse {
        let b = try readBucket(name)
        let body = b.versioning.isEmpty ? "<VersioningConfiguration><Status></Status></VersioningConfiguration>"
            : "<VersioningConfiguration xmlns=\"\(XMLText.namespace)\">" + XMLText.element("Status", b.versioning) + "</VersioningConfiguration>"
        return xml(body, contentType: "text/xml; charset=utf-8", region: b.region)
    }

    func putVersioning(_ name: String) throws -> HTTPResponse {
        let configuration = try xmlBody(root: "VersioningConfiguration")
        guard let status = configuration.value("Status"), status == "Enabled" || status == "Suspended" else {
            throw S3Error.malformedXML("Status must be Enabled or Suspended")
        }
        try writeBucket(name) { b in
            if b.objectLockEnabled && status == "Suspended" {
                throw S3Error(409, "InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.")
            }
            b.versioning = status
        }
        return empty(200)
    }

    // MARK: tagging

    func getTagging(_ name: String) throws -> HTTPResponse {
        let b = try readBucket(name)
        guard let tags = b.tags else {
            throw S3Error(404, "NoSuchTagSet", "The TagSet does not exist", extra: [("BucketName", name)])
        }
        let items = tags.map { "<Tag>" + XMLText.element("Key", $0.key) + XMLText.element("Value", $0.value) + "</Tag>" }.joined()
        return xml("<Tagging><TagSet>\(items)</TagSet></Tagging>", contentType: "text/xml; charset=utf-8", region: b.region)
    }

    func putTagging(_ name: String) throws -> HTTPResponse {
        let tagging = try xmlBody(root: "Tagging")
        guard let set = tagging.child("TagSet") else { throw S3Error.malformedXML("missing TagSet") }
        var tags: [(key: String, value: String)] = []
        for tag in set.all("Tag") {
            guard let key = tag.value("Key") else { throw S3Error.malformedXML("a Tag without Key") }
            let value = tag.value("Value") ?? ""
            func invalid(_ message: String) -> S3Error { S3Error(400, "InvalidTag", message, extra: [("TagKey", key)]) }
            guard (1...128).contains(key.count) else { throw invalid("The TagKey you have provided is invalid") }
            guard value.count <= 256 else { throw invalid("The TagValue you have provided is invalid") }
            guard !key.hasPrefix("aws:") else { throw invalid("System tags cannot be added/updated by requester") }
            guard !tags.contains(where: { $0.key == key }) else { throw invalid("Cannot provide multiple Tags with the same key") }
            tags.append((key, value))
        }
        guard tags.count <= 50 else { throw S3Error(400, "InvalidTag", "Object tags cannot be greater than 50") }
        try writeBucket(name) { b in b.tags = tags.isEmpty ? nil : tags }
        return empty(200)
    }

    func deleteTagging(_ name: String) throws -> HTTPResponse {
        try writeBucket(name) { b in b.tags = nil }
        return empty(204)
    }

    // MARK: stored configurations (cors, lifecycle, object-lock)

    private static let documentRoots = ["cors": "CORSConfiguration", "lifecycle": "LifecycleConfiguration", "object-lock": "ObjectLockConfiguration"]

    func getDocument(_ name: String, _ kind: String) throws -> HTTPResponse {
        let b = try readBucket(name)
        let root = S3Operation.documentRoots[kind]!
        let inner: String?
        switch kind {
        case "cors":
            inner = b.cors
            if inner == nil { throw S3Error(404, "NoSuchCORSConfiguration", "The CORS configuration does not exist") }
        case "lifecycle":
            inner = b.lifecycle
            if inner == nil {
                throw S3Error(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", extra: [("BucketName", name)])
            }
        default:
            guard b.objectLockEnabled else {
                throw S3Error(404, "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket")
            }
            inner = XMLText.element("ObjectLockEnabled", "Enabled") + (b.objectLockConfiguration ?? "")
        }
        return xml("<\(root) xmlns=\"\(XMLText.namespace)\">\(inner ?? "")</\(root)>", contentType: "text/xml; charset=utf-8", region: b.region)
    }

    func putDocument(_ name: String, _ kind: String) throws -> HTTPResponse {
        let document = try xmlBody(root: S3Operation.documentRoots[kind]!)
        switch kind {
        case "cors": try S3Operation.validateCORS(document)
        case "lifecycle": try S3Operation.validateLifecycle(document)
        default:
            guard document.value("ObjectLockEnabled") ?? "Enabled" == "Enabled" else { throw S3Error.malformedXML("ObjectLockEnabled must be Enabled") }
        }
        let inner = document.children.filter { $0.localName != "ObjectLockEnabled" }.map { $0.rendered() }.joined()
        try writeBucket(name) { b in
            switch kind {
            case "cors": b.cors = inner
            case "lifecycle": b.lifecycle = inner
            default:
                guard b.objectLockEnabled else {
                    throw S3Error(409, "InvalidBucketState", "Object Lock configuration cannot be enabled on existing buckets")
                }
                b.objectLockConfiguration = inner.isEmpty ? nil : inner
            }
        }
        return empty(200)
    }

    func deleteDocument(_ name: String, _ kind: String) throws -> HTTPResponse {
        try writeBucket(name) { b in
            if kind == "cors" { b.cors = nil } else { b.lifecycle = nil }
        }
        return empty(204)
    }

    static func validateCORS(_ document: XMLNode) throws {
        let rules = document.all("CORSRule")
        guard (1...100).contains(rules.count) else { throw S3Error.malformedXML("1 to 100 CORSRule expected") }
        for rule in rules {
            let methods = rule.all("AllowedMethod").map(\.text)
            guard !methods.isEmpty, !rule.all("AllowedOrigin").isEmpty else {
                throw S3Error.malformedXML("a CORSRule needs AllowedMethod and AllowedOrigin")
            }
            if let bad = methods.first(where: { !["GET", "PUT", "HEAD", "POST", "DELETE"].contains($0) }) {
                throw S3Error(400, "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is \(bad)")
            }
            if let age = rule.value("MaxAgeSeconds"), Int(age) == nil { throw S3Error.malformedXML("MaxAgeSeconds must be an integer") }
        }
    }

    static func validateLifecycle(_ document: XMLNode) throws {
        let rules = document.all("Rule")
        guard (1...1000).contains(rules.count) else { throw S3Error.malformedXML("1 to 1000 Rule expected") }
        var ids: Set<String> = []
        let actions = ["Expiration", "Transition", "NoncurrentVersionExpiration", "NoncurrentVersionTransition", "AbortIncompleteMultipartUpload"]
        for rule in rules {
            guard let status = rule.value("Status"), status == "Enabled" || status == "Disabled" else {
                throw S3Error.malformedXML("a Rule's Status must be Enabled or Disabled")
            }
            if let id = rule.value("ID") {
                guard id.count <= 255 else { throw S3Error.invalidArgument("ID length should not exceed allowed limit of 255", name: "ID", value: id) }
                guard ids.insert(id).inserted else { throw S3Error.invalidArgument("Rule ID must be unique. Found same ID for more than one rule", name: "ID", value: id) }
            }
            guard rule.children.contains(where: { actions.contains($0.localName) }) else {
                throw S3Error(400, "InvalidRequest", "At least one action needs to be specified in a rule")
            }
            for action in rule.children where actions.contains(action.localName) {
                let minimum = action.localName.hasSuffix("Transition") ? 0 : 1
                for field in ["Days", "NoncurrentDays", "DaysAfterInitiation"] {
                    if let days = action.value(field), (Int(days) ?? -1) < minimum {
                        throw S3Error.invalidArgument("'\(field)' for \(action.localName) action must be an integer of at least \(minimum)",
                                                      name: field, value: days)
                    }
                }
            }
        }
    }
}

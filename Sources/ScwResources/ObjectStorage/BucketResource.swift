// Bucket: an Object Storage bucket (S3; regional; no JSON API). ACL, versioning, tags, CORS and
// lifecycle update in place; a name, region or project change replaces. A name left out is
// derived from stack, resource, project and region, so a re-run after a crash finds the bucket.

import ScalewayAPI
import ScwCore
import ScwEngine

/// The `Bucket` resource type.
///
/// Names: when the script gives none, the name is `scwlua-<stack>-<resource>-<8 hex>`, the hex
/// being the start of SHA-256 of `stack/resource/project/region`. It is decided in `normalize`,
/// so the engine records it in the intent row before the create, and it is the same on every
/// run (normalize cannot see state, so a random suffix could not be kept).
///
/// Create: CreateBucket, then the ownership tags (`scwlua:stack`, `scwlua:urn`) plus a
/// `scwlua:pending` tag, then ACL, versioning, CORS, lifecycle, then the final tags. `find`
/// only takes a bucket whose tags are final, so a create interrupted half-way is finished by
/// the next create (CreateBucket answers `BucketAlreadyOwnedByYou`, the tags say it is ours).
/// A generated name is ours by construction, so an untagged bucket of that name is adopted
/// too; an explicit name that exists untagged is refused (it may be someone's bucket).
/// If configuring a new bucket fails, it is deleted again (it is empty) and the create counts
/// as refused.
///
/// Delete: without `force_destroy` a non-empty bucket is refused (nothing is deleted); with
/// it, every object version and delete marker goes first.
public struct BucketResource: ResourceProvider {
    let env: ScalewayEnvironment

    /// The provider, over `env.s3`.
    public init(env: ScalewayEnvironment) { self.env = env }

    public var schema: ResourceSchema { Self.schema }

    static let acls = S3CannedACL.allCases.map(\.rawValue)
    static let corsMethods = ["GET", "PUT", "POST", "DELETE", "HEAD"]
    static let storageClasses = ["ONEZONE_IA", "GLACIER"]
    /// Marks a bucket whose create has not finished configuring it.
    static let pendingTag = S3Tag("scwlua:pending", "create")

    static let corsRule = PropKind.object([
        PropSpec("allowed_methods", .list(.string), required: true, allowed: corsMethods, doc: "HTTP methods allowed from the origins."),
        PropSpec("allowed_origins", .list(.string), required: true, doc: "Origins (`https://www.example.com`, `*`)."),
        PropSpec("allowed_headers", .list(.string), doc: "Request headers allowed in a preflight (`*` for any)."),
        PropSpec("expose_headers", .list(.string), doc: "Response headers the browser may read (`ETag`)."),
        PropSpec("max_age_seconds", .int, range: 0...31_536_000, doc: "How long a browser may cache the preflight answer."),
    ])

    static let lifecycleRule = PropKind.object([
        PropSpec("id", .string, doc: "Rule name; `rule-<n>` (its position) when absent."),
        PropSpec("prefix", .string, doc: "Only objects whose key starts with this; the whole bucket when absent."),
        PropSpec("enabled", .bool, doc: "Defaults to true."),
        PropSpec("expiration_days", .int, range: 1...36_500, doc: "Delete objects this many days after they were written."),
        PropSpec("transitions", .list(.object([
            PropSpec("days", .int, required: true, range: 0...36_500, doc: "Days after the object was written."),
            PropSpec("storage_class", .string, required: true, allowed: storageClasses, doc: "Where objects move."),
        ])), doc: "Storage class moves."),
        PropSpec("abort_incomplete_multipart_upload_days", .int, range: 1...36_500, doc: "Abort multipart uploads left unfinished this many days."),
        PropSpec("noncurrent_version_expiration_days", .int, range: 1...36_500,
                 doc: "Delete versions this many days after a newer one replaced them (versioned buckets)."),
        PropSpec("noncurrent_version_transitions", .list(.object([
            PropSpec("days", .int, required: true, range: 0...36_500, doc: "Days after a newer version replaced it."),
            PropSpec("storage_class", .string, required: true, allowed: storageClasses, doc: "Where versions move."),
        ])), doc: "Storage class moves of versions that are no longer current (versioned buckets)."),
    ])

    /// Props and outputs; `name`, `region` and `project_id` replace, the rest updates in place.
    public static let schema = ResourceSchema(
        typeName: "Bucket",
        doc: "An Object Storage bucket (S3 API).",
        locality: .regional,
        props: [
            PropSpec("name", .string, change: .replace,
                     doc: "Bucket name, unique across all Object Storage users (3 to 63 of `a-z 0-9 . -`). Defaults to "
                        + "`scwlua-<stack>-<resource>-<8 hex>`, derived from the stack, the resource name, the project and the region."),
            CommonProps.region,
            CommonProps.projectID,
            PropSpec("acl", .string, default: .string("private"), allowed: acls, doc: "Canned ACL."),
            PropSpec("visibility", .string, allowed: acls, doc: "Another name for `acl`."),
            PropSpec("versioning", .bool, default: .bool(false), doc: "Keep every version of every object. Turning it off suspends it."),
            PropSpec("tags", .map(.string), default: .map([:]), doc: "Tags (string keys and values). Keys starting with `scwlua:` are reserved."),
            PropSpec("cors_rules", .list(corsRule), default: .list([]), doc: "CORS rules, in order."),
            PropSpec("lifecycle_rules", .list(lifecycleRule), default: .list([]), doc: "Expiration and transition rules."),
            PropSpec("force_destroy", .bool, default: .bool(false),
                     doc: "Delete every object and object version with the bucket. Without it, deleting a non-empty bucket fails and nothing is lost. "
                        + "Deploy it before a destroy: destroy uses what state holds."),
        ],
        outputs: [
            OutputSpec("id", .string, doc: "`<region>/<name>`"),
            OutputSpec("name", .string),
            OutputSpec("region", .string),
            OutputSpec("project_id", .string),
            OutputSpec("endpoint", .string, doc: "`https://<name>.s3.<region>.scw.cloud`"),
            OutputSpec("api_endpoint", .string, doc: "`https://s3.<region>.scw.cloud`"),
        ])

    // MARK: normalize

    public func normalize(_ inputs: [String: Value], context: ProviderContext) throws -> [String: Value] {
        var out = inputs
        let at = Diagnostic.Place.resource(context.address)
        func unset(_ key: String) -> Bool { out[key] == nil || out[key] == .null }
        if unset("region") { out["region"] = .string(env.defaultRegion) }
        if unset("project_id") {
            guard let project = env.defaultProjectID else {
                throw Diagnostic("no project: set project_id, scw.defaults { project_id = ... }, or default_project_id in the Scaleway config", at: at)
            }
            out["project_id"] = .string(project)
        }
        if let visibility = out.removeValue(forKey: "visibility"), visibility != .null {
            if !unset("acl"), out["acl"] != visibility {
                throw Diagnostic("acl and visibility are the same setting and disagree; give only one", at: at)
            }
            out["acl"] = visibility
        }
        if unset("acl") { out["acl"] = .string(S3CannedACL.private.rawValue) }
        if unset("versioning") { out["versioning"] = .bool(false) }
        if unset("force_destroy") { out["force_destroy"] = .bool(false) }
        if unset("tags") { out["tags"] = .map([:]) }
        if case .list(let a)? = out["tags"], a.isEmpty { out["tags"] = .map([:]) }
        if let tags = out["tags"]?.mapValue {
            for (key, value) in tags {
                if key.hasPrefix(OwnershipTags.prefix) { throw Diagnostic("tag '\(key)' uses the reserved prefix '\(OwnershipTags.prefix)'", at: at) }
                if key.isEmpty || key.count > 128 { throw Diagnostic("tag key '\(key)' must be 1 to 128 characters", at: at) }
                if let s = value.stringValue, s.count > 256 { throw Diagnostic("the value of tag '\(key)' is longer than 256 characters", at: at) }
            }
        }
        out["cors_rules"] = try Self.normalizeList(out["cors_rules"]) { try Self.normalizeCORS($0, index: $1, at: at) }
        out["lifecycle_rules"] = try Self.normalizeList(out["lifecycle_rules"]) { try Self.normalizeLifecycle($0, index: $1, at: at) }
        if let rules = out["lifecycle_rules"]?.listValue {
            let ids = rules.compactMap { $0["id"]?.stringValue }
            if Set(ids).count != ids.count { throw Diagnostic("lifecycle_rules: two rules have the same id", at: at) }
        }
        if unset("name") {
            if let project = out["project_id"]?.stringValue, let region = out["region"]?.stringValue {
                out["name"] = .string(Self.generatedName(stack: context.stack, resource: context.address.name, project: project, region: region))
            } else {
                out["name"] = .unknown
            }
        }
        if let nameValue = out["name"], let name = nameValue.stringValue, let problem = Self.nameProblem(name) {
            let shown = nameValue.isSensitive ? "(sensitive value)" : "'\(name)'"   // a secret name is never printed
            throw Diagnostic("bucket name \(shown) \(problem)", at: at,
                             hint: "bucket names are 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit")
        }
        return out
    }

    /// `scwlua-<stack>-<resource>-<8 hex>`: lowercase, at most 63 characters; the hex is the start
    /// of SHA-256 of `stack/resource/project/region`.
    public static func generatedName(stack: String, resource: String, project: String, region: String) -> String {
        func clean(_ s: String) -> String {
            var out = ""
            for c in s.lowercased().unicodeScalars {
                let ok = ("a"..."z").contains(c) || ("0"..."9").contains(c)
                if ok { out.unicodeScalars.append(c) } else if !out.hasSuffix("-") { out += "-" }
            }
            while out.hasPrefix("-") { out.removeFirst() }
            while out.hasSuffix("-") { out.removeLast() }
            return out
        }
        let hash = String(S3Hashing.sha256Hex("\(stack)/\(resource)/\(project)/\(region)").prefix(8))
        var stackPart = clean(stack), namePart = clean(resource)
        let budget = 63 - "scwlua-".count - 9 - 1   // the hash with its dash, the dash between the parts
        while stackPart.count + namePart.count > budget {
            if stackPart.count >= namePart.count { stackPart.removeLast() } else { namePart.removeLast() }
        }
        while stackPart.hasSuffix("-") { stackPart.removeLast() }
        while namePart.hasSuffix("-") { namePart.removeLast() }
        return (["scwlua", stackPart, namePart, hash].filter { !$0.isEmpty }).joined(separator: "-")
    }

    /// Why a name is not a valid bucket name, or nil.
    static func nameProblem(_ name: String) -> String? {
        if name.count < 3 || name.count > 63 { return "must be 3 to 63 characters long (it has \(name.count))" }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
        if !allowed { return "may only hold lowercase letters, digits, dots and hyphens" }
        func alnum(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber } ?? false }
        if !alnum(name.first) || !alnum(name.last) { return "must start and end with a letter or a digit" }
        if name.contains("..") || name.contains(".-") || name.contains("-.") { return "must not have a dot next to a dot or a hyphen" }
        let parts = name.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return "must not look like an IP address" }
        return nil
    }

    private static func normalizeList(_ value: Value?, _ each: (Value, Int) throws -> Value) throws -> Value {
        guard let value, value != .null else { return .list([]) }
        if case .map(let m) = value, m.isEmpty { return .list([]) }
        guard let items = value.listValue else { return value }   // unknown until apply
        return .list(try items.enumerated().map { try each($1, $0) })
    }

    private static func normalizeCORS(_ rule: Value, index: Int, at: Diagnostic.Place) throws -> Value {
        guard rule.isPlain, var m = rule.mapValue else { return rule }
        let path = "cors_rules[\(index + 1)]"
        m["allowed_methods"] = .list((m["allowed_methods"]?.listValue ?? []).compactMap(\.stringValue).map { .string($0.uppercased()) })
        for key in ["allowed_origins", "allowed_headers", "expose_headers"] where m[key] == nil || m[key] == .null || m[key] == .map([:]) {
            m[key] = .list([])
        }
        if m["allowed_methods"]?.listValue?.isEmpty ?? true { throw Diagnostic("\(path) needs at least one of allowed_methods", at: at) }
        if m["allowed_origins"]?.listValue?.isEmpty ?? true { throw Diagnostic("\(path) needs at least one of allowed_origins", at: at) }
        if m["max_age_seconds"] == .null { m.removeValue(forKey: "max_age_seconds") }
        if let age = m["max_age_seconds"]?.intValue, age < 0 { throw Diagnostic("\(path).max_age_seconds cannot be negative", at: at) }
        return .map(m)
    }

    private static func normalizeLifecycle(_ rule: Value, index: Int, at: Diagnostic.Place) throws -> Value {
        guard rule.isPlain, var m = rule.mapValue else { return rule }
        let path = "lifecycle_rules[\(index + 1)]"
        if m["id"] == nil || m["id"] == .null { m["id"] = .string("rule-\(index + 1)") }
        if m["prefix"] == nil || m["prefix"] == .null { m["prefix"] = .string("") }
        if m["enabled"] == nil || m["enabled"] == .null { m["enabled"] = .bool(true) }
        if m["transitions"] == nil || m["transitions"] == .null || m["transitions"] == .map([:]) { m["transitions"] = .list([]) }
        // Absent when empty, as state written before this field existed has it.
        if m["noncurrent_version_transitions"]?.listValue?.isEmpty ?? true { m.removeValue(forKey: "noncurrent_version_transitions") }
        for key in ["expiration_days", "abort_incomplete_multipart_upload_days", "noncurrent_version_expiration_days"] where m[key] == .null {
            m.removeValue(forKey: key)
        }
        if let days = m["expiration_days"]?.intValue, days < 1 { throw Diagnostic("\(path).expiration_days must be 1 or more", at: at) }
        if let days = m["abort_incomplete_multipart_upload_days"]?.intValue, days < 1 {
            throw Diagnostic("\(path).abort_incomplete_multipart_upload_days must be 1 or more", at: at)
        }
        for t in m["transitions"]?.listValue ?? [] where (t["days"]?.intValue ?? 0) < 0 {
            throw Diagnostic("\(path).transitions: days cannot be negative", at: at)
        }
        let acts = ["expiration_days", "abort_incomplete_multipart_upload_days", "noncurrent_version_expiration_days"].contains { m[$0] != nil }
            || ["transitions", "noncurrent_version_transitions"].contains { !(m[$0]?.listValue?.isEmpty ?? true) }
        if !acts {
            throw Diagnostic("\(path) does nothing: give expiration_days, transitions, abort_incomplete_multipart_upload_days, "
                             + "noncurrent_version_expiration_days or noncurrent_version_transitions", at: at)
        }
        return .map(m)
    }

    // MARK: create, read, update, delete, find

    public func create(_ inputs: [String: Value], context: ProviderContext) async throws -> CreateResult {
        let i = Inputs(inputs, context.address)
        let bucket = try Self.bucket(i)
        let s3 = env.s3
        var fresh = true
        do {
            try await s3.createBucket(bucket)
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            let tags = try await s3.getBucketTagging(bucket)
            let generated = bucket.name == Self.generatedName(stack: context.stack, resource: context.address.name,
                                                              project: bucket.projectID ?? "", region: bucket.region)
            let ourLostCreate = await Self.unknownCreates.contains(bucket)
            guard Self.owned(tags, context) || (generated && tags.isEmpty) || ourLostCreate else {
                throw CreateRefusedError(Diagnostic(
                    "bucket \(bucket.name) already exists in your account and is not managed by this stack (it has no scwlua ownership tags)",
                    at: .resource(context.address),
                    hint: "choose another name, or take it over with `scwlua import \(context.address) \(bucket.region)/\(bucket.name)`"))
            }
            context.phase("adopting the bucket an interrupted create made")
            fresh = false
        } catch let error as S3Error where (400..<500).contains(error.status) && !error.afterAmbiguousAttempt {
            throw CreateRefusedError(Diagnostic(error.explanation, at: .resource(context.address)))
        } catch let error as S3Error {
            await Self.unknownCreates.insert(bucket)
            throw AmbiguousCreateError(detail: String(describing: error))
        } catch TransportError.notSent(let why) {
            // No attempt reached Object Storage (name resolution, connection, TLS): nothing was made.
            throw CreateRefusedError(Diagnostic("cannot reach Object Storage (\(why)): the bucket was not created", at: .resource(context.address),
                                                hint: "check the S3 endpoint (s3_endpoint, SCW_S3_ENDPOINT) or the network; --debug shows the host of every call"))
        } catch let error as TransportError {
            await Self.unknownCreates.insert(bucket)
            throw AmbiguousCreateError(detail: String(describing: error))
        }
        await Self.unknownCreates.remove(bucket)
        do {
            try await configure(bucket, i, context: context, fresh: fresh)
        } catch {
            // A bucket made by this call is still empty: delete it, so that nothing is left.
            if fresh, !(error is CancellationError), (try? await s3.deleteBucket(bucket)) != nil {
                throw CreateRefusedError(Diagnostic("\(Self.describe(error)) (the new bucket \(bucket.name) was deleted again)",
                                                    at: .resource(context.address)))
            }
            throw error
        }
        return CreateResult(id: Self.id(bucket), outputs: outputs(bucket))
    }

    public func read(id: String, inputs: [String: Value], context: ProviderContext) async throws -> ReadResult? {
        guard let bucket = Self.bucket(id: id, inputs: inputs, defaultRegion: env.defaultRegion) else { return nil }
        let s3 = env.s3
        guard try await s3.headBucket(bucket) != nil else { return nil }
        async let acl = s3.getBucketACL(bucket)
        async let versioning = s3.getBucketVersioning(bucket)
        async let tags = s3.getBucketTagging(bucket)
        async let cors = s3.getBucketCORS(bucket)
        async let lifecycle = s3.getBucketLifecycle(bucket)
        var observed: [String: Value] = [
            "name": .string(bucket.name),
            "region": .string(bucket.region),
            "acl": .string(try await acl.cannedACL?.rawValue ?? "custom"),
            "versioning": .bool(try await versioning == .enabled),
            "tags": .map(Dictionary(try await tags.filter { !$0.key.hasPrefix(OwnershipTags.prefix) }.map { ($0.key, Value.string($0.value)) },
                                    uniquingKeysWith: { a, _ in a })),
            "cors_rules": .list(try await cors.map(Self.corsValue)),
            "lifecycle_rules": .list(try await lifecycle.map(Self.lifecycleValue)),
        ]
        for key in ["project_id", "force_destroy"] { observed[key] = inputs[key] }   // not readable from S3
        return ReadResult(outputs: outputs(bucket), observed: observed)
    }

    public func update(id: String, from old: [String: Value], to new: [String: Value], context: ProviderContext) async throws -> [String: Value] {
        guard let bucket = Self.bucket(id: id, inputs: new, defaultRegion: env.defaultRegion) else {
            throw Diagnostic("bad bucket id \(id) (expected <region>/<name>)", at: .resource(context.address))
        }
        try await reconcile(bucket, Inputs(new, context.address), context: context)
        return outputs(bucket)
    }

    public func delete(id: String, inputs: [String: Value], context: ProviderContext) async throws {
        guard let bucket = Self.bucket(id: id, inputs: inputs, defaultRegion: env.defaultRegion) else { return }
        let force = inputs["force_destroy"]?.boolValue == true
        if force { try await empty(bucket, context: context) }
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await env.s3.deleteBucket(bucket)
                return
            } catch let error as S3Error where error.code == "NoSuchBucket" {
                return
            } catch let error as S3Error where error.code == "BucketNotEmpty" {
                guard force else {
                    throw Diagnostic("bucket \(bucket.name) is not empty: nothing was deleted", at: .resource(context.address),
                                     hint: "set force_destroy = true and deploy (destroy uses what state holds) to delete its objects with it, or empty it first")
                }
                if attempt >= 3 { throw Diagnostic("bucket \(bucket.name) is still not empty after emptying it \(attempt) times (objects are being written to it)", at: .resource(context.address)) }
                try await empty(bucket, context: context)   // written while we emptied it
            }
        }
    }

    public func find(inputs: [String: Value], context: ProviderContext) async throws -> [CreateResult] {
        let i = Inputs(inputs, context.address)
        guard let bucket = try? Self.bucket(i) else { return [] }
        let halfMade: Bool
        do {
            guard try await env.s3.headBucket(bucket) != nil else { return [] }
            let tags = try await env.s3.getBucketTagging(bucket)
            // Ours: tagged so, or untagged under the name only this stack generates (a create
            // cut short before its tags). An untagged bucket under a name the user chose may be
            // theirs from before: never claimed.
            let generated = bucket.name == Self.generatedName(stack: context.stack, resource: context.address.name,
                                                              project: bucket.projectID ?? "", region: bucket.region)
            if Self.owned(tags, context) {
                halfMade = tags.contains(Self.pendingTag)
            } else if generated, tags.isEmpty {
                halfMade = true
            } else {
                return []
            }
        } catch let error as S3Error where error.code == "AccessDenied" {
            return []   // someone else's bucket
        }
        return [CreateResult(id: Self.id(bucket), outputs: outputs(bucket), halfMade: halfMade)]
    }

    // MARK: helpers

    /// Sets tags, ACL, versioning, CORS and lifecycle of a bucket being created to what the
    /// inputs say. A `fresh` bucket has nothing to remove; an adopted one has absent CORS and
    /// lifecycle deleted and versioning suspended if it is on. The ownership tags go first,
    /// marked pending, and the final tags last.
    private func configure(_ bucket: S3Bucket, _ i: Inputs, context: ProviderContext, fresh: Bool) async throws {
        let s3 = env.s3
        let userTags = (i.values["tags"]?.mapValue ?? [:]).compactMap { k, v in v.stringValue.map { S3Tag(k, $0) } }.sorted { $0.key < $1.key }
        let finalTags = userTags + Self.ownershipTags(context)
        try await s3.putBucketTagging(bucket, finalTags + [Self.pendingTag])
        context.phase("setting ACL, versioning, CORS and lifecycle")
        try await s3.putBucketACL(bucket, S3CannedACL(rawValue: i.string("acl") ?? "private") ?? .private)
        if i.bool("versioning") == true {
            try await s3.putBucketVersioning(bucket, enabled: true)
        } else if !fresh, try await s3.getBucketVersioning(bucket) == .enabled {
            try await s3.putBucketVersioning(bucket, enabled: false)
        }
        let cors = (i.values["cors_rules"]?.listValue ?? []).map(Self.corsRule)
        if !cors.isEmpty || !fresh { try await s3.putBucketCORS(bucket, cors) }
        let lifecycle = (i.values["lifecycle_rules"]?.listValue ?? []).map(Self.lifecycleRule)
        if !lifecycle.isEmpty || !fresh { try await s3.putBucketLifecycle(bucket, lifecycle) }
        try await s3.putBucketTagging(bucket, finalTags)
    }

    /// Brings an existing bucket to what the inputs say, writing only what differs from what
    /// it has now (compared with the bucket, not with the last apply: drift is repaired too).
    private func reconcile(_ bucket: S3Bucket, _ i: Inputs, context: ProviderContext) async throws {
        let s3 = env.s3
        async let acl = s3.getBucketACL(bucket)
        async let versioning = s3.getBucketVersioning(bucket)
        async let tags = s3.getBucketTagging(bucket)
        async let cors = s3.getBucketCORS(bucket)
        async let lifecycle = s3.getBucketLifecycle(bucket)
        let wantedACL = S3CannedACL(rawValue: i.string("acl") ?? "private") ?? .private
        if try await acl.cannedACL != wantedACL {
            context.phase("setting the ACL")
            try await s3.putBucketACL(bucket, wantedACL)
        }
        let currentVersioning = try await versioning
        if i.bool("versioning") == true, currentVersioning != .enabled {
            context.phase("turning versioning on")
            try await s3.putBucketVersioning(bucket, enabled: true)
        } else if i.bool("versioning") != true, currentVersioning == .enabled {
            context.phase("suspending versioning")
            try await s3.putBucketVersioning(bucket, enabled: false)
        }
        let wantedCORS = (i.values["cors_rules"]?.listValue ?? []).map(Self.corsRule)
        if try await cors.map(Self.corsValue) != wantedCORS.map(Self.corsValue) {
            context.phase("setting CORS rules")
            try await s3.putBucketCORS(bucket, wantedCORS)
        }
        let wantedLifecycle = (i.values["lifecycle_rules"]?.listValue ?? []).map(Self.lifecycleRule)
        if try await lifecycle.map(Self.lifecycleValue) != wantedLifecycle.map(Self.lifecycleValue) {
            context.phase("setting lifecycle rules")
            try await s3.putBucketLifecycle(bucket, wantedLifecycle)
        }
        let userTags = (i.values["tags"]?.mapValue ?? [:]).compactMap { k, v in v.stringValue.map { S3Tag(k, $0) } }.sorted { $0.key < $1.key }
        let wantedTags = userTags + Self.ownershipTags(context)
        if try await Set(tags) != Set(wantedTags) {
            context.phase("setting tags")
            try await s3.putBucketTagging(bucket, wantedTags)
        }
    }

    /// Deletes every object version and delete marker, eight at a time, until a listing is empty.
    private func empty(_ bucket: S3Bucket, context: ProviderContext) async throws {
        let s3 = env.s3
        var deleted = 0
        var previous: [S3ObjectVersion] = []
        while true {
            let page = try await s3.listObjectVersions(bucket, maxKeys: 1000)
            if page.versions.isEmpty { return }
            if page.versions == previous {
                throw Diagnostic("cannot empty bucket \(bucket.name): the same object versions are listed again after deleting them (object lock?)",
                                 at: .resource(context.address))
            }
            previous = page.versions
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for v in page.versions {
                    if running >= 8 { try await group.next(); running -= 1 }
                    group.addTask { try await s3.deleteObject(bucket, key: v.key, versionID: v.versionID) }
                    running += 1
                }
                try await group.waitForAll()
            }
            deleted += page.versions.count
            context.phase("force_destroy: deleted \(deleted) object versions")
        }
    }

    func outputs(_ bucket: S3Bucket) -> [String: Value] {
        var endpoint = "https://\(bucket.name).s3.\(bucket.region).scw.cloud"
        var api = S3Client.regionalEndpoint(bucket.region)
        if let custom = env.s3.config.s3Endpoint, !custom.isEmpty {
            api = custom.hasSuffix("/") ? String(custom.dropLast()) : custom
            endpoint = api + "/" + bucket.name
        }
        return [
            "id": .string(Self.id(bucket)),
            "name": .string(bucket.name),
            "region": .string(bucket.region),
            "project_id": bucket.projectID.map(Value.string) ?? .null,
            "endpoint": .string(endpoint),
            "api_endpoint": .string(api),
        ]
    }

    static func id(_ bucket: S3Bucket) -> String { LocalizedID(locality: bucket.region, uuid: bucket.name).description }

    static func bucket(_ i: Inputs) throws -> S3Bucket {
        S3Bucket(name: try i.requireString("name"), region: try i.requireString("region"), projectID: i.string("project_id"))
    }

    static func bucket(id: String, inputs: [String: Value], defaultRegion: String) -> S3Bucket? {
        guard let lid = LocalizedID(parsing: id, defaultLocality: defaultRegion) else { return nil }
        return S3Bucket(name: lid.uuid, region: lid.locality, projectID: inputs["project_id"]?.stringValue)
    }

    /// `scwlua:stack` and `scwlua:urn` as S3 tags.
    static func ownershipTags(_ context: ProviderContext) -> [S3Tag] {
        context.ownershipTags.map { tag in
            let parts = tag.split(separator: "=", maxSplits: 1).map(String.init)
            return S3Tag(parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    static func owned(_ tags: [S3Tag], _ context: ProviderContext) -> Bool {
        OwnershipTags.owned(tags.map { "\($0.key)=\($0.value)" }, by: context)
    }

    /// Buckets whose CreateBucket got no clear answer in this process: a later
    /// `BucketAlreadyOwnedByYou` for them is our own create having worked.
    static let unknownCreates = BucketSet()

    static func describe(_ error: Error) -> String {
        (error as? S3Error)?.explanation ?? (error as? Diagnostic)?.message ?? String(describing: error)
    }

    static func corsRule(_ v: Value) -> S3CORSRule {
        S3CORSRule(allowedMethods: strings(v["allowed_methods"]), allowedOrigins: strings(v["allowed_origins"]),
                   allowedHeaders: strings(v["allowed_headers"]), exposeHeaders: strings(v["expose_headers"]),
                   maxAgeSeconds: v["max_age_seconds"]?.intValue.map { Int($0) })
    }

    static func corsValue(_ r: S3CORSRule) -> Value {
        var m: [String: Value] = [
            "allowed_methods": .list(r.allowedMethods.map(Value.string)),
            "allowed_origins": .list(r.allowedOrigins.map(Value.string)),
            "allowed_headers": .list(r.allowedHeaders.map(Value.string)),
            "expose_headers": .list(r.exposeHeaders.map(Value.string)),
        ]
        if let age = r.maxAgeSeconds { m["max_age_seconds"] = .int(Int64(age)) }
        return .map(m)
    }

    static func lifecycleRule(_ v: Value) -> S3LifecycleRule {
        S3LifecycleRule(id: v["id"]?.stringValue, prefix: v["prefix"]?.stringValue ?? "", enabled: v["enabled"]?.boolValue ?? true,
                        expirationDays: v["expiration_days"]?.intValue.map { Int($0) },
                        transitions: (v["transitions"]?.listValue ?? []).map {
                            S3Transition(days: Int($0["days"]?.intValue ?? 0), storageClass: $0["storage_class"]?.stringValue ?? "")
                        },
                        abortIncompleteMultipartUploadDays: v["abort_incomplete_multipart_upload_days"]?.intValue.map { Int($0) },
                        noncurrentExpirationDays: v["noncurrent_version_expiration_days"]?.intValue.map { Int($0) },
                        noncurrentTransitions: (v["noncurrent_version_transitions"]?.listValue ?? []).map {
                            S3Transition(days: Int($0["days"]?.intValue ?? 0), storageClass: $0["storage_class"]?.stringValue ?? "")
                        })
    }

    static func lifecycleValue(_ r: S3LifecycleRule) -> Value {
        var m: [String: Value] = [
            "id": r.id.map(Value.string) ?? .null,
            "prefix": .string(r.prefix),
            "enabled": .bool(r.enabled),
            "transitions": .list(r.transitions.map { .map(["days": .int(Int64($0.days)), "storage_class": .string($0.storageClass)]) }),
        ]
        if !r.noncurrentTransitions.isEmpty {
            m["noncurrent_version_transitions"] = .list(r.noncurrentTransitions.map {
                .map(["days": .int(Int64($0.days)), "storage_class": .string($0.storageClass)])
            })
        }
        if let d = r.noncurrentExpirationDays { m["noncurrent_version_expiration_days"] = .int(Int64(d)) }
        if let d = r.expirationDays { m["expiration_days"] = .int(Int64(d)) }
        if let d = r.abortIncompleteMultipartUploadDays { m["abort_incomplete_multipart_upload_days"] = .int(Int64(d)) }
        return .map(m)
    }

    private static func strings(_ v: Value?) -> [String] { (v?.listValue ?? []).compactMap(\.stringValue) }
}

/// A set of buckets shared by tasks.
actor BucketSet {
    private var members: Set<S3Bucket> = []

    func insert(_ b: S3Bucket) { members.insert(b) }
    func remove(_ b: S3Bucket) { members.remove(b) }
    func contains(_ b: S3Bucket) -> Bool { members.contains(b) }
}

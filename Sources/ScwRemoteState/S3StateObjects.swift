// S3StateObjects: the few object calls remote state needs (get or nil, put, put-if-absent,
// delete, list keys), each turning S3's errors into one that names the state location.

import ScalewayAPI
import ScwCore

/// Why remote state could not be read or written. The message names the location.
public struct RemoteStateError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Object calls on the state bucket.
struct S3StateObjects: Sendable {
    let client: S3Client
    let bucket: S3Bucket
    let location: S3StateLocation

    /// The answer to a conditional put.
    enum ConditionalPut {
        case written
        /// The condition failed (412). After an attempt whose answer was lost, the object there
        /// may be the one we wrote: callers compare the token it holds with theirs.
        case conditionFailed
    }

    /// The object's body and ETag, or nil when there is no such object.
    func get(_ key: String) async throws -> (body: [UInt8], etag: String?)? {
        do {
            let object = try await client.getObject(bucket, key: key)
            return (object.body, object.etag)
        } catch let error as S3Error where error.code == "NoSuchKey" || (error.status == 404 && error.code != "NoSuchBucket") {
            return nil
        } catch {
            throw wrap(error, "read", key)
        }
    }

    /// Writes the object; when this returns, S3 has stored it.
    func put(_ key: String, _ body: [UInt8]) async throws {
        do {
            _ = try await client.putObject(bucket, key: key, body: body, contentType: "application/json")
        } catch {
            throw wrap(error, "write", key)
        }
    }

    /// Writes the object only if there is none (`If-None-Match: *`), or only over the version
    /// with this ETag (`If-Match`).
    func put(_ key: String, _ body: [UInt8], ifAbsent: Bool, ifMatch: String? = nil) async throws -> ConditionalPut {
        do {
            _ = try await client.putObject(bucket, key: key, body: body, contentType: "application/json",
                                           ifNoneMatch: ifAbsent, ifMatch: ifMatch)
            return .written
        } catch let error as S3Error where error.status == 412 || error.code == "PreconditionFailed" {
            return .conditionFailed
        } catch let error as S3Error where ifMatch != nil && error.code == "NoSuchKey" {
            // If-Match on an object deleted meanwhile: the version we meant is gone.
            return .conditionFailed
        } catch {
            throw wrap(error, "write", key)
        }
    }

    /// Deletes the object (nothing there is fine). With `ifMatch`, servers that honour a
    /// conditional delete only remove that version; others remove whatever is there.
    func delete(_ key: String, ifMatch: String? = nil) async throws {
        do {
            if let ifMatch {
                _ = try await client.send("DELETE", bucket, key: key, headers: [("If-Match", ifMatch)])
            } else {
                try await client.deleteObject(bucket, key: key)
            }
        } catch let error as S3Error where error.code == "NoSuchKey" || error.status == 412 {
            // Already gone, or replaced by someone else: not ours to delete.
        } catch {
            throw wrap(error, "delete", key)
        }
    }

    /// Keys under `prefix`, all pages.
    func keys(under prefix: String) async throws -> [String] {
        do {
            return try await client.listAllObjects(bucket, prefix: prefix).map(\.key)
        } catch {
            throw wrap(error, "list", prefix)
        }
    }

    /// The "folders" right under `prefix` (common prefixes with delimiter `/`), all pages.
    func folders(under prefix: String) async throws -> [String] {
        do {
            var out: [String] = []
            var token: String?
            repeat {
                let page = try await client.listObjects(bucket, prefix: prefix, delimiter: "/", continuationToken: token)
                out += page.commonPrefixes
                token = page.isTruncated ? page.nextContinuationToken : nil
            } while token != nil
            return out
        } catch {
            throw wrap(error, "list", prefix)
        }
    }

    /// The first keys under `prefix` (one page of at most `limit`).
    func someKeys(under prefix: String, limit: Int) async throws -> [String] {
        do {
            return try await client.listObjects(bucket, prefix: prefix, maxKeys: limit).objects.map(\.key)
        } catch {
            throw wrap(error, "list", prefix)
        }
    }

    /// `s3://bucket/key`, for messages.
    func url(_ key: String) -> String { "s3://\(bucket.name)/\(key)" }

    func wrap(_ error: any Error, _ verb: String, _ key: String) -> any Error {
        if error is CancellationError { return error }
        guard let s3 = error as? S3Error else {
            return RemoteStateError("cannot \(verb) remote state \(url(key)): \(error)")
        }
        switch s3.code {
        case "NoSuchBucket":
            return RemoteStateError("remote state \(location): bucket \(bucket.name) does not exist in region \(bucket.region) (NoSuchBucket)\n"
                                    + "  hint: create the bucket first (e.g. `scw object bucket create name=\(bucket.name) region=\(bucket.region)`), "
                                    + "or fix --backend, SCWLUA_BACKEND or scwlua.json")
        case "PermanentRedirect":
            return RemoteStateError("remote state \(location): \(s3.explanation)\n  hint: add ?region=REGION to the backend, e.g. s3://\(bucket.name)"
                                    + (location.prefix.isEmpty ? "" : "/\(location.prefix)") + "?region=nl-ams")
        default:
            return RemoteStateError("cannot \(verb) remote state \(url(key)): \(s3.explanation)"
                                    + (s3.requestID.map { $0.isEmpty ? "" : " (request id \($0))" } ?? ""))
        }
    }
}

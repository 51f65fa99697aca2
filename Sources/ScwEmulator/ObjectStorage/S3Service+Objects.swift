// S3 object operations: PutObject (conditional If-None-Match/If-Match, checksums, metadata),
// Get/HeadObject (versionId, Range, If-Match/If-None-Match), DeleteObject, DeleteObjects.

import Foundation

/// What a delete did: the version removed or the delete marker added.
struct S3DeleteOutcome {
    var versionID: String?
    var deleteMarker = false
}

extension S3Bucket {
    /// Deletes one version (`versionID` given) or the current object (a delete marker when versioned).
    mutating func delete(key: String, versionID: String?, now: Int) -> S3DeleteOutcome {
        var versions = objects[key] ?? []
        defer { if versions.isEmpty { objects[key] = nil } else { objects[key] = versions } }
        if let versionID {
            guard let index = versions.firstIndex(where: { $0.versionID == versionID }) else { return S3DeleteOutcome(versionID: versionID) }
            let removed = versions.remove(at: index)
            return S3DeleteOutcome(versionID: versionID, deleteMarker: removed.isDeleteMarker)
        }
        switch versioning {
        case "":
            versions = []
            return S3DeleteOutcome()
        case "Enabled":
            var marker = S3Version(versionID: newVersionID())
            marker.isDeleteMarker = true
            marker.modifiedMs = now
            versions.append(marker)
            return S3DeleteOutcome(versionID: marker.versionID, deleteMarker: true)
        default:   // Suspended: the null version is replaced by a null delete marker
            versions.removeAll { $0.versionID == "null" }
            var marker = S3Version(versionID: "null")
            marker.isDeleteMarker = true
            marker.modifiedMs = now
            versions.append(marker)
            return S3DeleteOutcome(versionID: "null", deleteMarker: true)
        }
    }
}

extension S3Operation {
    /// The emulator's limit (S3's is 5 GB): objects live in memory and, base64, in the data file.
    static let maxObjectSize = 64 * 1024 * 1024

    func putObject(_ bucket: String, _ key: String) throws -> HTTPResponse {
        guard key.utf8.count <= 1024 else {
            throw S3Error(400, "KeyTooLongError", "Your key is too long", extra: [("Size", String(key.utf8.count)), ("MaxSizeAllowed", "1024")])
        }
        let decoded = try payload()
        guard decoded.data.count <= S3Operation.maxObjectSize else {   // the emulator keeps objects in its data file
            throw S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                          extra: [("ProposedSize", String(decoded.data.count)), ("MaxSizeAllowed", String(S3Operation.maxObjectSize))])
        }
        var version = S3Version(versionID: "null")
        version.etag = S3Crypto.hex(S3Crypto.md5(decoded.data))
        version.size = decoded.data.count
        version.modifiedMs = S3Time.nowMilliseconds()
        version.dataBase64 = Data(decoded.data).base64EncodedString()
        version.contentType = request.header("Content-Type") ?? "binary/octet-stream"
        for h in request.headers where h.name.lowercased().hasPrefix("x-amz-meta-") { version.metadata[h.name.lowercased()] = h.value }
        if let (algorithm, value) = checksums(decoded).first {
            version.checksumAlgorithm = algorithm
            version.checksumValue = value
        }
        let ifNoneMatch = request.header("If-None-Match")
        let ifMatch = request.header("If-Match")
        if let ifNoneMatch, ifNoneMatch != "*" { throw S3Error.notImplemented("If-None-Match other than *") }
        let stored: S3Version = try writeBucket(bucket) { b in
            let current = b.objects[key]?.last.flatMap { $0.isDeleteMarker ? nil : $0 }
            if ifNoneMatch != nil, current != nil {
                throw S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                              extra: [("Condition", "If-None-Match")])
            }
            if let ifMatch {
                guard let current else { throw S3Error.noSuchKey(key) }
                guard S3Operation.etagMatches(ifMatch, current.etag) else { throw S3Error.preconditionFailed }
            }
            var versions = b.objects[key] ?? []
            switch b.versioning {
            case "": versions = []
            case "Enabled": version.versionID = b.newVersionID()
            default: versions.removeAll { $0.versionID == "null" }
            }
            versions.append(version)
            b.objects[key] = versions
            return version
        }
        var headers: [(name: String, value: String)] = [("ETag", "\"\(stored.etag)\"")]
        if stored.versionID != "null" { headers.append(("x-amz-version-id", stored.versionID)) }
        if !stored.checksumAlgorithm.isEmpty { headers.append(("x-amz-checksum-\(stored.checksumAlgorithm.lowercased())", stored.checksumValue)) }
        return empty(200, headers)
    }

    /// `"etag"`, `etag`, a list of them, or `*`.
    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let t = item.trimmingCharacters(in: .whitespaces)
            return t == "*" || t == "\"\(etag)\"" || t == etag || t == "W/\"\(etag)\""
        }
    }

    func getObject(_ bucket: String, _ key: String, head: Bool) throws -> HTTPResponse {
        let b = try readBucket(bucket, publicRead: true)
        let versions = b.objects[key] ?? []
        let version: S3Version
        if let versionID = request.queryValue("versionId") {
            guard let found = versions.first(where: { $0.versionID == versionID }) else { throw S3Error.noSuchVersion(key, versionID) }
            if found.isDeleteMarker {
                var e = S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                                extra: [("Method", request.method), ("ResourceType", "DeleteMarker")])
                e.headers = [("x-amz-delete-marker", "true"), ("x-amz-version-id", versionID),
                             ("Last-Modified", S3Time.http(milliseconds: found.modifiedMs))]
                throw e
            }
            version = found
        } else {
            guard let last = versions.last else { throw S3Error.noSuchKey(key) }
            if last.isDeleteMarker { throw S3Error.noSuchKey(key, deleteMarker: last.versionID) }
            version = last
        }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", version.contentType.isEmpty ? "binary/octet-stream" : version.contentType),
            ("ETag", "\"\(version.etag)\""), ("Last-Modified", S3Time.http(milliseconds: version.modifiedMs)), ("Accept-Ranges", "bytes"),
        ]
        if !b.versioning.isEmpty { headers.append(("x-amz-version-id", version.versionID)) }
        for (name, value) in version.metadata.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        if request.header("x-amz-checksum-mode")?.uppercased() == "ENABLED", !version.checksumAlgorithm.isEmpty {
            headers.append(("x-amz-checksum-\(version.checksumAlgorithm.lowercased())", version.checksumValue))
        }
        if let ifMatch = request.header("If-Match"), !S3Operation.etagMatches(ifMatch, version.etag) { throw S3Error.preconditionFailed }
        if let ifNoneMatch = request.header("If-None-Match"), S3Operation.etagMatches(ifNoneMatch, version.etag) {
            return HTTPResponse(status: 304, headers: headers.filter { $0.name != "Content-Type" })
        }
        let data = version.data
        if let range = request.header("Range"), let (start, end) = try S3Operation.byteRange(range, size: data.count) {
            headers.append(("Content-Range", "bytes \(start)-\(end)/\(data.count)"))
            return HTTPResponse(status: 206, headers: headers, body: Array(data[start...end]))
        }
        return HTTPResponse(status: 200, headers: headers, body: data)
    }

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive bounds; nil when the header is not a single byte range.
    static func byteRange(_ header: String, size: Int) throws -> (Int, Int)? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        let unsatisfiable = S3Error(416, "InvalidRange", "The requested range is not satisfiable",
                                    extra: [("RangeRequested", header), ("ActualObjectSize", String(size))])
        if spec[0].isEmpty {
            guard let n = Int(spec[1]), n > 0 else { return nil }
            guard size > 0 else { throw unsatisfiable }
            return (max(0, size - n), size - 1)
        }
        guard let start = Int(spec[0]) else { return nil }
        guard start < size else { throw unsatisfiable }
        let end = spec[1].isEmpty ? size - 1 : min(size - 1, Int(spec[1]) ?? (size - 1))
        guard end >= start else { return nil }
        return (start, end)
    }

    func deleteObject(_ bucket: String, _ key: String) throws -> HTTPResponse {
        let versionID = request.queryValue("versionId")
        let outcome = try writeBucket(bucket) { b in b.delete(key: key, versionID: versionID, now: S3Time.nowMilliseconds()) }
        var headers: [(name: String, value: String)] = []
        if let v = outcome.versionID { headers.append(("x-amz-version-id", v)) }
        if outcome.deleteMarker { headers.append(("x-amz-delete-marker", "true")) }
        return empty(204, headers)
    }

    func deleteObjects(_ bucket: String) throws -> HTTPResponse {
        let document = try xmlBody(root: "Delete")
        let quiet = document.value("Quiet")?.lowercased() == "true"
        let items = document.all("Object")
        guard (1...1000).contains(items.count) else { throw S3Error.malformedXML("1 to 1000 Object expected") }
        let requested: [(key: String, versionID: String?)] = try items.map { item in
            guard let key = item.value("Key") else { throw S3Error.malformedXML("an Object without Key") }
            return (key, item.value("VersionId"))
        }
        let outcomes = try writeBucket(bucket) { b in
            let now = S3Time.nowMilliseconds()
            return requested.map { b.delete(key: $0.key, versionID: $0.versionID, now: now) }
        }
        var body = "<DeleteResult xmlns=\"\(XMLText.namespace)\">"
        if !quiet {
            for (item, outcome) in zip(requested, outcomes) {
                body += "<Deleted>" + XMLText.element("Key", item.key)
                if let v = item.versionID { body += XMLText.element("VersionId", v) }
                if outcome.deleteMarker {
                    body += XMLText.element("DeleteMarker", "true")
                    if let v = outcome.versionID { body += XMLText.element("DeleteMarkerVersionId", v) }
                }
                body += "</Deleted>"
            }
        }
        return xml(body + "</DeleteResult>")
    }
}

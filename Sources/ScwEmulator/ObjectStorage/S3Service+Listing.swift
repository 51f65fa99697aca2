// S3 listings: ListObjects v1 (marker) and v2 (continuation-token, start-after), ListObjectVersions
// (key-marker/version-id-marker), with prefix, delimiter (CommonPrefixes), max-keys, encoding-type=url.

import Foundation

extension S3Operation {
    private func maxKeys() throws -> Int {
        guard let text = request.queryValue("max-keys") else { return 1000 }
        guard let n = Int(text), n >= 0 else {
            throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range", name: "max-keys", value: text)
        }
        return min(n, 1000)
    }

    /// Whether names in the answer are URL-encoded (`encoding-type=url`).
    private func urlEncoding() throws -> Bool {
        guard let encoding = request.queryValue("encoding-type") else { return false }
        guard encoding == "url" else {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: encoding)
        }
        return true
    }

    private func owner(_ b: S3Bucket) -> String {
        "<Owner>" + XMLText.element("DisplayName", b.owner) + XMLText.element("ID", b.owner) + "</Owner>"
    }

    /// The key, or the common prefix it falls under when a delimiter follows the prefix.
    private static func group(_ key: String, prefix: String, delimiter: String) -> (name: String, isPrefix: Bool) {
        guard !delimiter.isEmpty, let range = key.dropFirst(prefix.count).range(of: delimiter) else { return (key, false) }
        return (String(key[..<range.upperBound]), true)
    }

    /// Current objects and common prefixes after `marker`, at most `limit`; whether more remain.
    private func page(_ b: S3Bucket, prefix: String, delimiter: String, after marker: String, limit: Int)
        -> (entries: [(name: String, version: S3Version?)], truncated: Bool) {
        var entries: [(name: String, version: S3Version?)] = []
        for (key, version) in b.currentObjects where key.hasPrefix(prefix) {
            let g = S3Operation.group(key, prefix: prefix, delimiter: delimiter)
            if !marker.isEmpty && g.name <= marker { continue }
            if g.isPrefix && entries.last?.name == g.name { continue }
            if entries.count == limit { return (entries, limit > 0) }
            entries.append((g.name, g.isPrefix ? nil : version))
        }
        return (entries, false)
    }

    private func render(_ entries: [(name: String, version: S3Version?)], _ b: S3Bucket, withOwner: Bool, encode: Bool) -> String {
        var contents = ""
        var prefixes = ""
        for entry in entries {
            let name = encode ? S3Auth.uriEncode(entry.name, keepSlash: true) : entry.name
            guard let v = entry.version else {
                prefixes += "<CommonPrefixes>" + XMLText.element("Prefix", name) + "</CommonPrefixes>"
                continue
            }
            contents += "<Contents>" + XMLText.element("Key", name) + XMLText.element("LastModified", S3Time.iso(milliseconds: v.modifiedMs))
                + XMLText.element("ETag", "\"\(v.etag)\"") + XMLText.element("Size", String(v.size))
                + (withOwner ? owner(b) : "") + XMLText.element("StorageClass", "STANDARD")
                + (v.checksumAlgorithm.isEmpty ? "" : XMLText.element("ChecksumAlgorithm", v.checksumAlgorithm)) + "</Contents>"
        }
        return contents + prefixes
    }

    func listObjectsV1(_ bucket: String) throws -> HTTPResponse {
        let b = try readBucket(bucket, publicRead: true)
        let (prefix, delimiter, marker) = (request.queryValue("prefix") ?? "", request.queryValue("delimiter") ?? "", request.queryValue("marker") ?? "")
        let (limit, encode) = (try maxKeys(), try urlEncoding())
        let e: (String) -> String = { encode ? S3Auth.uriEncode($0, keepSlash: true) : $0 }
        let (entries, truncated) = page(b, prefix: prefix, delimiter: delimiter, after: marker, limit: limit)
        var body = "<ListBucketResult xmlns=\"\(XMLText.namespace)\">" + XMLText.element("Name", b.name)
            + XMLText.element("Prefix", e(prefix)) + XMLText.element("Marker", e(marker))
        if truncated, let last = entries.last { body += XMLText.element("NextMarker", e(last.name)) }
        body += XMLText.element("MaxKeys", String(limit))
        if !delimiter.isEmpty { body += XMLText.element("Delimiter", e(delimiter)) }
        body += XMLText.element("IsTruncated", String(truncated))
        if encode { body += XMLText.element("EncodingType", "url") }
        body += render(entries, b, withOwner: true, encode: encode) + "</ListBucketResult>"
        return xml(body, region: b.region)
    }

    func listObjectsV2(_ bucket: String) throws -> HTTPResponse {
        let b = try readBucket(bucket, publicRead: true)
        let (prefix, delimiter) = (request.queryValue("prefix") ?? "", request.queryValue("delimiter") ?? "")
        let (limit, encode) = (try maxKeys(), try urlEncoding())
        let e: (String) -> String = { encode ? S3Auth.uriEncode($0, keepSlash: true) : $0 }
        let token = request.queryValue("continuation-token")
        var after = request.queryValue("start-after") ?? ""
        if let token {
            guard let data = Data(base64Encoded: token), let key = String(data: data, encoding: .utf8) else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: token)
            }
            after = max(after, key)
        }
        let (entries, truncated) = page(b, prefix: prefix, delimiter: delimiter, after: after, limit: limit)
        var body = "<ListBucketResult xmlns=\"\(XMLText.namespace)\">" + XMLText.element("Name", b.name) + XMLText.element("Prefix", e(prefix))
        if let token { body += XMLText.element("ContinuationToken", token) }
        if truncated, let last = entries.last {
            body += XMLText.element("NextContinuationToken", Data(last.name.utf8).base64EncodedString())
        }
        if let start = request.queryValue("start-after") { body += XMLText.element("StartAfter", e(start)) }
        body += XMLText.element("KeyCount", String(entries.count)) + XMLText.element("MaxKeys", String(limit))
        if !delimiter.isEmpty { body += XMLText.element("Delimiter", e(delimiter)) }
        body += XMLText.element("IsTruncated", String(truncated))
        if encode { body += XMLText.element("EncodingType", "url") }
        body += render(entries, b, withOwner: request.queryValue("fetch-owner") == "true", encode: encode) + "</ListBucketResult>"
        return xml(body, region: b.region)
    }

    func listObjectVersions(_ bucket: String) throws -> HTTPResponse {
        let b = try readBucket(bucket)
        let (prefix, delimiter) = (request.queryValue("prefix") ?? "", request.queryValue("delimiter") ?? "")
        let keyMarker = request.queryValue("key-marker") ?? ""
        let versionMarker = request.queryValue("version-id-marker") ?? ""
        let (limit, encode) = (try maxKeys(), try urlEncoding())
        let e: (String) -> String = { encode ? S3Auth.uriEncode($0, keepSlash: true) : $0 }
        if !versionMarker.isEmpty && keyMarker.isEmpty {
            throw S3Error.invalidArgument("A version-id marker cannot be specified without a key marker.", name: "version-id-marker", value: versionMarker)
        }
        // (group name, key, version, is latest); versions newest first within a key
        var items: [(name: String, key: String, version: S3Version?, latest: Bool)] = []
        for key in b.objects.keys.sorted() where key.hasPrefix(prefix) {
            let g = S3Operation.group(key, prefix: prefix, delimiter: delimiter)
            if g.isPrefix {
                if items.last?.name != g.name { items.append((g.name, key, nil, false)) }
                continue
            }
            let versions = b.objects[key] ?? []
            for (i, v) in versions.enumerated().reversed() { items.append((key, key, v, i == versions.count - 1)) }
        }
        var passedVersionMarker = false
        var selected: [(name: String, key: String, version: S3Version?, latest: Bool)] = []
        var truncated = false
        for item in items {
            if !keyMarker.isEmpty {
                if item.name < keyMarker { continue }
                if item.name == keyMarker {
                    guard let v = item.version, !versionMarker.isEmpty else { continue }
                    if !passedVersionMarker { passedVersionMarker = v.versionID == versionMarker; continue }
                }
            }
            if selected.count == limit { truncated = limit > 0; break }
            selected.append(item)
        }
        var body = "<ListVersionsResult xmlns=\"\(XMLText.namespace)\">" + XMLText.element("Name", b.name) + XMLText.element("Prefix", e(prefix))
            + XMLText.element("IsTruncated", String(truncated)) + XMLText.element("KeyMarker", e(keyMarker)) + XMLText.element("MaxKeys", String(limit))
        if truncated, let last = selected.last {
            body += XMLText.element("NextKeyMarker", e(last.name))
            if let v = last.version { body += XMLText.element("NextVersionIdMarker", v.versionID) }
        }
        if !delimiter.isEmpty { body += XMLText.element("Delimiter", e(delimiter)) }
        if encode { body += XMLText.element("EncodingType", "url") }
        var prefixes = ""
        for item in selected {
            guard let v = item.version else {
                prefixes += "<CommonPrefixes>" + XMLText.element("Prefix", e(item.name)) + "</CommonPrefixes>"
                continue
            }
            let common = XMLText.element("IsLatest", String(item.latest)) + XMLText.element("Key", e(item.key))
                + XMLText.element("LastModified", S3Time.iso(milliseconds: v.modifiedMs)) + owner(b)
            if v.isDeleteMarker {
                body += "<DeleteMarker>" + common + XMLText.element("VersionId", v.versionID) + "</DeleteMarker>"
            } else {
                body += "<Version>" + XMLText.element("ETag", "\"\(v.etag)\"") + common + XMLText.element("Size", String(v.size))
                    + XMLText.element("StorageClass", "STANDARD") + XMLText.element("VersionId", v.versionID)
                    + (v.checksumAlgorithm.isEmpty ? "" : XMLText.element("ChecksumAlgorithm", v.checksumAlgorithm)) + "</Version>"
            }
        }
        body += prefixes + XMLText.element("VersionIdMarker", versionMarker) + "</ListVersionsResult>"
        return xml(body, region: b.region)
    }
}

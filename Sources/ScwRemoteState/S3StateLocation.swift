// S3StateLocation: where remote state lives (`s3://bucket/prefix?region=nl-ams`) and the object
// keys under it: `<prefix>/key.salt`, and per stack `resources/<address>.json`, `outputs.json`,
// `lock.json`, `deployments/<id>.json` (stack names and addresses percent-encoded).

import ScalewayAPI
import ScwCore

/// A bucket, a key prefix, and the bucket's region (nil: the config's default region).
public struct S3StateLocation: Hashable, Sendable, CustomStringConvertible {
    public var bucket: String
    /// Without leading or trailing `/`; may be empty (state at the bucket's root).
    public var prefix: String
    public var region: String?

    public init(bucket: String, prefix: String = "", region: String? = nil) {
        self.bucket = bucket
        self.prefix = Self.trimSlashes(prefix)
        self.region = region
    }

    /// Parses `s3://bucket`, `s3://bucket/prefix/…`, with an optional `?region=REGION`.
    public init(parsing text: String) throws {
        let example = "expected s3://BUCKET/PREFIX, optionally with ?region=REGION (e.g. s3://my-team-state/infra?region=nl-ams)"
        guard text.hasPrefix("s3://") else { throw Diagnostic("'\(text)' is not an S3 state location", hint: example) }
        var rest = Substring(text.dropFirst(5))
        var region: String?
        if let q = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: q)...]
            rest = rest[..<q]
            for item in query.split(separator: "&") {
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, parts[0] == "region", !parts[1].isEmpty else {
                    throw Diagnostic("unknown or empty option '\(item)' in \(text)", hint: "the only option is ?region=REGION (fr-par, nl-ams, pl-waw)")
                }
                region = String(parts[1])
            }
        }
        let bucket = rest.prefix { $0 != "/" }
        let valid = (3...63).contains(bucket.count) && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
        guard valid else {
            throw Diagnostic("'\(bucket)' in \(text) is not a bucket name (3 to 63 of a-z 0-9 . -)", hint: example)
        }
        self.init(bucket: String(bucket), prefix: String(rest.dropFirst(bucket.count)), region: region)
    }

    /// `s3://bucket/prefix` (with `?region=` when one was given).
    public var description: String {
        "s3://\(bucket)" + (prefix.isEmpty ? "" : "/" + prefix) + (region.map { "?region=\($0)" } ?? "")
    }

    // MARK: keys

    var root: String { prefix.isEmpty ? "" : prefix + "/" }
    /// The PBKDF2 parameters shared by every stack under the prefix.
    var saltKey: String { root + "key.salt" }
    /// `<prefix>/<stack>/`: everything of one stack.
    func stackRoot(_ stack: String) -> String { root + Self.encode(stack) + "/" }
    func resourcesPrefix(_ stack: String) -> String { stackRoot(stack) + "resources/" }
    func resourceKey(_ stack: String, _ address: ResourceAddress) -> String {
        resourcesPrefix(stack) + Self.encode(address.description) + ".json"
    }
    func outputsKey(_ stack: String) -> String { stackRoot(stack) + "outputs.json" }
    func lockKey(_ stack: String) -> String { stackRoot(stack) + "lock.json" }
    func deploymentsPrefix(_ stack: String) -> String { stackRoot(stack) + "deployments/" }
    /// Ids are zero-padded so that keys sort as ids do.
    func deploymentKey(_ stack: String, _ id: Int64) -> String {
        let digits = String(id)
        return deploymentsPrefix(stack) + String(repeating: "0", count: max(0, 19 - digits.count)) + digits + ".json"
    }

    /// Every byte but `A-Z a-z 0-9 - . _ ~` as `%XX` (so `/` never splits a name).
    static func encode(_ s: String) -> String { S3Target.encode(s) }

    /// The inverse of `encode`; nil for text it could not have produced.
    static func decode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            guard b == UInt8(ascii: "%") else { bytes.append(b); continue }
            guard let h = it.next(), let l = it.next(), let hi = hexValue(h), let lo = hexValue(l) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func trimSlashes(_ s: String) -> String {
        var t = Substring(s)
        while t.hasPrefix("/") { t = t.dropFirst() }
        while t.hasSuffix("/") { t = t.dropLast() }
        return String(t)
    }
}

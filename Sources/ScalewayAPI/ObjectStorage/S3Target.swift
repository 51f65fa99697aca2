// S3Target: where an S3 request goes (scheme, host, raw path, raw query) and the one
// encoding of it that is both sent and signed: RFC 3986 percent-encoding, `/` kept in paths.

/// The destination of an S3 request, unencoded: the URL and the signature are derived from it
/// with the same encoding, so they always agree.
public struct S3Target: Sendable {
    /// `https` or `http`.
    public var scheme: String
    /// Host, with `:port` when one is given (`my-bucket.s3.fr-par.scw.cloud`, `127.0.0.1:9000`).
    public var host: String
    /// The raw path, starting with `/` (`/my-bucket/dir/hello world.txt`); not normalized.
    public var path: String
    /// Raw query items in order; an empty value is sent as a bare name (`?acl`).
    public var query: [(String, String)]

    /// A target; `path` gets a leading `/` if it has none.
    public init(scheme: String, host: String, path: String, query: [(String, String)] = []) {
        self.scheme = scheme.lowercased()
        self.host = host
        self.path = path.hasPrefix("/") ? path : "/" + path
        self.query = query
    }

    /// The URL as sent: `scheme://host` + encoded path + `?` + encoded query.
    public var url: String {
        var url = scheme + "://" + host + encodedPath
        if !query.isEmpty {
            url += "?" + query.map { $0.1.isEmpty ? S3Target.encode($0.0) : S3Target.encode($0.0) + "=" + S3Target.encode($0.1) }
                .joined(separator: "&")
        }
        return url
    }

    /// The path percent-encoded byte by byte, `/` kept: the canonical URI of S3 (not normalized,
    /// not double-encoded).
    public var encodedPath: String { S3Target.encode(path, keepSlash: true) }

    /// The canonical query string of SigV4: `name=value` pairs encoded, sorted by name then
    /// value, joined by `&`; a bare name gets `=`.
    public var canonicalQuery: String {
        query.map { (S3Target.encode($0.0), S3Target.encode($0.1)) }
            .sorted { $0.0 != $1.0 ? $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
            .map { $0.0 + "=" + $0.1 }
            .joined(separator: "&")
    }

    /// The `Host` header: lowercase, without userinfo, without the scheme's default port.
    public var hostHeader: String {
        var h = host
        if let at = h.lastIndex(of: "@") { h = String(h[h.index(after: at)...]) }
        h = h.lowercased()
        let defaultPort = scheme == "https" ? ":443" : scheme == "http" ? ":80" : nil
        if let defaultPort, h.hasSuffix(defaultPort) { h.removeLast(defaultPort.count) }
        return h
    }

    /// RFC 3986 percent-encoding of every byte but `A-Z a-z 0-9 - . _ ~` (and `/` when
    /// `keepSlash`), with uppercase hex, as SigV4 requires.
    public static func encode(_ s: String, keepSlash: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

// ConfigValidation: the Go SDK's checks on a merged profile (key formats, UUIDs, known
// regions and zones, URLs), each failure a Diagnostic naming where the value came from.
// Values are quoted in messages except secrets, which are masked.

import ScwCore

enum ConfigValidation {
    /// Throws the first problem, in the SDK's order: keys, organization, project, region, zone, URLs.
    static func validate(_ s: [ConfigKey: Setting]) throws {
        if let a = s[.accessKey] { try accessKey(a) }
        if let k = s[.secretKey] { try secretKey(k) }
        if let o = s[.defaultOrganizationID] { try uuid(o, what: "organization ID") }
        if let p = s[.defaultProjectID] { try uuid(p, what: "project ID") }
        if let r = s[.defaultRegion] { try known(r, what: "region", in: Locality.regions) }
        if let z = s[.defaultZone] { try known(z, what: "zone", in: Locality.zones) }
        if let u = s[.apiURL] { try url(u, what: "API URL") }
        if let e = s[.s3Endpoint] { try url(e, what: "S3 endpoint") }
        if let p = s[.s3UsePathStyle], !["true", "false"].contains(p.value) {
            throw Diagnostic("invalid s3_use_path_style '\(p.value)' (\(p.location)), expected true or false", at: .configKey(p.key))
        }
    }

    /// `^SCW[A-Z0-9]{17}$`.
    static func isAccessKey(_ v: String) -> Bool {
        let chars = Array(v.utf8)
        guard chars.count == 20, v.hasPrefix("SCW") else { return false }
        return chars.dropFirst(3).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, hexadecimal.
    static func isUUID(_ v: String) -> Bool {
        let chars = Array(v.utf8)
        guard chars.count == 36 else { return false }
        for (i, c) in chars.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                if c != UInt8(ascii: "-") { return false }
            } else if !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)) {
                return false
            }
        }
        return true
    }

    private static func accessKey(_ s: Setting) throws {
        if s.value.isEmpty { throw Diagnostic("access key cannot be empty (\(s.location))", at: .configKey(s.key)) }
        guard !isAccessKey(s.value) else { return }
        if isUUID(s.value) {  // a secret key pasted in the wrong place: do not print it
            throw Diagnostic("invalid access key format (\(s.location)): it looks like a secret key (a UUID); expected SCWXXXXXXXXXXXXXXXXX format",
                             at: .configKey(s.key), hint: "access_key and secret_key may be swapped")
        }
        throw Diagnostic("invalid access key format '\(s.value)' (\(s.location)), expected SCWXXXXXXXXXXXXXXXXX format (SCW and 17 capital letters or digits)",
                         at: .configKey(s.key))
    }

    private static func secretKey(_ s: Setting) throws {
        if s.value.isEmpty { throw Diagnostic("secret key cannot be empty (\(s.location))", at: .configKey(s.key)) }
        guard !isUUID(s.value) else { return }
        let hint = isAccessKey(s.value) ? "this is an access key: access_key and secret_key may be swapped"
            : "copy the secret key shown once when the API key was created (console: IAM > API keys)"
        throw Diagnostic("invalid secret key format '\(ScalewayConfig.mask(secret: s.value))' (\(s.value.count) characters, \(s.location)), expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                         at: .configKey(s.key), hint: hint)
    }

    private static func uuid(_ s: Setting, what: String) throws {
        if s.value.isEmpty { throw Diagnostic("default \(what) cannot be empty (\(s.location))", at: .configKey(s.key)) }
        guard !isUUID(s.value) else { return }
        throw Diagnostic("invalid \(what) format '\(s.value)' (\(s.location)), expected a UUID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                         at: .configKey(s.key))
    }

    private static func known(_ s: Setting, what: String, in list: [String]) throws {
        if s.value.isEmpty { throw Diagnostic("default \(what) cannot be empty (\(s.location))", at: .configKey(s.key)) }
        guard !list.contains(s.value) else { return }
        var hint: String?
        if let near = Suggest.closest(to: s.value, in: list) { hint = "did you mean `\(near)`?" }
        throw Diagnostic("invalid default \(what) '\(s.value)' (\(s.location)), available \(what)s are: \(list.joined(separator: ", "))",
                         at: .configKey(s.key), hint: hint)
    }

    private static func url(_ s: Setting, what: String) throws {
        let v = s.value
        guard v.hasPrefix("http://") || v.hasPrefix("https://"), v.count > 8, !v.contains(" ") else {
            throw Diagnostic("invalid \(what) '\(v)' (\(s.location)), expected an http:// or https:// URL", at: .configKey(s.key))
        }
        if v.hasSuffix("/") {
            throw Diagnostic("invalid \(what) '\(v)' (\(s.location)): it should not have a trailing slash", at: .configKey(s.key))
        }
    }
}

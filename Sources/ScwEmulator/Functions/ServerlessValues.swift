// Values the serverless APIs share: hashed secret environment variables (an argon2-shaped
// string, never the value), the slugs their names derive (registry names, domain names), the
// hidden registry namespace a function or container namespace gets, and duration checks.

import Foundation

enum ServerlessValues {
    /// `$argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash>`: the shape the API returns, salted and
    /// one-way (a SHA-256 here), so the value itself is never served.
    static func hashed(_ value: String) -> String {
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let digest = S3Crypto.sha256(salt + Array(value.utf8))
        func b64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "") }
        return "$argon2id$v=19$m=65536,t=1,p=2$\(b64(salt))$\(b64(digest))"
    }

    /// Lowercase letters and digits of `name`, at most `limit` of them.
    static func alnum(_ name: String, limit: Int) -> String {
        String(name.lowercased().filter { ($0.isLetter || $0.isNumber) && $0.isASCII }.prefix(limit))
    }

    static func randomSuffix(_ count: Int) -> String {
        let chars = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in chars.randomElement()! })
    }

    /// The registry namespace a function/container namespace gets once ready (hidden from
    /// nothing: it shows in the registry list like the real one), named `funcscw<slug>`.
    static func makeHiddenRegistry(slug: String, region: String, project: String, in state: inout CloudState) -> Record {
        let name = "funcscw\(slug)"
        let now = Clock.timestamp()
        let id = Clock.uuid()
        return state.insert(kind: ServerlessKind.registryNamespace, id: id, body: [
            "id": .string(id), "name": .string(name), "description": .string(""),
            "endpoint": .string("rg.\(region).scw.cloud/\(name)"), "is_public": .bool(false), "status": .string("ready"),
            "status_message": .string(""), "size": .int(0), "image_count": .int(0), "region": .string(region),
            "project_id": .string(project), "organization_id": .string(project), "created_at": .string(now), "updated_at": .string(now),
        ], meta: ["hidden": .bool(true)])
    }

    /// `"300s"`, `"300.000000000s"`: seconds as the API takes them, or nil.
    static func seconds(_ text: String) -> Double? {
        guard text.hasSuffix("s"), let v = Double(text.dropLast()), v >= 0, v.isFinite else { return nil }
        return v
    }

    /// `"300s"` (whole seconds as the API answers them).
    static func durationText(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }

    /// A `{"key":"value"}` object of strings (null = empty), or 400 naming the field.
    static func stringMap(_ raw: JSONValue?, field: String) throws -> [String: JSONValue]? {
        guard let raw, !raw.isNull else { return nil }
        guard let object = raw.objectValue else {
            throw APIError.invalidArgument(field, reason: "format", help: "\(field) must be an object of strings")
        }
        for (k, v) in object where v.stringValue == nil {
            throw APIError.invalidArgument("\(field).\(k)", reason: "format", help: "\(field) values must be strings")
        }
        return object
    }

    /// Keys: letters, digits and `_`, not starting with a digit, at most 1000 variables.
    static func checkVariableNames(_ keys: [String], field: String) throws {
        for key in keys {
            let ok = !key.isEmpty && key.count <= 255 && !(key.first!.isNumber)
                && key.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") && $0.isASCII }
            if !ok {
                throw APIError.invalidArgument(field, reason: "constraint", help: "invalid environment variable name \"\(key)\"")
            }
        }
    }
}

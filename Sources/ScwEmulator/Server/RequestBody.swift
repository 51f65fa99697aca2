// RequestBody: typed access to the fields of a JSON request body. Wrong JSON or a field of the
// wrong type becomes a 400 invalid_arguments naming the field, as the real API answers.

struct RequestBody {
    let fields: [String: JSONValue]

    init(fields: [String: JSONValue]) { self.fields = fields }

    init(bytes: [UInt8]) throws {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            fields = [:]
            return
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes: bytes)
        } catch {
            throw APIError.invalidArgument("body", reason: "format", help: "the request body is not valid JSON (\(error))")
        }
        guard case .object(let object) = value else {
            throw APIError.invalidArgument("body", reason: "format", help: "the request body must be a JSON object, got \(value.typeName)")
        }
        fields = object
    }

    /// Present with a non-null value.
    func has(_ key: String) -> Bool {
        guard let v = fields[key] else { return false }
        return !v.isNull
    }

    /// Present at all, null included (`null` clears nullable fields in PATCH bodies).
    func isPresent(_ key: String) -> Bool { fields[key] != nil }

    func raw(_ key: String) -> JSONValue? { fields[key] }

    private func typeError(_ key: String, _ expected: String, _ got: JSONValue) -> APIError {
        .invalidArgument(key, reason: "format", help: "\(key) must be \(expected), got \(got.typeName)")
    }

    /// nil when absent or null.
    func string(_ key: String) throws -> String? {
        guard let v = fields[key], !v.isNull else { return nil }
        guard case .string(let s) = v else { throw typeError(key, "a string", v) }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = fields[key], !v.isNull else { return nil }
        guard case .bool(let b) = v else { throw typeError(key, "a boolean", v) }
        return b
    }

    func int(_ key: String) throws -> Int? {
        guard let v = fields[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw typeError(key, "an integer", v) }
        return i
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let v = fields[key], !v.isNull else { return nil }
        guard case .array(let items) = v else { throw typeError(key, "an array of strings", v) }
        return try items.map {
            guard case .string(let s) = $0 else { throw typeError(key, "an array of strings", $0) }
            return s
        }
    }

    /// A UUID field (lowercase canonical form required, as the API's validator does).
    func uuid(_ key: String) throws -> String? {
        guard let s = try string(key) else { return nil }
        guard Clock.isUUID(s) else {
            throw APIError.invalidArgument(key, reason: "format", help: "\(key) must be a valid UUID, got \"\(s)\"")
        }
        return s
    }
}

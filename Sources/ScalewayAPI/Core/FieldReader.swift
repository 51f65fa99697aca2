// FieldReader: typed reads of API answers (Values) for the service models, with errors that
// name the type and the field that was missing or of the wrong type.

import ScwCore

/// An API answer that does not have the expected shape.
public struct DecodeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being read: `VPC`, `PrivateNetwork.subnets[1]`, `GET /path answer`.
    public var what: String
    /// The field at fault, when one is.
    public var field: String?
    public var problem: String

    /// `problem` reads after the field name: `is missing (expected a string)`.
    public init(what: String, field: String?, problem: String) {
        self.what = what
        self.field = field
        self.problem = problem
    }

    public var description: String {
        "cannot read \(what): " + (field.map { "field '\($0)' " } ?? "") + problem
    }
}

/// Reads the fields of one JSON object, throwing ``DecodeError`` on a missing or mistyped
/// field. Optional reads accept a missing field or `null`.
public struct FieldReader {
    public let fields: [String: Value]
    public let what: String

    /// Throws unless `json` is an object; `what` names it in errors (`VPC`).
    public init(_ json: Value, what: String) throws {
        guard case .map(let m) = json else {
            throw DecodeError(what: what, field: nil, problem: "expected an object, got \(FieldReader.typeName(json))")
        }
        fields = m
        self.what = what
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        guard let v = try optionalString(key) else { throw missing(key, "a string") }
        return v
    }

    /// A string, or nil when missing or null.
    public func optionalString(_ key: String) throws -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw mistyped(key, "a string", other)
        }
    }

    /// A boolean, or `fallback` when missing or null.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        try optionalBool(key) ?? fallback
    }

    /// A boolean, or nil when missing or null.
    public func optionalBool(_ key: String) throws -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case let other?: throw mistyped(key, "true or false", other)
        }
    }

    /// An integer, or `fallback` when missing or null.
    public func int(_ key: String, default fallback: Int64) throws -> Int64 {
        try optionalInt(key) ?? fallback
    }

    /// An integer (a whole double is accepted), or nil when missing or null.
    public func optionalInt(_ key: String) throws -> Int64? {
        switch fields[key] {
        case nil, .null?: return nil
        case let v? where v.intValue != nil: return v.intValue
        case let other?: throw mistyped(key, "an integer", other)
        }
    }

    /// A list of strings; missing or null is an empty list.
    public func strings(_ key: String) throws -> [String] {
        switch fields[key] {
        case nil, .null?: return []
        case .list(let items)?:
            return try items.enumerated().map { i, item in
                guard case .string(let s) = item else { throw mistyped("\(key)[\(i)]", "a string", item) }
                return s
            }
        case let other?: throw mistyped(key, "a list of strings", other)
        }
    }

    /// A list decoded item by item; `decode` gets each item and its name for errors
    /// (`VPC.subnets[2]`). Missing or null is an empty list.
    public func objects<T>(_ key: String, _ decode: (Value, String) throws -> T) throws -> [T] {
        switch fields[key] {
        case nil, .null?: return []
        case .list(let items)?:
            return try items.enumerated().map { i, item in try decode(item, "\(what).\(key)[\(i)]") }
        case let other?: throw mistyped(key, "a list of objects", other)
        }
    }

    private func missing(_ key: String, _ expected: String) -> DecodeError {
        DecodeError(what: what, field: key, problem: "is missing (expected \(expected))")
    }

    private func mistyped(_ key: String, _ expected: String, _ got: Value) -> DecodeError {
        DecodeError(what: what, field: key, problem: "should be \(expected), got \(FieldReader.typeName(got))")
    }

    static func typeName(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .list: return "a list"
        case .map: return "an object"
        default: return "a non-JSON value"
        }
    }
}

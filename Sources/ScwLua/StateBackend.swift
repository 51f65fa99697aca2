// StateBackend: where a stack's state lives: the local SQLite store in the state directory, or
// a bucket (`s3://bucket/prefix`). Chosen by SCWLUA_BACKEND (the CLI's --backend sets it), else
// by `scwlua.json` in the project folder (`{"backend": "s3://…"}`), else local.

import Foundation
import ScalewayAPI
import ScwCore
import ScwEngine
import ScwRemoteState
import ScwState

/// Where a stack's state is kept: local SQLite, or an Object Storage bucket.
public enum StateBackend: Hashable, Sendable, CustomStringConvertible {
    /// `.scwlua/state.db` (or the given state directory).
    case local
    /// Object Storage.
    case s3(S3StateLocation)

    /// The environment variable naming the backend (`s3://…` or `local`).
    public static let environmentVariable = "SCWLUA_BACKEND"
    /// The project file, beside the script.
    public static let projectFileName = "scwlua.json"

    /// `local` or `s3://bucket/prefix[?region=REGION]`.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "local" {
            self = .local
        } else if t.hasPrefix("s3://") {
            self = .s3(try S3StateLocation(parsing: t))
        } else {
            throw Diagnostic("unknown state backend '\(text)'", hint: "use s3://BUCKET/PREFIX (optionally ?region=REGION) or local")
        }
    }

    /// `local`, or `s3://BUCKET/PREFIX` as given.
    public var description: String {
        switch self {
        case .local: return "local"
        case .s3(let l): return l.description
        }
    }

    /// The backend for a project: `SCWLUA_BACKEND` in `environment`, else `scwlua.json` in
    /// `projectDirectory`, else local. A bad value or file is an error, never a silent fallback
    /// to local state (which would let a second writer start from nothing).
    public static func resolve(environment: [String: String], projectDirectory: String) throws -> StateBackend {
        if let text = environment[environmentVariable], !text.isEmpty {
            do { return try StateBackend(parsing: text) } catch let d as Diagnostic {
                throw Diagnostic("\(environmentVariable): \(d.message)", hint: d.hint)
            }
        }
        return try projectFile(in: projectDirectory) ?? .local
    }

    /// The backend named by `<dir>/scwlua.json`, nil when there is no such file or it names none.
    public static func projectFile(in dir: String) throws -> StateBackend? {
        try ProjectFile.read(in: dir)?.backend
    }

    /// Opens the store: SQLite in `stateDirectory`, or S3 with the credentials, endpoint and
    /// default region of `config` (called only for S3).
    /// With `readOnly` (plan), local state is opened for reading only and nothing is created.
    public func open(stateDirectory: String, config: () throws -> ScalewayConfig, environment: [String: String],
                     log: (@Sendable (String) -> Void)? = nil, readOnly: Bool = false) throws -> any StateStore {
        switch self {
        case .local:
            if readOnly { return try SQLiteStateStore.reading(directory: stateDirectory, environment: environment) }
            return try SQLiteStateStore(directory: stateDirectory, environment: environment)
        case .s3(let location):
            return S3StateStore(location: location, config: try config(), environment: environment, log: log)
        }
    }

    /// Before applying: when the plan holds secrets, a store that seals them with a key it
    /// may lack (remote state without SCWLUA_PASSPHRASE) must have it now, not after the
    /// cloud has changed.
    static func preflight(_ plan: Plan, store: any StateStore) throws {
        guard let checking = store as? any SecretKeyPreflight else { return }
        let sensitive = plan.outputs.values.contains(where: \.isSensitive)
            || plan.changes.contains { $0.action != .noop && $0.inputs.values.contains(where: \.isSensitive) }
        if sensitive { try checking.checkSecretKey() }
    }
}

// SavedPlan: `scwlua plan --out FILE` and `scwlua deploy FILE`: a reviewed plan applied as it
// was reviewed. The file holds the plan as text and JSON (secrets shown as `(sensitive)`, as
// in every plan), and digests of what it was computed from: the script's bytes, the variables,
// and the stack's state. Applying it re-plans under the stack's lock and refuses unless all
// three are unchanged and the new plan is the same, change for change.

import Crypto
import Foundation
import ScwCore
import ScwEngine
import ScwRender

public struct SavedPlan: Sendable {
    public static let formatVersion = 1

    /// The script, as given when the plan was made (absolute).
    public var scriptPath: String
    public var stack: String
    public var scriptDigest: String
    public var variablesDigest: String
    public var stateRevision: String
    public var changesDigest: String
    /// The plan for people, and as JSON.
    public var text: String
    public var json: Value

    /// Records `plan`, made by `session` from its script.
    public init(plan: Plan, session: StackSession) throws {
        guard let script = session.options.scriptPath else { throw Diagnostic("a saved plan needs a script file") }
        scriptPath = URL(fileURLWithPath: script).standardizedFileURL.path
        stack = session.options.stack
        scriptDigest = try Self.digest(file: scriptPath)
        variablesDigest = Self.digest(variables: session.options.variables)
        stateRevision = Self.revision(try session.stateRows())
        changesDigest = Self.digest(plan)
        text = PlanText.render(plan)
        json = PlanJSON.value(plan)
    }

    // MARK: file

    public func write(to path: String) throws {
        let doc: Value = .map([
            "scwlua_plan": .int(Int64(Self.formatVersion)), "script": .string(scriptPath), "stack": .string(stack),
            "script_digest": .string(scriptDigest), "variables_digest": .string(variablesDigest),
            "state_revision": .string(stateRevision), "changes_digest": .string(changesDigest),
            "text": .string(text), "plan": json,
        ])
        let data = Data((JSON.encode(doc, pretty: true) + "\n").utf8)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Diagnostic("cannot write the plan to \(path)")
        }
    }

    /// True when `path` holds a saved plan (what `deploy` and `show` accept instead of a script).
    public static func isPlanFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 64)) ?? Data(), as: UTF8.self)
        return head.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "").hasPrefix("{\"")
            && (path.hasSuffix(".plan") || head.contains("scwlua_plan"))
    }

    public static func read(from path: String) throws -> SavedPlan {
        let bytes: [UInt8]
        do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw Diagnostic("cannot read the plan file \(path): \(error.localizedDescription)")
        }
        guard let doc = try? JSON.decode(bytes: bytes), let version = doc["scwlua_plan"]?.intValue else {
            throw Diagnostic("\(path) is not a plan saved by `scwlua plan --out`")
        }
        guard version == Int64(formatVersion) else { throw Diagnostic("\(path) was saved by another version of scwlua (format \(version))") }
        func field(_ k: String) throws -> String {
            guard let v = doc[k]?.stringValue else { throw Diagnostic("\(path): the plan file lacks '\(k)'") }
            return v
        }
        return SavedPlan(scriptPath: try field("script"), stack: try field("stack"), scriptDigest: try field("script_digest"),
                         variablesDigest: try field("variables_digest"), stateRevision: try field("state_revision"),
                         changesDigest: try field("changes_digest"), text: try field("text"), json: doc["plan"] ?? .null)
    }

    init(scriptPath: String, stack: String, scriptDigest: String, variablesDigest: String, stateRevision: String,
         changesDigest: String, text: String, json: Value) {
        self.scriptPath = scriptPath
        self.stack = stack
        self.scriptDigest = scriptDigest
        self.variablesDigest = variablesDigest
        self.stateRevision = stateRevision
        self.changesDigest = changesDigest
        self.text = text
        self.json = json
    }

    // MARK: checks

    /// Before applying: the session's script, variables and stack state are what the plan was
    /// made from (call under the stack's lock); `plan` is the fresh plan of that session.
    public func verify(session: StackSession, plan: Plan) throws {
        let hint = "plan again (scwlua plan \(scriptPath) --out FILE), review, and apply that"
        guard session.options.stack == stack else {
            throw Diagnostic("this plan is for stack '\(stack)', not '\(session.options.stack)'", hint: "pass --stack \(stack)")
        }
        guard try Self.digest(file: scriptPath) == scriptDigest else {
            throw Diagnostic("the script \(scriptPath) changed since this plan was made; refusing to apply it", hint: hint)
        }
        guard Self.digest(variables: session.options.variables) == variablesDigest else {
            throw Diagnostic("the variables (--var) differ from those this plan was made with; refusing to apply it",
                             hint: "pass the same --var values as when planning, or " + hint)
        }
        guard Self.revision(try session.stateRows()) == stateRevision else {
            throw Diagnostic("the stack's state changed since this plan was made (another deploy ran); refusing to apply it", hint: hint)
        }
        guard Self.digest(plan) == changesDigest else {
            throw Diagnostic("the cloud changed since this plan was made: planning now gives other changes; refusing to apply it", hint: hint)
        }
    }

    // MARK: digests

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 { bytes.map { String(format: "%02x", $0) }.joined() }

    static func sha256(_ text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

    static func digest(file path: String) throws -> String {
        do { return hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path)))) } catch {
            throw Diagnostic("cannot read the script \(path): \(error.localizedDescription)")
        }
    }

    /// The variables with their values (secrets included, hashed, never written in clear).
    static func digest(variables: [String: Value]) -> String {
        sha256(JSON.encode(.map(variables.mapValues(\.revealed))))
    }

    /// The stack's state, row by row (address, id, status, flags, inputs).
    static func revision(_ rows: [ResourceState]) -> String {
        let lines = rows.sorted { $0.address < $1.address }.map { r in
            "\(r.address)|\(r.id)|\(r.status.rawValue)|\(r.protect)|\(r.retain)|\(sha256(JSON.encode(.map(r.inputs.mapValues(\.revealed)))))"
        }
        return sha256(lines.joined(separator: "\n"))
    }

    /// What the plan does, change by change (secrets as markers: a secret's value is covered
    /// by the script and variables digests).
    static func digest(_ plan: Plan) -> String {
        let lines = plan.changes.filter { $0.action != .noop }.map { c in
            let props = c.changes.map { "\($0.name):\(JSON.encode(PlanJSON.marker($0.old ?? .null)))>\(JSON.encode(PlanJSON.marker($0.new ?? .null)))" }
            return "\(c.address)|\(c.action.rawValue)|\(c.movedFrom?.description ?? "")|\(c.prior?.id ?? "")|\(props.joined(separator: ","))"
        }
        return sha256(lines.joined(separator: "\n"))
    }
}

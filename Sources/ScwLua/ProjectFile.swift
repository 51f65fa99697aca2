// ProjectFile: `scwlua.json` beside a script, the settings that travel with the project:
// where state lives (`"backend"`) and whether its scripts are trusted with the full Lua
// library (`"allow_exec"`).

import Foundation
import ScwCore

/// The settings of `<dir>/scwlua.json`.
public struct ProjectFile: Sendable, Equatable {
    public static let fileName = "scwlua.json"
    static let keys = ["backend", "allow_exec"]

    /// `"backend": "s3://BUCKET/PREFIX"` or `"local"`.
    public var backend: StateBackend?
    /// `"allow_exec": true`: scripts get the full Lua library, like `--allow-exec`.
    public var allowExec: Bool

    /// Reads `<dir>/scwlua.json`; nil when there is none. A bad file is an error (never a
    /// silent default: the backend decides which state is written).
    public static func read(in dir: String) throws -> ProjectFile? {
        let path = ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let example = "{\"backend\": \"s3://BUCKET/PREFIX\", \"allow_exec\": false}"
        let doc: Value
        do {
            doc = try JSON.decode(bytes: Array(data))
        } catch {
            throw Diagnostic("\(path) is not valid JSON (\(error))", hint: "expected \(example)")
        }
        guard let map = doc.mapValue else { throw Diagnostic("\(path) must hold a JSON object, e.g. \(example)") }
        for key in map.keys where !keys.contains(key) {
            let hint = Suggest.closest(to: key, in: keys).map { "did you mean '\($0)'?" } ?? "the keys are \"backend\" and \"allow_exec\""
            throw Diagnostic("\(path): unknown key '\(key)'", hint: hint)
        }
        var file = ProjectFile(backend: nil, allowExec: false)
        if let value = map["backend"] {
            guard let text = value.stringValue else { throw Diagnostic("\(path): \"backend\" must be a string such as \"s3://BUCKET/PREFIX\"") }
            do { file.backend = try StateBackend(parsing: text) } catch let d as Diagnostic {
                throw Diagnostic("\(path): \(d.message)", hint: d.hint)
            }
        }
        if let value = map["allow_exec"] {
            guard let flag = value.boolValue else { throw Diagnostic("\(path): \"allow_exec\" must be true or false") }
            file.allowExec = flag
        }
        return file
    }
}

// StackOptions: everything an embedder or the CLI chooses about one stack run.

import Foundation
import LuaHost
import ScalewayAPI
import ScwCore
import ScwScript

/// Where the Scaleway API is, and with which credentials.
public enum APITarget: Sendable {
    /// The real cloud, with credentials as the scw CLI finds them (config file, profile, environment).
    case cloud(profile: String?)
    /// A local emulator (or any Scaleway-compatible endpoint) at this base URL, with fixed local credentials.
    case emulator(baseURL: String)
    /// Credentials and defaults given by the embedder (its own credentials provider).
    case config(ScalewayConfig)
}

/// How a `StackSession` runs: which script, which stack and state, which API, what the
/// script is given. Build one, adjust fields, pass it to `StackSession(options:)`.
public struct StackOptions: @unchecked Sendable {
    /// The script, when there is a file; its folder is searched by `require` and holds `.scwlua`.
    public var scriptPath: String?
    /// The stack's name: one script can be deployed as several stacks.
    public var stack: String
    /// Where state lives; default `.scwlua` beside the script (or in the current folder).
    public var stateDirectory: String
    /// How many resources are worked on at once, within `parallelismRange`.
    public var parallelism: Int
    /// The parallelism a session accepts.
    public static let parallelismRange = 1...1000
    /// The API and credentials to use.
    public var target: APITarget
    /// The environment credentials and state settings are read from (SCW_*, SCWLUA_*).
    public var environment: [String: String]
    /// Folders `require` searches besides the script's own (the shipped lua-stdlib).
    public var libraryPaths: [String]
    /// Values the script reads as `scaleway.vars.NAME` (`--var name=value` on the CLI).
    public var variables: [String: Value]
    /// Extra Lua functions an embedder offers scripts, as globals.
    public var luaFunctions: [String: LuaFunction]
    /// Debug lines from the API client (method, path, status; never headers or bodies).
    public var apiLog: (@Sendable (String) -> Void)?
    /// Open local state for reading only, creating nothing (no folder, database or key file):
    /// for sessions that only plan. `apply` then fails.
    public var readOnlyState = false
    /// What the script may do besides declaring. Default `.sandboxed`: no process execution,
    /// native modules or file writes, reads below `scriptDirectory` only, `os.getenv` for
    /// `SCWLUA_VAR_*` only. `.unrestricted` is the full Lua library.
    public var permissions: ScriptPermissions = .sandboxed
    /// The folder a sandboxed script may read below; default: the script's folder, else the
    /// working directory.
    public var scriptDirectory: String?
    /// Take over a stack last deployed from another script (`--adopt-stack`). Without it, a
    /// script is refused on a stack whose resources came from another script, which it would
    /// otherwise plan for deletion.
    public var adoptStack = false

    /// Every field has a default; `stateDirectory` defaults to `.scwlua` beside the script.
    public init(scriptPath: String? = nil, stack: String = "default", stateDirectory: String? = nil, parallelism: Int = 10,
                target: APITarget = .cloud(profile: nil), environment: [String: String] = ProcessInfo.processInfo.environment,
                libraryPaths: [String] = StackOptions.defaultLibraryPaths(), variables: [String: Value] = [:],
                luaFunctions: [String: LuaFunction] = [:], apiLog: (@Sendable (String) -> Void)? = nil) {
        self.scriptPath = scriptPath
        self.stack = stack
        let scriptDir = scriptPath.map { ($0 as NSString).deletingLastPathComponent } ?? ""
        self.stateDirectory = stateDirectory ?? ((scriptDir.isEmpty ? "." : scriptDir) as NSString).appendingPathComponent(".scwlua")
        self.parallelism = parallelism
        self.target = target
        self.environment = environment
        self.libraryPaths = libraryPaths
        self.variables = variables
        self.luaFunctions = luaFunctions
        self.apiLog = apiLog
    }

    /// Refuses a script path that is not a regular file (a folder, `/dev/null`, a pipe) before
    /// anything is written: its folder would get a `.scwlua` (`/dev/.scwlua`).
    public static func checkScript(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Diagnostic("no such script: \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Diagnostic("\(path) is not a regular file: a script is a .lua file", hint: "pass the path of your Lua script")
        }
    }

    /// `SCWLUA_LUA_PATH`, the `lua-stdlib` folder of the install tree or of the source
    /// checkout the binary was built in, whichever exist.
    public static func defaultLibraryPaths() -> [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["SCWLUA_LUA_PATH"] { paths += env.split(separator: ":").map(String.init) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for relative in ["../share/scwlua/lua-stdlib", "../../lua-stdlib", "../../../lua-stdlib", "../../../../lua-stdlib"] {
            let p = exe.appendingPathComponent(relative).standardizedFileURL.path
            if FileManager.default.fileExists(atPath: p), !paths.contains(p) { paths.append(p) }
        }
        return paths
    }
}

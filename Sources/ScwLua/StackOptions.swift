// StackOptions: everything an embedder or the CLI chooses about one stack run.

import Foundation
import ScwCore

/// Where the Scaleway API is.
public enum APITarget: Sendable {
    /// The real cloud, with credentials as the scw CLI finds them (config file, profile, environment).
    case cloud(profile: String?)
    /// A local emulator (or any Scaleway-compatible endpoint) at this base URL, with fixed local credentials.
    case emulator(baseURL: String)
}

public struct StackOptions: Sendable {
    public var scriptPath: String
    public var stack: String
    /// Where state lives; default `.scwlua` beside the script.
    public var stateDirectory: String
    public var parallelism: Int
    public var target: APITarget
    public var environment: [String: String]
    /// Folders `require` searches besides the script's own (the shipped lua-stdlib).
    public var libraryPaths: [String]
    /// Debug lines from the API client (method, path, status; never headers or bodies).
    public var apiLog: (@Sendable (String) -> Void)?

    public init(scriptPath: String, stack: String = "default", stateDirectory: String? = nil, parallelism: Int = 10,
                target: APITarget = .cloud(profile: nil), environment: [String: String] = ProcessInfo.processInfo.environment,
                libraryPaths: [String] = StackOptions.defaultLibraryPaths(), apiLog: (@Sendable (String) -> Void)? = nil) {
        self.scriptPath = scriptPath
        self.stack = stack
        let scriptDir = (scriptPath as NSString).deletingLastPathComponent
        self.stateDirectory = stateDirectory ?? ((scriptDir.isEmpty ? "." : scriptDir) as NSString).appendingPathComponent(".scwlua")
        self.parallelism = parallelism
        self.target = target
        self.environment = environment
        self.libraryPaths = libraryPaths
        self.apiLog = apiLog
    }

    /// `SCWLUA_LUA_PATH`, the `lua-stdlib` folder next to the binary's install tree, and the
    /// source checkout's `lua-stdlib`, whichever exist.
    public static func defaultLibraryPaths() -> [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["SCWLUA_LUA_PATH"] { paths += env.split(separator: ":").map(String.init) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [exe.appendingPathComponent("../share/scwlua/lua-stdlib"), exe.appendingPathComponent("../../lua-stdlib"),
                          exe.appendingPathComponent("../../../lua-stdlib")] {
            let p = candidate.standardizedFileURL.path
            if FileManager.default.fileExists(atPath: p) { paths.append(p) }
        }
        return paths
    }
}

// ScwLuaInfo: version and small entry points that need no stack.

import Foundation
import LuaHost
import ScwCore
import ScwEngine
import ScwResources
import ScwScript

/// Facts about this build of scwlua.
public enum ScwLuaInfo {
    /// The version printed by `scwlua version` and sent in the user agent.
    public static let version = "0.1.0"
    /// Every resource type this build offers.
    public static var schemas: [ResourceSchema] { Providers.schemas }
    /// Types scripts can only look up (`scw.lookup.Image`).
    public static var lookupSchemas: [ResourceSchema] { Providers.lookupSchemas }
}

/// Runs a script without a stack (the CLI's `scwlua FILE.lua`, `graph`).
public enum ScriptRunner {
    /// Runs a script with the module loaded and returns what it declared (no API call),
    /// sandboxed unless `permissions` say otherwise.
    public static func run(file: String, libraryPaths: [String] = StackOptions.defaultLibraryPaths(),
                           permissions: ScriptPermissions = .sandboxed, variables: [String: Value] = [:]) throws -> Program {
        let dir = (file as NSString).deletingLastPathComponent
        let scriptDir = dir.isEmpty ? "." : dir
        let session = try ScriptSession(schemas: Providers.schemas, libraryPaths: [scriptDir] + libraryPaths,
                                        permissions: permissions, scriptDirectory: scriptDir, lookupSchemas: Providers.lookupSchemas)
        try session.setVariables(variables)
        return try session.run(file: file)
    }
}

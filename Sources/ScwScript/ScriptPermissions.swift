// ScriptPermissions: what a script may do besides declaring resources. Scripts are
// declarations, often from a pull request: by default they get a Lua library without process
// execution, native code, file writes or the process's environment (ScriptSandbox.swift).

/// What a script is trusted with. The default (`sandboxed`) is right for code you did not
/// write; each field opens one thing, as the CLI flag named beside it does.
public struct ScriptPermissions: Sendable, Equatable {
    /// The whole Lua library, nothing restricted (`--allow-exec`, or `"allow_exec": true` in
    /// `scwlua.json`): `os.execute`, `io.popen`, `package.loadlib`, file writes, every
    /// environment variable and every file.
    public var allowExec: Bool
    /// Folders whose files the script may read besides its own folder (`--allow-read DIR`).
    public var readableDirectories: [String]
    /// Environment variables `os.getenv` returns besides `SCWLUA_VAR_*` (`--allow-env NAME`).
    public var environmentVariables: [String]

    public init(allowExec: Bool = false, readableDirectories: [String] = [], environmentVariables: [String] = []) {
        self.allowExec = allowExec
        self.readableDirectories = readableDirectories
        self.environmentVariables = environmentVariables
    }

    /// Declarations only: reads below the script's folder, `SCWLUA_VAR_*` variables.
    public static let sandboxed = ScriptPermissions()
    /// The full Lua library, as stock `lua5.4` has it.
    public static let unrestricted = ScriptPermissions(allowExec: true)

    /// The prefix of the environment variables every script may read.
    public static let variablePrefix = "SCWLUA_VAR_"
}

// TrustOptions: the flags that open up the sandbox scripts run in (Scw.ScriptPermissions):
// --allow-exec, --allow-read DIR, --allow-env NAME, and "allow_exec" in scwlua.json.

import ArgumentParser
import Foundation
import ScwLua

struct TrustOptions: ParsableArguments {
    @Flag(name: .customLong("allow-exec"),
          help: "Trust the script with the full Lua library: os.execute, io.popen, file writes, every variable and file (also \"allow_exec\": true in scwlua.json).")
    var allowExec = false

    @Option(name: .customLong("allow-read"),
            help: ArgumentHelp("Let the script read files below DIR too (repeatable; its own folder is always readable).", valueName: "dir"))
    var allowRead: [String] = []

    @Option(name: .customLong("allow-env"),
            help: ArgumentHelp("Let os.getenv return the variable NAME too (repeatable; SCWLUA_VAR_* always are).", valueName: "name"))
    var allowEnv: [String] = []

    /// What a script in `scriptDirectory` may do: these flags, and `allow_exec` of the
    /// `scwlua.json` there.
    func permissions(scriptDirectory: String) throws -> Scw.ScriptPermissions {
        let project = try ProjectFile.read(in: scriptDirectory)
        return Scw.ScriptPermissions(allowExec: allowExec || project?.allowExec == true,
                                 readableDirectories: allowRead, environmentVariables: allowEnv)
    }

    /// The folder of `script` (`.` for a bare file name).
    static func folder(of script: String) -> String {
        let dir = (script as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}

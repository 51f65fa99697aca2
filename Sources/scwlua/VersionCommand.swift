// version and run: the small commands.

import ArgumentParser
import Foundation
import ScwLua

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
    func run() throws {
        Terminal.out("scwlua \(ScwLuaInfo.version) (Lua 5.4, Swift)\n")
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a Lua script with the scaleway module loaded (declares only; no API call).")
    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var trust: TrustOptions
    @OptionGroup var vars: VarOptions
    func run() async throws {
        try await runReporting {
            let program = try ScriptRunner.run(file: script, permissions: try trust.permissions(scriptDirectory: TrustOptions.folder(of: script)),
                                               variables: try VarOptions.parse(vars.vars))
            Terminal.err("\(program.declarations.count) resource(s) declared; run `scwlua plan \(script)` to see what deploy would do.")
        }
    }
}

// The scwlua command line: argument parsing and wiring only.

import ArgumentParser
import Foundation

@main
struct SCWLua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scwlua",
        abstract: "Infrastructure as code for Scaleway, in Lua.",
        discussion: "Run `scwlua FILE.lua` to run a script with the scaleway module loaded.",
        subcommands: [DeployCommand.self, PlanCommand.self, DestroyCommand.self, RefreshCommand.self, OutputCommand.self,
                      StateCommand.self, ImportCommand.self, ShowCommand.self, GraphCommand.self, DocsCommand.self, EmulatorCommand.self, ReplCommand.self, VersionCommand.self, RunCommand.self])

    /// Like the default entry point, but `scwlua FILE.lua` means `scwlua run FILE.lua`.
    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, first.hasSuffix(".lua") { arguments.insert("run", at: 0) }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

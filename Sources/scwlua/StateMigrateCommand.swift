// state migrate: copies a stack between the local state and Object Storage, either way.

import ArgumentParser
import Foundation
import ScwCore
import ScwLua

struct StateMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a stack's state (resources, outputs, history) to another backend.",
        discussion: """
            scwlua state migrate --to s3://BUCKET/PREFIX [--from-state-dir DIR]   local → Object Storage
            scwlua state migrate --to local --backend s3://BUCKET/PREFIX          Object Storage → local
            Both stacks are locked during the copy; the destination must hold nothing of the stack. \
            The source is kept: point later runs at the destination (--backend, SCWLUA_BACKEND or scwlua.json).
            """)

    @Option(name: .long, help: ArgumentHelp("Where to copy: s3://BUCKET/PREFIX[?region=REGION] or local.", valueName: "backend"))
    var to: String
    @Option(name: .customLong("from-state-dir"), help: "The local state to copy from (default: --state-dir).")
    var fromStateDir: String?
    @OptionGroup var location: StateLocation

    func run() async throws {
        try await runReporting {
            let env = ProcessInfo.processInfo.environment
            let destination = try StateBackend(parsing: to)
            // From local to S3 unless the destination is local: then from the configured backend.
            let source: StateBackend
            if destination == .local {
                source = try StateAccess.backend(location.backend, stateDirectory: location.stateDir, environment: env)
                guard source != .local else {
                    throw Diagnostic("--to local needs a remote source", hint: "pass --backend s3://BUCKET/PREFIX (or set SCWLUA_BACKEND)")
                }
            } else {
                source = try location.backend.map(StateBackend.init(parsing:)) ?? .local
            }
            let fromDir = fromStateDir ?? location.stateDir
            let copied = try StateAccess.migrate(
                stack: location.stack, from: source, fromDirectory: fromDir, to: destination, toDirectory: location.stateDir,
                config: { try StateAccess.config(profile: location.profile, endpoint: location.endpoint, environment: env) },
                environment: env)
            let name: (StateBackend, String) -> String = { b, dir in b == .local ? dir : b.description }
            Terminal.out("Copied stack '\(location.stack)' from \(name(source, fromDir)) to \(name(destination, location.stateDir)): "
                         + "\(copied.resources) resources, \(copied.outputs) outputs, \(copied.deployments) deployments.\n"
                         + "The source is unchanged; use --backend \(destination) (or SCWLUA_BACKEND, scwlua.json) from now on.\n")
        }
    }
}

// import, show, and the --target selection: the CLI side of adopting existing resources,
// partial runs and saved plans.

import ArgumentParser
import Foundation
import ScwCore
import ScwLua
import ScwRender

/// `--target ADDR` (repeatable) on plan, deploy and destroy.
struct TargetSelection: ParsableArguments {
    @Option(name: .customLong("target"), help: ArgumentHelp("Only this resource and what it needs (destroy: what needs it); repeatable.",
                                                            valueName: "Type/name"))
    var targets: [String] = []

    /// The addresses, or nil when none was given (a whole-stack run).
    func addresses() throws -> Set<ResourceAddress>? {
        guard !targets.isEmpty else { return nil }
        return Set(try targets.map { text in
            guard let address = ResourceAddress(parsing: text) else {
                throw Diagnostic("--target \(text): expected Type/name, e.g. Instance/web")
            }
            return address
        })
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Adopt an existing resource under an address the script declares.",
        discussion: "Records the resource in state (nothing in the cloud changes), then prints the plan that would follow. The next deploy adds this stack's ownership tags and makes the resource what the script says.")

    @Argument(help: "The Lua script.") var script: String
    @Argument(help: "The address the script declares, e.g. Instance/web.") var address: String
    @Argument(help: "The resource's id, e.g. fr-par-1/<uuid> (a bucket: <region>/<name>).") var id: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions

    func run() async throws {
        try await runReporting {
            guard let addr = ResourceAddress(parsing: address) else { throw Diagnostic("'\(address)' is not Type/name (e.g. Instance/web)") }
            let factory = SessionFactory()
            let session = try factory.open(script: script, target: target, stack: stack, trust: trust)
            let row = try await session.importResource(addr, id: id)
            Terminal.out("Imported \(row.id) as \(addr). Nothing in the cloud changed; the next deploy adds this stack's ownership tags.\n\n")
            let plan = try await session.plan()
            Terminal.out(PlanText.render(plan, style: Terminal.style))
            if !plan.errors.isEmpty { throw ExitCode.failure }
        }
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a plan saved by `scwlua plan --out FILE`.")

    @Argument(help: "The saved plan.") var file: String
    @Flag(name: .long, help: "As JSON.") var json = false

    func run() async throws {
        try await runReporting {
            let saved = try SavedPlan.read(from: file)
            if json {
                Terminal.out(JSON.encode(saved.json, pretty: true) + "\n")
            } else {
                Terminal.out("Saved plan for stack '\(saved.stack)' from \(saved.scriptPath):\n\n" + saved.text)
            }
        }
    }
}

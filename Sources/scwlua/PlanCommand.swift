// plan: show what deploy would do, without writing anything.

import ArgumentParser
import ScwLua
import ScwRender

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show what deploy would change. Writes nothing.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @Flag(name: .long, help: "Print the plan as JSON.") var json = false
    @Flag(name: .long, help: "Plan a destroy instead.") var destroy = false
    @Option(name: .long, help: ArgumentHelp("--refresh=false plans against state as last recorded, without reading the cloud first.", valueName: "bool"))
    var refresh = true

    func run() async throws {
        try await runReporting {
            let factory = SessionFactory()
            let session = try factory.open(script: script, target: target, stack: stack, readOnly: true)
            let plan = try await session.plan(destroy: destroy, refresh: refresh)
            Terminal.out(json ? PlanJSON.render(plan) : PlanText.render(plan, style: Terminal.style))
            if !plan.errors.isEmpty { throw ExitCode.failure }
        }
    }
}

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refresh", abstract: "Read the cloud and update state; report drift.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup

    func run() async throws {
        try await runReporting {
            let factory = SessionFactory()
            let session = try factory.open(script: script, target: target, stack: stack)
            let report = try await session.refresh()
            Terminal.out(report.isEmpty ? "No drift: state matches the cloud.\n" : report.joined(separator: "\n") + "\n")
        }
    }
}

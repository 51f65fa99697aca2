// plan: show what deploy would do, without writing anything.

import ArgumentParser
import ScwCore
import ScwLua
import ScwRender

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Show what deploy would change. Writes nothing.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions
    @Flag(name: .long, help: "Print the plan as JSON.") var json = false
    @Flag(name: .long, help: "Plan a destroy instead.") var destroy = false
    @OptionGroup var selection: TargetSelection
    @Option(name: .long, help: ArgumentHelp("Save the plan to FILE; `scwlua deploy FILE` applies exactly it.", valueName: "FILE"))
    var out: String?
    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 when there is nothing to change, 2 when there are changes, 1 on errors.")
    var detailedExitcode = false
    @Option(name: .long, help: ArgumentHelp("--refresh=false plans against state as last recorded, without reading the cloud first.", valueName: "bool"))
    var refresh = true

    func run() async throws {
        try await runReporting {
            let factory = SessionFactory()
            let session = try factory.open(script: script, target: target, stack: stack, trust: trust, readOnly: true)
            let plan = try await session.plan(destroy: destroy, refresh: refresh, targets: try selection.addresses())
            Terminal.out(json ? PlanJSON.render(plan) : PlanText.render(plan, style: Terminal.style))
            if !plan.errors.isEmpty { throw ExitCode.failure }
            if let out {
                if destroy || plan.targets != nil { throw Diagnostic("--out saves a whole deploy plan (not with --destroy or --target)") }
                try SavedPlan(plan: plan, session: session).write(to: out)
                if !json { Terminal.out("Saved to \(out): apply it with `scwlua deploy \(out)`.\n") }
            }
            if detailedExitcode, plan.hasAnyChange { throw ExitCode(2) }
        }
    }
}

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "refresh", abstract: "Read the cloud and update state; report drift.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions

    func run() async throws {
        try await runReporting {
            let factory = SessionFactory()
            let session = try factory.open(script: script, target: target, stack: stack, trust: trust)
            let report = try await session.refresh()
            Terminal.out(report.isEmpty ? "No drift: state matches the cloud.\n" : report.joined(separator: "\n") + "\n")
        }
    }
}

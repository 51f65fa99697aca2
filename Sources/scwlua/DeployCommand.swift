// deploy and destroy: plan, confirm on a terminal (or --yes), apply with live progress.

import ArgumentParser
import Foundation
import ScwCore
import ScwEngine
import ScwLua
import ScwRender

struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deploy", abstract: "Plan and apply a script to its stack.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions
    @Flag(name: .shortAndLong, help: "Apply without asking.") var yes = false
    @Flag(name: .long, help: "Print the plan and the result as JSON.") var json = false
    @OptionGroup var selection: TargetSelection
    @Option(name: .long, help: ArgumentHelp("--refresh=false plans against state as last recorded, without reading the cloud first.", valueName: "bool"))
    var refresh = true

    func run() async throws {
        let (script, target, stack, trust, yes, json, refresh) = (script, target, stack, trust, yes, json, refresh)
        let targets = try selection.addresses()
        try await runReporting {
            try await GracefulInterrupt.run { interrupt in
                try await Apply.run(script: script, target: target, stack: stack, trust: trust, yes: yes, json: json, destroy: false,
                                    refresh: refresh, targets: targets, interrupt: interrupt)
            }
        }
    }
}

struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "destroy", abstract: "Delete everything the stack holds, in reverse dependency order.")

    @Argument(help: "The Lua script.") var script: String
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions
    @Flag(name: .shortAndLong, help: "Destroy without asking.") var yes = false
    @Flag(name: .long, help: "Print the plan and the result as JSON.") var json = false
    @OptionGroup var selection: TargetSelection

    func run() async throws {
        let (script, target, stack, trust, yes, json) = (script, target, stack, trust, yes, json)
        let targets = try selection.addresses()
        try await runReporting {
            try await GracefulInterrupt.run { interrupt in
                try await Apply.run(script: script, target: target, stack: stack, trust: trust, yes: yes, json: json, destroy: true,
                                    targets: targets, interrupt: interrupt)
            }
        }
    }
}

/// The flow deploy and destroy share.
enum Apply {
    /// `script` may be a plan saved by `scwlua plan --out`: then exactly that plan is applied,
    /// or nothing (see `SavedPlan.verify`).
    static func run(script: String, target: TargetOptions, stack: StackOptionsGroup, trust: TrustOptions, yes: Bool, json: Bool,
                    destroy: Bool, refresh: Bool = true, targets: Set<ResourceAddress>?, interrupt: GracefulInterrupt) async throws {
        let saved = !destroy && SavedPlan.isPlanFile(script) ? try SavedPlan.read(from: script) : nil
        if saved != nil, targets != nil { throw Diagnostic("a saved plan is applied whole: --target does not go with it") }
        let factory = SessionFactory()
        let session = try factory.open(script: saved?.scriptPath ?? script, target: target, stack: stack, trust: trust)
        let style = Terminal.style
        // JSON lines for machines; a live block on a terminal; plain lines otherwise.
        let live = !json && Terminal.stdoutIsTTY ? LiveProgress(style: style, write: { Terminal.out($0) }) : nil
        let repeats = RepeatedPhases()
        let events: ApplyEventHandler = { event in
            if json { Terminal.out(EventJSON.line(event) + "\n") }
            else if let live { live.handle(event) }
            else if !repeats.isRepeat(event), let line = ProgressText.line(event, style: style) { Terminal.out(line + "\n") }
        }
        let outcome: DeployOutcome
        do {
            outcome = try await session.deploy(destroy: destroy, refresh: refresh, targets: targets, check: saved.map { saved in
                { plan in try saved.verify(session: session, plan: plan) }
            }, confirm: { plan in
                if json {
                    Terminal.out(JSON.encode(.map(["type": .string("plan"), "plan": PlanJSON.value(plan)])) + "\n")
                } else {
                    Terminal.out(PlanText.render(plan, style: style))
                }
                // A saved plan was reviewed when it was made: it applies without asking again.
                if yes || saved != nil { interrupt.enter(.applying); live?.start(); return true }
                guard Terminal.stdinIsTTY else {
                    throw Diagnostic("refusing to \(destroy ? "destroy" : "apply") without confirmation: there is no terminal to ask on",
                                     hint: "pass --yes to apply without asking")
                }
                interrupt.enter(.confirming)
                let ok = Terminal.confirm(destroy ? "Destroy these resources?" : "Apply these changes?")
                interrupt.enter(.applying)
                if ok { live?.start() }
                return ok
            }, events: events)
        } catch let failure as ApplyFailure {
            live?.stop()
            try report(failure.result, session: session, json: json, destroy: destroy)
            return
        }
        live?.stop()

        switch outcome {
        case .noChanges(let plan):
            if json {
                Terminal.out(JSON.encode(.map(["type": .string("plan"), "plan": PlanJSON.value(plan)])) + "\n")
            } else {
                Terminal.out(PlanText.render(plan, style: style))
            }
            if !destroy, !json { Terminal.out(ProgressText.outputs(try session.outputs())) }
        case .declined:
            Terminal.out("Nothing applied.\n")
            throw ExitCode.failure
        case .applied(_, let result):
            try report(result, session: session, json: json, destroy: destroy)
        }
    }

    /// The result: the summary and outputs (or JSON), and each failure again on stderr.
    static func report(_ result: ApplyResult, session: StackSession, json: Bool, destroy: Bool) throws {
        let style = Terminal.style
        if json {
            var line = ResultJSON.value(result).mapValue ?? [:]
            line["type"] = .string("result")
            Terminal.out(JSON.encode(.map(line)) + "\n")
        } else {
            Terminal.out("\n" + ProgressText.summary(result, verb: destroy ? "Destroy" : "Apply") + "\n")
            if !destroy { Terminal.out(ProgressText.outputs(result.outputs)) }
        }
        if !result.succeeded {
            // Each failure again on stderr, at the line that declared the resource.
            for address in result.failed {
                guard case .failed(let action, let message)? = result.outcomes[address] else { continue }
                let location = session.program.declarations.first { $0.address == address }?.location.map { "\($0): " } ?? ""
                Terminal.err(style.red("error: ") + "\(location)\(address): \(action.verb) failed: \(ProgressText.unprefixed(message, address))")
            }
            throw ExitCode.failure
        }
    }
}

/// Plain progress prints a phase once, not at every poll that reports it again.
final class RepeatedPhases: @unchecked Sendable {
    private let lock = NSLock()
    private var last: [ScwCore.ResourceAddress: String] = [:]

    func isRepeat(_ event: ApplyEvent) -> Bool {
        guard case .phase(let address, let phase) = event else { return false }
        return lock.withLock {
            defer { last[address] = phase }
            return last[address] == phase
        }
    }
}

/// The apply result as JSON (`--json`).
enum ResultJSON {
    static func value(_ r: ApplyResult) -> Value {
        var resources: [String: Value] = [:]
        for (address, outcome) in r.outcomes {
            switch outcome {
            case .done(let a): resources[address.description] = .map(["status": .string("done"), "action": .string(a.rawValue)])
            case .failed(let a, let m): resources[address.description] = .map(["status": .string("failed"), "action": .string(a.rawValue), "error": .string(m)])
            case .skipped(let a, let c): resources[address.description] = .map(["status": .string("skipped"), "action": .string(a.rawValue), "because": .string(c.description)])
            case .cancelled(let a): resources[address.description] = .map(["status": .string("cancelled"), "action": .string(a.rawValue)])
            }
        }
        return .map(["succeeded": .bool(r.succeeded), "resources": .map(resources), "outputs": PlanJSON.value(Plan(stack: "", changes: [], outputs: r.outputs))["outputs"] ?? .map([:])])
    }
}

// ReplCommands: the `:commands`: plan, apply (asking first unless `!` or --yes), destroy,
// state, outputs, graph, load, help, quit.

import Foundation
import LuaHost
import ScwCore
import ScwEngine
import ScwLua
import ScwRender

extension Repl {
    /// Every command, for `:help` and completion.
    public static let commandNames = [":apply", ":apply!", ":destroy", ":destroy!", ":graph", ":help", ":load",
                                      ":outputs", ":plan", ":quit", ":state"]

    static let help = """
        Type Lua: statements run, expressions print their value (also `=expr`); an unfinished
        statement continues on the next line (>> prompt). Locals last one line: use globals,
        e.g. vpc = scaleway.Vpc "main" { region = "fr-par" }. TAB completes names and fields.

          :plan [destroy]    show what :apply (or :destroy) would change; writes nothing
          :apply             plan, ask, then create/update/delete; handles then hold real values
          :apply!            the same without asking (also --yes)
          :destroy[!]        delete everything the stack holds
          :state [Type/name] the resources in state (or one in detail)
          :outputs           the stack's outputs as last applied
          :graph [mermaid]   the dependency graph (DOT by default)
          :load FILE.lua     run a script here; its top-level locals become globals
          :help              this text
          :quit              leave (also Ctrl-D)

        `return { name = value }` sets the stack outputs. History is kept in ~/.scwlua_history
        ($SCWLUA_HISTORY), except chunks that made a secret (scaleway.secret, or a value
        computed from one).

        """

    func command(_ text: String) async -> Step {
        let parts = text.split(separator: " ", maxSplits: 1)
        let name = String(parts.first ?? "")
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ":quit", ":q", ":exit":
            return .quit
        case ":help", ":h", ":?":
            console.out(Self.help)
        case ":plan":
            await plan(destroy: argument == "destroy")
        case ":apply", ":apply!":
            await apply(destroy: false, confirmed: name.hasSuffix("!"))
        case ":destroy", ":destroy!":
            await apply(destroy: true, confirmed: name.hasSuffix("!"))
        case ":state":
            state(argument)
        case ":outputs":
            outputs()
        case ":graph":
            graph(argument)
        case ":load":
            loadCommand(argument)
        default:
            let hint = Suggest.closest(to: name, in: Self.commandNames + [":q", ":exit"]).map { " (did you mean \($0)?)" } ?? ""
            fail("error: unknown command \(name)\(hint); :help lists them")
        }
        return .ready
    }

    private var style: Style { Style(color: options.color) }

    private func plan(destroy: Bool) async {
        let session = self.session, console = self.console, style = self.style
        do {
            let plan = try await Interrupts.cancellable(onInterrupt: { console.err("interrupted\n") }) {
                try await session.plan(destroy: destroy)
            }
            console.out(PlanText.render(plan, style: style))
            if !plan.errors.isEmpty { countFailure() }
        } catch {
            fail("error: \(error)")
        }
    }

    private func apply(destroy: Bool, confirmed: Bool) async {
        let session = self.session, console = self.console, style = self.style
        let skipQuestion = confirmed || options.assumeYes, interactive = options.interactive
        let verb = destroy ? "destroy" : "apply"
        do {
            let outcome: DeployOutcome
            do {
                outcome = try await Interrupts.cancellable(onInterrupt: {
                    console.err("interrupted: no new operation starts; those in flight finish and are recorded\n")
                }) {
                    try await session.deploy(destroy: destroy, confirm: { plan in
                        console.out(PlanText.render(plan, style: style))
                        if skipQuestion { return true }
                        guard interactive else {
                            throw Diagnostic("refusing to \(verb) without confirmation: input is not a terminal",
                                             hint: "use :\(verb)! or start the REPL with --yes")
                        }
                        let question = destroy ? "Destroy these resources? Only 'yes' is accepted: " : "Apply these changes? Only 'yes' is accepted: "
                        return console.ask(question)?.trimmingCharacters(in: .whitespaces) == "yes"
                    }, events: { event in
                        if let line = ProgressText.line(event, style: style) { console.out(line + "\n") }
                    })
                }
            } catch let failure as ApplyFailure {
                outcome = .applied(failure.plan, failure.result)   // shown like any result, and counted as a failure below
            }
            let result: ApplyResult
            switch outcome {
            case .declined:
                console.out("Nothing applied.\n")
                return
            case .noChanges(let plan):
                console.out(PlanText.render(plan, style: style))
                if !destroy { console.out(ProgressText.outputs(try session.outputs())) }
                return
            case .applied(_, let r):
                result = r
            }
            console.out("\n" + ProgressText.summary(result, verb: destroy ? "Destroy" : "Apply") + "\n")
            if !destroy { console.out(ProgressText.outputs(result.outputs)) }
            forget(deleted: result.outcomes.compactMap { address, outcome in
                if case .done(.delete) = outcome { return address }
                return nil
            })
            if !result.succeeded { countFailure() }
        } catch {
            fail("error: \(error)")
        }
    }

    private func state(_ address: String) {
        do {
            let rows = try session.store.resources(stack: session.options.stack).sorted { $0.address < $1.address }
            if address.isEmpty {
                if rows.isEmpty { console.out("Stack '\(session.options.stack)' holds nothing yet.\n") }
                for r in rows {
                    var line = "\(r.address)\t\(r.id.isEmpty ? "-" : r.id)\t\(r.status.rawValue)"
                    if r.protect { line += "\tprotected" }
                    if r.retain { line += "\tretained" }
                    console.out(line + "\n")
                }
                return
            }
            guard let r = rows.first(where: { $0.address.description == address }) else {
                let hint = AddressSuggest.suggestion(for: address, in: rows.map(\.address)).map { " (did you mean \($0)?)" } ?? ""
                fail("error: no resource \(address) in stack '\(session.options.stack)'\(hint)")
                return
            }
            var lines = ["\(r.address)", "  id:     \(r.id)", "  status: \(r.status.rawValue)"]
            if r.protect { lines.append("  lifecycle.protect: true") }
            if r.retain { lines.append("  lifecycle.retain: true") }
            if !r.dependencies.isEmpty { lines.append("  depends on: \(r.dependencies.map(\.description).joined(separator: ", "))") }
            lines.append("  inputs:")
            for k in r.inputs.keys.sorted() { lines.append("    \(k) = \(ValueText.render(r.inputs[k]!))") }
            lines.append("  outputs:")
            let sensitive = Set(schemas[r.address.type]?.outputs.filter(\.sensitive).map(\.name) ?? [])
            for k in r.outputs.keys.sorted() {
                lines.append("    \(k) = \(sensitive.contains(k) ? "(sensitive)" : ValueText.render(r.outputs[k]!))")
            }
            console.out(lines.joined(separator: "\n") + "\n")
        } catch {
            fail("error: \(error)")
        }
    }

    private func outputs() {
        do {
            let outputs = try session.outputs()
            console.out(outputs.isEmpty ? "No outputs yet (`return { name = value }` declares them; :apply records them).\n"
                                        : ProgressText.outputs(outputs))
        } catch {
            fail("error: \(error)")
        }
    }

    private func graph(_ format: String) {
        switch format {
        case "", "dot": console.out(GraphText.dot(session.program))
        case "mermaid": console.out(GraphText.mermaid(session.program))
        default: fail("error: :graph takes dot or mermaid, not '\(format)'")
        }
    }

    private func loadCommand(_ path: String) {
        guard !path.isEmpty else {
            fail("error: :load needs a file, e.g. :load infra.lua")
            return
        }
        do {
            let before = session.program.declarations.count
            let names = try load(file: path)
            var text = "Loaded \(path): \(session.program.declarations.count - before) resource(s) declared"
            if !names.isEmpty { text += "; globals now: \(names.joined(separator: ", "))" }
            console.out(text + ".\n")
        } catch let e as LuaError {
            fail(e.message)
        } catch {
            fail("error: \(error)")
        }
    }

}

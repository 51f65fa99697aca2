// state and output: inspect and repair state without running a script.

import ArgumentParser
import Foundation
import ScwCore
import ScwEngine
import ScwLua
import ScwRender

struct StateLocation: ParsableArguments {
    @Option(name: .long, help: "Stack name.") var stack = "default"
    @Option(name: .customLong("state-dir"), help: "Where local state lives.") var stateDir = ".scwlua"
    @Option(name: .long, help: ArgumentHelp("Remote state: s3://BUCKET/PREFIX[?region=REGION], or local "
                                            + "(default: $SCWLUA_BACKEND, else scwlua.json beside the state dir, else local).",
                                            valueName: "backend"))
    var backend: String?
    @Option(name: .long, help: "Scaleway config profile, for remote state.") var profile: String?
    @Option(name: .long, help: "A Scaleway-compatible endpoint (e.g. a running `scwlua emulator`), for remote state.") var endpoint: String?

    /// The state these options name.
    func access() throws -> StateAccess {
        try StateAccess(stateDirectory: stateDir, backend: backend, profile: profile, endpoint: endpoint)
    }
}

struct OutputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "output", abstract: "Print the stack's outputs as last applied.")

    @Argument(help: "One output's name.") var name: String?
    @OptionGroup var location: StateLocation
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: ArgumentHelp("Print that one output's value as it is, a secret's plaintext included (no quotes, no added newline; a list or table as JSON).",
                                          discussion: "For kubeconfigs, generated passwords and API keys: `scwlua output kubeconfig --raw > kubeconfig`."))
    var raw = false

    func validate() throws {
        if raw && name == nil { throw ValidationError("--raw prints one output: give its name (scwlua output NAME --raw)") }
        if raw && json { throw ValidationError("--raw and --json do not go together: --json never shows a secret") }
    }

    func run() async throws {
        try await runReporting {
            let access = try location.access()
            if raw, let name {
                guard let value = try access.revealedOutput(stack: location.stack, name: name) else {
                    let names = Array(try access.outputs(stack: location.stack).keys)
                    let hint = Suggest.closest(to: name, in: names).map { "did you mean '\($0)'?" }
                    throw Diagnostic("no output named '\(name)'", hint: hint ?? "outputs: \(names.sorted().joined(separator: ", "))")
                }
                Terminal.out(RawOutput.text(value))
                return
            }
            let outputs = try access.outputs(stack: location.stack)
            if let name {
                guard let v = outputs[name] else {
                    let hint = Suggest.closest(to: name, in: Array(outputs.keys)).map { "did you mean '\($0)'?" }
                    throw Diagnostic("no output named '\(name)'", hint: hint ?? "outputs: \(outputs.keys.sorted().joined(separator: ", "))")
                }
                if raw {   // asked for by name: the one place a sensitive value is printed
                    let plain = v.revealed
                    Terminal.out((plain.stringValue ?? JSON.encode(plain)) + "\n")
                    return
                }
                Terminal.out((json ? JSON.encode(PlanJSON.marker(v)) : (v.stringValue.map { v.isSensitive ? "(sensitive)" : $0 } ?? ValueText.render(v))) + "\n")
            } else if json {
                Terminal.out(JSON.encode(.map(outputs.mapValues(PlanJSON.marker)), pretty: true) + "\n")
            } else {
                Terminal.out(ProgressText.outputs(outputs))
            }
        }
    }
}

/// How `output NAME --raw` prints a value: a string as it is, a number or boolean as its
/// text, anything else as compact JSON.
enum RawOutput {
    static func text(_ value: Value) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        default: return JSON.encode(value)
        }
    }
}

struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state", abstract: "Inspect and repair state.",
        subcommands: [List.self, Show.self, Export.self, Unlock.self, Remove.self, Move.self, History.self, StateMigrateCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One line per resource: address, id, status.")
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                for r in try location.access().resources(stack: location.stack) {
                    Terminal.out("\(r.address)\t\(r.id.isEmpty ? "-" : r.id)\t\(r.status.rawValue)\(r.protect ? "\tprotected" : "")\(r.retain ? "\tretained" : "")\n")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Everything state holds about one resource.")
        @Argument(help: "Type/name, e.g. Vpc/main") var address: String
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                let rows = try location.access().resources(stack: location.stack)
                guard let r = rows.first(where: { $0.address.description == address }) else {
                    let hint = AddressSuggest.suggestion(for: address, in: rows.map(\.address)).map { "did you mean '\($0)'?" }
                    throw Diagnostic("no resource \(address) in stack '\(location.stack)'", hint: hint)
                }
                var lines = ["\(r.address)", "  id:     \(r.id)", "  status: \(r.status.rawValue)"]
                if r.protect { lines.append("  lifecycle.protect: true") }
                if r.retain { lines.append("  lifecycle.retain: true") }
                if !r.dependencies.isEmpty { lines.append("  depends on: \(r.dependencies.map(\.description).joined(separator: ", "))") }
                lines.append("  inputs:")
                for k in r.inputs.keys.sorted() { lines.append("    \(k) = \(ValueText.render(r.inputs[k]!))") }
                lines.append("  outputs:")
                for k in r.outputs.keys.sorted() { lines.append("    \(k) = \(ValueText.render(r.outputs[k]!))") }
                Terminal.out(lines.joined(separator: "\n") + "\n")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stack's state as JSON (secrets hidden).")
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting { Terminal.out(try location.access().export(stack: location.stack)) }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Clear a stale lock.")
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                if let lock = try location.access().forceUnlock(stack: location.stack) {
                    Terminal.out("Cleared the lock held by \(lock)\(LockAge.text(lock.acquiredAt).map { ", taken \($0) ago" } ?? "").\n")
                } else {
                    Terminal.out("Stack '\(location.stack)' was not locked.\n")
                }
            }
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mv", abstract: "Rename a resource in state (nothing in the cloud changes).")
        @Argument(help: "The old address, Type/name") var from: String
        @Argument(help: "The new address, Type/name") var to: String
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                guard let old = ResourceAddress(parsing: from) else { throw Diagnostic("'\(from)' is not Type/name") }
                guard let new = ResourceAddress(parsing: to) else { throw Diagnostic("'\(to)' is not Type/name") }
                try location.access().move(stack: location.stack, from: old, to: new)
                Terminal.out("Moved \(old) to \(new) in state; rename it in the script too.\n")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a resource (it stays in the cloud).")
        @Argument(help: "Type/name") var address: String
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                let access = try location.access()
                let rows = try access.resources(stack: location.stack)
                let hint = AddressSuggest.suggestion(for: address, in: rows.map(\.address)).map { "did you mean '\($0)'?" }
                guard let addr = ResourceAddress(parsing: address) else { throw Diagnostic("'\(address)' is not Type/name", hint: hint) }
                guard let row = rows.first(where: { $0.address == addr }) else {
                    throw Diagnostic("no resource \(address) in stack '\(location.stack)'", hint: hint)
                }
                if row.status != .created {
                    // Its create or delete was interrupted: what the cloud holds is known only by its tags.
                    Terminal.err("warning: \(address) was left \(row.status.rawValue) by an interrupted run: whatever that run made is no longer tracked. "
                                 + "Look for cloud resources tagged scwlua:stack=\(location.stack) and scwlua:urn=\(addr) "
                                 + "(a deploy or destroy would have found and finished or deleted them).\n")
                }
                try access.remove(stack: location.stack, address: addr)
                Terminal.out("Removed \(address) from state; it still exists in the cloud.\n")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Past deploys and destroys.")
        @OptionGroup var location: StateLocation
        func run() async throws {
            try await runReporting {
                for h in try location.access().history(stack: location.stack) {
                    Terminal.out("#\(h.id)\t\(h.startedAt)\t\(h.command)\t\(h.result ?? "interrupted")\t\(h.summary ?? "")\n")
                }
            }
        }
    }
}

/// How long ago a lock was taken, from its RFC 3339 time: `3h 12m`, nil when unreadable.
enum LockAge {
    static func text(_ acquiredAt: String, now: Date = Date()) -> String? {
        guard let then = ISO8601DateFormatter().date(from: acquiredAt) else { return nil }
        let s = max(0, Int(now.timeIntervalSince(then)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }
}

// CommonOptions: the flags every stack command shares, and turning them into a StackSession.

import ArgumentParser
import Foundation
import ScwEmulator
import ScwCore
import ScwLua

struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: "Scaleway config profile (overrides SCW_PROFILE and active_profile).")
    var profile: String?

    @Flag(name: .long, help: "Use a local emulator (in-process, its cloud kept in .scwlua/emulator.json): no account needed.")
    var local = false

    @Option(name: .long, help: "Use the Scaleway-compatible API at this URL (e.g. a running `scwlua emulator`).")
    var endpoint: String?

    @Flag(name: .long, help: "Print one line per API call (method, path, status; never secrets).")
    var debug = false
}

struct StackOptionsGroup: ParsableArguments {
    @Option(name: .long, help: "Stack name: one script can be deployed as several stacks.")
    var stack = "default"

    @Flag(name: .customLong("adopt-stack"), help: "Take over a stack last deployed from another script (its resources this script lacks are deleted).")
    var adoptStack = false

    @Option(name: .customLong("state-dir"), help: "Where state lives (default: .scwlua beside the script).")
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("Where state lives: s3://BUCKET/PREFIX[?region=REGION] (Object Storage, shared) or local "
                                            + "(default: $SCWLUA_BACKEND, else scwlua.json beside the script, else local).",
                                            valueName: "backend"))
    var backend: String?

    @Option(name: .long, parsing: .unconditional, help: "How many resources are worked on at once (1 to 1000).")   // `-3` is a value, to be refused
    var parallelism = 10

    @Option(name: .customLong("var"), help: ArgumentHelp("A value the script reads as scaleway.vars.NAME, a string (repeatable).", valueName: "name=value"))
    var vars: [String] = []

    func validate() throws {
        guard StackOptions.parallelismRange.contains(parallelism) else {
            throw ValidationError("--parallelism must be a whole number from 1 to 1000, got \(parallelism)")
        }
    }

    /// `--backend`, checked now and handed to the session as SCWLUA_BACKEND (which the
    /// session prefers to scwlua.json).
    func applyBackend(to options: inout StackOptions) throws {
        guard let backend else { return }
        _ = try StateBackend(parsing: backend)
        options.environment[StateBackend.environmentVariable] = backend
    }

    /// `--var` values, as strings: `01234` stays `"01234"`; a script that wants a number or a
    /// boolean asks with `scw.var(name, "number")`.
    func variables() throws -> [String: Value] { try VarOptions.parse(vars) }
}

/// `--var name=value` (also on `scwlua FILE.lua`).
struct VarOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("A value the script reads as scaleway.vars.NAME, a string (repeatable).", valueName: "name=value"))
    var vars: [String] = []

    static func parse(_ items: [String]) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw Diagnostic("--var expects name=value, got '\(item)'")
            }
            out[String(item[..<eq])] = .string(String(item[item.index(after: eq)...]))
        }
        return out
    }
}

/// Opens a session for a script, starting the in-process emulator for `--local`.
final class SessionFactory {
    private(set) var emulator: Emulator?

    /// `readOnly`: the command only plans; local state is read, never created or written.
    func open(script: String, target: TargetOptions, stack: StackOptionsGroup, trust: TrustOptions, readOnly: Bool = false) throws -> StackSession {
        try StackOptions.checkScript(script)   // before `--local` makes a state folder beside it
        var options = StackOptions(scriptPath: script, stack: stack.stack, stateDirectory: stack.stateDir, parallelism: stack.parallelism,
                                   variables: try stack.variables())
        options.readOnlyState = readOnly
        options.adoptStack = stack.adoptStack
        options.permissions = try trust.permissions(scriptDirectory: TrustOptions.folder(of: script))
        if target.local {
            let emulator = try LocalEmulator.start(stateDirectory: options.stateDirectory)
            self.emulator = emulator
            options.target = .emulator(baseURL: emulator.baseURL)
        } else if let endpoint = target.endpoint {
            options.target = .emulator(baseURL: endpoint)
        } else {
            options.target = .cloud(profile: target.profile)
        }
        if target.debug { options.apiLog = { Terminal.err("api: " + $0) } }
        try stack.applyBackend(to: &options)
        let session = try StackSession(options: options)
        SecretRedaction.remember(session.program)
        return session
    }

    deinit { emulator?.stop() }
}

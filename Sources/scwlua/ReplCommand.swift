// repl: an interactive Lua session over a stack (libedit at a terminal, plain lines from a
// pipe): evaluate, inspect handles, :plan, :apply.

import ArgumentParser
import Foundation
import ScwEmulator
import ScwCore
import ScwLua
import ScwRepl

struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "An interactive Lua session over a stack: declare, inspect, :plan, :apply.",
        discussion: "History is kept in $SCWLUA_HISTORY (default ~/.scwlua_history). Through a pipe, lines are read "
            + "without prompts and :apply refuses to write unless --yes is given (or :apply! is used).")

    @Argument(help: "A script to load first; its top-level locals become globals.") var script: String?
    @OptionGroup var target: TargetOptions
    @OptionGroup var stack: StackOptionsGroup
    @OptionGroup var trust: TrustOptions
    @Flag(name: .shortAndLong, help: "Apply and destroy without asking (also through a pipe).") var yes = false

    func run() async throws {
        var failed = false
        try await runReporting {
            var options = StackOptions(scriptPath: script, stack: stack.stack, stateDirectory: stack.stateDir,
                                       parallelism: stack.parallelism, variables: try stack.variables())
            try stack.applyBackend(to: &options)
            let folder = script.map(TrustOptions.folder(of:)) ?? "."
            options.permissions = try trust.permissions(scriptDirectory: folder)
            options.scriptDirectory = folder
            if let script {
                // The REPL loads the script itself (to keep its locals), after the session is up;
                // what the session would take from the script's folder is set here.
                guard FileManager.default.fileExists(atPath: script) else { throw Diagnostic("no such script: \(script)") }
                let dir = (script as NSString).deletingLastPathComponent
                options.libraryPaths.insert(dir.isEmpty ? "." : dir, at: 0)
                if (options.environment[StateBackend.environmentVariable] ?? "").isEmpty,
                   let backend = try StateBackend.projectFile(in: dir.isEmpty ? "." : dir) {
                    options.environment[StateBackend.environmentVariable] = backend.description
                }
                options.scriptPath = nil
            }
            var emulator: Emulator?
            defer { emulator?.stop() }
            if target.local {
                let started = try LocalEmulator.start(stateDirectory: options.stateDirectory)
                emulator = started
                options.target = .emulator(baseURL: started.baseURL)
            } else if let endpoint = target.endpoint {
                options.target = .emulator(baseURL: endpoint)
            } else {
                options.target = .cloud(profile: target.profile)
            }
            if target.debug { options.apiLog = { Terminal.err("api: " + $0) } }
            let session = try StackSession(options: options)

            let editor = Terminal.stdinIsTTY ? LineEditor(historyPath: LineEditor.defaultHistoryPath()) : nil
            let replOptions = ReplOptions(interactive: Terminal.stdinIsTTY, assumeYes: yes, color: Terminal.style.color,
                                          width: editor?.columns ?? 80)
            let repl = try Repl(session: session, options: replOptions, console: editor.map(ReplConsole.terminal) ?? .standard())
            if let script {
                do {
                    let names = try repl.load(file: script)
                    if editor != nil, !names.isEmpty { Terminal.err("Loaded \(script); globals: \(names.joined(separator: ", ")).") }
                } catch {
                    repl.fail(String(describing: error))
                }
            }
            if let editor {
                await ReplDriver.runTerminal(repl, editor: editor)
            } else {
                await ReplDriver.runPlain(repl, prompts: Terminal.stdinIsTTY)
                failed = repl.failures > 0
            }
        }
        if failed { throw ExitCode.failure }
    }
}

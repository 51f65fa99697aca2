// ReplConsole: where the REPL writes its output and errors and how it asks a question, so the
// engine runs the same in a terminal, through a pipe, and inside tests.

import Foundation

/// The REPL's connection to the outside: three closures, safe to call from any thread.
public struct ReplConsole: Sendable {
    /// Writes normal output (results, plans, progress).
    public var out: @Sendable (String) -> Void
    /// Writes error messages.
    public var err: @Sendable (String) -> Void
    /// Asks a question and returns the answer line, or nil when there is no one to ask.
    public var ask: @Sendable (String) -> String?

    /// A console made of the given closures.
    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                ask: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.out = out
        self.err = err
        self.ask = ask
    }

    /// The process's stdout and stderr; C stdio (Lua's `io.write`) is flushed first so the
    /// order of everything printed is kept. `ask` is nil-returning: set it for a terminal.
    public static func standard() -> ReplConsole {
        ReplConsole(out: { text in
            fflush(nil)
            FileHandle.standardOutput.write(Data(text.utf8))
        }, err: { text in
            fflush(nil)
            FileHandle.standardError.write(Data(text.utf8))
        })
    }
}

/// What a REPL session may do without asking, and how it looks.
public struct ReplOptions: Sendable {
    /// A person is typing at a terminal: prompts are shown and `:apply` asks before writing.
    public var interactive: Bool
    /// `--yes`: `:apply` and `:destroy` write without asking (also through a pipe).
    public var assumeYes: Bool
    /// ANSI colour in plans and progress lines.
    public var color: Bool
    /// Width used to decide when a table fits on one line.
    public var width: Int

    /// - Parameters:
    ///   - interactive: true at a terminal.
    ///   - assumeYes: apply without asking (`--yes`).
    ///   - color: colour plans and progress.
    ///   - width: the line width for pretty-printing.
    public init(interactive: Bool = false, assumeYes: Bool = false, color: Bool = false, width: Int = 80) {
        self.interactive = interactive
        self.assumeYes = assumeYes
        self.color = color
        self.width = width
    }
}

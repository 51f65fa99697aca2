// ReplDriver: the read-evaluate loops: at a terminal through libedit (prompts, completion,
// history), or from a pipe (plain lines, no prompts).

import Foundation

/// Feeds a `Repl` until `:quit` or the end of input.
public enum ReplDriver {
    /// The terminal loop: banner, prompts, TAB completion, history; Ctrl-C drops the line
    /// being typed, Ctrl-D leaves.
    public static func runTerminal(_ repl: Repl, editor: LineEditor) async {
        editor.completer = { [unowned repl] before in repl.complete(before) }
        repl.console.out(repl.banner)
        if let note = repl.stateNote() { repl.console.err(note) }
        while true {
            switch editor.readLine(prompt: repl.prompt) {
            case .end:
                repl.console.out("\n")
                return
            case .interrupted:
                repl.cancelInput()
                repl.console.out("\n")
            case .line(let line):
                if keepsInHistory(line) { editor.remember(line) }
                if await repl.feed(line) == .quit { return }
            }
        }
    }

    /// False for a line that hands a literal to `secret(...)`: the history file is plain
    /// text, and a secret must not land there.
    public static func keepsInHistory(_ line: String) -> Bool {
        guard let range = line.range(of: "secret", options: .caseInsensitive) else { return true }
        let after = line[range.upperBound...]
        return !(after.contains("\"") || after.contains("'") || after.contains("[["))
    }

    /// The plain loop: lines from `read` (stdin by default), no prompt and no banner unless
    /// `prompts` is set; an unfinished chunk at the end of input is an error.
    public static func runPlain(_ repl: Repl, prompts: Bool = false,
                                read: () -> String? = { Swift.readLine(strippingNewline: true) }) async {
        if prompts { repl.console.out(repl.banner) }
        if let note = repl.stateNote() { repl.console.err(note) }
        while true {
            if prompts { repl.console.out(repl.prompt) }
            guard let line = read() else { break }
            if await repl.feed(line) == .quit { return }
        }
        if repl.isContinuing {
            repl.cancelInput()
            repl.fail("error: the input ended inside an unfinished statement")
        }
    }
}

extension ReplConsole {
    /// Standard output and error, asking questions through the line editor.
    public static func terminal(_ editor: LineEditor) -> ReplConsole {
        var console = ReplConsole.standard()
        console.ask = { question in
            if case .line(let answer) = editor.readLine(prompt: question) { return answer }
            return nil
        }
        return console
    }
}

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
        var chunk = HistoryChunk()
        while true {
            switch editor.readLine(prompt: repl.prompt) {
            case .end:
                repl.console.out("\n")
                return
            case .interrupted:
                repl.cancelInput()
                chunk = HistoryChunk()
                repl.console.out("\n")
            case .line(let line):
                if chunk.lines.isEmpty { chunk.secretsBefore = repl.session.secretsMade }
                chunk.lines.append(line)
                let step = await repl.feed(line)
                if step == .more { continue }
                // The chunk has run (or failed): keep it only if it made no secret (a :command
                // holds no literal; what it runs, such as :load, may make secrets of its own).
                let isCommand = chunk.lines.count == 1 && line.trimmingCharacters(in: .whitespaces).hasPrefix(":")
                let madeSecret = repl.session.secretsMade != chunk.secretsBefore
                if isCommand || (!madeSecret && keepsInHistory(chunk.lines.joined(separator: "\n"))) {
                    for l in chunk.lines { editor.remember(l) }
                }
                chunk = HistoryChunk()
                if step == .quit { return }
            }
        }
    }

    /// The lines of the chunk being typed, held back from history until it has run.
    private struct HistoryChunk {
        var lines: [String] = []
        var secretsBefore = 0
    }

    /// False for code that hands a literal to `secret(...)`: the history file is plain
    /// text, and a secret must not land there. The terminal loop also leaves out any chunk
    /// that made a secret when it ran; this catches the ones that did not run (a syntax error).
    public static func keepsInHistory(_ code: String) -> Bool {
        guard let range = code.range(of: "secret", options: .caseInsensitive) else { return true }
        let after = code[range.upperBound...]
        let longString = after.range(of: #"\[=*\["#, options: .regularExpression) != nil
        return !(after.contains("\"") || after.contains("'") || longString)
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

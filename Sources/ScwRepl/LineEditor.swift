// LineEditor: libedit line editing for the REPL: prompts, emacs keys, TAB completion with
// a candidate list, Ctrl-C to drop a line, history kept in a file across sessions.

import CEdit
import Foundation

/// A line editor on the terminal (stdin/stdout), or nil when stdin is not a terminal.
public final class LineEditor: @unchecked Sendable {
    /// What one read gave.
    public enum Read: Sendable, Equatable {
        case line(String)
        /// Ctrl-C: the line being typed was dropped.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case end
    }

    private let editor: OpaquePointer
    /// Where history is loaded from and saved to after every line (nil: not kept).
    public let historyPath: String?
    /// Gives completions for the text before the cursor (TAB).
    public var completer: ((String) -> ReplCompletion)?

    /// Starts libedit on the terminal and loads the history file when there is one.
    /// Returns nil when stdin is not a terminal.
    public init?(program: String = "scwlua", historyPath: String?, historySize: Int = 1000) {
        guard let editor = cedit_new(program, Int32(historySize)) else { return nil }
        self.editor = editor
        self.historyPath = historyPath
        if let historyPath, FileManager.default.fileExists(atPath: historyPath) {
            _ = cedit_history_load(editor, historyPath)
        }
        let hook: cedit_complete_fn = { _, context, before in
            guard let context, let before else { return Int32(CEDIT_BEEP) }
            return Unmanaged<LineEditor>.fromOpaque(context).takeUnretainedValue().completeKey(String(cString: before))
        }
        cedit_set_completer(editor, hook, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { cedit_free(editor) }

    /// The default history file: `$SCWLUA_HISTORY` (empty: none), else `~/.scwlua_history`.
    public static func defaultHistoryPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["SCWLUA_HISTORY"] { return path.isEmpty ? nil : path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".scwlua_history")
    }

    /// The terminal's width in columns.
    public var columns: Int { Int(cedit_columns(editor)) }

    /// Reads one line with `prompt` (not put in the history: see `remember`).
    public func readLine(prompt: String) -> Read {
        cedit_set_prompt(editor, prompt)
        var interrupted: Int32 = 0
        guard let text = cedit_gets(editor, &interrupted) else { return .end }
        if interrupted != 0 { return .interrupted }
        return .line(String(cString: text))
    }

    /// Adds a line to the history (Up recalls it) and saves the history file.
    public func remember(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        cedit_history_add(editor, line)
        if let historyPath { _ = cedit_history_save(editor, historyPath) }
    }

    /// TAB: insert what all candidates share; when that is nothing and there are several,
    /// list them under the line and redraw it.
    private func completeKey(_ before: String) -> Int32 {
        guard let completion = completer?(before), !completion.candidates.isEmpty else { return Int32(CEDIT_BEEP) }
        let insertion = completion.insertion
        if !insertion.isEmpty {
            return cedit_insert(editor, insertion) == 0 ? Int32(CEDIT_REFRESH) : Int32(CEDIT_BEEP)
        }
        if completion.candidates.count == 1 { return Int32(CEDIT_REFRESH) }
        fflush(nil)
        FileHandle.standardOutput.write(Data(("\n" + Self.columns(completion.candidates, width: columns)).utf8))
        return Int32(CEDIT_REDISPLAY)
    }

    /// Names in columns (top to bottom, then left to right) fitting `width`.
    static func columns(_ names: [String], width: Int) -> String {
        let cell = (names.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / cell)
        let rows = (names.count + perRow - 1) / perRow
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<perRow {
                let index = column * rows + row
                guard index < names.count else { break }
                let name = names[index]
                line += name + String(repeating: " ", count: cell - name.count)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}

// ReplInput: gathers typed lines into a complete Lua chunk the way `lua5.4` does: a line that
// reads as an expression is one; an unfinished statement (error ending in <eof>) asks for more.

/// What compiling a piece of code said.
enum CompileCheck: Equatable, Sendable {
    case ok
    /// The code stops before its end (`for i = 1, 3 do`): more lines may finish it.
    case incomplete(String)
    case failed(String)

    /// Sorts a Lua syntax error: an incomplete chunk's message ends with `<eof>`.
    static func from(syntaxError message: String) -> CompileCheck {
        message.hasSuffix("<eof>") ? .incomplete(message) : .failed(message)
    }
}

/// The lines of the chunk being typed.
struct ReplInput: Sendable {
    /// What to do once a line was added.
    enum Outcome: Equatable, Sendable {
        /// Nothing to run (an empty line).
        case empty
        /// The chunk is unfinished: show the continuation prompt and read on.
        case needMore
        /// Run `code` as an expression and print its values (`return` is added by the runner).
        case expression(String)
        /// Run `code` as a statement (its `return` values, if any, are printed).
        case statement(String)
        /// The chunk cannot compile; the message is Lua's.
        case syntaxError(String)
    }

    private(set) var lines: [String] = []
    /// The first line started with `=`: the chunk is an expression, never a statement.
    private var forcedExpression = false

    /// True while a chunk is unfinished.
    var isContinuing: Bool { !lines.isEmpty }

    /// Drops the unfinished chunk.
    mutating func reset() {
        lines = []
        forcedExpression = false
    }

    /// Adds a line and decides. `check` compiles a piece of code without running it.
    mutating func add(_ line: String, check: (String) -> CompileCheck) -> Outcome {
        if lines.isEmpty {
            if line.allSatisfy(\.isWhitespace) { return .empty }
            if line.hasPrefix("=") {
                forcedExpression = true
                lines = [String(line.dropFirst())]
            } else {
                lines = [line]
            }
        } else {
            lines.append(line)
        }
        let code = lines.joined(separator: "\n")
        let asExpression = check("return " + code)
        if asExpression == .ok {
            reset()
            return .expression(code)
        }
        let asStatement = forcedExpression ? asExpression : check(code)
        if asStatement == .ok {
            reset()
            return .statement(code)
        }
        if case .incomplete = asStatement { return .needMore }
        if case .incomplete = asExpression { return .needMore }
        reset()
        if case .failed(let message) = asStatement { return .syntaxError(message) }
        return .syntaxError("syntax error")
    }
}

// Terminal: what the CLI needs to know about where it prints and reads.

import Foundation
import ScwRender

enum Terminal {
    static var stdinIsTTY: Bool { isatty(0) == 1 }
    static var stdoutIsTTY: Bool { isatty(1) == 1 }

    /// Colour only on a terminal, and never with NO_COLOR set.
    static var style: Style {
        Style(color: stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(SecretRedaction.apply(text).utf8))
    }

    static func err(_ text: String) {
        let text = SecretRedaction.apply(text)
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Asks for "yes" on the terminal; false for anything else or end of input.
    static func confirm(_ question: String) -> Bool {
        out(question + " Only 'yes' is accepted: ")
        guard let line = readLine() else { return false }
        return line.trimmingCharacters(in: .whitespaces) == "yes"
    }
}

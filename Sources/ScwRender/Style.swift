// Style: colour for terminals, nothing elsewhere (NO_COLOR respected by the caller).

import ScwEngine

public struct Style: Sendable {
    public var color: Bool
    public init(color: Bool) { self.color = color }

    public func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func green(_ t: String) -> String { paint(t, "32") }
    public func yellow(_ t: String) -> String { paint(t, "33") }
    public func red(_ t: String) -> String { paint(t, "31") }
    public func cyan(_ t: String) -> String { paint(t, "36") }
    public func bold(_ t: String) -> String { paint(t, "1") }
    public func dim(_ t: String) -> String { paint(t, "2") }

    public func action(_ action: Action, _ text: String) -> String {
        switch action {
        case .create: return green(text)
        case .update, .stateOnly, .forget: return yellow(text)
        case .replace, .createThenDelete: return yellow(text)
        case .delete: return red(text)
        case .noop: return text
        case .importing, .read: return cyan(text)
        }
    }
}

// Small helpers for Swift functions checking their arguments, with Lua's own wording
// ("bad argument #1 to 'Vpc' (string expected, got nil)").

extension Array where Element == LuaValue {
    /// The argument at 1-based `position`, `.nil` when it was not passed (as Lua sees it).
    public func argument(_ position: Int) -> LuaValue {
        position >= 1 && position <= count ? self[position - 1] : .nil
    }
}

extension LuaRaise {
    /// `bad argument #position to 'function' (problem)`, raised at the caller's line.
    public static func badArgument(_ position: Int, to function: String, _ problem: String) -> LuaRaise {
        LuaRaise("bad argument #\(position) to '\(function)' (\(problem))")
    }

    /// `bad argument #position to 'function' (expected expected, got type)`.
    public static func typeError(_ position: Int, to function: String, expected: String, got: LuaValue) -> LuaRaise {
        badArgument(position, to: function, "\(expected) expected, got \(got.typeName)")
    }
}

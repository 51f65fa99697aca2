// EmbeddedStdlib: the shipped Lua library (lua-stdlib/, compiled in as StdlibSources) served by
// `require` wherever the binary or the module is copied. Its searcher comes last: the folders on
// package.path (SCWLUA_LUA_PATH, the script's folder, an installed lua-stdlib) are searched first.

import LuaHost

public enum EmbeddedStdlib {
    /// The module names it serves (`cidr`, `json`, ...).
    public static var moduleNames: [String] { StdlibSources.modules.keys.sorted() }

    /// A module's source, as in lua-stdlib/NAME.lua.
    public static func source(of name: String) -> String? { StdlibSources.modules[name] }

    /// Appends the searcher to `package.searchers` of `lua` (after any sandbox was installed:
    /// the sandbox replaces the searchers it finds, and this one reads no file).
    static func install(in lua: LuaState) throws {
        var fields: [String: LuaValue] = [:]
        for (name, text) in StdlibSources.modules { fields[name] = .string(text) }
        _ = try lua.call(try lua.load(searcher, chunkName: "=stdlib"), [.table(LuaTable(fields: fields))])
    }

    private static let searcher = """
        local sources, load, searchers = ..., load, package.searchers
        searchers[#searchers + 1] = function(name)
          local text = sources[name]
          if text == nil then return "no module '" .. name .. "' in the library built into scwlua" end
          local f, err = load(text, "=" .. name .. ".lua (built into scwlua)", "t")
          if not f then error(err, 0) end
          return f, ":scwlua:" .. name
        end
        """
}

// ScriptSandbox: narrows a Lua state's standard library for scripts that are not trusted
// (ScriptPermissions). What is refused raises a located error (`infra.lua:3: ...`) that names
// the flag allowing it. The Lua half replaces functions in place, keeping the originals as
// upvalues that scripts cannot reach (the debug library they get has no upvalue, local,
// hook or registry access); the Swift half resolves paths (ReadableFolders.swift).

import Foundation
import LuaHost
import ScwCore

enum ScriptSandbox {
    /// Installs the sandbox in `lua`. Returns the unrestricted `debug` table, for the host's
    /// own Lua (the REPL's completion and `:load`), never for scripts.
    ///
    /// - Parameters:
    ///   - scriptDirectory: files below it may be read.
    ///   - shippedDirectories: folders of the library shipped with the tool (lua-stdlib): a
    ///     refusal met inside them is reported at the script line that called them.
    static func install(in lua: LuaState, permissions: ScriptPermissions, scriptDirectory: String,
                        shippedDirectories: [String]) throws -> LuaValue {
        let folders = ReadableFolders(scriptDirectory: scriptDirectory, allowed: permissions.readableDirectories,
                                      codeDirectories: packagePathFolders(lua))
        let check: LuaFunction = { _, args in
            guard let path = args.first?.stringValue else { return [.boolean(false), .string("?"), .string("/")] }
            let verdict = folders.check(path, code: args.count > 1 && args[1].isTruthy)
            if verdict.allowed { return [.boolean(true)] }
            return [.boolean(false), .string(verdict.resolved), .string(ReadableFolders.folderToAllow(verdict.resolved))]
        }
        let roots = folders.readRoots.joined(separator: ", ")
        let env = LuaTable(fields: Dictionary(permissions.environmentVariables.map { ($0, LuaValue.boolean(true)) },
                                              uniquingKeysWith: { a, _ in a }))
        let shipped = LuaTable(array: shippedDirectories.map { .string(ReadableFolders.canonical($0)) }
                                      + shippedDirectories.map { .string($0) })
        lua.setGlobal("__scw_sandbox_check", function: check)
        let install = try lua.load(source, chunkName: "=sandbox")
        let results = try lua.call(install, [.table(env), .table(shipped), .string(roots), .string(ScriptPermissions.variablePrefix)])
        return results.first ?? .nil
    }

    /// The absolute folders of `package.path` (the shipped library, the script's folder,
    /// system Lua modules), where `require` may still load Lua modules from.
    private static func packagePathFolders(_ lua: LuaState) -> [String] {
        guard let path = lua.global("package")["path"].stringValue else { return [] }
        return path.split(separator: ";").compactMap { template in
            guard let q = template.firstIndex(of: "?") else { return nil }
            var dir = String(template[..<q])
            while dir.hasSuffix("/") { dir.removeLast() }
            return dir.hasPrefix("/") ? dir : nil   // "./?.lua" is the working directory: not trusted
        }
    }

    static let source = #"""
local allowed_env, shipped, roots, var_prefix = ...
local check = __scw_sandbox_check
__scw_sandbox_check = nil

local type, error, select, tostring, ipairs, pairs, rawset = type, error, select, tostring, ipairs, pairs, rawset
local sfmt, sfind, ssub, sgsub = string.format, string.find, string.sub, string.gsub
local getinfo = debug.getinfo
local full_debug = debug
local open, lines, input, output = io.open, io.lines, io.input, io.output
local loadfile0, load0, getenv0, searchpath = loadfile, load, os.getenv, package.searchpath
local package, searchers, loaded = package, package.searchers, package.loaded

-- The frame to blame: the first Lua frame that is neither host code (this sandbox, the
-- scaleway prelude) nor the shipped library.
local function blamed(src)
  if src == "=sandbox" or src == "=scaleway" then return false end
  if ssub(src, 1, 1) == "@" then
    local path = ssub(src, 2)
    for _, dir in ipairs(shipped) do
      if ssub(path, 1, #dir + 1) == dir .. "/" then return false end
    end
  end
  return true
end

local function where()
  for level = 3, 100 do
    local info = getinfo(level, "Sl")
    if info == nil then break end
    if info.what ~= "C" and blamed(info.source) then
      if info.currentline and info.currentline > 0 then return info.short_src .. ":" .. info.currentline .. ": " end
      return info.short_src .. ": "
    end
  end
  return ""
end

local function refuse(message)
  error(where() .. message, 0)
end

local function denied(name, what)
  return function()
    refuse(sfmt("%s is not allowed in scripts (it %s); pass --allow-exec to trust this script with the full Lua library", name, what))
  end
end

-- Reading ---------------------------------------------------------------------------------

local function readable(path, code)
  if type(path) ~= "string" then refuse("a file path must be a string, got " .. type(path)) end
  local ok, resolved, folder = check(path, code)
  if ok then return end
  refuse(sfmt("reading '%s' is not allowed: scripts read files only below %s; pass --allow-read %s to allow it",
    resolved, roots, folder))
end

local function no_writes(mode)
  if type(mode) == "string" and (sfind(mode, "w", 1, true) or sfind(mode, "a", 1, true) or sfind(mode, "+", 1, true)) then
    refuse(sfmt("io.open in mode '%s' writes a file, which scripts may not do; pass --allow-exec to allow it", mode))
  end
end

io.open = function(path, mode)
  no_writes(mode)
  readable(path)
  return open(path, mode)
end

io.lines = function(path, ...)
  if path ~= nil then readable(path) end
  return lines(path, ...)
end

io.input = function(file)
  if file ~= nil and type(file) ~= "userdata" then readable(file) end
  return input(file)
end

io.output = function(file)
  if file ~= nil and type(file) ~= "userdata" then
    refuse(sfmt("io.output(%s) writes a file, which scripts may not do; pass --allow-exec to allow it",
      type(file) == "string" and ("'" .. file .. "'") or type(file)))
  end
  return output(file)
end

-- Text chunks only: a binary chunk is not checked by Lua and can break out of the VM.
local function text_mode(name, mode)
  if mode ~= nil and (type(mode) ~= "string" or not sfind(mode, "t", 1, true)) then
    refuse(sfmt("%s of a binary chunk is not allowed in scripts; pass --allow-exec to allow it", name))
  end
end

load = function(chunk, chunkname, mode, ...)
  text_mode("load", mode)
  return load0(chunk, chunkname, "t", ...)
end

loadfile = function(path, mode, ...)
  text_mode("loadfile", mode)
  if path ~= nil then readable(path) end
  return loadfile0(path, "t", ...)
end

dofile = function(path)
  if path ~= nil then readable(path) end
  local f, err = loadfile0(path, "t")
  if not f then error(err, 0) end
  return f()
end

-- `require` finds Lua modules on package.path, in folders scripts may read or that held
-- modules when the sandbox was installed; never native code.
local function lua_searcher(name)
  local path, err = searchpath(name, package.path)
  if not path then return err end
  local ok, resolved, folder = check(path, true)
  if not ok then
    return sfmt("module file '%s' is outside the folders scripts may read (pass --allow-read %s to allow it)", resolved, folder)
  end
  local f, lerr = loadfile0(path, "t")
  if not f then error(sfmt("error loading module '%s' from file '%s':\n\t%s", name, path, lerr), 0) end
  return f, path
end
for i = #searchers, 2, -1 do searchers[i] = nil end
searchers[2] = lua_searcher
searchers[3] = function()
  return "native (C) modules are not loaded for scripts (pass --allow-exec to allow them)"
end
package.cpath = ""
package.loadlib = denied("package.loadlib", "loads native code")

-- Processes, files, the environment --------------------------------------------------------

os.execute = denied("os.execute", "runs a program")
io.popen = denied("io.popen", "runs a program")
os.exit = denied("os.exit", "ends the process")
os.remove = denied("os.remove", "deletes files")
os.rename = denied("os.rename", "moves files")
os.tmpname = denied("os.tmpname", "creates a file")
io.tmpfile = denied("io.tmpfile", "creates a file")

-- The locale is the whole process's (number formatting in the host too): it may be read only.
local setlocale0 = os.setlocale
os.setlocale = function(locale, category)
  if locale ~= nil then
    refuse("os.setlocale may only read the locale in scripts (setting it changes the whole process); pass --allow-exec to allow it")
  end
  return setlocale0(nil, category)
end

os.getenv = function(name)
  if type(name) ~= "string" then refuse("os.getenv expects a variable name (a string), got " .. type(name)) end
  if ssub(name, 1, #var_prefix) == var_prefix or allowed_env[name] then return getenv0(name) end
  refuse(sfmt("os.getenv('%s') is not allowed: scripts read only %s* variables; pass --allow-env %s to allow this one",
    (sgsub(name, "[%c']", "?")), var_prefix, (sgsub(name, "[%c']", "?"))))
end

-- debug: only what reports where code is. The rest reaches the upvalues above, locals of
-- other functions, hooks and the registry, where the originals are kept.
local narrow = { getinfo = full_debug.getinfo, traceback = full_debug.traceback }
for name in pairs(full_debug) do
  if narrow[name] == nil then narrow[name] = denied("debug." .. name, "reaches into other functions") end
end
debug = narrow
rawset(loaded, "debug", narrow)

return full_debug
"""#
}

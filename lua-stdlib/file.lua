-- file.lua: reading files relative to the script that asks, like Terraform's file() and path.module.
-- A relative path is resolved from the calling script's folder (not the working directory),
-- so a stack reads its own templates wherever it is run from. Pure Lua 5.4; `require "file"`.

local M = {}

local sfmt = string.format

-- The folder of the Lua script that called the public function at stack level `level` (counted
-- from the caller of caller_dir), or nil when that code was not loaded from a file (a string,
-- the REPL): paths then stay relative to the working directory. C frames in between (pcall, ...)
-- are skipped. The second result tells whether the public function was tail-called
-- (`return file.read(p)`): Lua then forgets its caller, and the folder found is that of the
-- script one call further up, usually the same script.
local function caller_dir(level)
  if type(debug) ~= "table" or type(debug.getinfo) ~= "function" then return nil, false end
  local me = debug.getinfo(level + 1, "t")
  local tail = me and me.istailcall or false
  level = level + 2
  while true do
    local info = debug.getinfo(level, "S")
    if not info then return nil, tail end
    if info.what ~= "C" then
      local src = info.source
      if type(src) ~= "string" or src:sub(1, 1) ~= "@" then return nil, tail end
      local dir = src:sub(2):match("^(.*)/[^/]*$")
      if dir == nil then return nil, tail end          -- "@script.lua": the working directory
      if dir == "" then return "/", tail end
      return dir, tail
    end
    level = level + 1
  end
end

-- Resolves `path` against the folder of the script that called the public function at
-- `level` (counted from the caller of resolve). Returns the path and, when it was resolved
-- through a tail call, a hint for error messages.
local function resolve(path, level)
  if path:sub(1, 1) == "/" then return path end
  if path == "~" or path:sub(1, 2) == "~/" then
    local home = os.getenv("HOME")
    if home then return home .. path:sub(2) end
  end
  local dir, tail = caller_dir(level + 1)
  local hint = tail and " (file.x was called as `return file.x(...)`, a tail call, so Lua no longer"
    .. " knows the calling script and the path was taken from its caller's; write"
    .. " `return (file.x(...))` to keep the caller)" or ""
  path = path:gsub("^%./", "")
  if not dir then return path, hint end
  if dir:sub(-1) == "/" then return dir .. path, hint end
  return dir .. "/" .. path, hint
end

local function check(fname, path)
  if type(path) ~= "string" or path == "" then
    error(sfmt("file.%s: path must be a non-empty string, got %s", fname,
      type(path) == "string" and "''" or type(path)), 3)
  end
end

-- The system's reason without the path io.open puts in front of it.
local function reason(err, resolved)
  err = tostring(err or "unknown error")
  if err:sub(1, #resolved + 2) == resolved .. ": " then return err:sub(#resolved + 3) end
  return err
end

-- Reads a whole file; raises at the caller of the public function (which must not tail-call).
local function read_all(fname, resolved, hint)
  local f, err = io.open(resolved, "rb")
  if not f then
    error(sfmt("file.%s: cannot open '%s': %s%s", fname, resolved, reason(err, resolved),
      (hint or ""):gsub("file%.x", "file." .. fname)), 3)
  end
  local data, rerr = f:read("a")
  f:close()
  if not data then
    error(sfmt("file.%s: cannot read '%s': %s", fname, resolved, reason(rerr, resolved)), 3)
  end
  return data
end

--- Resolves a path the way file.read does, without reading it.
-- @param path string; relative paths are taken from the calling script's folder,
--   "~/..." from $HOME, absolute paths as they are
-- @return string the resolved path
function M.path(path)
  check("path", path)
  return (resolve(path, 1))
end

--- The folder of the calling script (like Terraform's path.module), or "." when the code did
-- not come from a file.
-- @return string
function M.dir()
  return caller_dir(1) or "."
end

--- Reads a whole file (bytes as they are).
-- @param path string, relative to the calling script's folder (see file.path)
-- @return string the contents
function M.read(path)
  check("read", path)
  local resolved, hint = resolve(path, 1)
  local data = read_all("read", resolved, hint)
  return data
end

--- Tells whether a file (or folder) exists and can be opened for reading.
-- @param path string, relative to the calling script's folder (see file.path)
-- @return boolean
function M.exists(path)
  check("exists", path)
  local f = io.open(resolve(path, 1), "rb")
  if f then f:close(); return true end
  return false
end

--- Iterates over the lines of a file, without their line endings ("\n" or "\r\n").
-- The file is read at once and closed before the first line is returned.
-- @param path string, relative to the calling script's folder (see file.path)
-- @return iterator for `for line in file.lines(path) do ... end`
function M.lines(path)
  check("lines", path)
  local resolved, hint = resolve(path, 1)
  local data = read_all("lines", resolved, hint)
  local pos, n = 1, #data
  return function()
    if pos > n then return nil end
    local nl = data:find("\n", pos, true)
    local line
    if nl then
      line = data:sub(pos, nl - 1)
      pos = nl + 1
    else
      line = data:sub(pos)
      pos = n + 1
    end
    if line:sub(-1) == "\r" then line = line:sub(1, -2) end
    return line
  end
end

return M

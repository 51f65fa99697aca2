-- file.lua: reading files relative to the script that asks, like Terraform's file() and path.module.
-- A relative path is resolved from the calling script's folder (not the working directory),
-- so a stack reads its own templates wherever it is run from. Pure Lua 5.4; `require "file"`.

local M = {}

local sfmt = string.format

-- The folder of the Lua script that called the public function `level` levels up, or nil when
-- that code was not loaded from a file (a string, the REPL): paths then stay relative to the
-- working directory. C frames in between (pcall, ...) are skipped.
local function caller_dir(level)
  if type(debug) ~= "table" or type(debug.getinfo) ~= "function" then return nil end
  level = level + 1
  while true do
    local info = debug.getinfo(level, "S")
    if not info then return nil end
    if info.what ~= "C" then
      local src = info.source
      if type(src) ~= "string" or src:sub(1, 1) ~= "@" then return nil end
      local dir = src:sub(2):match("^(.*)/[^/]*$")
      if dir == nil then return nil end                 -- "@script.lua": the working directory
      if dir == "" then return "/" end
      return dir
    end
    level = level + 1
  end
end

-- Resolves `path` against the folder found by caller_dir(level + 1).
local function resolve(path, level)
  if path:sub(1, 1) == "/" then return path end
  if path == "~" or path:sub(1, 2) == "~/" then
    local home = os.getenv("HOME")
    if home then return home .. path:sub(2) end
  end
  local dir = caller_dir(level + 1)
  if not dir then return path end
  path = path:gsub("^%./", "")
  if dir:sub(-1) == "/" then return dir .. path end
  return dir .. "/" .. path
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
local function read_all(fname, resolved)
  local f, err = io.open(resolved, "rb")
  if not f then
    error(sfmt("file.%s: cannot open '%s': %s", fname, resolved, reason(err, resolved)), 3)
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
  return (resolve(path, 2))
end

--- The folder of the calling script (like Terraform's path.module), or "." when the code did
-- not come from a file.
-- @return string
function M.dir()
  return caller_dir(2) or "."
end

--- Reads a whole file (bytes as they are).
-- @param path string, relative to the calling script's folder (see file.path)
-- @return string the contents
function M.read(path)
  check("read", path)
  local data = read_all("read", resolve(path, 2))
  return data
end

--- Tells whether a file (or folder) exists and can be opened for reading.
-- @param path string, relative to the calling script's folder (see file.path)
-- @return boolean
function M.exists(path)
  check("exists", path)
  local f = io.open(resolve(path, 2), "rb")
  if f then f:close(); return true end
  return false
end

--- Iterates over the lines of a file, without their line endings ("\n" or "\r\n").
-- The file is read at once and closed before the first line is returned.
-- @param path string, relative to the calling script's folder (see file.path)
-- @return iterator for `for line in file.lines(path) do ... end`
function M.lines(path)
  check("lines", path)
  local data = read_all("lines", resolve(path, 2))
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

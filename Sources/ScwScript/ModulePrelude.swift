// ModulePrelude: the Lua half of the `scaleway` module. Handles and output references are
// plain Lua tables with metatables, so `..`, indexing and `tostring` work as Lua users
// expect; every decision that needs a schema is made by the Swift functions it calls
// (`__scw_declare`, `__scw_unknown_type`), which raise located errors through the trampoline.

enum ModulePrelude {
    static let source = #"""
local declare, unknown_type, type_names, output_names = __scw_declare, __scw_unknown_type, __scw_type_names, __scw_output_names
__scw_declare, __scw_unknown_type, __scw_type_names, __scw_output_names = nil, nil, nil, nil

local M = {}
local Ref, Handle, Secret = {}, {}, {}
local handles = {}   -- address -> handle, so apply can fill in real values
Ref.__name = "scwlua.ref"
Handle.__name = "scwlua.handle"
Secret.__name = "scwlua.secret"

local function isref(v)
  local mt = getmetatable(v)
  return mt == Ref
end

local function mkref(addr, path)
  return setmetatable({ __scw = "ref", addr = addr, path = path }, Ref)
end

local function concat(a, b)
  local parts = {}
  local function add(x)
    if type(x) == "table" and rawget(x, "__scw") == "concat" then
      for _, p in ipairs(x.parts) do parts[#parts + 1] = p end
    else
      parts[#parts + 1] = x
    end
  end
  add(a); add(b)
  return setmetatable({ __scw = "concat", parts = parts }, Ref)
end

Ref.__concat = concat
-- A secret joined with anything (`..`, template.render) is a derived value holding the secret:
-- the engine resolves it to a secret, so the plaintext reaches the API and nothing else.
Secret.__concat = concat
Secret.__tostring = function() return "(sensitive)" end
Ref.__tostring = function(r)
  if rawget(r, "__scw") == "ref" then return "(known after apply: " .. r.addr .. "." .. table.concat(r.path, ".") .. ")" end
  return "(known after apply)"
end
Ref.__index = function(r, k)
  if k == "map" then
    return function(self, fn)
      if type(fn) ~= "function" then error("ref:map expects a function", 2) end
      return setmetatable({ __scw = "transform", input = self, fn = fn }, Ref)
    end
  end
  if rawget(r, "__scw") ~= "ref" then error("cannot index a derived value (use :map)", 2) end
  local path = {}
  for i, p in ipairs(r.path) do path[i] = p end
  path[#path + 1] = k
  return mkref(r.addr, path)
end

Handle.__index = function(h, k)
  local props = rawget(h, "__props")
  if props[k] ~= nil then return props[k] end
  local outputs = rawget(h, "__outputs")
  if outputs ~= nil and outputs[k] ~= nil then return outputs[k] end
  local kind = output_names(rawget(h, "__type"))[k]
  if kind == "output" then
    if outputs ~= nil then return nil end
    return mkref(rawget(h, "__addr"), { k })
  end
  if kind == "prop" then return nil end  -- a prop the script left unset
  if k == "name" then return rawget(h, "__name") end
  error(rawget(h, "__type") .. " has no prop or output '" .. tostring(k) .. "'", 2)
end
Handle.__newindex = function(h, k)
  error("handles are read-only (tried to set '" .. tostring(k) .. "')", 2)
end
Handle.__tostring = function(h)
  return rawget(h, "__addr")
end
Handle.__concat = function(a, b)
  local function part(x)
    if getmetatable(x) == Handle then return mkref(rawget(x, "__addr"), { "id" }) end
    return x
  end
  return concat(part(a), part(b))
end

local function constructor(type_name)
  local function make(name, props, info)
    if type(name) ~= "string" or name == "" then
      error(type_name .. " needs a name: scaleway." .. type_name .. ' "name" { ... }', 3)
    end
    if props == nil then props = {} end
    if type(props) ~= "table" then error(type_name .. ' "' .. name .. '": props must be a table', 3) end
    local addr = declare(type_name, name, props, info.short_src, info.currentline)
    local h = setmetatable({ __scw = "handle", __type = type_name, __name = name, __addr = addr, __props = props }, Handle)
    handles[addr] = h
    return h
  end
  return function(name, props)
    local info = debug.getinfo(2, "Sl")
    if props == nil then
      return function(p) return make(name, p, info) end
    end
    return make(name, props, info)
  end
end

for _, t in ipairs(type_names()) do M[t] = constructor(t) end

function M.secret(v)
  if v == nil then error("scw.secret: value is nil (is the environment variable set?)", 2) end
  return setmetatable({ __scw = "secret", value = v }, Secret)
end

function M.format(fmt, ...)
  local args = table.pack(...)
  local parts, i, n = {}, 1, 0
  local pending = false
  for text, spec in (fmt .. "%"):gmatch("(.-)%%(.?)") do
    if text ~= "" then parts[#parts + 1] = text end
    if spec == "%" then parts[#parts + 1] = "%"
    elseif spec ~= "" then
      n = n + 1
      local a = args[n]
      if isref(a) then parts[#parts + 1] = a; pending = true
      elseif getmetatable(a) == Handle then parts[#parts + 1] = mkref(rawget(a, "__addr"), { "id" }); pending = true
      else parts[#parts + 1] = string.format("%" .. spec, a) end
    end
  end
  if not pending then return table.concat(parts) end
  return setmetatable({ __scw = "concat", parts = parts }, Ref)
end

function M.defaults(t)
  if type(t) ~= "table" then error("scw.defaults expects a table", 2) end
  local info = debug.getinfo(2, "Sl")
  declare("__defaults", "", t, info.short_src, info.currentline)
  for _, k in ipairs({ "project_id", "region", "zone" }) do   -- scw.project_id... follow the override
    if t[k] ~= nil then rawset(M, k, t[k]) end
  end
end

function M.is_ref(v) return isref(v) end

M.vars = {}   -- replaced by the host with the values given on the command line (--var)

setmetatable(M, { __index = function(_, k)
  if type(k) == "string" and k:match("^%u") then
    local info = debug.getinfo(2, "Sl")
    unknown_type(k, info.short_src, info.currentline)
  end
  return nil
end })

-- Called by the host after apply: outputs by address become the handles' real values.
local function fill(all)
  for addr, outputs in pairs(all) do
    local h = handles[addr]
    if h ~= nil then rawset(h, "__outputs", outputs) end
  end
end

package.loaded["scaleway"] = M
scaleway = M
return M, fill
"""#
}

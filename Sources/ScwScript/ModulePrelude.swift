// ModulePrelude: the Lua half of the `scaleway` module. Handles and output references are
// plain Lua tables with metatables, so `..`, indexing and `tostring` work as Lua users
// expect; every decision that needs a schema is made by the Swift functions it calls
// (`__scw_declare`, `__scw_unknown_type`), which raise located errors through the trampoline.

enum ModulePrelude {
    static let source = #"""
local declare, unknown_type, type_names, output_names = __scw_declare, __scw_unknown_type, __scw_type_names, __scw_output_names
local lookup = __scw_lookup
__scw_declare, __scw_unknown_type, __scw_type_names, __scw_output_names, __scw_lookup = nil, nil, nil, nil, nil

local getinfo = debug.getinfo   -- kept: a sandbox may narrow `debug` later
local M = {}
local Ref, Handle, Secret = {}, {}, {}
local handles = {}   -- address -> handle, so apply can fill in real values
local secrets_made = 0   -- how many secrets were made (the REPL keeps such chunks out of history)
Ref.__name = "scwlua.ref"
Handle.__name = "scwlua.handle"
Secret.__name = "scwlua.secret"

local function isref(v)
  local mt = getmetatable(v)
  return mt == Ref
end

local function issecret(v)
  return getmetatable(v) == Secret
end

local function mksecret(v)
  secrets_made = secrets_made + 1
  return setmetatable({ __scw = "secret", value = v }, Secret)
end

-- The plaintext inside a secret (and inside a secret of a secret).
local function reveal(v)
  while issecret(v) do v = rawget(v, "value") end
  return v
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
Ref.__tostring = function(r)
  if rawget(r, "known") ~= nil then return tostring(rawget(r, "known")) end
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
  if kind == "script-name" then
    -- Still a reference (it orders work, `:map` works), carrying the value it will have:
    -- the cloud name defaults to the script name (a lookup's does not).
    if outputs ~= nil then return nil end
    local r = mkref(rawget(h, "__addr"), { k })
    if not rawget(h, "__lookup") then rawset(r, "known", rawget(h, "__name")) end
    return r
  end
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
-- A handle joined with `..` stands for its id.
local function part(x)
  if getmetatable(x) == Handle then return mkref(rawget(x, "__addr"), { "id" }) end
  return x
end

Handle.__concat = function(a, b)
  return concat(part(a), part(b))
end

-- True when the value (a secret's plaintext included) is only known after apply.
local function deferred(x)
  x = reveal(x)
  return isref(x) or getmetatable(x) == Handle
end

-- A secret joined with `..` gives a secret: now when both sides are known, else a derived
-- reference whose secret parts make the resolved value secret.
Secret.__concat = function(a, b)
  if deferred(a) or deferred(b) then return concat(part(a), part(b)) end
  local x, y = reveal(a), reveal(b)
  local tx, ty = type(x), type(y)
  if (tx ~= "string" and tx ~= "number") or (ty ~= "string" and ty ~= "number") then
    local bad = (tx ~= "string" and tx ~= "number") and tx or ty
    error("cannot join a secret " .. bad .. " with .. (only strings and numbers)", 2)
  end
  return mksecret(x .. y)
end
Secret.__tostring = function() return "(sensitive)" end
Secret.__index = function(s, k)
  if k == "map" then
    -- secret:map(fn): fn gets the plaintext; what it returns is a secret too.
    return function(self, fn)
      if type(fn) ~= "function" then error("secret:map expects a function", 2) end
      if deferred(self) then return setmetatable({ __scw = "transform", input = self, fn = fn }, Ref) end
      return mksecret(fn(reveal(self)))
    end
  end
  error("a secret has no field '" .. tostring(k) .. "' (use secret:map(fn) to compute from its value)", 2)
end
-- The sealed-value protocol the shipped library (json, base64, template) follows: it works on
-- the plaintext and seals what it computes from it the same way.
Secret.__unseal = reveal
Secret.__seal = mksecret

-- Raises `message` at the script line `info` describes (tail calls lose the frame levels).
local function raise_at(info, message)
  error(info.short_src .. ":" .. info.currentline .. ": " .. message, 0)
end

local function constructor(type_name)
  local function make(name, props, info)
    if props == nil then props = {} end
    if type(props) ~= "table" then raise_at(info, type_name .. ' "' .. name .. '": props must be a table') end
    local addr = declare(type_name, name, props, info.short_src, info.currentline)
    local h = setmetatable({ __scw = "handle", __type = type_name, __name = name, __addr = addr, __props = props }, Handle)
    handles[addr] = h
    return h
  end
  return function(name, props)
    local info = getinfo(2, "Sl")
    if type(name) ~= "string" or name == "" then
      local got = type(name) == "string" and "an empty name" or ("a " .. type(name))
      raise_at(info, type_name .. " needs a name, got " .. got .. ': scaleway.' .. type_name .. ' "name" { ... }')
    end
    if props == nil then
      return function(p) return make(name, p, info) end
    end
    return make(name, props, info)
  end
end

for _, t in ipairs(type_names()) do M[t] = constructor(t) end

-- scw.lookup.Type { name = ..., filters } / { id = ... }: an existing resource, read at plan
-- time, never written nor deleted; its handle reads like any other.
M.lookup = setmetatable({}, { __index = function(_, type_name)
  return function(query)
    local info = debug.getinfo(2, "Sl")
    local addr = lookup(type_name, query, info.short_src, info.currentline)
    local h = setmetatable({ __scw = "handle", __type = type_name, __name = addr, __addr = addr, __props = query, __lookup = true }, Handle)
    handles[addr] = h
    return h
  end
end })

function M.secret(v)
  if v == nil then error("scw.secret: value is nil (is the environment variable set?)", 2) end
  return mksecret(v)
end

-- Like string.format, with references (resolved at apply) and secrets as arguments: a
-- reference makes the result a derived reference, a secret makes it a secret.
function M.format(fmt, ...)
  if issecret(fmt) then return M.format(reveal(fmt), ...) .. mksecret("") end
  if type(fmt) ~= "string" then error("scw.format: the format must be a string, got " .. type(fmt), 2) end
  local args = table.pack(...)
  local parts, n = {}, 0
  local pending, sensitive = false, false
  for text, spec in (fmt .. "%"):gmatch("(.-)%%(.?)") do
    if text ~= "" then parts[#parts + 1] = text end
    if spec == "%" then parts[#parts + 1] = "%"
    elseif spec ~= "" then
      n = n + 1
      local a = args[n]
      local secret = issecret(a)
      local v = reveal(a)
      local piece
      if isref(v) then piece = v; pending = true
      elseif getmetatable(v) == Handle then piece = mkref(rawget(v, "__addr"), { "id" }); pending = true
      else
        local ok, text = pcall(string.format, "%" .. spec, v)
        if not ok then error("scw.format: argument " .. n .. ": " .. tostring(text):gsub("^.-: ", ""), 2) end
        piece = text
      end
      if secret then sensitive = true; piece = mksecret(piece) end
      parts[#parts + 1] = piece
    end
  end
  if pending then return setmetatable({ __scw = "concat", parts = parts }, Ref) end
  for i, p in ipairs(parts) do parts[i] = reveal(p) end
  local text = table.concat(parts)
  if sensitive then return mksecret(text) end
  return text
end

function M.defaults(t)
  if type(t) ~= "table" then error("scw.defaults expects a table", 2) end
  local info = getinfo(2, "Sl")
  declare("__defaults", "", t, info.short_src, info.currentline)
  for _, k in ipairs({ "project_id", "region", "zone" }) do   -- scw.project_id... follow the override
    if t[k] ~= nil then rawset(M, k, t[k]) end
  end
end

function M.is_ref(v) return isref(v) end
function M.is_secret(v) return issecret(v) end

M.vars = {}   -- replaced by the host with the values given on the command line (--var), as strings

-- scw.var(name [, kind [, default]]): a --var value read as `kind` ("string", "number",
-- "integer", "boolean"); `default` when the variable was not given; an error at the caller's
-- line when it was given but is not of that kind, or was not given and has no default.
local var_kinds = { string = true, number = true, integer = true, boolean = true }
function M.var(name, kind, default)
  if type(name) ~= "string" then error("scw.var expects a variable name (a string), got " .. type(name), 2) end
  kind = kind or "string"
  if not var_kinds[kind] then
    error("scw.var: kind must be \"string\", \"number\", \"integer\" or \"boolean\", got " .. tostring(kind), 2)
  end
  local v = rawget(M, "vars")[name]
  if v == nil then
    if default ~= nil then return default end
    error("scw.var: no value for '" .. name .. "': pass --var " .. name .. "=VALUE", 2)
  end
  if type(v) ~= "string" then v = tostring(v) end
  if kind == "string" then return v end
  if kind == "boolean" then
    if v == "true" then return true elseif v == "false" then return false end
    error("--var " .. name .. " must be true or false, got \"" .. v .. "\"", 2)
  end
  local n = tonumber(v)
  if kind == "integer" then n = n and math.tointeger(n) end
  if n == nil then error("--var " .. name .. " must be " .. (kind == "integer" and "a whole number" or "a number") .. ", got \"" .. v .. "\"", 2) end
  return n
end

setmetatable(M, { __index = function(_, k)
  if type(k) == "string" and k:match("^%u") then
    local info = getinfo(2, "Sl")
    unknown_type(k, info.short_src, info.currentline)
  end
  return nil
end })

-- Called by the host after apply: outputs by address become the handles' real values.
-- A secret output arrives as a plain { __scw = "secret", value = ... } table: it becomes a
-- secret again, so what the script computes from it after apply stays secret.
local function seal(v, depth)
  if type(v) ~= "table" or depth > 100 then return v end
  if rawget(v, "__scw") == "secret" and getmetatable(v) == nil then return setmetatable(v, Secret) end
  for k, x in next, v do rawset(v, k, seal(x, depth + 1)) end
  return v
end

local function fill(all)
  for addr, outputs in pairs(all) do
    local h = handles[addr]
    if h ~= nil then rawset(h, "__outputs", seal(outputs, 0)) end
  end
end

package.loaded["scaleway"] = M
scaleway = M
return M, fill, function() return secrets_made end
"""#
}

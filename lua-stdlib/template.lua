-- template.lua: string templates with ${var} and ${a.b.c} placeholders, as in Terraform.
-- `$${` writes a literal `${`; a missing variable is an error unless strict = false.
-- Pure Lua 5.4; load with `local template = require "template"`.

local M = {}

local sfmt, sfind, ssub = string.format, string.find, string.sub

local function line_of(s, pos)
  local line = 1
  for _ in ssub(s, 1, pos - 1):gmatch("\n") do line = line + 1 end
  return line
end

-- Splits "a.b.1" into { "a", "b", 1 }, or nil when it is not a dotted path of names.
local function parse_path(expr)
  local segs = {}
  for seg in (expr .. "."):gmatch("([^.]*)%.") do
    if seg:match("^%d+$") then
      segs[#segs + 1] = math.tointeger(tonumber(seg))
    elseif seg:match("^[%a_][%w_%-]*$") then
      segs[#segs + 1] = seg
    else
      return nil
    end
  end
  return segs
end

-- Indexes v[k] when v can be indexed; returns ok, value.
local function index(v, k)
  local tv = type(v)
  if tv == "table" then
    local got = v[k]
    if got == nil and math.type(k) == "integer" then got = v[tostring(k)] end
    return true, got
  end
  if tv == "userdata" then
    local ok, got = pcall(function() return v[k] end)
    return ok, got
  end
  return false
end

-- Whether a value must be joined with `..` (it has a __concat metamethod, e.g. a reference
-- whose value is known only after apply), and so cannot be turned into a string now.
local function concatenable(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__concat") ~= nil
end

-- A sealed value (a secret: its metatable has `__unseal` and `__seal`) is worked on in
-- plaintext and what comes out is sealed the same way; errors then show none of its text.
local function unsealed(v)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(rawget(mt, "__unseal")) == "function" and type(rawget(mt, "__seal")) == "function" then
    return rawget(mt, "__unseal")(v), rawget(mt, "__seal")
  end
  return v, nil
end

--- Renders a template.
-- `${name}` is replaced by vars.name, `${a.b.c}` by vars.a.b.c (a numeric segment indexes a
-- list: `${hosts.1}`), spaces inside the braces are allowed, and `$${` writes a literal `${`.
-- Values may be strings, numbers or booleans, or tables with __tostring. Values with a
-- __concat metamethod (such as scaleway output references) are joined with `..`, so the
-- result is then a derived reference rather than a string. A secret value (or template)
-- makes the result a secret, joined the same way.
-- @param str string the template
-- @param vars table of variables (may be nested)
-- @param opts optional table: strict = false renders a missing variable as "" instead of raising
-- @return string (or a derived value, see above)
function M.render(str, vars, opts)
  local plain, seal = unsealed(str)
  if seal then
    local ok, out = pcall(M.render, plain, vars, opts)
    if not ok then error("template.render: the secret template cannot be rendered (its text is not shown)", 2) end
    if type(out) == "string" then return seal(out) end
    return out .. seal("")   -- a derived reference: a secret part makes its value secret
  end
  if type(str) ~= "string" then error("template.render: template must be a string, got " .. type(str), 2) end
  if vars == nil then vars = {} end
  if type(vars) ~= "table" then error("template.render: vars must be a table, got " .. type(vars), 2) end
  if opts ~= nil and type(opts) ~= "table" then
    error("template.render: options must be a table such as { strict = false }, got " .. type(opts), 2)
  end
  local strict = not (opts and opts.strict == false)

  local parts, special = {}, false
  local i = 1
  while true do
    local j = sfind(str, "${", i, true)
    if not j then
      parts[#parts + 1] = ssub(str, i)
      break
    end
    if j > i and ssub(str, j - 1, j - 1) == "$" then      -- "$${" is a literal "${"
      parts[#parts + 1] = ssub(str, i, j - 2) .. "${"
      i = j + 2
    else
      parts[#parts + 1] = ssub(str, i, j - 1)
      local close = sfind(str, "}", j + 2, true)
      if not close then
        error(sfmt("template.render: unclosed '${' at line %d (write '$${' for a literal '${')",
          line_of(str, j)), 2)
      end
      local raw = ssub(str, j, close)
      local expr = ssub(str, j + 2, close - 1):match("^%s*(.-)%s*$")
      local segs = parse_path(expr)
      if not segs then
        error(sfmt("template.render: invalid placeholder '%s' at line %d (expected ${name} or ${a.b.c})",
          raw, line_of(str, j)), 2)
      end
      local v = vars
      for k, seg in ipairs(segs) do
        local ok, got = index(v, seg)
        if not ok then
          if strict then
            local parent = table.concat(segs, ".", 1, k - 1)
            error(sfmt("template.render: cannot look up '%s' at line %d: '%s' is a %s, not a table",
              expr, line_of(str, j), parent, type(v)), 2)
          end
          got = nil
        end
        v = got
        if v == nil then break end
      end
      if v == nil then
        if strict then
          error(sfmt("template.render: missing variable '%s' at line %d (pass it in vars, or use { strict = false })",
            expr, line_of(str, j)), 2)
        end
        v = ""
      end
      local tv = type(v)
      if tv == "number" or tv == "boolean" then
        v = tostring(v)
      elseif tv ~= "string" then
        if concatenable(v) then
          special = true
        else
          local mt = getmetatable(v)
          if type(mt) == "table" and rawget(mt, "__tostring") then
            v = tostring(v)
          else
            error(sfmt("template.render: '%s' at line %d is a %s; templates take strings, numbers and booleans",
              expr, line_of(str, j), tv), 2)
          end
        end
      end
      parts[#parts + 1] = v
      i = close + 1
    end
  end
  if not special then return table.concat(parts) end
  -- Join runs of strings first, then fold with `..` so the metamethods see few, whole pieces.
  local result, run = nil, {}
  local function flush()
    local text = table.concat(run)
    run = {}
    if text == "" then return end
    if result == nil then result = text else result = result .. text end
  end
  for _, p in ipairs(parts) do
    if type(p) == "string" then
      run[#run + 1] = p
    else
      flush()
      if result == nil then result = p else result = result .. p end
    end
  end
  flush()
  return result
end

return M

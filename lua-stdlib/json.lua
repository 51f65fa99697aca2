-- json.lua: JSON encoding and decoding (RFC 8259) for Lua 5.4 tables, strings and numbers.
-- Stable output (sorted keys), integers and floats kept apart, json.null for null, and errors
-- that say where. Pure Lua 5.4; load with `local json = require "json"`.

local M = {}

local sfmt, sbyte, schar, ssub, sfind = string.format, string.byte, string.char, string.sub, string.find
local concat, sort = table.concat, table.sort
local mtype, tointeger = math.type, math.tointeger
local utf8len, utf8char = utf8.len, utf8.char

--- The value that stands for JSON `null` (a Lua nil cannot sit in a table).
-- `tostring(json.null)` is "null"; it is read-only.
M.null = setmetatable({}, {
  __name = "json.null",
  __tostring = function() return "null" end,
  __newindex = function() error("json.null is read-only", 2) end,
  __metatable = "json.null",
})

-- Tables marked as objects or arrays (weak keys, so marking never keeps a table alive).
local kinds = setmetatable({}, { __mode = "k" })

--- Marks a table to encode as a JSON object, even when empty (`{}` encodes as `[]` otherwise).
-- @param t table (default: a new empty table)
-- @return t
function M.object(t)
  t = t or {}
  if type(t) ~= "table" then error("json.object: expected a table, got " .. type(t), 2) end
  kinds[t] = "object"
  return t
end

--- Marks a table to encode as a JSON array (useful to say so explicitly; `{}` is `[]` anyway).
-- @param t table (default: a new empty table)
-- @return t
function M.array(t)
  t = t or {}
  if type(t) ~= "table" then error("json.array: expected a table, got " .. type(t), 2) end
  kinds[t] = "array"
  return t
end

--- Tells whether a value is json.null.
function M.is_null(v) return v == M.null end

-- Encoding --------------------------------------------------------------------------------

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}
for c = 0, 0x1F do
  local ch = schar(c)
  if not escapes[ch] then escapes[ch] = sfmt("\\u%04x", c) end
end
escapes["\127"] = "\\u007f"

local function encode_string(s, path)
  local ok, bad = utf8len(s)
  if not ok then
    error(sfmt("json.encode: string at %s is not valid UTF-8 (byte %d)", path, bad), 0)
  end
  return '"' .. s:gsub('[%c"\\]', escapes) .. '"'
end

-- Shortest %g form that reads back as the same float, marked as a float ("1.0", not "1").
local function encode_float(x, path)
  if x ~= x or x == math.huge or x == -math.huge then
    local name = x ~= x and "NaN" or (x > 0 and "inf" or "-inf")
    error(sfmt("json.encode: %s at %s cannot be represented in JSON", name, path), 0)
  end
  local s
  for digits = 15, 17 do
    s = sfmt("%." .. digits .. "g", x)
    if tonumber(s) == x then break end
  end
  if not sfind(s, "[.eE]") then s = s .. ".0" end
  return s
end

-- "array" or "object" for a table, or raises naming the offending key.
local function kind_of(t, path)
  local marked = kinds[t]
  local mt = getmetatable(t)
  if not marked and type(mt) == "table" then marked = rawget(mt, "__jsontype") end
  if marked == "object" then
    for k in pairs(t) do
      if type(k) ~= "string" then
        error(sfmt("json.encode: object at %s has a %s key (%s); object keys must be strings",
          path, type(k), tostring(k)), 0)
      end
    end
    return "object"
  end
  local n, strings, ints, max = 0, 0, 0, 0
  for k in pairs(t) do
    n = n + 1
    if type(k) == "string" then
      strings = strings + 1
    elseif mtype(k) == "integer" and k > 0 then
      ints = ints + 1
      if k > max then max = k end
    else
      error(sfmt("json.encode: table at %s has a %s key (%s); use string keys or a list",
        path, mtype(k) or type(k), tostring(k)), 0)
    end
  end
  if n == 0 then return marked or "array" end
  if strings == n then return "object" end
  if ints == n then
    if max ~= n then
      error(sfmt("json.encode: list at %s has holes (%d values, highest index %d); use json.null for nulls",
        path, n, max), 0)
    end
    return "array"
  end
  error(sfmt("json.encode: table at %s mixes list items and string keys", path), 0)
end

local function key_path(path, k)
  if k:match("^[%a_][%w_]*$") then return path .. "." .. k end
  return path .. "[" .. sfmt("%q", k) .. "]"
end

local function encoder(opts, seal)
  local indent = opts and opts.indent
  if type(indent) == "number" then indent = string.rep(" ", indent) end
  if indent == "" then indent = nil end
  local colon = indent and ": " or ":"
  local visiting = {}

  local encode_value
  local function encode_table(t, path, depth)
    if visiting[t] then error("json.encode: cycle at " .. path .. " (a table contains itself)", 0) end
    local kind = kind_of(t, path)
    visiting[t] = true
    local parts = {}
    if kind == "array" then
      for i = 1, #t do parts[i] = encode_value(t[i], path .. "[" .. i .. "]", depth + 1) end
    else
      local keys = {}
      for k in pairs(t) do keys[#keys + 1] = k end
      sort(keys)
      for i, k in ipairs(keys) do
        parts[i] = encode_string(k, path) .. colon .. encode_value(t[k], key_path(path, k), depth + 1)
      end
    end
    visiting[t] = nil
    local open, close = "[", "]"
    if kind == "object" then open, close = "{", "}" end
    if #parts == 0 then return open .. close end
    if not indent then return open .. concat(parts, ",") .. close end
    local pad = "\n" .. indent:rep(depth + 1)
    return open .. pad .. concat(parts, "," .. pad) .. "\n" .. indent:rep(depth) .. close
  end

  function encode_value(v, path, depth)
    local tv = type(v)
    if v == nil or v == M.null then return "null" end
    if tv == "boolean" then return v and "true" or "false" end
    if tv == "string" then return encode_string(v, path) end
    if tv == "number" then
      if mtype(v) == "integer" then return sfmt("%d", v) end
      return encode_float(v, path)
    end
    if tv == "table" then
      local mt = getmetatable(v)
      if type(mt) == "table" and type(rawget(mt, "__unseal")) == "function" then
        seal.with = seal.with or rawget(mt, "__seal")   -- a secret inside: the text is sealed too
        return encode_value(mt.__unseal(v), path, depth)
      end
      if type(mt) == "table" and type(rawget(mt, "__tojson")) == "function" then
        return encode_value(mt.__tojson(v), path, depth)
      end
      return encode_table(v, path, depth)
    end
    error(sfmt("json.encode: cannot encode a %s (at %s)", tv, path), 0)
  end

  return encode_value
end

--- Encodes a Lua value as JSON text.
-- Tables with keys 1..n become arrays, tables with string keys objects (keys sorted, so the
-- output is stable); an empty table is `[]` unless marked with json.object. nil and json.null
-- become null. Integers stay integers ("1"), floats stay floats ("1.0"). A metatable field
-- `__tojson = function(v) return plain_value end` customises a type. A sealed value (a
-- secret, whose metatable has `__unseal` and `__seal`) is encoded from its plaintext, and the
-- text is then sealed the same way: the JSON of a table holding a secret is a secret.
-- Raises on cycles, functions, userdata, NaN/infinity, mixed or sparse tables, invalid UTF-8.
-- @param value any
-- @param opts optional table: indent = number of spaces or a string, for pretty output
-- @return string (or a sealed string, see above)
function M.encode(value, opts)
  local seal = {}
  local enc = encoder(opts, seal)
  local ok, result = pcall(enc, value, "$", 0)
  if not ok then error(result, 2) end
  if seal.with then return seal.with(result) end
  return result
end

-- Decoding --------------------------------------------------------------------------------

local max_depth = 1000

local function where(s, pos)
  local line, col = 1, 1
  local i = 1
  while true do
    local nl = sfind(s, "\n", i, true)
    if not nl or nl >= pos then break end
    line = line + 1
    i = nl + 1
  end
  col = pos - i + 1
  return sfmt("at byte %d (line %d, column %d)", pos, line, col)
end

local function decode_error(s, pos, msg)
  error("json.decode: " .. msg .. " " .. where(s, pos), 0)
end

local function describe_char(s, pos)
  if pos > #s then return "end of input" end
  local c = ssub(s, pos, pos)
  if c:match("%c") or sbyte(c) >= 0x80 then return sfmt("byte 0x%02x", sbyte(c)) end
  return "'" .. c .. "'"
end

local escape_chars = {
  ['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t",
}

local function skip_ws(s, pos)
  return sfind(s, "[^ \t\r\n]", pos) or #s + 1
end

local decode_value

local function decode_string(s, pos)
  -- pos is at the opening quote
  local parts, i = {}, pos + 1
  while true do
    local j = sfind(s, '["\\\0-\31]', i)
    if not j then decode_error(s, pos, "unterminated string starting") end
    if j > i then parts[#parts + 1] = ssub(s, i, j - 1) end
    local c = ssub(s, j, j)
    if c == '"' then return concat(parts), j + 1 end
    if c ~= "\\" then
      decode_error(s, j, sfmt("raw control character 0x%02x in string (escape it)", sbyte(c)))
    end
    local e = ssub(s, j + 1, j + 1)
    if escape_chars[e] then
      parts[#parts + 1] = escape_chars[e]
      i = j + 2
    elseif e == "u" then
      local hex = s:match("^%x%x%x%x", j + 2)
      if not hex then decode_error(s, j, "invalid \\u escape (needs 4 hex digits)") end
      local cp = tonumber(hex, 16)
      i = j + 6
      if cp >= 0xD800 and cp <= 0xDBFF then
        local lo = s:match("^\\u(%x%x%x%x)", i)
        lo = lo and tonumber(lo, 16)
        if not lo or lo < 0xDC00 or lo > 0xDFFF then
          decode_error(s, j, sfmt("lone high surrogate \\u%s (needs a following \\uDC00-\\uDFFF)", hex))
        end
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
        i = i + 6
      elseif cp >= 0xDC00 and cp <= 0xDFFF then
        decode_error(s, j, sfmt("lone low surrogate \\u%s", hex))
      end
      parts[#parts + 1] = utf8char(cp)
    else
      decode_error(s, j, "invalid escape '\\" .. e .. "'")
    end
  end
end

local function decode_number(s, pos)
  local int, frac = s:match("^(-?%d*)(%.?%d*)", pos)
  local digits = int:gsub("^-", "")
  if digits == "" then decode_error(s, pos, "invalid number (no digits)") end
  if #digits > 1 and ssub(digits, 1, 1) == "0" then
    decode_error(s, pos, "invalid number (leading zero)")
  end
  if frac == "." then decode_error(s, pos, "invalid number (no digits after '.')") end
  local exp = ""
  local e = pos + #int + #frac
  if sfind(s, "^[eE]", e) then
    exp = s:match("^[eE][-+]?%d+", e)
    if not exp then decode_error(s, pos, "invalid number (bad exponent)") end
  end
  local text = int .. frac .. exp
  local after = pos + #text
  if frac == "" and exp == "" then
    local n = tointeger(tonumber(text))
    if n then return n, after end
    return tonumber(text .. ".0"), after     -- too big for a 64-bit integer: a float
  end
  return tonumber(text), after
end

local function decode_array(s, pos, depth)
  local t, n = {}, 0
  kinds[t] = "array"
  pos = skip_ws(s, pos + 1)
  if ssub(s, pos, pos) == "]" then return t, pos + 1 end
  while true do
    local v
    v, pos = decode_value(s, pos, depth + 1)
    n = n + 1
    t[n] = v
    pos = skip_ws(s, pos)
    local c = ssub(s, pos, pos)
    if c == "]" then return t, pos + 1 end
    if c ~= "," then decode_error(s, pos, "expected ',' or ']' but found " .. describe_char(s, pos)) end
    pos = skip_ws(s, pos + 1)
  end
end

local function decode_object(s, pos, depth)
  local t = {}
  kinds[t] = "object"
  pos = skip_ws(s, pos + 1)
  if ssub(s, pos, pos) == "}" then return t, pos + 1 end
  while true do
    if ssub(s, pos, pos) ~= '"' then
      decode_error(s, pos, "expected a string key but found " .. describe_char(s, pos))
    end
    local k
    k, pos = decode_string(s, pos)
    pos = skip_ws(s, pos)
    if ssub(s, pos, pos) ~= ":" then
      decode_error(s, pos, "expected ':' but found " .. describe_char(s, pos))
    end
    local v
    v, pos = decode_value(s, skip_ws(s, pos + 1), depth + 1)
    t[k] = v
    pos = skip_ws(s, pos)
    local c = ssub(s, pos, pos)
    if c == "}" then return t, pos + 1 end
    if c ~= "," then decode_error(s, pos, "expected ',' or '}' but found " .. describe_char(s, pos)) end
    pos = skip_ws(s, pos + 1)
  end
end

local literals = { t = { "true", true }, f = { "false", false }, n = { "null", M.null } }

function decode_value(s, pos, depth)
  if depth >= max_depth then decode_error(s, pos, "nesting deeper than " .. max_depth .. " levels") end
  local c = ssub(s, pos, pos)
  if c == "{" then return decode_object(s, pos, depth) end
  if c == "[" then return decode_array(s, pos, depth) end
  if c == '"' then return decode_string(s, pos) end
  if c == "-" or c:match("%d") then return decode_number(s, pos) end
  local lit = literals[c]
  if lit and ssub(s, pos, pos + #lit[1] - 1) == lit[1] then return lit[2], pos + #lit[1] end
  if pos > #s then decode_error(s, pos, "unexpected end of input") end
  decode_error(s, pos, "unexpected " .. describe_char(s, pos))
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

--- Decodes JSON text into Lua values.
-- Objects become tables with string keys (marked, so they encode back as objects even when
-- empty), arrays become lists, null becomes json.null, numbers without '.' or exponent become
-- integers (floats when beyond 64 bits), \u escapes (with surrogate pairs) become UTF-8.
-- Raises "json.decode: <what> at byte N (line L, column C)" on invalid input. A secret is
-- decoded from its plaintext and the value is a secret too.
-- @param s string JSON text
-- @return the value
function M.decode(s)
  local plain, seal = unsealed(s)
  if seal then
    local ok, v = pcall(M.decode, plain)
    if not ok then error("json.decode: the secret is not valid JSON (its text is not shown)", 2) end
    return seal(v)
  end
  if type(s) ~= "string" then error("json.decode: expected a string, got " .. type(s), 2) end
  local ok, result = pcall(function()
    local valid, bad = utf8len(s)
    if not valid then decode_error(s, bad, "invalid UTF-8") end
    local pos = skip_ws(s, 1)
    local v
    v, pos = decode_value(s, pos, 0)
    pos = skip_ws(s, pos)
    if pos <= #s then decode_error(s, pos, "unexpected trailing " .. describe_char(s, pos)) end
    return v
  end)
  if not ok then error(result, 2) end
  return result
end

return M

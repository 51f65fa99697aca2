-- base64.lua: Base64 encoding and decoding (RFC 4648), standard and URL-safe alphabets.
-- Decoding is strict: characters outside the alphabet, bad padding or stray bits are errors
-- (line breaks and spaces are skipped). Pure Lua 5.4; load with `local base64 = require "base64"`.

local M = {}

local sbyte, schar, sfmt = string.byte, string.char, string.format
local concat = table.concat

local STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- For each alphabet: index -> character (0-based) and byte -> value.
local function tables(alphabet)
  local enc, dec = {}, {}
  for i = 1, 64 do
    local b = sbyte(alphabet, i)
    enc[i - 1] = schar(b)
    dec[b] = i - 1
  end
  return enc, dec
end
local STD_ENC, STD_DEC = tables(STD)
local URL_ENC, URL_DEC = tables(URL)

-- A sealed value (a secret: its metatable has `__unseal` and `__seal`) is worked on in
-- plaintext and what comes out is sealed the same way; errors then show none of its text.
local function unsealed(v)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(rawget(mt, "__unseal")) == "function" and type(rawget(mt, "__seal")) == "function" then
    return rawget(mt, "__unseal")(v), rawget(mt, "__seal")
  end
  return v, nil
end

local function options(fname, opts)
  if opts == nil then return false, true end
  if type(opts) ~= "table" then
    error(sfmt("base64.%s: options must be a table such as { url = true }, got %s", fname, type(opts)), 3)
  end
  return opts.url == true, opts.pad ~= false
end

--- Encodes a string (any bytes) as Base64.
-- @param s string
-- @param opts optional table: url = true for the URL-safe alphabet ('-', '_');
--   pad = false to leave out the trailing '=' padding
-- A secret (a sealed value) is encoded from its plaintext and the result is a secret too.
-- @return string
function M.encode(s, opts)
  local plain, seal = unsealed(s)
  if seal then
    local ok, out = pcall(M.encode, plain, opts)
    if not ok then error(out, 2) end
    return seal(out)
  end
  if type(s) ~= "string" then error("base64.encode: expected a string, got " .. type(s), 2) end
  local url, pad = options("encode", opts)
  local enc = url and URL_ENC or STD_ENC
  local out, n = {}, #s
  for i = 1, n - 2, 3 do
    local a, b, c = sbyte(s, i, i + 2)
    local v = a << 16 | b << 8 | c
    out[#out + 1] = enc[v >> 18] .. enc[v >> 12 & 63] .. enc[v >> 6 & 63] .. enc[v & 63]
  end
  local rest = n % 3
  if rest == 1 then
    local v = sbyte(s, n) << 16
    out[#out + 1] = enc[v >> 18] .. enc[v >> 12 & 63] .. (pad and "==" or "")
  elseif rest == 2 then
    local a, b = sbyte(s, n - 1, n)
    local v = a << 16 | b << 8
    out[#out + 1] = enc[v >> 18] .. enc[v >> 12 & 63] .. enc[v >> 6 & 63] .. (pad and "=" or "")
  end
  return concat(out)
end

--- Decodes Base64 text.
-- Padding may be present (it must then be right) or left out; spaces, tabs and line breaks are
-- skipped. Anything else outside the alphabet, a lone final character, or non-zero bits after
-- the last full byte raise an error naming the position.
-- @param s string
-- @param opts optional table: url = true for the URL-safe alphabet ('-', '_' instead of '+', '/')
-- A secret is decoded from its plaintext and the result is a secret too.
-- @return string (bytes)
function M.decode(s, opts)
  local plain, seal = unsealed(s)
  if seal then
    local ok, out = pcall(M.decode, plain, opts)
    if not ok then error("base64.decode: the secret is not valid Base64 (its text is not shown)", 2) end
    return seal(out)
  end
  if type(s) ~= "string" then error("base64.decode: expected a string, got " .. type(s), 2) end
  local url = options("decode", opts)
  local dec = url and URL_DEC or STD_DEC
  local other = url and STD_DEC or URL_DEC
  local vals, pads, first_pad = {}, 0, nil
  for i = 1, #s do
    local b = sbyte(s, i)
    local v = dec[b]
    if v then
      if pads > 0 then
        error(sfmt("base64.decode: data after '=' padding at position %d", i), 2)
      end
      vals[#vals + 1] = v
    elseif b == 61 then                              -- '='
      pads = pads + 1
      first_pad = first_pad or i
    elseif b == 32 or b == 9 or b == 10 or b == 13 then
      -- whitespace: skipped
    else
      local shown = (b >= 33 and b <= 126) and ("'" .. schar(b) .. "'") or sfmt("byte 0x%02x", b)
      local hint = ""
      if other[b] then
        hint = url and " (standard alphabet? decode without url = true)"
                    or " (URL-safe alphabet? decode with { url = true })"
      end
      error(sfmt("base64.decode: invalid character %s at position %d%s", shown, i, hint), 2)
    end
  end
  local n = #vals
  local rest = n % 4
  if rest == 1 then
    error(sfmt("base64.decode: truncated input (%d characters of data; a final group needs at least 2)", n), 2)
  end
  if pads > 0 and (rest == 0 or pads ~= 4 - rest) then
    error(sfmt("base64.decode: wrong padding at position %d (%d '=' after %d characters of data)",
      first_pad, pads, n), 2)
  end
  local out = {}
  for i = 1, n - rest, 4 do
    local v = vals[i] << 18 | vals[i + 1] << 12 | vals[i + 2] << 6 | vals[i + 3]
    out[#out + 1] = schar(v >> 16, v >> 8 & 255, v & 255)
  end
  if rest == 2 then
    local v = vals[n - 1] << 18 | vals[n] << 12
    if v & 0xFFFF ~= 0 then
      error("base64.decode: non-zero padding bits in the last character (not canonical Base64)", 2)
    end
    out[#out + 1] = schar(v >> 16)
  elseif rest == 3 then
    local v = vals[n - 2] << 18 | vals[n - 1] << 12 | vals[n] << 6
    if v & 0xFF ~= 0 then
      error("base64.decode: non-zero padding bits in the last character (not canonical Base64)", 2)
    end
    out[#out + 1] = schar(v >> 16, v >> 8 & 255)
  end
  return concat(out)
end

return M

-- cidr.lua: CIDR arithmetic for IPv4 and IPv6, like Terraform's cidrsubnet/cidrhost/cidrsubnets.
-- Addresses are held as arrays of 16-bit groups (2 for IPv4, 8 for IPv6), so 128-bit sums fit
-- Lua's 64-bit integers. Pure Lua 5.4; load with `local cidr = require "cidr"`.

local M = {}

local tointeger, mtype = math.tointeger, math.type
local sfmt = string.format

-- Parsing ---------------------------------------------------------------------------------

-- "0" or a decimal without leading zeros, at most `max`; nil otherwise.
local function decimal(s, max)
  if not s:match("^%d+$") or #s > 3 or (#s > 1 and s:sub(1, 1) == "0") then return nil end
  local n = tointeger(tonumber(s))
  if n > max then return nil end
  return n
end

-- Dotted quad -> two 16-bit groups, or nil and a reason.
local function parse_v4(s)
  local a, b, c, d = s:match("^([^.]+)%.([^.]+)%.([^.]+)%.([^.]+)$")
  if not a then return nil, "an IPv4 address has four dot-separated numbers" end
  local o = {}
  for i, part in ipairs({ a, b, c, d }) do
    if part:match("^0%d") then
      return nil, "'" .. part .. "' has a leading zero (ambiguous: octal or decimal?)"
    end
    o[i] = decimal(part, 255)
    if not o[i] then return nil, "'" .. part .. "' is not a number from 0 to 255" end
  end
  return { o[1] << 8 | o[2], o[3] << 8 | o[4] }
end

-- Colon-separated groups (one side of a '::'), appended to `out`; the last may be a dotted quad.
local function v6_groups(s, out, allow_v4_tail)
  if s == "" then return out end
  local parts = {}
  for p in (s .. ":"):gmatch("([^:]*):") do parts[#parts + 1] = p end
  for i, p in ipairs(parts) do
    if i == #parts and allow_v4_tail and p:find(".", 1, true) then
      local g, why = parse_v4(p)
      if not g then return nil, why end
      out[#out + 1], out[#out + 2] = g[1], g[2]
    elseif p:match("^%x%x?%x?%x?$") then
      out[#out + 1] = tonumber(p, 16)
    elseif p == "" then
      return nil, "empty group (a single ':' where '::' or a number was expected)"
    else
      return nil, "'" .. p .. "' is not a group of 1 to 4 hex digits"
    end
  end
  return out
end

-- IPv6 text -> eight 16-bit groups, or nil and a reason.
local function parse_v6(s)
  if s:find("%", 1, true) then return nil, "zone indexes (%...) are not supported" end
  local head, tail = s:match("^(.-)::(.*)$")
  if head then
    if tail:find("::", 1, true) then return nil, "'::' may appear only once" end
    local h, why = v6_groups(head, {}, false)
    if not h then return nil, why end
    local t; t, why = v6_groups(tail, {}, true)
    if not t then return nil, why end
    local missing = 8 - #h - #t
    if missing < 1 then return nil, "'::' must stand for at least one group of zeros" end
    for _ = 1, missing do h[#h + 1] = 0 end
    for _, g in ipairs(t) do h[#h + 1] = g end
    return h
  end
  local g, why = v6_groups(s, {}, true)
  if not g then return nil, why end
  if #g ~= 8 then return nil, "an IPv6 address has eight groups (or '::')" end
  return g
end

-- Address text -> address record { v = 4|6, bits = 32|128, g = groups }, or nil and a reason.
local function parse_addr(s)
  if type(s) ~= "string" then return nil, "expected a string, got " .. type(s) end
  if s:find(":", 1, true) then
    local g, why = parse_v6(s)
    if not g then return nil, why end
    return { v = 6, bits = 128, g = g }
  end
  local g, why = parse_v4(s)
  if not g then return nil, why end
  return { v = 4, bits = 32, g = g }
end

-- "addr/len" -> address record, prefix length; or nil and a reason.
local function parse_prefix(s)
  if type(s) ~= "string" then return nil, "expected a string in CIDR notation, got " .. type(s) end
  local addr, len = s:match("^([^/]*)/([^/]*)$")
  if not addr then return nil, "missing '/<prefix length>'" end
  local a, why = parse_addr(addr)
  if not a then return nil, why end
  local n = decimal(len, a.bits)
  if not n then return nil, "prefix length must be a number from 0 to " .. a.bits end
  return a, n
end

-- Group arithmetic ------------------------------------------------------------------------

local function copy(a)
  local g = {}
  for i, x in ipairs(a.g) do g[i] = x end
  return { v = a.v, bits = a.bits, g = g }
end

-- Keep the first `len` bits; set the rest to `fill` bits (0 or 1).
local function with_host_bits(a, len, fill)
  local r = copy(a)
  for i = 1, #r.g do
    local start = (i - 1) * 16
    local keep = len - start                    -- bits of this group that belong to the prefix
    if keep <= 0 then
      r.g[i] = fill == 1 and 0xFFFF or 0
    elseif keep < 16 then
      local hostmask = (1 << (16 - keep)) - 1
      r.g[i] = fill == 1 and (r.g[i] | hostmask) or (r.g[i] & ~hostmask & 0xFFFF)
    end
  end
  return r
end

local function network(a, len) return with_host_bits(a, len, 0) end
local function last(a, len) return with_host_bits(a, len, 1) end

-- Adds `delta` (+1 or -1) to the 128- or 32-bit number; returns the result and whether it wrapped.
local function step(a, delta)
  local r = copy(a)
  for i = #r.g, 1, -1 do
    local x = r.g[i] + delta
    if x >= 0 and x <= 0xFFFF then r.g[i] = x; return r, false end
    r.g[i] = x & 0xFFFF                         -- carry or borrow into the next group
  end
  return r, true
end

-- Writes the low `width` bits of integer `n` (two's complement, sign-extended past 64 bits)
-- into bits [start, start + width) of `a`, counting from the most significant bit.
local function put_bits(a, start, width, n)
  local r = copy(a)
  for i = 0, width - 1 do                       -- i: bit index from the least significant end
    local bit
    if i < 64 then bit = (n >> i) & 1 else bit = n < 0 and 1 or 0 end
    local pos = start + width - 1 - i
    local gi, shift = pos // 16 + 1, 15 - pos % 16
    r.g[gi] = (r.g[gi] & ~(1 << shift) & 0xFFFF) | (bit << shift)
  end
  return r
end

local function equal(a, b)
  if a.v ~= b.v then return false end
  for i = 1, #a.g do if a.g[i] ~= b.g[i] then return false end end
  return true
end

local function compare(a, b)
  for i = 1, #a.g do
    if a.g[i] ~= b.g[i] then return a.g[i] < b.g[i] and -1 or 1 end
  end
  return 0
end

-- Formatting ------------------------------------------------------------------------------

local function format_v4(g)
  return sfmt("%d.%d.%d.%d", g[1] >> 8, g[1] & 0xFF, g[2] >> 8, g[2] & 0xFF)
end

-- RFC 5952: lower case, no leading zeros, the longest run (first on a tie) of two or more zero
-- groups as '::', and IPv4-mapped addresses (::ffff:0:0/96) with a dotted-quad tail.
local function format_v6(g)
  if g[1] == 0 and g[2] == 0 and g[3] == 0 and g[4] == 0 and g[5] == 0 and g[6] == 0xFFFF then
    return "::ffff:" .. format_v4({ g[7], g[8] })
  end
  local best, bestlen, i = nil, 1, 1
  while i <= 8 do
    if g[i] == 0 then
      local j = i
      while j <= 8 and g[j] == 0 do j = j + 1 end
      if j - i > bestlen then best, bestlen = i, j - i end
      i = j
    else
      i = i + 1
    end
  end
  local function hex(from, to)
    local t = {}
    for k = from, to do t[#t + 1] = sfmt("%x", g[k]) end
    return table.concat(t, ":")
  end
  if not best then return hex(1, 8) end
  return hex(1, best - 1) .. "::" .. hex(best + bestlen, 8)
end

local function format(a)
  if a.v == 4 then return format_v4(a.g) end
  return format_v6(a.g)
end

-- Argument checks -------------------------------------------------------------------------

-- An integral number as a Lua integer, or nil.
local function integer(x)
  if mtype(x) == "integer" then return x end
  if mtype(x) == "float" then return tointeger(x) end
  return nil
end

local function describe(x)
  if type(x) == "string" then return "'" .. x .. "'" end
  return tostring(x)
end

-- Parses `prefix` for public function `fname`; raises at the user's call site on failure.
local function need_prefix(fname, prefix)
  local a, len = parse_prefix(prefix)
  if not a then
    error(sfmt("cidr.%s: %s is not a valid CIDR (%s)", fname, describe(prefix), len), 3)
  end
  return a, len
end

-- Public API ------------------------------------------------------------------------------

--- Parses a CIDR prefix.
-- @param prefix string such as "10.1.2.3/16" or "fd00::/8"
-- @return table { version = 4|6, ip = "10.1.2.3", prefix_len = 16, network = "10.1.0.0",
--   cidr = "10.1.0.0/16", netmask = "255.255.0.0", first = "10.1.0.0", last = "10.1.255.255" }
function M.parse(prefix)
  local a, len = need_prefix("parse", prefix)
  local net = network(a, len)
  return {
    version = a.v,
    ip = format(a),
    prefix_len = len,
    network = format(net),
    cidr = format(net) .. "/" .. len,
    netmask = format(network(with_host_bits(a, 0, 1), len)),
    first = format(net),
    last = format(last(a, len)),
  }
end

--- Tells whether a string is a valid IP address or CIDR prefix (never raises).
-- @param s any value
-- @return boolean, and the reason when false
function M.valid(s)
  local ok, why
  if type(s) == "string" and s:find("/", 1, true) then ok, why = parse_prefix(s)
  else ok, why = parse_addr(s) end
  if ok then return true end
  return false, why
end

--- Calculates a subnet address within a prefix, like Terraform's `cidrsubnet`.
-- @param prefix string CIDR, e.g. "10.1.2.0/24" (host bits are ignored)
-- @param newbits integer number of bits to add to the prefix length
-- @param netnum integer subnet number, 0 .. 2^newbits - 1
-- @return string CIDR of the subnet, e.g. cidr.subnet("10.1.2.0/24", 4, 15) == "10.1.2.240/28"
function M.subnet(prefix, newbits, netnum)
  local a, len = need_prefix("subnet", prefix)
  local nb, nn = integer(newbits), integer(netnum)
  if not nb or nb < 0 then
    error("cidr.subnet: newbits must be a non-negative integer, got " .. describe(newbits), 2)
  end
  if not nn then error("cidr.subnet: netnum must be an integer, got " .. describe(netnum), 2) end
  if nn < 0 then error("cidr.subnet: netnum must not be negative, got " .. nn, 2) end
  if len + nb > a.bits then
    error(sfmt("cidr.subnet: not enough room in '%s': /%d + %d bits > %d", prefix, len, nb, a.bits), 2)
  end
  if nb < 63 and nn >= (1 << nb) then
    error(sfmt("cidr.subnet: netnum %d does not fit in %d bits (at most %d) in '%s'",
      nn, nb, (1 << nb) - 1, prefix), 2)
  end
  local r = put_bits(network(a, len), len, nb, nn)
  return format(r) .. "/" .. (len + nb)
end

--- Calculates a host address within a prefix, like Terraform's `cidrhost`.
-- @param prefix string CIDR, e.g. "10.12.112.0/20"
-- @param hostnum integer host number; negative counts back from the end (-1 is the last address)
-- @return string address, e.g. cidr.host("10.12.112.0/20", 268) == "10.12.113.12"
function M.host(prefix, hostnum)
  local a, len = need_prefix("host", prefix)
  local n = integer(hostnum)
  if not n then error("cidr.host: hostnum must be an integer, got " .. describe(hostnum), 2) end
  local hostbits = a.bits - len
  if hostbits < 63 then
    local size = 1 << hostbits
    if n >= size or n < -size then
      error(sfmt("cidr.host: host number %d is out of range for '%s' (%d addresses: %d .. %d)",
        n, prefix, size, -size, size - 1), 2)
    end
  end
  return format(put_bits(network(a, len), len, hostbits, n))
end

--- Converts a prefix length into a netmask.
-- @param prefix string CIDR, e.g. "172.16.0.0/12"
-- @return string "255.240.0.0" for IPv4; for IPv6 the mask in IPv6 notation ("ffff:ffff::")
function M.netmask(prefix)
  local a, len = need_prefix("netmask", prefix)
  return format(network(with_host_bits(a, 0, 1), len))
end

--- Tells whether an address (or a whole CIDR prefix) lies within a prefix.
-- Addresses of the other IP version are never contained.
-- @param prefix string CIDR, e.g. "10.0.0.0/8"
-- @param ip string address "10.1.2.3" or prefix "10.1.0.0/16"
-- @return boolean
function M.contains(prefix, ip)
  local a, len = need_prefix("contains", prefix)
  local b, blen, why
  if type(ip) == "string" and ip:find("/", 1, true) then
    b, blen = parse_prefix(ip)
    why = blen
  else
    b, why = parse_addr(ip)
    blen = b and b.bits
  end
  if not b then
    error(sfmt("cidr.contains: %s is not a valid IP address or CIDR (%s)", describe(ip), why), 2)
  end
  if a.v ~= b.v or blen < len then return false end
  return equal(network(a, len), network(b, len))
end

--- Allocates consecutive subnets of the given sizes, like Terraform's `cidrsubnets`.
-- @param prefix string CIDR, e.g. "10.1.0.0/16"
-- @param ... integers (or one list of integers): bits to add for each subnet
-- @return list of CIDR strings, e.g. cidr.subnets("10.1.0.0/16", 4, 4, 8, 4) ==
--   { "10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20" }
function M.subnets(prefix, ...)
  local a, len = need_prefix("subnets", prefix)
  local args = table.pack(...)
  if args.n == 1 and type(args[1]) == "table" then args = table.pack(table.unpack(args[1])) end
  local base = network(a, len)
  local out = {}
  -- As Terraform does: each block is the next aligned block of its size after the previous
  -- one; the first is the base network itself. Running past the base prefix is an error.
  local current, current_len
  for i = 1, args.n do
    local nb = integer(args[i])
    if not nb then
      error(sfmt("cidr.subnets: newbits #%d must be an integer, got %s", i, describe(args[i])), 2)
    end
    if nb < 1 then error(sfmt("cidr.subnets: newbits #%d must be at least 1, got %d", i, nb), 2) end
    local new_len = len + nb
    if new_len > a.bits then
      error(sfmt("cidr.subnets: not enough room in '%s': /%d + %d bits > %d", prefix, len, nb, a.bits), 2)
    end
    local candidate
    if current == nil then
      candidate = network(base, new_len)
    else
      local wrapped
      candidate, wrapped = step(last(last(current, current_len), new_len), 1)
      if wrapped or not equal(network(candidate, len), base) then
        error(sfmt("cidr.subnets: not enough room in '%s' for subnet #%d (/%d) after %s/%d",
          prefix, i, new_len, format(current), current_len), 2)
      end
    end
    current, current_len = candidate, new_len
    out[i] = format(current) .. "/" .. new_len
  end
  return out
end

--- Compares two addresses of the same version numerically (for sorting).
-- @return -1, 0 or 1
function M.compare(x, y)
  local a, why = parse_addr(x)
  if not a then error(sfmt("cidr.compare: %s is not a valid IP address (%s)", describe(x), why), 2) end
  local b; b, why = parse_addr(y)
  if not b then error(sfmt("cidr.compare: %s is not a valid IP address (%s)", describe(y), why), 2) end
  if a.v ~= b.v then error("cidr.compare: cannot compare an IPv4 with an IPv6 address", 2) end
  return compare(a, b)
end

return M

-- cidr_test.lua: tests for cidr.lua (Terraform's documented examples and edge cases).
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. package.path
local t = require "helper"
local cidr = require "cidr"

-- Terraform's cidrsubnet examples
t.eq(cidr.subnet("172.16.0.0/12", 4, 2), "172.18.0.0/16")
t.eq(cidr.subnet("10.1.2.0/24", 4, 15), "10.1.2.240/28")
t.eq(cidr.subnet("fd00:fd12:3456:7890::/56", 16, 162), "fd00:fd12:3456:7800:a200::/72")
-- more subnet cases
t.eq(cidr.subnet("10.0.0.0/16", 8, 0), "10.0.0.0/24")
t.eq(cidr.subnet("10.0.0.0/16", 8, 255), "10.0.255.0/24")
t.eq(cidr.subnet("10.0.0.0/16", 0, 0), "10.0.0.0/16", "zero newbits")
t.eq(cidr.subnet("10.1.2.3/16", 8, 1), "10.1.1.0/24", "host bits of the prefix are ignored")
t.eq(cidr.subnet("0.0.0.0/0", 32, 4294967295), "255.255.255.255/32")
t.eq(cidr.subnet("10.0.0.0/8", 4, 3.0), "10.48.0.0/12", "integral float accepted")
t.eq(cidr.subnet("::/0", 64, 1), "0:0:0:1::/64")
t.eq(cidr.subnet("2001:db8::/32", 32, 0xdeadbeef), "2001:db8:dead:beef::/64")
t.eq(cidr.subnet("2001:db8::/32", 96, 1), "2001:db8::1/128", "newbits above 64")
t.eq(cidr.subnet("::/0", 64, math.maxinteger), "7fff:ffff:ffff:ffff::/64")
t.eq(cidr.subnet("fd00::/8", 56, 0x123456789abcde), "fd12:3456:789a:bcde::/64")

-- Terraform's cidrhost examples
t.eq(cidr.host("10.12.112.0/20", 16), "10.12.112.16")
t.eq(cidr.host("10.12.112.0/20", 268), "10.12.113.12")
t.eq(cidr.host("fd00:fd12:3456:7890:00a2::/72", 34), "fd00:fd12:3456:7890::22")
t.eq(cidr.host("10.0.0.0/8", 2), "10.0.0.2")
t.eq(cidr.host("10.0.0.0/8", -2), "10.255.255.254")
t.eq(cidr.host("10.1.2.240/28", 1), "10.1.2.241")
t.eq(cidr.host("10.1.2.240/28", 14), "10.1.2.254")
-- more host cases
t.eq(cidr.host("10.0.0.0/24", -1), "10.0.0.255")
t.eq(cidr.host("10.0.0.0/24", -256), "10.0.0.0")
t.eq(cidr.host("10.0.0.0/24", 255), "10.0.0.255")
t.eq(cidr.host("192.168.1.7/32", 0), "192.168.1.7")
t.eq(cidr.host("192.168.1.7/32", -1), "192.168.1.7")
t.eq(cidr.host("fd00::/64", -1), "fd00::ffff:ffff:ffff:ffff")
t.eq(cidr.host("fd00::/8", -1), "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "negative across 120 host bits")
t.eq(cidr.host("fd00::/8", -65536), "fdff:ffff:ffff:ffff:ffff:ffff:ffff:0")
t.eq(cidr.host("fd00::/64", 65536), "fd00::1:0")
t.eq(cidr.host("fd00::/64", math.mininteger), "fd00::8000:0:0:0")
t.eq(cidr.host("fd00::/65", math.mininteger), "fd00::", "-2^63 in a /65 is its first address")
t.eq(cidr.host("::/0", 1), "::1")
t.eq(cidr.host("0.0.0.0/0", -1), "255.255.255.255")

-- Terraform's cidrsubnets examples
t.eq(cidr.subnets("10.1.0.0/16", 4, 4, 8, 4),
  { "10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20" })
t.eq(cidr.subnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32), {
  "fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72",
  "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88" })
do -- nested, as in Terraform's docs
  local groups = {}
  for i, block in ipairs(cidr.subnets("10.0.0.0/8", 8, 8, 8, 8)) do groups[i] = cidr.subnets(block, 4, 4) end
  t.eq(groups, {
    { "10.0.0.0/20", "10.0.16.0/20" }, { "10.1.0.0/20", "10.1.16.0/20" },
    { "10.2.0.0/20", "10.2.16.0/20" }, { "10.3.0.0/20", "10.3.16.0/20" } })
end
t.eq(cidr.subnets("10.1.0.0/16", { 4, 4, 8, 4 })[4], "10.1.48.0/20", "list argument")
t.eq(cidr.subnets("10.1.0.0/16"), {}, "no sizes, no subnets")
t.eq(cidr.subnets("0.0.0.0/0", 1, 1), { "0.0.0.0/1", "128.0.0.0/1" }, "starts at address zero")
t.eq(cidr.subnets("10.0.0.0/24", 1, 1), { "10.0.0.0/25", "10.0.0.128/25" })
t.eq(cidr.subnets("10.0.0.0/24", 2, 1), { "10.0.0.0/26", "10.0.0.128/25" }, "a bigger block is aligned")
t.eq(cidr.subnets("::/0", 1, 1), { "::/1", "8000::/1" })
t.raises("not enough room in '10.0.0.0/24' for subnet #3 (/25) after 10.0.0.128/25", cidr.subnets, "10.0.0.0/24", 1, 1, 1)
t.raises("not enough room", cidr.subnets, "255.255.255.0/24", 1, 1, 1)
t.raises("not enough room", cidr.subnets, "ffff::/16", 1, 1, 1)
t.raises("newbits #2 must be at least 1, got 0", cidr.subnets, "10.0.0.0/8", 1, 0)
t.raises("/24 + 9 bits > 32", cidr.subnets, "10.0.0.0/24", 9)
t.raises("newbits #1 must be an integer, got 'x'", cidr.subnets, "10.0.0.0/24", "x")

-- netmask
t.eq(cidr.netmask("172.16.0.0/12"), "255.240.0.0")
t.eq(cidr.netmask("10.0.0.0/8"), "255.0.0.0")
t.eq(cidr.netmask("10.0.0.0/32"), "255.255.255.255")
t.eq(cidr.netmask("0.0.0.0/0"), "0.0.0.0")
t.eq(cidr.netmask("10.1.2.0/23"), "255.255.254.0")
t.eq(cidr.netmask("fd00::/36"), "ffff:ffff:f000::")
t.eq(cidr.netmask("fd00::/128"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")

-- contains
t.eq(cidr.contains("10.0.0.0/8", "10.255.1.2"), true)
t.eq(cidr.contains("10.0.0.0/8", "11.0.0.0"), false)
t.eq(cidr.contains("10.0.0.0/8", "10.1.0.0/16"), true, "subnet inside")
t.eq(cidr.contains("10.1.0.0/16", "10.0.0.0/8"), false, "supernet is not inside")
t.eq(cidr.contains("10.1.0.0/16", "10.1.0.0/16"), true)
t.eq(cidr.contains("0.0.0.0/0", "1.2.3.4"), true)
t.eq(cidr.contains("10.0.0.0/8", "::ffff:10.0.0.1"), false, "other IP version")
t.eq(cidr.contains("fd00::/8", "fd12::1"), true)
t.eq(cidr.contains("fd00::/8", "fe00::1"), false)
t.eq(cidr.contains("2001:db8::/127", "2001:db8::1"), true)
t.eq(cidr.contains("2001:db8::/128", "2001:db8::1"), false)
t.raises("cidr.contains: '10.0.0.256' is not a valid IP address or CIDR", cidr.contains, "10.0.0.0/8", "10.0.0.256")

-- parse, valid, compare
do
  local p = cidr.parse("10.1.2.3/16")
  t.eq(p, { version = 4, ip = "10.1.2.3", prefix_len = 16, network = "10.1.0.0", cidr = "10.1.0.0/16",
            netmask = "255.255.0.0", first = "10.1.0.0", last = "10.1.255.255" })
  local q = cidr.parse("FD00:0:0:0:0:0:0:1/64")
  t.eq(q.ip, "fd00::1", "RFC 5952 lower case and '::'")
  t.eq(q.cidr, "fd00::/64")
  t.eq(q.last, "fd00::ffff:ffff:ffff:ffff")
  t.eq(q.version, 6)
end
t.eq(cidr.parse("2001:db8:0:0:1:0:0:1/128").ip, "2001:db8::1:0:0:1", "first of two equal zero runs")
t.eq(cidr.parse("2001:0:0:1:0:0:0:1/128").ip, "2001:0:0:1::1", "longest zero run")
t.eq(cidr.parse("2001:db8:0:1:1:1:1:1/128").ip, "2001:db8:0:1:1:1:1:1", "a single zero group is not '::'")
t.eq(cidr.parse("::/0").ip, "::")
t.eq(cidr.parse("::1/128").ip, "::1")
t.eq(cidr.parse("1::/16").ip, "1::")
t.eq(cidr.parse("::ffff:192.0.2.1/128").ip, "::ffff:192.0.2.1", "IPv4-mapped")
t.eq(cidr.parse("64:ff9b::192.0.2.33/128").ip, "64:ff9b::c000:221", "embedded IPv4 tail")
t.eq(cidr.valid("10.0.0.0/8"), true)
t.eq(cidr.valid("10.0.0.1"), true)
t.eq(cidr.valid("fe80::1"), true)
t.eq(cidr.valid("10.0.0.0/33"), false)
t.eq(cidr.valid(42), false)
t.eq(cidr.compare("10.0.0.2", "10.0.0.10"), -1)
t.eq(cidr.compare("fd00::1", "fd00::1"), 0)
t.eq(cidr.compare("fe00::", "fd00::ffff"), 1)
t.raises("cannot compare an IPv4 with an IPv6 address", cidr.compare, "10.0.0.1", "::1")

-- invalid input
local bad = {
  { "10.0.0.0/33", "prefix length must be a number from 0 to 32" },
  { "fd00::/129", "prefix length must be a number from 0 to 128" },
  { "10.0.0.0", "missing '/<prefix length>'" },
  { "10.0.0/8", "four dot-separated numbers" },
  { "10.0.0.256/8", "'256' is not a number from 0 to 255" },
  { "10.0.0.01/8", "leading zero" },
  { "10.0.0.0/08", "prefix length must be" },
  { "10.0.0.0/-1", "prefix length must be" },
  { "10.0.0.0/8/8", "missing '/<prefix length>'" },
  { " 10.0.0.0/8", "is not a number" },
  { "fd00::1::/64", "'::' may appear only once" },
  { "fd00:1:2:3:4:5:6:7:8/64", "eight groups" },
  { "fd00:1:2:3:4:5:6/64", "eight groups" },
  { "1:2:3:4::5:6:7:8/64", "at least one group of zeros" },
  { "fd00:12345::/64", "'12345' is not a group of 1 to 4 hex digits" },
  { "fd00:g::/64", "'g' is not a group" },
  { "fd00:::1/64", "empty group" },
  { "fe80::1%eth0/64", "zone indexes" },
  { "::1.2.3/96", "four dot-separated numbers" },
  { "", "missing '/<prefix length>'" },
}
for _, case in ipairs(bad) do
  t.raises("cidr.subnet: '" .. case[1] .. "' is not a valid CIDR (" , cidr.subnet, case[1], 1, 0)
  t.raises(case[2], cidr.subnet, case[1], 1, 0)
end
t.raises("cidr.subnet: '10.0.0.0/33' is not a valid CIDR", cidr.subnet, "10.0.0.0/33", 1, 0)
t.raises("cidr.host: nil is not a valid CIDR", cidr.host, nil, 1)
t.raises("cidr.netmask: 42 is not a valid CIDR (expected a string in CIDR notation, got number)", cidr.netmask, 42)
t.raises("cidr.subnet: not enough room in '10.0.0.0/24': /24 + 9 bits > 32", cidr.subnet, "10.0.0.0/24", 9, 0)
t.raises("/64 + 65 bits > 128", cidr.subnet, "fd00::/64", 65, 0)
t.raises("cidr.subnet: netnum 16 does not fit in 4 bits (at most 15) in '10.1.2.0/24'", cidr.subnet, "10.1.2.0/24", 4, 16)
t.raises("cidr.subnet: netnum must not be negative, got -1", cidr.subnet, "10.1.2.0/24", 4, -1)
t.raises("cidr.subnet: netnum must be an integer, got 1.5", cidr.subnet, "10.1.2.0/24", 4, 1.5)
t.raises("cidr.subnet: newbits must be a non-negative integer, got '4'", cidr.subnet, "10.1.2.0/24", "4", 1)
t.raises("cidr.subnet: newbits must be a non-negative integer, got -1", cidr.subnet, "10.1.2.0/24", -1, 0)
t.raises("cidr.host: host number 4096 is out of range for '10.12.112.0/20' (4096 addresses: -4096 .. 4095)",
  cidr.host, "10.12.112.0/20", 4096)
t.raises("out of range", cidr.host, "10.12.112.0/20", -4097)
t.raises("out of range", cidr.host, "10.0.0.1/32", 1)
t.raises("cidr.host: hostnum must be an integer, got 'a'", cidr.host, "10.0.0.0/8", "a")

-- errors point at the caller's line, not inside cidr.lua
do
  local ok, err = pcall(function() return cidr.subnet("10.0.0.0/33", 1, 0), 0 end)
  t.ok(not ok and err:match("^[^:]*cidr_test%.lua:%d+: cidr%.subnet:"), "error located at the caller: " .. tostring(err))
  ok, err = pcall(function() return cidr.host("10.0.0.0/8", 1 << 40), 0 end)
  t.ok(not ok and err:match("^[^:]*cidr_test%.lua:%d+: cidr%.host:"), "error located at the caller: " .. tostring(err))
  ok, err = pcall(function() return cidr.subnets("10.0.0.0/30", 1, 1, 1), 0 end)
  t.ok(not ok and err:match("^[^:]*cidr_test%.lua:%d+: cidr%.subnets:"), "error located at the caller: " .. tostring(err))
end

-- every subnet of a /20 split into /24s is contained and distinct
do
  local seen = {}
  for n = 0, 15 do
    local s = cidr.subnet("10.20.16.0/20", 4, n)
    t.ok(cidr.contains("10.20.16.0/20", s) and not seen[s], s)
    seen[s] = true
    t.eq(cidr.host(s, 0), cidr.parse(s).first)
    t.eq(cidr.host(s, -1), cidr.parse(s).last)
  end
end

t.done()

-- base64_test.lua: tests for base64.lua (RFC 4648 vectors, URL-safe alphabet, strict decoding).
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. package.path
local t = require "helper"
local base64 = require "base64"

-- RFC 4648 section 10 test vectors
local vectors = {
  { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
  { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
}
for _, v in ipairs(vectors) do
  t.eq(base64.encode(v[1]), v[2], "encode " .. v[1])
  t.eq(base64.decode(v[2]), v[1], "decode " .. v[2])
  t.eq(base64.decode((v[2]:gsub("=", ""))), v[1], "decode unpadded " .. v[2])
  t.eq(base64.encode(v[1], { pad = false }), (v[2]:gsub("=", "")), "encode unpadded " .. v[1])
end

-- all byte values, both alphabets
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
t.eq(base64.decode(base64.encode(all)), all, "round trip of every byte value")
t.eq(base64.decode(base64.encode(all, { url = true }), { url = true }), all, "URL-safe round trip")
for n = 0, 40 do
  local s = all:sub(200, 200 + n - 1)
  t.eq(base64.decode(base64.encode(s)), s, "round trip length " .. n)
end

-- URL-safe alphabet
t.eq(base64.encode("\251\255\191"), "+/+/")
t.eq(base64.encode("\251\255\191", { url = true }), "-_-_")
t.eq(base64.encode("\255\255", { url = true }), "__8=")
t.eq(base64.encode("\255\255", { url = true, pad = false }), "__8")
t.eq(base64.decode("-_-_", { url = true }), "\251\255\191")
t.eq(base64.decode("__8", { url = true }), "\255\255")
t.eq(base64.encode("hello, world\n"), "aGVsbG8sIHdvcmxkCg==")
t.eq(base64.encode('{"cloud-init":"#cloud-config"}'), "eyJjbG91ZC1pbml0IjoiI2Nsb3VkLWNvbmZpZyJ9")

-- line breaks and spaces are skipped (wrapped output of the `base64` tool)
t.eq(base64.decode("Zm9v\nYmFy\r\n"), "foobar")
t.eq(base64.decode(" Zm9v YmE= "), "fooba")
t.eq(base64.decode("Zg=\n="), "f", "a break inside the padding")

-- strict decoding
t.raises("base64.decode: invalid character '*' at position 3", base64.decode, "Zm*v")
t.raises("invalid character '-' at position 1 (URL-safe alphabet? decode with { url = true })", base64.decode, "-_-_")
t.raises("invalid character '+' at position 1 (standard alphabet? decode without url = true)", base64.decode, "+/+/", { url = true })
t.raises("invalid character byte 0x00 at position 2", base64.decode, "Z\0g=")
t.raises("invalid character byte 0xc3 at position 1", base64.decode, "é")
t.raises("base64.decode: data after '=' padding at position 4", base64.decode, "Zg=g")
t.raises("data after '=' padding at position 5", base64.decode, "Zg==Zm8=")
t.raises("base64.decode: wrong padding at position 3 (1 '=' after 2 characters of data)", base64.decode, "Zg=")
t.raises("wrong padding at position 4 (2 '=' after 3 characters of data)", base64.decode, "Zm8==")
t.raises("wrong padding at position 5 (1 '=' after 4 characters of data)", base64.decode, "Zm9v=")
t.raises("wrong padding at position 1 (4 '=' after 0 characters of data)", base64.decode, "====")
t.raises("wrong padding", base64.decode, "Zg===")
t.raises("base64.decode: truncated input (5 characters of data; a final group needs at least 2)", base64.decode, "Zm9vY")
t.raises("truncated input", base64.decode, "Z")
t.raises("base64.decode: non-zero padding bits in the last character", base64.decode, "Zh==")
t.raises("non-zero padding bits", base64.decode, "Zm9=")
t.raises("base64.decode: expected a string, got nil", base64.decode, nil)
t.raises("base64.encode: expected a string, got number", base64.encode, 42)
t.raises("base64.encode: options must be a table such as { url = true }, got boolean", base64.encode, "x", true)
t.eq(base64.decode(""), "")
t.eq(base64.decode("\n"), "")
do
  local ok, err = pcall(function() return base64.decode("@@@@"), 0 end)
  t.ok(not ok and err:match("^[^:]*base64_test%.lua:%d+: base64%.decode:"), "error located at the caller: " .. tostring(err))
  ok, err = pcall(function() return base64.encode("x", 1), 0 end)
  t.ok(not ok and err:match("^[^:]*base64_test%.lua:%d+: base64%.encode:"), "error located at the caller: " .. tostring(err))
end

-- a larger input
do
  local big = string.rep(all, 400)        -- 100 KiB
  local text = base64.encode(big)
  t.eq(#text, 4 * math.ceil(#big / 3))
  t.eq(base64.decode(text), big, "100 KiB round trip")
end

t.done()

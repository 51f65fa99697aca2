-- json_test.lua: tests for json.lua (encoding, decoding, round trips, tricky inputs, errors).
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. package.path
local t = require "helper"
local json = require "json"

local enc, dec = json.encode, json.decode

-- scalars
t.eq(enc(nil), "null")
t.eq(enc(json.null), "null")
t.eq(enc(true), "true")
t.eq(enc(false), "false")
t.eq(enc(0), "0")
t.eq(enc(-42), "-42")
t.eq(enc(math.maxinteger), "9223372036854775807")
t.eq(enc(math.mininteger), "-9223372036854775808")
t.eq(enc(1.0), "1.0", "a float stays a float")
t.eq(enc(-0.0), "-0.0")
t.eq(enc(0.1), "0.1", "shortest form that round-trips")
t.eq(enc(1.5), "1.5")
t.eq(enc(1/3), "0.3333333333333333")
t.eq(enc(1e300), "1e+300")
t.eq(enc(2^53), "9007199254740992.0")
t.eq(enc(123456789.125), "123456789.125")
t.eq(enc(""), '""')
t.eq(enc("hello"), '"hello"')

-- string escapes
t.eq(enc('a"b\\c/d'), '"a\\"b\\\\c/d"')
t.eq(enc("\b\f\n\r\t"), '"\\b\\f\\n\\r\\t"')
t.eq(enc("\0\1\31"), '"\\u0000\\u0001\\u001f"', "control characters")
t.eq(enc("\127"), '"\\u007f"')
t.eq(enc("héllo ☃ 𝄞"), '"héllo ☃ 𝄞"', "UTF-8 passes through")
t.raises("json.encode: string at $ is not valid UTF-8 (byte 2)", enc, "a\xff")
t.raises("not valid UTF-8", enc, "\xed\xa0\x80", "a UTF-8-encoded surrogate")

-- tables: arrays vs objects
t.eq(enc({}), "[]", "empty table is an array")
t.eq(enc(json.object({})), "{}")
t.eq(enc(json.object()), "{}")
t.eq(enc(json.array()), "[]")
t.eq(enc({ 1, 2, 3 }), "[1,2,3]")
t.eq(enc({ 1, "two", true, json.null, 5.5 }), '[1,"two",true,null,5.5]')
t.eq(enc({ b = 1, a = 2, c = { z = 1, y = { 3, 2 } } }), '{"a":2,"b":1,"c":{"y":[3,2],"z":1}}', "sorted keys")
t.eq(enc({ ["10"] = 1, ["9"] = 2, ["B"] = 3, ["a"] = 4 }), '{"10":1,"9":2,"B":3,"a":4}', "byte order")
t.eq(enc({ a = json.null }), '{"a":null}')
t.eq(enc({ a = {} }), '{"a":[]}')
t.eq(enc({ a = json.object() }), '{"a":{}}')
t.eq(enc(setmetatable({}, { __jsontype = "object" })), "{}", "__jsontype in a metatable")
t.eq(enc(setmetatable({ secret = "x" }, { __tojson = function() return "(sensitive)" end })), '"(sensitive)"', "__tojson")
do -- a shared (not cyclic) table is fine
  local shared = { 1 }
  t.eq(enc({ a = shared, b = shared }), '{"a":[1],"b":[1]}')
end

-- pretty output
t.eq(enc({ b = { 1, 2 }, a = json.object(), c = {} }, { indent = 2 }),
  '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "c": []\n}')
t.eq(enc({ 1 }, { indent = "\t" }), "[\n\t1\n]")
t.eq(enc("x", { indent = 2 }), '"x"')

-- encode errors
do
  local cyc = {}
  cyc.self = cyc
  t.raises("json.encode: cycle at $.self (a table contains itself)", enc, cyc)
  local deep = { list = { {} } }
  deep.list[1].back = deep.list
  t.raises("cycle at $.list[1].back", enc, deep)
end
t.raises("json.encode: cannot encode a function (at $.f)", enc, { f = print })
t.raises("cannot encode a function (at $[2])", enc, { 1, print })
t.raises("cannot encode a thread", enc, coroutine.create(print))
t.raises("cannot encode a userdata (at $[\"a b\"])", enc, { ["a b"] = io.stdout })
t.raises("json.encode: NaN at $ cannot be represented in JSON", enc, 0/0)
t.raises("inf at $.x cannot be represented", enc, { x = math.huge })
t.raises("-inf at $ cannot", enc, -math.huge)
t.raises("json.encode: list at $ has holes (2 values, highest index 3)", enc, { 1, nil, 3 })
t.raises("json.encode: table at $ mixes list items and string keys", enc, { 1, a = 2 })
t.raises("json.encode: table at $ has a float key (1.5)", enc, { [1.5] = 1 })
t.raises("has a integer key (0)", enc, { [0] = 1 })
t.raises("has a boolean key", enc, { [true] = 1 })
t.raises("json.encode: object at $ has a number key (1)", enc, json.object({ 1 }))
do
  local ok, err = pcall(function() return enc({ f = print }), 0 end)
  t.ok(not ok and err:match("^[^:]*json_test%.lua:%d+: json%.encode:"), "error located at the caller: " .. tostring(err))
end

-- decode: scalars and numbers
t.eq(dec("null"), json.null)
t.eq(dec("true"), true)
t.eq(dec("false"), false)
t.eq(dec("0"), 0)
t.eq(dec("-0"), 0)
t.eq(dec("42"), 42)
t.eq(dec("-42"), -42)
t.eq(dec("1.0"), 1.0, "with '.' a float")
t.eq(dec("1e2"), 100.0, "with an exponent a float")
t.eq(dec("1E+2"), 100.0)
t.eq(dec("2.5e-3"), 0.0025)
t.eq(dec("-0.5"), -0.5)
t.eq(dec("9223372036854775807"), math.maxinteger)
t.eq(dec("-9223372036854775808"), math.mininteger)
t.eq(dec("9223372036854775808"), 9223372036854775808.0, "beyond 64 bits: a float")
t.eq(dec("1e400"), math.huge)
t.eq(dec(" \t\r\n 7 \n"), 7, "whitespace around")

-- decode: strings
t.eq(dec('""'), "")
t.eq(dec('"abc"'), "abc")
t.eq(dec('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), '"\\/\b\f\n\r\t')
t.eq(dec('"\\u0041\\u00e9\\u2603"'), "Aé☃")
t.eq(dec('"\\u0000"'), "\0")
t.eq(dec('"\\uD834\\uDD1E"'), "𝄞", "surrogate pair")
t.eq(dec('"\\ud83d\\ude00!"'), "😀!", "lower-case surrogate pair")
t.eq(dec('"héllo ☃"'), "héllo ☃", "raw UTF-8")
t.eq(dec('"\127"'), "\127", "DEL is allowed raw")

-- decode: containers
t.eq(dec("[]"), {})
t.eq(dec("{}"), {})
t.eq(enc(dec("{}")), "{}", "an empty object stays an object")
t.eq(enc(dec('{"a":{},"b":[]}')), '{"a":{},"b":[]}')
t.eq(dec("[1,[2,[3]]]"), { 1, { 2, { 3 } } })
t.eq(dec('{"a":1,"b":[true,null]}'), { a = 1, b = { true, json.null } })
t.eq(#dec("[null,null,3]"), 3, "nulls keep list positions")
t.eq(dec('{"a":1,"a":2}').a, 2, "duplicate keys: the last wins")
t.eq(dec(' { "k" : [ 1 , 2 ] } '), { k = { 1, 2 } })
t.eq(dec('{"":0}')[""], 0, "empty key")
t.eq(dec('{"\\u00e9":1}')["é"], 1, "escaped key")

-- round trips
local samples = {
  { 1, 2.5, "x", true, false, json.null },
  { name = "web", tags = { "env:prod", "team:ops" }, count = 3, ratio = 0.75, nested = { deep = { deeper = {} } } },
  { ["weird \"key\"\n"] = "\0\1\127é☃𝄞", [""] = json.object() },
  { 0.1, 1e-7, 123456789.123, -1.5e300, 2^63, 5e-324 },
  { math.maxinteger, math.mininteger, 0, -1 },
}
for i, v in ipairs(samples) do
  local text = enc(v)
  t.eq(dec(text), v, "round trip " .. i)
  t.eq(enc(dec(text)), text, "stable text " .. i)
  t.eq(enc(dec(enc(v, { indent = 2 }))), text, "pretty round trip " .. i)
end
do -- every float type survives
  local v = dec(enc({ 1.0, 2 }))
  t.eq(math.type(v[1]), "float")
  t.eq(math.type(v[2]), "integer")
end

-- decode errors (with byte positions)
local bad = {
  { "", "unexpected end of input at byte 1" },
  { "   ", "unexpected end of input at byte 4" },
  { "[1,2", "expected ',' or ']' but found end of input at byte 5" },
  { "[1 2]", "expected ',' or ']' but found '2' at byte 4" },
  { "[1,]", "unexpected ']' at byte 4" },
  { "{\"a\":1,}", "expected a string key but found '}' at byte 8" },
  { "{'a':1}", "expected a string key but found ''' at byte 2" },
  { "{\"a\" 1}", "expected ':' but found '1' at byte 6" },
  { "{\"a\":1", "expected ',' or '}' but found end of input" },
  { "{a:1}", "expected a string key but found 'a' at byte 2" },
  { "nul", "unexpected 'n' at byte 1" },
  { "True", "unexpected 'T' at byte 1" },
  { "NaN", "unexpected 'N'" },
  { "1 2", "unexpected trailing '2' at byte 3" },
  { "[] x", "unexpected trailing 'x' at byte 4" },
  { "01", "invalid number (leading zero) at byte 1" },
  { "-01", "invalid number (leading zero)" },
  { "1.", "invalid number (no digits after '.')" },
  { ".5", "unexpected '.' at byte 1" },
  { "-", "invalid number (no digits)" },
  { "+1", "unexpected '+'" },
  { "1e", "invalid number (bad exponent)" },
  { "1e+", "invalid number (bad exponent) at byte 1" },
  { "0x10", "unexpected trailing 'x' at byte 2" },
  { '"abc', "unterminated string starting at byte 1" },
  { '"a\nb"', "raw control character 0x0a in string (escape it) at byte 3" },
  { '"a\tb"', "raw control character 0x09" },
  { '"\\x"', "invalid escape '\\x' at byte 2" },
  { '"\\u12"', "invalid \\u escape (needs 4 hex digits)" },
  { '"\\uD834"', "lone high surrogate \\uD834" },
  { '"\\uD834\\u0041"', "lone high surrogate" },
  { '"\\uDD1E"', "lone low surrogate \\uDD1E" },
  { '"\xff"', "invalid UTF-8 at byte 2" },
  { "[1,\n  2,\n  x]", "unexpected 'x' at byte 12 (line 3, column 3)" },
  { "\239\187\191{}", "unexpected byte 0xef at byte 1" },
}
for _, case in ipairs(bad) do
  t.raises("json.decode: " .. case[2], dec, case[1])
end
t.raises("json.decode: expected a string, got nil", dec, nil)
t.raises("nesting deeper than 1000 levels", dec, string.rep("[", 1001) .. string.rep("]", 1001))
t.eq(#enc(dec(string.rep("[", 500) .. string.rep("]", 500))), 1000, "500 levels are fine")
do
  local ok, err = pcall(function() return dec("[1,"), 0 end)
  t.ok(not ok and err:match("^[^:]*json_test%.lua:%d+: json%.decode:"), "error located at the caller: " .. tostring(err))
end

-- json.null
t.eq(tostring(json.null), "null")
t.ok(json.is_null(json.null) and not json.is_null(nil) and not json.is_null({}), "is_null")
t.raises("json.null is read-only", function() json.null.x = 1 end)

-- a larger document
do
  local doc = { items = {} }
  for i = 1, 2000 do doc.items[i] = { id = i, name = "item-" .. i, price = i / 4, tags = { "a", "b" } } end
  local text = enc(doc)
  t.eq(dec(text), doc, "2000-item document round trip")
end

t.done()

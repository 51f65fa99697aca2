-- sealed_test.lua: json, base64 and template on sealed values (secrets): they work on the
-- plaintext, seal what they compute, and their errors show none of the plaintext.
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. package.path
local t = require "helper"
local json = require "json"
local base64 = require "base64"
local template = require "template"

-- A minimal sealed type, as the scaleway module's secrets are built.
local Sealed = {}
local function seal(v) return setmetatable({ v = v }, Sealed) end
Sealed.__unseal = function(s) return rawget(s, "v") end
Sealed.__seal = seal
Sealed.__concat = function(a, b)
  local function open(x) return getmetatable(x) == Sealed and rawget(x, "v") or x end
  return seal(open(a) .. open(b))
end
Sealed.__tostring = function() return "(sealed)" end
local function sealed(v) return getmetatable(v) == Sealed end

local pw = seal("hunter2")

local j = json.encode({ user = "app", password = pw })
t.ok(sealed(j), "json.encode of a table holding a secret is a secret")
t.eq(rawget(j, "v"), '{"password":"hunter2","user":"app"}')
t.eq(json.encode({ user = "app" }), '{"user":"app"}', "no secret inside: a plain string")
local d = json.decode(seal('{"a":[1,2]}'))
t.ok(sealed(d), "json.decode of a secret is a secret")
t.eq(rawget(d, "v").a[2], 2)
do
  local ok, err = pcall(json.decode, seal("{hunter2"))
  t.ok(not ok and err:find("not valid JSON", 1, true) and not err:find("hunter2", 1, true), "no plaintext in: " .. tostring(err))
end

local b = base64.encode(pw)
t.ok(sealed(b), "base64.encode of a secret is a secret")
t.eq(rawget(b, "v"), "aHVudGVyMg==")
t.eq(rawget(base64.decode(b), "v"), "hunter2", "base64.decode of a secret is a secret")
do
  local ok, err = pcall(base64.decode, seal("hunter2!"))
  t.ok(not ok and not err:find("hunter2", 1, true) and not err:find("'!'", 1, true), "no plaintext in: " .. tostring(err))
end

local r = template.render("pw=${pw}!", { pw = pw })
t.ok(sealed(r), "a template that uses a secret renders to a secret")
t.eq(rawget(r, "v"), "pw=hunter2!")
local r2 = template.render(seal("user=${u}"), { u = "app" })
t.ok(sealed(r2), "a secret template renders to a secret")
t.eq(rawget(r2, "v"), "user=app")

t.done()

-- template_test.lua: tests for template.lua (lookups, escapes, missing variables, references).
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. package.path
local t = require "helper"
local template = require "template"
local render = template.render

-- lookups
t.eq(render("hello ${name}!", { name = "world" }), "hello world!")
t.eq(render("${a}${b}", { a = "x", b = "y" }), "xy")
t.eq(render("${ a.b.c }", { a = { b = { c = "deep" } } }), "deep", "spaces and nested keys")
t.eq(render("${hosts.2}", { hosts = { "h1", "h2" } }), "h2", "numeric segment indexes a list")
t.eq(render("${m.1}", { m = { ["1"] = "string key" } }), "string key", "numeric segment falls back to a string key")
t.eq(render("${cloud-init}", { ["cloud-init"] = "ci" }), "ci", "hyphens in names")
t.eq(render("${_x1}", { _x1 = "u" }), "u")
t.eq(render("port ${port}, ratio ${r}, on ${on}", { port = 5432, r = 0.5, on = true }), "port 5432, ratio 0.5, on true")
t.eq(render("${n}", { n = 2.0 }), "2.0", "floats as Lua prints them")
t.eq(render("${v}", { v = setmetatable({}, { __tostring = function() return "custom" end }) }), "custom")
t.eq(render("${x}", { x = "${not.expanded}" }), "${not.expanded}", "values are not expanded again")
t.eq(render("${x}", { x = false }), "false", "false is a value, not missing")
t.eq(render("", {}), "")
t.eq(render("no placeholders", nil), "no placeholders", "vars may be nil")
t.eq(render("line1\n${a}\nline3", { a = "two" }), "line1\ntwo\nline3")
t.eq(render("é ${s} ☃", { s = "𝄞" }), "é 𝄞 ☃")
t.eq(render("${a}", setmetatable({}, { __index = function(_, k) return k:upper() end })), "A", "__index on vars")

-- escapes
t.eq(render("$${literal}", {}), "${literal}")
t.eq(render("$${a} ${a}", { a = 1 }), "${a} 1")
t.eq(render("$$${a}", { a = 1 }), "$${a}", "'$' then the '$${' escape")
t.eq(render("cost: $5, $ {a}, $$, {a}", {}), "cost: $5, $ {a}, $$, {a}", "lone '$' and braces are literal")
t.eq(render("${a}}", { a = "x" }), "x}")
t.eq(render("echo $${HOME} ${user}", { user = "root" }), "echo ${HOME} root", "shell variables in cloud-init")

-- missing variables
t.raises("template.render: missing variable 'name' at line 1", render, "hi ${name}", {})
t.raises("missing variable 'a.b.c' at line 3", render, "x\ny\n${a.b.c}", { a = { b = {} } })
t.raises("missing variable 'a.b'", render, "${a.b}", { a = {} })
t.raises("missing variable 'x'", render, "${x}", nil)
t.raises("template.render: cannot look up 'a.b' at line 1: 'a' is a string, not a table", render, "${a.b}", { a = "s" })
t.raises("cannot look up 'a.b.c' at line 1: 'a.b' is a number, not a table", render, "${a.b.c}", { a = { b = 1 } })
t.eq(render("[${gone}]", {}, { strict = false }), "[]", "strict = false leaves it empty")
t.eq(render("[${a.b.c}]", { a = "s" }, { strict = false }), "[]")
t.eq(render("[${a}]", { a = "set" }, { strict = false }), "[set]")

-- malformed templates
t.raises("template.render: unclosed '${' at line 2 (write '$${' for a literal '${')", render, "a\nb ${oops", {})
t.raises("template.render: invalid placeholder '${}' at line 1", render, "${}", {})
t.raises("invalid placeholder '${a b}'", render, "${a b}", { a = 1 })
t.raises("invalid placeholder '${a..b}'", render, "${a..b}", {})
t.raises("invalid placeholder '${a.}'", render, "${a.}", {})
t.raises("invalid placeholder '${f(x)}'", render, "${f(x)}", {})
t.raises("template.render: 'a' at line 1 is a table; templates take strings, numbers and booleans", render, "${a}", { a = {} })
t.raises("'f' at line 1 is a function", render, "${f}", { f = print })
t.raises("template.render: template must be a string, got nil", render, nil, {})
t.raises("template.render: vars must be a table, got string", render, "x", "y")
t.raises("template.render: options must be a table such as { strict = false }, got boolean", render, "x", {}, false)
do
  local ok, err = pcall(function() return render("${missing}", {}), 0 end)
  t.ok(not ok and err:match("^[^:]*template_test%.lua:%d+: template%.render:"), "error located at the caller: " .. tostring(err))
end

-- values with __concat (like scaleway output references) make a derived value, not a string
do
  local Ref = {}
  Ref.__concat = function(a, b)
    local function parts(x) if getmetatable(x) == Ref then return x.parts end return { x } end
    local out = {}
    for _, p in ipairs(parts(a)) do out[#out + 1] = p end
    for _, p in ipairs(parts(b)) do out[#out + 1] = p end
    return setmetatable({ parts = out }, Ref)
  end
  local ip = setmetatable({ parts = { "<ip>" } }, Ref)
  local r = render("postgres://app@${db.ip}:5432/${name}", { db = { ip = ip }, name = "app" })
  t.eq(getmetatable(r), Ref, "a derived reference")
  t.eq(r.parts, { "postgres://app@", "<ip>", ":5432/app" })
  t.eq(render("${ip}", { ip = ip }), ip, "a lone reference is returned as is")
end

t.done()

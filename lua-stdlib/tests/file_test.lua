-- file_test.lua: tests for file.lua (paths relative to the calling script, errors, lines).
local here = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. here .. "/../?.lua;" .. here .. "/fixtures/sub/?.lua;" .. package.path
local t = require "helper"
local file = require "file"

-- How file.lua names a path next to this test ("x" when run as `lua5.4 file_test.lua`).
local function at(p) if here == "." then return p end return here .. "/" .. p end

-- reads relative to this test file, wherever lua5.4 was started from
t.eq(file.read("fixtures/hello.txt"), "hello from a fixture\nsecond line\n")
t.eq(file.read("./fixtures/hello.txt"), "hello from a fixture\nsecond line\n", "a './' prefix")
t.eq(file.read("fixtures/sub/../hello.txt"), "hello from a fixture\nsecond line\n")
t.eq(file.read("fixtures/empty.txt"), "")
t.eq(file.path("fixtures/hello.txt"), at("fixtures/hello.txt"))
t.eq(file.dir(), here)
t.eq(select(2, pcall(file.read, "fixtures/hello.txt")):sub(1, 5), "hello", "through pcall (a C frame)")

-- exists
t.eq(file.exists("fixtures/hello.txt"), true)
t.eq(file.exists("fixtures/nope.txt"), false)
t.eq(file.exists("fixtures"), true, "a folder exists")

-- lines
do
  local lines = {}
  for line in file.lines("fixtures/hello.txt") do lines[#lines + 1] = line end
  t.eq(lines, { "hello from a fixture", "second line" })
  lines = {}
  for line in file.lines("fixtures/crlf.txt") do lines[#lines + 1] = line end
  t.eq(lines, { "one", "two", "", "last without newline" }, "CRLF endings dropped, last line kept")
  local n = 0
  for _ in file.lines("fixtures/empty.txt") do n = n + 1 end
  t.eq(n, 0, "an empty file has no lines")
end

-- a module reads files from its own folder, not from its caller's
do
  local reader = require "reader"
  t.eq(reader.at_load, "data next to the module\n")
  t.eq(reader.later(), "data next to the module\n")
  t.eq(reader.tail_same_file(), "data next to the module\n", "a tail call within one file still resolves")
  local err = t.raises("was called as `return file.read(...)`, a tail call", reader.tail)
  t.ok(err:find("file.read: cannot open '[^']*data.txt': No such file or directory %(file.read was"), "the tail-call error names the path tried: " .. err)
  t.eq(reader.dir, here .. "/fixtures/sub")
end

-- code loaded from a file name vs from a string
do
  local f = load("local file = ...; return (file.read('hello.txt'))", "@" .. here .. "/fixtures/virtual.lua")
  t.eq(f(file):sub(1, 5), "hello", "chunk named '@path' reads next to path")
  local g = load("local file = ...; return file.path('x.txt'), file.dir()", "=(repl)")
  local p, d = g(file)
  t.eq(p, "x.txt", "code from a string resolves from the working directory")
  t.eq(d, ".")
  local h = load("local file = ...; return (file.path('x.txt'))", "@x.lua")
  t.eq(h(file), "x.txt", "a script in the working directory")
  local r = load("local file = ...; return (file.path('etc/x'))", "@/root.lua")
  t.eq(r(file), "/etc/x", "a script at the file system root")
end

-- home directory
if os.getenv("HOME") then
  t.eq(file.path("~/x.txt"), os.getenv("HOME") .. "/x.txt")
end

-- a temporary file by absolute path
do
  local tmp = os.tmpname()
  local f = assert(io.open(tmp, "wb"))
  f:write("\0binary\255\r\n")
  f:close()
  t.eq(file.read(tmp), "\0binary\255\r\n", "bytes as they are")
  os.remove(tmp)
  t.eq(file.exists(tmp), false)
end

-- errors name the resolved path and point at the caller
t.raises("file.read: cannot open '" .. at("fixtures/missing.txt") .. "': No such file or directory",
  function() return file.read("fixtures/missing.txt"), 0 end)
t.raises("file.lines: cannot open '" .. at("missing.txt") .. "': No such file or directory",
  function() return file.lines("missing.txt"), 0 end)
t.raises("file.read: cannot read '" .. at("fixtures") .. "': Is a directory", function() return file.read("fixtures"), 0 end)
t.raises("file.read: path must be a non-empty string, got nil", file.read)
t.raises("file.read: path must be a non-empty string, got ''", file.read, "")
t.raises("file.exists: path must be a non-empty string, got number", file.exists, 1)
do
  local ok, err = pcall(function() return file.read("nope"), 0 end)
  t.ok(not ok and err:match("^[^:]*file_test%.lua:%d+: file%.read:"), "error located at the caller: " .. tostring(err))
  ok, err = pcall(function() return file.read(nil), 0 end)
  t.ok(not ok and err:match("^[^:]*file_test%.lua:%d+: file%.read:"), "error located at the caller: " .. tostring(err))
end

-- with template.lua: a cloud-init file next to the script
do
  local template = require "template"
  t.eq(template.render(file.read("fixtures/greeting.tpl"), { user = "app" }), "user=app\necho ${HOME}\n")
end

t.done()

-- helper.lua: a tiny assertion helper for the lua-stdlib tests.
-- Counts passes and failures, prints each failure with its line, and `done()` prints
-- "N passed, M failed" and exits with os.exit(M == 0).

local T = { passed = 0, failed = 0 }

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  if type(v) == "table" then
    local ok, json = pcall(require, "json")
    if ok then
      local ok2, s = pcall(json.encode, v)
      if ok2 then return s end
    end
  end
  return tostring(v)
end

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then
    -- integers and floats are different things for these tests
    return false
  end
  for k, v in pairs(a) do if not deep_equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
T.deep_equal = deep_equal

local function where()
  local info = debug.getinfo(4, "Sl")   -- where <- fail <- T.xx <- the test
  return info.short_src .. ":" .. info.currentline
end

local function pass() T.passed = T.passed + 1 end
local function fail(name, detail)
  T.failed = T.failed + 1
  print(string.format("FAIL %s %s\n     %s", where(), name or "", detail))
end

--- Passes when `cond` is truthy.
function T.ok(cond, name)
  if cond then pass() else fail(name, "expected a true value, got " .. show(cond)) end
end

--- Passes when actual equals expected (deeply for tables; 1 and 1.0 count as different).
function T.eq(actual, expected, name)
  local same = deep_equal(actual, expected)
  if same and type(actual) == "number" and math.type(actual) ~= math.type(expected) then same = false end
  if same then pass()
  else fail(name, "expected " .. show(expected) .. " (" .. (math.type(expected) or type(expected)) ..
    ")\n     got      " .. show(actual) .. " (" .. (math.type(actual) or type(actual)) .. ")") end
end

--- Passes when fn(...) raises an error whose message contains `needle` (plain text).
function T.raises(needle, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then fail(needle, "expected an error containing " .. show(needle) .. ", but it returned " .. show(err))
  elseif not tostring(err):find(needle, 1, true) then
    fail(needle, "expected an error containing " .. show(needle) .. "\n     got " .. show(err))
  else pass() end
  return err
end

--- Prints the tally and exits: status 0 when nothing failed.
function T.done()
  print(string.format("%d passed, %d failed", T.passed, T.failed))
  os.exit(T.failed == 0)
end

return T

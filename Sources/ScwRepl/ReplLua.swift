// ReplLua: the small Lua pieces the REPL installs in its session: `print` through the
// console, the completion lookup, capturing a loaded file's top-level locals, clearing
// destroyed handles.

enum ReplLua {
    /// Replaces `print` so its lines go through the console (kept in order with the REPL's
    /// own output, and captured in tests). Expects `__scwrepl_write` to be set.
    static let printSource = #"""
    local write, tostring, select, concat = __scwrepl_write, tostring, select, table.concat
    __scwrepl_write = nil
    function print(...)
      local n = select("#", ...)
      local parts = {}
      for i = 1, n do parts[i] = tostring((select(i, ...))) end
      write(concat(parts, "\t") .. "\n")
    end
    """#

    /// Returns `start(source)` and `finish()`. Between them, a return hook keeps the top-level
    /// locals of the main chunk named `source` as it returns; `finish` removes the hook, makes
    /// those locals globals (unless a global of that name exists) and returns their names.
    /// Called with the host's full `debug` library (scripts may have a narrow one).
    static let captureSource = #"""
    local debug = ... or debug
    local sethook, getinfo, getlocal, rawget, rawset, sort = debug.sethook, debug.getinfo, debug.getlocal, rawget, rawset, table.sort
    local captured
    local function start(source)
      captured = {}
      sethook(function()
        local info = getinfo(2, "S")
        if info and info.what == "main" and info.source == source then
          for i = 1, 250 do
            local name, value = getlocal(2, i)
            if name == nil then break end
            if name:sub(1, 1) ~= "(" then captured[name] = value end
          end
        end
      end, "r")
    end
    local function finish()
      sethook()
      local names = {}
      for name, value in next, captured or {} do
        if rawget(_G, name) == nil then
          rawset(_G, name, value)
          names[#names + 1] = name
        end
      end
      captured = nil
      sort(names)
      return names
    end
    return start, finish
    """#

    /// `clear(set of addresses)`: handles reachable from globals whose resource was deleted
    /// lose their outputs (they read as `(known after apply)` again).
    static let clearSource = #"""
    local next, type, rawget, rawset = next, type, rawget, rawset
    return function(gone)
      local seen = {}
      local function visit(t, depth)
        if seen[t] or depth > 4 then return end
        seen[t] = true
        if rawget(t, "__scw") == "handle" then
          if gone[rawget(t, "__addr")] then rawset(t, "__outputs", nil) end
          return
        end
        for _, v in next, t do
          if type(v) == "table" then visit(v, depth + 1) end
        end
      end
      visit(_G, 0)
    end
    """#
}
